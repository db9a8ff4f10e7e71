// Package cari holds what the cari binary ships besides code: the sample
// articles that `cari serve --demo` indexes and the tests use as fixtures.
// The engine lives in the packages analyzer, index and server.
package cari

import "embed"

// SampleArticles are the bundled sample articles, under
// testdata/articles: JSON Lines, plain text and Markdown, written by the
// project.
//
//go:embed testdata/articles
var SampleArticles embed.FS

// SampleDir is the directory of SampleArticles that holds the articles.
const SampleDir = "testdata/articles"
