#!/usr/bin/env bash
# A short tour of the example petstore server: starts it on an ephemeral port, sends a few requests
# with curl and prints each request and response.
#
#   scripts/demo.sh [BUILD_DIR]     (default: build)
set -euo pipefail

build_dir=${1:-build}
server="${build_dir}/examples/petstore/petstore-server"
if [[ ! -x "${server}" ]]; then
  echo "demo: ${server} not found; build it with: cmake --build ${build_dir} --target petstore-server" >&2
  exit 1
fi

work_dir=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n "${server_pid}" ]] && kill -0 "${server_pid}" 2>/dev/null; then
    kill -TERM "${server_pid}" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "${server_pid}" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "${server_pid}" 2>/dev/null || true
    wait "${server_pid}" 2>/dev/null || true
  fi
  rm -rf "${work_dir}"
}
trap cleanup EXIT

"${server}" --port 0 >"${work_dir}/stdout" &
server_pid=$!

# The server prints one line, "listening on http://127.0.0.1:<port>", once it accepts connections.
base_url=""
for _ in $(seq 100); do
  if line=$(grep -m1 '^listening on http://' "${work_dir}/stdout"); then
    base_url=${line#listening on }
    break
  fi
  if ! kill -0 "${server_pid}" 2>/dev/null; then
    echo "demo: petstore-server exited before it was ready" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z "${base_url}" ]]; then
  echo "demo: petstore-server did not report its port within 10 s" >&2
  exit 1
fi
echo "petstore-server is listening on ${base_url}"

# request METHOD PATH [JSON_BODY]: prints the request, then the response's status line, headers
# and body.
request() {
  local method=$1 path=$2 body=${3:-}
  local args=(--silent --show-error --include --request "${method}")
  echo
  echo "──── ${method} ${path}"
  if [[ -n "${body}" ]]; then
    echo "Content-Type: application/json"
    echo
    echo "${body}"
    args+=(--header "Content-Type: application/json" --data-binary "${body}")
  fi
  echo "────"
  curl "${args[@]}" "${base_url}${path}" | tr -d '\r'
  echo
}

request POST /pets '{"name": "Rex", "status": "available", "category": {"name": "Dogs"}, "tags": ["good"]}'
request POST /pets '{"name": "Tom", "status": "pending", "category": {"name": "Cats"}, "weightKg": 4.5}'
request GET '/pets?limit=10'
request GET /pets/1
echo
echo "# A body that breaks several constraints: every violation is listed (422)."
request POST /pets '{"name": "", "status": "lost", "category": {"name": "Birds"}, "weightKg": -1}'
echo
echo "# A pet that does not exist (404)."
request GET /pets/99
