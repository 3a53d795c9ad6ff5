#!/usr/bin/env bash
# perf profile of the generated petstore under wrk, for one endpoint of bench/server_bench.sh.
#
#   bench/server_profile.sh [-b BUILD_DIR] [-e get|post|list|invalid|large] [-s SECONDS] [-F HZ]
#                           [--all-on] [--dwarf]
#
# Seeds 150 pets, runs wrk (-t2 -c64) and records SECONDS (default 6) of it with `perf record -g`
# at HZ samples a second (default 999; perf's limit is kernel.perf_event_max_sample_rate) (--dwarf:
# DWARF call graphs, for inclusive figures), then prints the top entries by self time.
# The data stays in perf-<endpoint>.data in the current folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(dirname "$here")/build
kind="get"
seconds=6
frequency=999
all_on=0
callgraph=(-g)
while [ $# -gt 0 ]; do
  case $1 in
    -b) build=$2; shift 2 ;;
    -e) kind=$2; shift 2 ;;
    -s) seconds=$2; shift 2 ;;
    -F) frequency=$2; shift 2 ;;
    --all-on) all_on=1; shift ;;
    --dwarf) callgraph=(--call-graph "dwarf,16384"); shift ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done
command -v perf >/dev/null || { echo "server_profile: perf is not installed (linux-perf)" >&2; exit 1; }
out=$(mktemp)
env_vars=(OASGEN_REQUEST_IDS=off OASGEN_HEALTH=off OASGEN_ACCESS_LOG=off)
# As bench/server_bench.sh sends it, to every server: the CORS headers are part of what is measured.
headers=(-H 'Origin: https://app.example.com')
if [ "$all_on" = 1 ]; then
  env_vars=(OASGEN_REQUEST_IDS=on OASGEN_HEALTH=on OASGEN_METRICS=on OASGEN_CORS_ORIGINS=https://app.example.com
            OASGEN_CORS_CREDENTIALS=on OASGEN_RATE_LIMIT=1000000000/1s OASGEN_ACCESS_LOG=/dev/null
            OASGEN_MAX_IN_FLIGHT=100000)
fi
env "${env_vars[@]}" "$build/examples/petstore/petstore-server" --port 0 --threads 2 >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q '^listening' "$out" && break; sleep 0.1; done
port=$(sed -n 's/^listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$out")
for i in $(seq 150); do
  curl -s --max-time 10 -o /dev/null -H 'Content-Type: application/json' --data \
    "{\"name\":\"seed-$i\",\"status\":\"available\",\"category\":{\"id\":1,\"name\":\"dogs\"},\"tags\":[\"seed\",\"g$((i % 3))\"],\"birthDate\":\"2020-01-02\",\"weightKg\":12.5}" \
    "http://127.0.0.1:$port/pets"
done
BENCH_KIND=$kind BENCH_TAG=prof timeout $((seconds + 30)) wrk -t2 -c64 -d$((seconds + 2))s "${headers[@]}" \
  -s "$here/server/wrk.lua" "http://127.0.0.1:$port" | grep '^RESULT' &
wrk_pid=$!
sleep 1
perf record -F "$frequency" "${callgraph[@]}" -p "$pid" -o "perf-$kind.data" -- sleep "$seconds" 2>/dev/null >/dev/null
wait $wrk_pid
perf report -i "perf-$kind.data" --no-children --percent-limit 0.7 --stdio -g none 2>/dev/null |
  grep -v '^#' | grep -v '^$' | cut -c1-160 | head -40
