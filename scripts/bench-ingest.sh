#!/usr/bin/env bash
# The ingest benchmark of issue 6: `cari index` over the 25,401 articles of
# ../shared/corpus/news.jsonl.gz, side by side in one run, with the id
# analyzer at 1 and 2 shards and with bleve's standard analyzer, each into
# a new index, RUNS times (default 2; the machine is shared, so look at
# every run). It prints articles/s, MB/s of uncompressed input, the CPU
# seconds used (user + system: what other loads on the machine change
# least), peak resident memory of the cari process (/usr/bin/time) and
# the index size.
#
#   bash scripts/bench-ingest.sh            # CORPUS=FILE.jsonl.gz, RUNS=N, BATCH=N to change
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${CORPUS:-../shared/corpus/news.jsonl.gz}
runs=${RUNS:-2}
batch=${BATCH:-}
if [ ! -f "$corpus" ]; then
  echo "no corpus at $corpus (set CORPUS)" >&2
  exit 1
fi
if [ ! -x /usr/bin/time ]; then
  echo "needs GNU time at /usr/bin/time (Debian package time) for peak memory" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/cari" ./cmd/cari
# Decompressed once, so that gzip is not measured, and read as standard
# input from a file, as `zcat … | cari index -` would give it.
gzip -dc "$corpus" > "$work/news.jsonl"
bytes=$(stat -c %s "$work/news.jsonl")
articles=$(wc -l < "$work/news.jsonl")

echo "corpus: $articles articles, $bytes bytes uncompressed; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); batch ${batch:-default}"
printf '%-4s %-9s %6s %9s %9s %8s %7s %10s %10s\n' run analyzer shards seconds docs/s MB/s cpu-s peak-RSS index
for run in $(seq "$runs"); do
  for config in "id 1" "id 2" "standard 1"; do
    set -- $config
    rm -rf "$work/index"
    extra=()
    if [ -n "$batch" ]; then extra=(--batch "$batch"); fi
    if ! /usr/bin/time -f '%e %M %U %S' -o "$work/time" \
        "$work/cari" index --index "$work/index" --analyzer "$1" --shards "$2" "${extra[@]}" - \
        < "$work/news.jsonl" > "$work/out" 2> "$work/err"; then
      cat "$work/out" "$work/err" >&2
      exit 1
    fi
    if ! grep -q "^$articles indexed, 0 updated, 0 unchanged, 0 skipped" "$work/out"; then
      echo "unexpected result: $(cat "$work/out")" >&2
      exit 1
    fi
    read -r secs rss_kb user sys < "$work/time"
    size=$(du -sb "$work/index" | cut -f1)
    awk -v run="$run" -v an="$1" -v sh="$2" -v s="$secs" -v n="$articles" -v b="$bytes" -v rss="$rss_kb" -v size="$size" -v cpu="$user $sys" 'BEGIN {
      split(cpu, c, " ")
      printf "%-4s %-9s %6s %9.2f %9.0f %8.2f %7.1f %7.0f MB %7.1f MB\n", run, an, sh, s, n / s, b / 1e6 / s, c[1] + c[2], rss / 1024, size / 1e6
    }'
  done
done
