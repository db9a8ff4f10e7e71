#!/usr/bin/env bash
# The test command of README.md: formatting, vet, staticcheck (pinned in
# go.mod as a tool), then every test, fuzz seed corpus and example.
# Tests that need ../shared (stemmer accuracy, corpus benchmarks) skip
# with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
go tool staticcheck ./...
go test -count=1 ./...
