#!/usr/bin/env bash
# The generated petstore against a hand-written Boost.Beast server and FastAPI, under wrk, in
# interleaved rounds (issue 15), and the petstore with every production feature on against the bare
# one (issue 14). Run by hand, never by ctest; see BENCHMARKS.md.
#
#   bench/server_bench.sh [-b BUILD_DIR] [-d DURATION] [-r ROUNDS] [-c CONNECTIONS] [-t WRK_THREADS]
#                         [-e ENDPOINTS] [--no-build] [--no-fastapi] [--fields] [--features]
#
# Defaults: build, 5s, 3 rounds, 64 connections, 2 wrk threads, every endpoint
# (get,post,list,invalid,large). Ratios are taken within a round (same machine load), then the
# median over the rounds; the other columns are medians too. --fields adds "oasgen-fields"
# (bench/fields_server.cpp): the bare petstore sending the bytes everything-on adds (response
# fields, problem members) without computing them. Every server is sent
# the same requests, with the Origin field of a cross-origin browser call.
# --features adds the petstore with one of issue 14's features on at a time (oasgen-ids, -cors,
# -rate, -metrics, -log, -health, -inflight) and prints what each adds to the bare server.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$root/build
duration=5s
rounds=3
connections=64
wrk_threads=2
endpoints=get,post,list,invalid,large
do_build=1
fastapi=1
fields=0
features=0
while [ $# -gt 0 ]; do
  case $1 in
    -b) build=$2; shift 2 ;;
    -d) duration=$2; shift 2 ;;
    -d*) duration=${1#-d}; shift ;;
    -r) rounds=$2; shift 2 ;;
    -r*) rounds=${1#-r}; shift ;;
    -c) connections=$2; shift 2 ;;
    -t) wrk_threads=$2; shift 2 ;;
    -e) endpoints=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --no-fastapi) fastapi=0; shift ;;
    --fields) fields=1; shift ;;
    --features) features=1; shift ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
seconds=${duration%s}
case $seconds in ''|*[!0-9]*) echo "server_bench: -d takes whole seconds (5s)" >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] && [ "$rounds" -le 20 ] || { echo "server_bench: -r takes 1..20" >&2; exit 2; }
command -v wrk >/dev/null || { echo "server_bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

if [ "$do_build" = 1 ]; then
  targets=(petstore-server baseline-server)
  [ "$fields" = 1 ] && targets+=(petstore-fields-server)
  cmake --build "$build" -j2 --target "${targets[@]}"
fi
petstore=$build/examples/petstore/petstore-server
baseline=$build/bench/baseline-server
python=/usr/bin/python3
if [ "$fastapi" = 1 ] && ! "$python" -c 'import fastapi, uvicorn, uvloop, httptools' 2>/dev/null; then
  echo "server_bench: FastAPI skipped (needs Debian python3-fastapi python3-uvicorn python3-uvloop python3-httptools)"
  fastapi=0
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

declare -A port pid_of
seed_count=150

# Starts a C++ server that prints "listening on http://ADDR:PORT"; waits at most 10 s for it.
start_cxx() {
  local name=$1; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!); pid_of[$name]=$!
  for _ in $(seq 100); do
    if grep -q '^listening on' "$work/$name.out"; then
      port[$name]=$(sed -n 's/^listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/$name.out")
      return
    fi
    sleep 0.1
  done
  echo "server_bench: $name did not start:" >&2; cat "$work/$name.err" >&2; exit 1
}

free_port() {
  "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

seed_body() {
  printf '{"name":"seed-%d","status":"available","category":{"id":1,"name":"dogs"},"tags":["seed","g%d"],"birthDate":"2020-01-02","weightKg":12.5}' "$1" $(($1 % 3))
}

# The first pets: ids 1..150, what GET by id, the list and the large response read.
seed() {
  local name=$1
  local config=$work/$name.seed
  : >"$config"
  for i in $(seq $seed_count); do
    printf 'url = "http://127.0.0.1:%s/pets"\nrequest = "POST"\nheader = "Content-Type: application/json"\ndata = %s\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
      "${port[$name]}" "$("$python" -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$(seed_body "$i")")" >>"$config"
    [ "$i" -lt $seed_count ] && echo next >>"$config"
  done
  local created
  created=$(curl -s --max-time 60 -K "$config" | grep -c '^201$' || true)
  [ "$created" = $seed_count ] || { echo "server_bench: seeding $name made $created pets" >&2; exit 1; }
}

# Every server answers every endpoint as expected before anything is measured.
check() {
  local name=$1 kind code
  for kind in ${endpoints//,/ }; do
    case $kind in
      get) code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port[$name]}/pets/7"); want=200 ;;
      post) code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
              --data '{"name":"check","status":"sold","category":{"name":"cats"}}' "http://127.0.0.1:${port[$name]}/pets"); want=201 ;;
      list) code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port[$name]}/pets?limit=10&tags=seed&tags=g1"); want=200 ;;
      invalid) code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
                --data '{"name":"","status":"lost","category":{"name":""}}' "http://127.0.0.1:${port[$name]}/pets"); want=422 ;;
      large) code=$(curl -s --max-time 10 "http://127.0.0.1:${port[$name]}/pets?limit=100" | "$python" -c 'import json,sys; print(len(json.load(sys.stdin)))'); want=100 ;;
      *) echo "server_bench: unknown endpoint $kind" >&2; exit 2 ;;
    esac
    [ "$code" = "$want" ] || { echo "server_bench: $name $kind: got $code, expected $want" >&2; exit 1; }
  done
}

