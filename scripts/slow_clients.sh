#!/usr/bin/env bash
# Slow clients (Debian slowhttptest) against the petstore server, while a normal client keeps asking
# GET /pets?limit=5 every 0.2 s on fresh connections: slow headers (Slowloris), slow body (R-U-Dead-
# Yet) and slow read, one after the other, with the server's default limits (OASGEN_READ_TIMEOUT_MS
# 30 s, no connection limit). Prints, per mode, slowhttptest's verdict and the normal client's
# requests, failures and latency (median, 99th percentile, max). Not in CI: minutes long.
# Usage: scripts/slow_clients.sh PETSTORE_SERVER [seconds per mode (60)] [connections (1000)]
set -euo pipefail
server=${1:?usage: slow_clients.sh PETSTORE_SERVER [seconds] [connections]}
seconds=${2:-60}
connections=${3:-1000}
command -v slowhttptest >/dev/null || { echo "slow_clients: needs slowhttptest (apt-get install slowhttptest)"; exit 1; }
ulimit -n "$(ulimit -Hn)"  # the hard limit: slowhttptest and the server each hold every connection
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
OASGEN_ACCESS_LOG=off "$server" --port 0 --quiet >"$work/server.out" 2>&1 &
pid=$!
for _ in $(seq 50); do
  grep -q listening "$work/server.out" 2>/dev/null && break
  sleep 0.1
done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/server.out" | head -1)
url=http://127.0.0.1:$port/pets

probe() {  # the normal client: status and seconds per request, until $work/stop exists
  while [[ ! -e $work/stop ]]; do
    curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}\n' "$url?limit=5" || echo "000 10"
    sleep 0.2
  done
}

for mode in ${OASGEN_SLOW_MODES:-H B X}; do
  rm -f "$work/stop"
  probe >"$work/probe-$mode" &
  probe_pid=$!
  case $mode in
    H) args=(-H -c "$connections" -r 200 -i 10 -l "$seconds" -u "$url") ;;
    B) args=(-B -c "$connections" -r 200 -i 10 -s 8192 -t POST -l "$seconds" -u "$url") ;;
    X) args=(-X -c "$connections" -r 200 -l "$seconds" -k 10 -n 5 -w 512 -y 1024 -z 32 -u "$url?limit=100") ;;
  esac
  slowhttptest "${args[@]}" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >"$work/slow-$mode" || true
  touch "$work/stop"
  wait "$probe_pid"
  verdict=$(grep -o 'service available: *[A-Z]*' "$work/slow-$mode" | tail -1 || true)
  closed=$(grep -oE 'closed: *[0-9]+' "$work/slow-$mode" | tail -1 || true)
  pending=$(grep -oE 'pending: *[0-9]+' "$work/slow-$mode" | tail -1 || true)
  connected=$(grep -oE 'connected: *[0-9]+' "$work/slow-$mode" | tail -1 || true)
  sort -k2 -n "$work/probe-$mode" | awk -v mode="$mode" -v v="$verdict" -v c="$connected" \
    -v p="$pending" -v cl="$closed" '
    { n++; t[n] = $2; if ($1 != "200") bad++ }
    END {
      p99 = int(n * 0.99); if (p99 < 1) p99 = 1
      printf "slow %s: slowhttptest: %s, at the end %s, %s, %s; normal client: %d requests, %d not 200, median %.1f ms, p99 %.1f ms, max %.1f ms\n",
        mode, v, c, p, cl, n, bad + 0, 1000 * t[int((n + 1) / 2)], 1000 * t[p99], 1000 * t[n]
    }'
done
kill -0 "$pid" && echo "slow_clients: the server is still up"
if [[ -n ${OASGEN_SLOW_KEEP:-} ]]; then cp "$work"/slow-* "$OASGEN_SLOW_KEEP"/; fi
