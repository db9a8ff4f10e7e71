// Package analyzer is cari's Indonesian text analysis: normalization,
// tokenization, reduplication, stop words and a confix-stripping stemmer,
// registered in bleve's registry under stable names.
//
// Design note. Every stage keeps the byte offsets of the original text, so
// bleve's highlighter marks exactly the characters a reader typed or read.
// That is why normalization (NFKC, folded quotes and dashes, lower case) is
// done token by token inside the tokenizer rather than by a char filter: a
// char filter rewrites the input and shifts every offset after the first
// change. The chain, as registered under the analyzer name "id":
//
//	id_tokenizer      words, numbers and hyphenated words, normalized
//	id_reduplication  negara-negara → negara, bersama-sama → sama; other
//	                  hyphenated words (China-Rusia) split into their parts
//	id_spelling       (the id_fold analyzers only) old and informal
//	                  spellings folded: Soekarno → sukarno, gak → tidak
//	id_stop           bleve's stop_id list, less words that carry meaning in
//	                  news (sama, kerja sama), plus ours
//	id_keyword        protected words are marked and never stemmed
//	id_stemmer        confix stripping checked against a root lexicon
//
// The stemmer (Stemmer) is plain Go with no bleve types, so it can be used
// and benchmarked alone; bleve.go adapts it to a token filter.
package analyzer
