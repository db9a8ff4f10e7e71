#!/usr/bin/env bash
# Load test of cari's search API: builds cari, indexes the corpus of real
# articles (../shared/corpus/news.jsonl.gz) into a temporary directory,
# starts `cari serve` on a free loopback port, and runs wrk against
# /api/search for 30 s with 2 threads and 64 connections, each request one
# of the queries in queries.txt (search.lua). It prints throughput, latency
# percentiles, errors and the server's memory (VmRSS, and VmHWM, the peak)
# before and after, and exits 1 on any error: a non-2xx answer, a socket
# error or timeout, an ERROR in the server's log, or a server that does not
# shut down cleanly.
#
#   bash scripts/load/run.sh                  # searches only
#   bash scripts/load/run.sh --with-writes    # and a writer POSTing batches meanwhile
#
# --with-writes runs scripts/load/writer at the same time: it POSTs batches
# of 100 new articles (corpus articles under new ids, each with a unique
# marker word) for as long as wrk runs, then checks that every accepted
# article can be fetched by id and found by its marker, and that the
# server's article count is the corpus plus the new articles.
#
# --bombs sends an expensive query every few seconds meanwhile, in turn a
# bare *, /.*/, twenty *x* clauses, and six of those at once; each must
# be answered (200 or a 400 query_too_expensive) within 1 s. The
# server's memory is sampled every 5 s throughout.
#
#   bash scripts/load/run.sh --with-writes --bombs --duration 10m --connections 8 --write-every 2s --batch 50   # the soak
#
# Options: --duration 30s (wrk's -d and the writer's), --batch 100,
# --write-every 0 (start a batch at most this often), --bomb-every 3s,
# --connections 64 (wrk's -c; 503s from admission control are counted
# apart, as deliberate, and do not fail the run),
# --warm (start wrk after one untimed pass of the queries, so that the
# page cache holds what they read),
# --keep (leave the temporary directory, with the server's log), --race
# (serve with a binary built with the race detector, whose report fails
# the run; far slower, so wrk keeps 8 connections, not 64, and its
# figures are no measure).
# Environment: CARI_LOAD_CORPUS (default ../shared/corpus/news.jsonl.gz);
# CARI_SERVE_FLAGS, more flags for cari serve (--max-searches 100000
# serves as before admission control); CARI_WRK_PREFIX, a command to run
# wrk under (nice -n -15: a load generator not starved by the server
# measured the same tails).
# It takes about a minute and a half (indexing takes 20-30 s); it is not
# part of CI. wrk comes from Debian: apt-get install -y wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
here=$repo/scripts/load

writes=0
duration=30s
batch=100
keep=0
race=
conns=64
bombs=0
bomb_every=3
write_every=0s
warm=0
while [ $# -gt 0 ]; do
  case $1 in
    --with-writes) writes=1 ;;
    --duration) duration=${2:?--duration needs a value such as 30s}; shift ;;
    --duration=*) duration=${1#*=} ;;
    --batch) batch=${2:?--batch needs a number}; shift ;;
    --batch=*) batch=${1#*=} ;;
    --connections) conns=${2:?--connections needs a number}; shift ;;
    --connections=*) conns=${1#*=} ;;
    --bombs) bombs=1 ;;
    --bomb-every) bomb_every=${2:?--bomb-every needs seconds}; bomb_every=${bomb_every%s}; shift ;;
    --write-every) write_every=${2:?--write-every needs a duration such as 2s}; shift ;;
    --warm) warm=1 ;;
    --keep) keep=1 ;;
    --race) race=-race; conns=8 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

corpus=${CARI_LOAD_CORPUS:-$repo/../shared/corpus/news.jsonl.gz}
if [ ! -f "$corpus" ]; then
  echo "load test skipped: no corpus at $corpus (it lives in ../shared/corpus)"
  exit 0
fi
if ! command -v wrk >/dev/null 2>&1; then
  echo "run.sh: wrk is missing; install it with: apt-get install -y wrk   (or sudo apt-get install -y wrk)" >&2
  exit 1
fi
for tool in go curl zcat; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run.sh: $tool is missing" >&2
    exit 1
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cari-load.XXXXXX")
server_pid=
writer_pid=
bomber_pid=
sampler_pid=
cleanup() {
  # Only the processes this script started, by their id.
  for p in $bomber_pid $sampler_pid; do
    kill "$p" 2>/dev/null || true
  done
  if [ -n "$writer_pid" ] && kill -0 "$writer_pid" 2>/dev/null; then
    kill "$writer_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$keep" = 1 ]; then
    echo "kept $tmp"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

# mem PID: "VmRSS VmHWM" in MiB.
# cpu PID: the process's user + system CPU so far, in milliseconds.
cpu() {
  awk -v tck="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1000 / tck }' "/proc/$1/stat"
}