# utime + stime of a process and its children, in clock ticks.
cpu_ticks() {
  local total=0 p
  for p in $1 $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(sed 's/.*) //' "/proc/$p/stat" | cut -d' ' -f12,13 | tr ' ' '+')))
  done
  echo $total
}

servers=(baseline oasgen oasgen-all)
start_cxx baseline "$baseline" --threads 2
start_cxx oasgen env OASGEN_REQUEST_IDS=off OASGEN_HEALTH=off "$petstore" --port 0 --threads 2 --quiet
# Issue 14's features, all on: a rate limit high enough never to refuse, a real access log line.
start_cxx oasgen-all env OASGEN_REQUEST_IDS=on OASGEN_HEALTH=on OASGEN_METRICS=on \
  OASGEN_CORS_ORIGINS=https://app.example.com OASGEN_CORS_CREDENTIALS=on \
  OASGEN_RATE_LIMIT=1000000000/1s OASGEN_ACCESS_LOG=/dev/null OASGEN_MAX_IN_FLIGHT=100000 \
  "$petstore" --port 0 --threads 2
if [ "$fields" = 1 ]; then
  start_cxx oasgen-fields env OASGEN_REQUEST_IDS=off OASGEN_HEALTH=off \
    "$build/bench/petstore-fields-server" --port 0 --threads 2
  servers+=(oasgen-fields)
fi
if [ "$features" = 1 ]; then
  # Each alone, configured as oasgen-all configures it.
  declare -A feature_env=(
    [ids]="OASGEN_REQUEST_IDS=on"
    [cors]="OASGEN_CORS_ORIGINS=https://app.example.com OASGEN_CORS_CREDENTIALS=on"
    [rate]="OASGEN_RATE_LIMIT=1000000000/1s"
    [metrics]="OASGEN_METRICS=on"
    [log]="OASGEN_ACCESS_LOG=/dev/null"
    [health]="OASGEN_HEALTH=on"
    [inflight]="OASGEN_MAX_IN_FLIGHT=100000"
  )
  for feature in ids cors rate metrics log health inflight; do
    # shellcheck disable=SC2086  # the variables are words
    start_cxx "oasgen-$feature" env OASGEN_REQUEST_IDS=off OASGEN_HEALTH=off ${feature_env[$feature]} \
      "$petstore" --port 0 --threads 2 --quiet
    servers+=("oasgen-$feature")
  done
