#!/usr/bin/env bash
# Runs the three peer engines over a corpus and a query file:
#
#   scripts/relevance/peers.sh CORPUS QUERIES OUTDIR [--no-titles]
#
# builds each peer's index under OUTDIR (bleve.index, fts5.index,
# xapian.index), re-using one already built from the same corpus with the
# same flags and the same peer code, and writes OUTDIR/bleve.run,
# OUTDIR/fts5.run and OUTDIR/xapian.run (TREC, 100 results a query).
# Installs Debian's python3-xapian when /usr/bin/python3 lacks it.
set -euo pipefail

usage() { echo "usage: $0 CORPUS QUERIES OUTDIR [--no-titles]" >&2; exit 2; }
[ $# -eq 3 ] || [ $# -eq 4 ] || usage
corpus=$1 queries=$2 outdir=$3
notitles=
if [ $# -eq 4 ]; then
  [ "$4" = --no-titles ] || usage
  notitles=-no-titles
fi
[ -r "$corpus" ] || { echo "$0: cannot read $corpus" >&2; exit 1; }
[ -r "$queries" ] || { echo "$0: cannot read $queries" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
corpus=$(realpath "$corpus") queries=$(realpath "$queries")
mkdir -p "$outdir"
outdir=$(realpath "$outdir")

# Xapian: Debian's module, which only Debian's python sees.
py=/usr/bin/python3
if ! "$py" -c 'import xapian' 2>/dev/null; then
  echo "installing python3-xapian" >&2
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q python3-xapian >&2 ||
    { $sudo apt-get update -q >&2 && $sudo apt-get install -y -q python3-xapian >&2; }
fi
"$py" -c 'import xapian; xapian.Stem("indonesian")'

echo "building the Go peers" >&2
(cd "$here" && go build -tags sqlite_fts5 -o "$outdir/relevance" .)

# What an index depends on: the corpus, the flags, the code that builds it.
corpus_sum=$(sha256sum "$corpus" | cut -d' ' -f1)
key_of() { # system
  local code
  case $1 in
    bleve) code="go.sum io.go bleve.go" ;;
    fts5) code="go.sum io.go fts5.go" ;;
    xapian) code="xapian_peer.py" ;;
  esac
  { echo "$corpus_sum flags:$notitles"; (cd "$here" && cat $code); } | sha256sum | cut -d' ' -f1
}

index_cmd() { # system index-dir
  case $1 in
    xapian) "$py" "$here/xapian_peer.py" index -corpus "$corpus" -out "$2" $notitles ;;
    *) "$outdir/relevance" index -system "$1" -corpus "$corpus" -out "$2" $notitles ;;
  esac
}
search_cmd() { # system index-dir run
  case $1 in
    xapian) "$py" "$here/xapian_peer.py" search -index "$2" -queries "$queries" -out "$3" ;;
    *) "$outdir/relevance" search -system "$1" -index "$2" -queries "$queries" -out "$3" ;;
  esac
}

for sys in bleve fts5 xapian; do
  idx=$outdir/$sys.index
  key=$(key_of "$sys")
  if [ -d "$idx" ] && [ "$(cat "$idx.key" 2>/dev/null)" = "$key" ]; then
    echo "$sys: re-using $idx (built in $(cat "$idx.seconds") s)"
  else
    rm -rf "$idx" "$idx.key" "$idx.seconds"
    start=$(date +%s.%N)
    index_cmd "$sys" "$idx"
    awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", e - s }' > "$idx.seconds"
    echo "$key" > "$idx.key"
    echo "$sys: built $idx in $(cat "$idx.seconds") s"
  fi
  search_cmd "$sys" "$idx" "$outdir/$sys.run"
  echo "$sys: $(cut -d' ' -f1 "$outdir/$sys.run" | uniq | wc -l) queries with hits, $(wc -l < "$outdir/$sys.run") lines in $outdir/$sys.run"
done