mem() {
  awk '/^VmRSS:/ {rss = $2} /^VmHWM:/ {hwm = $2} END {printf "%.0f %.0f", rss / 1024, hwm / 1024}' "/proc/$1/status"
}

# field KEY LINE: the value of KEY=VALUE in LINE.
field() {
  printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

step "build"
go build -o "$tmp/cari" ./cmd/cari
if [ -n "$race" ]; then
  go build -race -o "$tmp/cari-race" ./cmd/cari
fi
if [ "$writes" = 1 ]; then
  go build -o "$tmp/writer" ./scripts/load/writer
fi

step "index $corpus"
articles=$(zcat "$corpus" | grep -c .)
start=$(date +%s)
if ! zcat "$corpus" | "$tmp/cari" index --index "$tmp/index" - >"$tmp/index.log" 2>&1; then
  tail -5 "$tmp/index.log" >&2
  echo "run.sh: indexing failed" >&2
  exit 1
fi
tail -1 "$tmp/index.log"
echo "($(($(date +%s) - start)) s)"

step "serve"
head -c 24 /dev/urandom | base64 >"$tmp/token"
chmod 600 "$tmp/token"
# shellcheck disable=SC2086 # CARI_SERVE_FLAGS is words
"$tmp/cari${race:+-race}" serve --index "$tmp/index" --addr 127.0.0.1:0 --token-file "$tmp/token" ${CARI_SERVE_FLAGS:-} 2>"$tmp/serve.log" &
server_pid=$!
url=
for _ in $(seq 1 300); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$tmp/serve.log" >&2
    echo "run.sh: the server did not start" >&2
    exit 1
  fi
  url=$(sed -n 's|^cari: serving .* on \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$tmp/serve.log" | head -1)
  if [ -n "$url" ] && curl -fsS "$url/readyz" >/dev/null 2>&1; then
    break
  fi
  url=
  sleep 0.2
done
if [ -z "$url" ]; then
  echo "run.sh: the server was not ready within 60 s" >&2
  exit 1
fi
docs=$(curl -fsS -H "Authorization: Bearer $(cat "$tmp/token")" "$url/api/stats" | sed -n 's/.*"documents":\([0-9]*\).*/\1/p')
echo "$url (pid $server_pid): $docs articles"
if [ "$docs" != "$articles" ]; then
  echo "run.sh: the index holds $docs articles, the corpus $articles" >&2
  exit 1
fi
if [ "$warm" = 1 ]; then
  grep -v '^#' "$here/queries.txt" | grep . | while IFS= read -r q; do
    curl -fsS -o /dev/null -G --data-urlencode "q=$q" "$url/api/search" || true
  done
fi
read -r rss_before hwm_before <<<"$(mem "$server_pid")"
echo "memory before: VmRSS $rss_before MiB, VmHWM $hwm_before MiB"

failed=0
if [ "$writes" = 1 ]; then
  step "wrk $duration, and a writer POSTing batches of $batch articles"
  "$tmp/writer" post -server "$url" -token-file "$tmp/token" -corpus "$corpus" \
    -batch "$batch" -every "$write_every" -duration "$duration" -manifest "$tmp/manifest.json" \
    >"$tmp/writer.out" 2>"$tmp/writer.err" &
  writer_pid=$!
else
  step "wrk $duration"
fi
# The server's memory every 5 s: "seconds VmRSS VmHWM".
(
  t0=$(date +%s)
  while kill -0 "$server_pid" 2>/dev/null; do
    echo "$(($(date +%s) - t0)) $(mem "$server_pid")" >>"$tmp/rss.log"
    sleep 5
  done
) &
sampler_pid=$!
if [ "$bombs" = 1 ]; then
  twenty=$(printf '*x* %.0s' $(seq 1 20))
  # bomb Q: one search, logged as "status seconds kind".
  bomb() {
    curl -s -o /dev/null -w "%{http_code} %{time_total} $2\n" --max-time 15 --get --data-urlencode "q=$1" "$url/api/search" >>"$tmp/bombs.log" || echo "000 15 $2" >>"$tmp/bombs.log"
  }
  (
    i=0
    while :; do
      case $((i % 4)) in
        0) bomb '*' star ;;
        1) bomb '/.*/' regexp ;;
        2) bomb "$twenty" twenty ;;
        3) for _ in 1 2 3 4 5 6; do bomb "$twenty" six-at-once & done; wait ;;
      esac
      i=$((i + 1))
      sleep "$bomb_every"
    done
  ) &
  bomber_pid=$!
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_before=$(cpu "$server_pid")
# wrk's own timeout is above the server's 10 s search deadline, so a
# search that runs too long shows as the server's 504 (a non-2xx error)
# rather than as wrk giving up; either fails the run.
${CARI_WRK_PREFIX:-} wrk -t2 -c"$conns" -d"$duration" --timeout 15s --latency -s "$here/search.lua" "$url" -- "$here/queries.txt" | tee "$tmp/wrk.out"
writer_rc=0
if [ "$writes" = 1 ]; then
  wait "$writer_pid" || writer_rc=$?
  writer_pid=