fi
for name in "${servers[@]}"; do seed "$name"; done
if [ "$fastapi" = 1 ]; then
  port[fastapi]=$(free_port)
  BENCH_SEED=$seed_count "$python" -m uvicorn --app-dir "$here/server" fastapi_petstore:app \
    --host 127.0.0.1 --port "${port[fastapi]}" --workers 2 --loop uvloop --http httptools \
    --no-access-log --log-level warning >"$work/fastapi.out" 2>&1 &
  pids+=($!); pid_of[fastapi]=$!
  for _ in $(seq 100); do curl -s --max-time 2 -o /dev/null "http://127.0.0.1:${port[fastapi]}/pets/1" && break; sleep 0.1; done
  sleep 1  # both workers up
  servers+=(fastapi)
fi
for name in "${servers[@]}"; do check "$name"; done

results=$work/results
: >"$results"
clk=$(getconf CLK_TCK)
echo "server_bench: ${#servers[@]} servers, endpoints $endpoints, $rounds rounds of wrk -t$wrk_threads -c$connections -d$duration; load average $(cut -d' ' -f1-3 /proc/loadavg)"
# Every server gets the same requests, with the Origin field of a browser's cross-origin call:
# the bare servers ignore it, CORS answers it.
origin='Origin: https://app.example.com'
for round in $(seq "$rounds"); do
  for kind in ${endpoints//,/ }; do
    # Rotate the order each round so that no server always runs first.
    count=${#servers[@]}
    for i in $(seq 0 $((count - 1))); do
      name=${servers[$(((i + round) % count))]}
      before=$(cpu_ticks "${pid_of[$name]}")
      out=$(BENCH_KIND=$kind BENCH_TAG="r${round}${name}" timeout $((seconds + 30)) \
        wrk -t"$wrk_threads" -c"$connections" -d"$duration" --timeout 5s -H "$origin" \
        -s "$here/server/wrk.lua" "http://127.0.0.1:${port[$name]}")
      after=$(cpu_ticks "${pid_of[$name]}")
      line=$(grep '^RESULT' <<<"$out") || { echo "server_bench: wrk failed: $out" >&2; exit 1; }
      # requests=N duration_us=N p50_us=N p99_us=N status_errors=N socket_errors=N
      read -r requests duration_us p50_us p99_us status_errors socket_errors \
        <<<"$(sed 's/[a-z_0-9]*=//g' <<<"${line#RESULT }")"
      want_status_errors=0
      [ "$kind" = invalid ] && want_status_errors=$requests  # every answer must be the 422
      if [ "$status_errors" != "$want_status_errors" ] || [ "$socket_errors" != 0 ]; then
        echo "server_bench: $name $kind: $status_errors unexpected statuses, $socket_errors socket errors in $requests requests" >&2
      fi
      rps=$((requests * 1000000 / duration_us))
      cpu_ns=$(((after - before) * 1000000000 / clk / requests))
      echo "$round $kind $name $rps $p50_us $p99_us $cpu_ns" >>"$results"
      printf '  round %d %-8s %-10s %7d rps  p50 %6d us  p99 %6d us  cpu %6.1f us/req\n' \
        "$round" "$kind" "$name" "$rps" "$p50_us" "$p99_us" "$(awk -v v="$cpu_ns" 'BEGIN{print v/1000}')"
    done
  done
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v endpoints="$endpoints" -v has_fastapi="$fastapi" '
function median(list,    n, a, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
  key = $2 SUBSEP $3
  rps[key] = rps[key] " " $4; p50[key] = p50[key] " " $5; p99[key] = p99[key] " " $6; cpu[key] = cpu[key] " " $7
  value[$1, $2, $3] = $4
  cpuv[$1, $2, $3] = $7
  if ($1 > last) last = $1
}
END {
  split(endpoints, kinds, ",")
  printf "\n%-8s %-10s %9s %9s %9s %11s\n", "endpoint", "server", "rps", "p50 us", "p99 us", "cpu us/req"
  for (k = 1; k in kinds; k++) {
    n = split("baseline oasgen oasgen-all oasgen-fields oasgen-ids oasgen-cors oasgen-rate oasgen-metrics oasgen-log oasgen-health oasgen-inflight fastapi", names, " ")
    for (s = 1; s <= n; s++) {
      key = kinds[k] SUBSEP names[s]
      if (!(key in rps)) continue
      printf "%-8s %-10s %9d %9d %9d %11.1f\n", kinds[k], names[s], median(rps[key]), median(p50[key]), median(p99[key]), median(cpu[key]) / 1000
    }
  }
  printf "\nratios within a round, median over rounds (min-max)\n"
  # "oasgen/all-on cpu": CPU per request of the bare server over the all-on one, the share of its
  # throughput the all-on server keeps where both are bound by the processor.
  printf "%-8s %19s %19s %19s %19s %19s %19s %19s\n", "endpoint", "oasgen/baseline rps", "oasgen/baseline cpu", "oasgen/fastapi rps", "all-on/oasgen rps", "oasgen/all-on cpu", "fields/oasgen rps", "oasgen/fields cpu"
  for (k = 1; k in kinds; k++) {
    l1 = l2 = l3 = l4 = l5 = l6 = l7 = ""
    for (r = 1; r <= last; r++) {
      e = kinds[k]
      if ((r, e, "baseline") in value) { l1 = l1 " " value[r, e, "oasgen"] / value[r, e, "baseline"]; l2 = l2 " " cpuv[r, e, "oasgen"] / cpuv[r, e, "baseline"] }
      if ((r, e, "fastapi") in value) l3 = l3 " " value[r, e, "oasgen"] / value[r, e, "fastapi"]
      if ((r, e, "oasgen-all") in value) { l4 = l4 " " value[r, e, "oasgen-all"] / value[r, e, "oasgen"]; l5 = l5 " " cpuv[r, e, "oasgen"] / cpuv[r, e, "oasgen-all"] }
      if ((r, e, "oasgen-fields") in value) { l6 = l6 " " value[r, e, "oasgen-fields"] / value[r, e, "oasgen"]; l7 = l7 " " cpuv[r, e, "oasgen"] / cpuv[r, e, "oasgen-fields"] }
    }
    printf "%-8s %19s %19s %19s %19s %19s %19s %19s\n", kinds[k], span(l1), span(l2), span(l3), span(l4), span(l5), span(l6), span(l7)
  }
  if (!(1 SUBSEP kinds[1] SUBSEP "oasgen-ids" in value)) exit
  printf "\neach feature alone: CPU us per request added to the bare server and rps over the bare server, within a round, median over rounds\n"
  nf = split("ids cors rate metrics log health inflight all", features, " ")
  printf "%-8s", "endpoint"
  for (f = 1; f <= nf; f++) printf " %19s", features[f]
  printf "\n"
  for (k = 1; k in kinds; k++) {
    e = kinds[k]
    printf "%-8s", e
    for (f = 1; f <= nf; f++) {
      l1 = l2 = ""
      for (r = 1; r <= last; r++) {
        l1 = l1 " " (cpuv[r, e, "oasgen-" features[f]] - cpuv[r, e, "oasgen"]) / 1000
        l2 = l2 " " value[r, e, "oasgen-" features[f]] / value[r, e, "oasgen"]
      }
      printf " %+7.2f us %4.2f rps", median(l1), median(l2)
    }
    printf "\n"
  }
}
function span(list,    n, a, i, lo, hi) {
  if (list == "") return "-"
  n = split(list, a, " "); lo = hi = a[1]
  for (i = 2; i <= n; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
  return sprintf("%.2f (%.2f-%.2f)", median(list), lo, hi)
}' "$results"
