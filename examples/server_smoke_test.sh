#!/usr/bin/env bash
# Starts a server on an ephemeral port of 127.0.0.1, sends one request and checks the status line
# and that the body contains a string, then stops the server with SIGTERM and expects a clean exit.
# The server prints "listening on http://127.0.0.1:<port>" once it accepts connections.
#
#   server_smoke_test.sh SERVER METHOD PATH STATUS BODY_SUBSTRING [BODY]
set -euo pipefail
server=$1 method=$2 path=$3 status=$4 expected=$5 body=${6:-}

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n "${server_pid}" ]] && kill -0 "${server_pid}" 2>/dev/null; then
    kill -KILL "${server_pid}" 2>/dev/null || true
    wait "${server_pid}" 2>/dev/null || true
  fi
  rm -rf "${work}"
}
trap cleanup EXIT

"${server}" --port 0 >"${work}/stdout" 2>"${work}/stderr" &
server_pid=$!
port=""
for _ in $(seq 100); do
  if line=$(grep -m1 '^listening on http://127.0.0.1:' "${work}/stdout"); then
    port=${line##*:}
    break
  fi
  kill -0 "${server_pid}" 2>/dev/null || { echo "smoke: the server exited early"; cat "${work}/stderr"; exit 1; }
  sleep 0.1
done
[[ -n "${port}" ]] || { echo "smoke: the server did not report its port within 10 s"; exit 1; }

# One request over bash's /dev/tcp: no HTTP client needed.
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
  "${method}" "${path}" "${#body}" "${body}" >&3
timeout 10 cat <&3 >"${work}/response" || { echo "smoke: no complete response within 10 s"; exit 1; }
exec 3<&-

status_line=$(head -n1 "${work}/response" | tr -d '\r')
echo "smoke: ${method} ${path} -> ${status_line}"
[[ "${status_line}" == "HTTP/1.1 ${status} "* ]] || { echo "smoke: expected status ${status}"; cat "${work}/response"; exit 1; }
grep -qF -- "${expected}" "${work}/response" || { echo "smoke: the response lacks '${expected}'"; cat "${work}/response"; exit 1; }

kill -TERM "${server_pid}"
for _ in $(seq 100); do
  kill -0 "${server_pid}" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "${server_pid}" 2>/dev/null; then echo "smoke: the server did not stop within 10 s"; exit 1; fi
wait "${server_pid}" || { echo "smoke: the server exited with status $?"; exit 1; }
server_pid=""
echo "smoke: passed"
