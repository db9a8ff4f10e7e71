#!/usr/bin/env bash
# The scale benchmark of issue 15: synthetic archives made by
# ../shared/tools/synth (fixed seed) at each size, indexed by cari and by
# plain bleve (scripts/relevance's peer: bleve's standard analyzer, BM25,
# nothing stored) alternating, ROUNDS times. For each it prints the
# seconds, articles/s, peak resident memory (GNU time) and index size, and
# the ratio of cari's speed to bleve's; for cari also the seconds `cari
# serve` takes from start until it is ready (/readyz) and has answered a
# completion and a corrected search, the server's peak memory by then,
# and the latency of the default search (snippets, facets, synonyms, typo
# fallback) over HTTP, one request at a time: p50, p90 and p99 over three
# passes of scripts/load/queries.txt after one untimed pass.
#
#   bash scripts/scale/run.sh                 # SIZES="25401 250000 1000000" ROUNDS=2 KEEP=0
#
# Not part of CI: 1,000,000 articles take about 8 minutes to make and tens
# of minutes to index on two cores. Work files go under $SCALE_DIR
# (default a new directory in /tmp), which needs about 10 GB for 1M.
set -euo pipefail
cd "$(dirname "$0")/../.."

shared=${CARI_SHARED:-../shared}
sizes=${SIZES:-"25401 250000"}
rounds=${ROUNDS:-2}
corpus="$shared/corpus/news.jsonl.gz"
for need in "$corpus" "$shared/tools/synth/main.go"; do
  if [ ! -e "$need" ]; then
    echo "scale: no $need (set CARI_SHARED to the shared data)" >&2
    exit 1
  fi
done
if [ ! -x /usr/bin/time ]; then
  echo "scale: needs GNU time at /usr/bin/time (Debian package time) for peak memory" >&2
  exit 1
fi

work=${SCALE_DIR:-$(mktemp -d /tmp/cari-scale-XXXX)}
mkdir -p "$work"
if [ "${KEEP:-0}" != 1 ]; then
  trap 'rm -rf "$work"' EXIT
fi
shared_abs=$(cd "$shared" && pwd)
go build -o "$work/cari" ./cmd/cari
(cd scripts/relevance && go build -tags sqlite_fts5 -o "$work/relevance" .)

# measure NAME CMD...: runs CMD under GNU time, prints seconds and peak KiB.
measure() {
  local out=$1; shift
  /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>"$out.log"
  cat "$out"
}

# serveReady INDEX: seconds from `cari serve` start until /readyz is 200
# and a completion and a misspelt search are answered, the server's peak
# memory then (MiB), and the search latency (ms) at p50, p90 and p99.
serveReady() {
  local log="$work/serve.log" start pid url=
  start=$(date +%s.%N)
  "$work/cari" serve --index "$1" --addr 127.0.0.1:0 >"$log" 2>&1 &
  pid=$!
  until [ -n "$url" ] && curl -fsS -o /dev/null "$url/readyz" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "scale: cari serve ended early:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.05
    url=$(sed -n 's|^cari: serving .* on \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$log" | head -1)
  done
  curl -fsS -o /dev/null "$url/api/suggest?q=pertah"
  curl -fsS -o /dev/null "$url/api/search?q=pemerintahn"
  local ready rss
  ready=$(echo "$(date +%s.%N) - $start" | bc)
  rss=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
  # The load test's queries, URL-encoded by curl.
  local queries="$work/queries.txt" pass q
  grep -v '^#' scripts/load/queries.txt | grep . >"$queries"
  for pass in 0 1 2 3; do
    while IFS= read -r q; do
      curl -fsS -o /dev/null -w '%{time_total}\n' -G --data-urlencode "q=$q" "$url/api/search"
    done <"$queries" >"$work/latency.$pass"
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  printf '%.1f %s %s' "$ready" "$rss" "$(cat "$work"/latency.[123] | sort -n | awk '{ms[NR] = $1 * 1000} END {printf "%.1f %.1f %.1f", ms[int(NR * 0.5 + 0.5)], ms[int(NR * 0.9 + 0.5)], ms[int(NR * 0.99 + 0.5)]}')"
}

echo "scale: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); work in $work"
printf '%-8s %-5s %-6s %8s %9s %10s %9s %7s %9s %9s %20s\n' size round engine seconds docs/s peak-RSS index ratio ready-s serve-RSS "search p50/p90/p99"
for size in $sizes; do
  input="$work/syn$size.jsonl.gz"
  if [ ! -f "$input" ]; then
    (cd "$shared_abs/tools/synth" && go run . -in "$shared_abs/corpus/news.jsonl.gz" -n "$size" -seed 1 -out "$input") >&2
  fi
  for round in $(seq "$rounds"); do
    rm -rf "$work/bleve-$size" "$work/cari-$size"
    read -r bsec bkib < <(measure "$work/time.bleve" "$work/relevance" index -system bleve -corpus "$input" -out "$work/bleve-$size")
    read -r csec ckib < <(measure "$work/time.cari" "$work/cari" index --index "$work/cari-$size" "$input")
    bsize=$(du -sm "$work/bleve-$size" | cut -f1)
    csize=$(du -sm "$work/cari-$size" | cut -f1)
    read -r ready srss p50 p90 p99 < <(serveReady "$work/cari-$size"; echo)
    bdocs=$(echo "$size / $bsec" | bc)
    cdocs=$(echo "$size / $csec" | bc)
    ratio=$(echo "scale=2; $bsec / $csec" | bc)
    printf '%-8s %-5s %-6s %8s %9s %7s MiB %6s MB %7s %9s %9s\n' "$size" "$round" bleve "$bsec" "$bdocs" "$((bkib / 1024))" "$bsize" - - -
    printf '%-8s %-5s %-6s %8s %9s %7s MiB %6s MB %7s %9s %5s MiB %20s\n' "$size" "$round" cari "$csec" "$cdocs" "$((ckib / 1024))" "$csize" "$ratio" "$ready" "$srss" "$p50/$p90/$p99 ms"
  done
done