fi
if [ -n "$bomber_pid" ]; then
  kill "$bomber_pid" 2>/dev/null || true
  wait "$bomber_pid" 2>/dev/null || true
  bomber_pid=
fi
read -r rss_after hwm_after <<<"$(mem "$server_pid")"
cpu_after=$(cpu "$server_pid")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

result=$(grep '^RESULT ' "$tmp/wrk.out" || true)
if [ -z "$result" ]; then
  echo "run.sh: wrk printed no RESULT line" >&2
  exit 1
fi
non2xx=$(field non2xx "$result")
socket=$(field socket_errors "$result")
if [ "$non2xx" != 0 ] || [ "$socket" != 0 ]; then
  echo "FAIL: wrk saw $non2xx non-2xx answers and $socket socket errors" >&2
  failed=1
fi

if [ "$writes" = 1 ]; then
  step "writer"
  cat "$tmp/writer.out"
  if [ "$writer_rc" != 0 ]; then
    head -20 "$tmp/writer.err" >&2
    echo "FAIL: the writer exited $writer_rc" >&2
    failed=1
  fi
  step "check: every accepted article by id, by its marker word, and the article count"
  if [ -f "$tmp/manifest.json" ]; then
    if ! "$tmp/writer" check -manifest "$tmp/manifest.json" -token-file "$tmp/token" | tee "$tmp/check.out"; then
      echo "FAIL: the check failed" >&2
      failed=1
    fi
  else
    echo "FAIL: the writer left no manifest" >&2
    failed=1
  fi
fi

if [ "$bombs" = 1 ]; then
  step "bombs"
  if [ -s "$tmp/bombs.log" ]; then
    # An expensive query is answered at once: 200 (a bare * is every
    # article), 400 query_too_expensive, or 503 when admission refuses.
    awk '{ n++; k[$3 " " $1]++; if ($2 > max) max = $2; if ($2 > 1) slow++; if ($1 !~ /^(200|400|503)$/) bad++ }
      END {
        printf "bombs: %d, slowest %.3f s, over 1 s: %d, other than 200/400/503: %d\n", n, max, slow, bad
        for (x in k) printf "  %s ×%d\n", x, k[x]
        exit (slow + bad > 0)
      }' "$tmp/bombs.log" || { echo "FAIL: a bomb took over 1 s or was answered other than 200, 400 or 503" >&2; failed=1; }
  else
    echo "FAIL: no bomb was sent" >&2
    failed=1
  fi
fi

step "server"
errors=$(grep -c 'level=ERROR' "$tmp/serve.log" || true)
# 503 is admission control refusing, with Retry-After: deliberate.
fives=$(grep -E 'status=5[0-9][0-9]' "$tmp/serve.log" | grep -vc 'status=503' || true)
refused=$(grep -c 'status=503' "$tmp/serve.log" || true)
echo "log: $(grep -c 'msg=request' "$tmp/serve.log" || true) requests, $errors ERROR lines, $fives 5xx answers other than $refused deliberate 503s"
# Answers by status and the slowest request, from the access log (Go
# durations: 850µs, 12.5ms, 1.2s, 1m2s).
awk '/msg=request/ {
  for (i = 1; i <= NF; i++) {
    if ($i ~ /^status=/) { n[substr($i, 8)]++ }
    if ($i ~ /^path=/) { p = substr($i, 6) }
    if ($i ~ /^duration=/) {
      d = substr($i, 10); ms = 0
      if (match(d, /^[0-9.]+m[0-9]/)) { ms += 60000 * d; sub(/^[0-9.]+m/, "", d) }
      if (d ~ /ms$/) ms += d + 0; else if (d ~ /(µs|us)$/) ms += d / 1000; else if (d ~ /ns$/) ms += d / 1e6; else if (d ~ /s$/) ms += d * 1000
      if (ms > max) { max = ms; maxp = p }
    }
  }
  if (ms > 0 && p ~ /^\/api\/search/ && $0 ~ /status=200/) print ms > served
}
END {
  printf "statuses:"; for (k in n) printf " %s×%d", k, n[k]; printf "\n"
  printf "slowest: %.0f ms (%s)\n", max, maxp
}' served="$tmp/served.ms" "$tmp/serve.log"
# The searches answered 200, as the server timed them: with admission
# control, wrk's percentiles mix in the refusals, answered at once.
if [ -s "$tmp/served.ms" ]; then
  sort -n "$tmp/served.ms" | awk '{ v[NR] = $1 } END {
    printf "served searches: %d, server time p50 %.2f ms, p90 %.2f ms, p99 %.2f ms\n", NR, v[int(NR * 0.50 + 0.5)], v[int(NR * 0.90 + 0.5)], v[int(NR * 0.99 + 0.5)]
  }'
fi
if [ "$errors" != 0 ] || [ "$fives" != 0 ]; then
  grep -m5 -E 'level=ERROR|status=5[0-9][0-9]' "$tmp/serve.log" >&2
  failed=1
fi
races=$(grep -c 'WARNING: DATA RACE' "$tmp/serve.log" || true)
if [ "$races" != 0 ]; then
  grep -m1 -A30 'WARNING: DATA RACE' "$tmp/serve.log" >&2
  echo "FAIL: $races data races reported by the server" >&2
  failed=1
fi
kill -TERM "$server_pid"
server_rc=0
wait "$server_pid" || server_rc=$?
server_pid=
if [ "$server_rc" != 0 ]; then
  tail -5 "$tmp/serve.log" >&2
  echo "FAIL: the server exited $server_rc on SIGTERM" >&2
  failed=1
else
  echo "shut down cleanly"
fi

step "summary"
mode=search
[ "$writes" = 1 ] && mode=search+writes
[ -n "$race" ] && mode="$mode (race detector)"
printf 'mode %s, %s, wrk -t2 -c%s -d%s, %s articles, %s queries\n' "$mode" "$(date -u +%FT%TZ)" "$conns" "$duration" "$articles" \
  "$(grep -cv -e '^#' -e '^[[:space:]]*$' "$here/queries.txt")"
printf 'QPS %s  p50 %s ms  p90 %s ms  p99 %s ms  max %s ms  requests %s  non-2xx %s  socket errors %s\n' \
  "$(field qps "$result")" "$(field p50_ms "$result")" "$(field p90_ms "$result")" "$(field p99_ms "$result")" \
  "$(field max_ms "$result")" "$(field requests "$result")" "$non2xx" "$socket"
printf 'machine %s cores, load average %s before wrk, %s after (other processes share the cores)\n' \
  "$(nproc)" "$load_before" "$load_after"
printf 'memory  before: VmRSS %s MiB, VmHWM %s MiB   after: VmRSS %s MiB, VmHWM %s MiB\n' \
  "$rss_before" "$hwm_before" "$rss_after" "$hwm_after"
# Flat memory: the highest VmRSS of the run's last half against its first.
if [ -s "$tmp/rss.log" ]; then
  awk '{ t[NR] = $1; r[NR] = $2 } END {
    half = t[NR] / 2
    for (i = 1; i <= NR; i++) { if (t[i] <= half) { if (r[i] > a) a = r[i] } else if (r[i] > b) b = r[i] }
    printf "VmRSS   sampled %d times over %d s: highest %d MiB in the first half, %d MiB in the second\n", NR, t[NR], a, b
  }' "$tmp/rss.log"
fi
# The server's CPU over the requests wrk made (refusals included; with
# writes, theirs too): to set beside the in-process latency benchmark.
awk -v c="$((cpu_after - cpu_before))" -v n="$(field requests "$result")" -v r="$(field overloaded "$result")" \
  'BEGIN { if (n > 0) printf "server CPU %.0f ms over %d requests: %.2f ms a request, %.2f ms a search answered\n", c, n, c / n, (n > r ? c / (n - r) : 0) }'
if [ "$writes" = 1 ]; then
  w=$(grep '^WRITER ' "$tmp/writer.out" || true)
  c=$(grep '^CHECK ' "$tmp/check.out" 2>/dev/null || true)
  printf 'writes  posted %s, accepted %s in %s batches (p50 %s ms, max %s ms), HTTP errors %s, not visible at once %s\n' \
    "$(field posted "$w")" "$(field accepted "$w")" "$(field batches "$w")" "$(field batch_p50_ms "$w")" \
    "$(field batch_max_ms "$w")" "$(field http_errors "$w")" "$(field not_visible "$w")"
  printf 'check   fetched %s/%s, found by marker %s/%s, articles %s (expected %s)\n' \
    "$(field fetched "$c")" "$(field articles "$c")" "$(field found_by_marker "$c")" "$(field articles "$c")" \
    "$(field documents "$c")" "$(field expected_documents "$c")"
fi
if [ "$failed" != 0 ]; then
  echo "FAILED"
  exit 1
fi
echo "OK: zero errors"
