# What scripts/demo.sh and scripts/catalog_demo.sh share (source it): start a server on an
# ephemeral port, show requests and their responses, check answers.
#
#   demo_start NAME BINARY [ENV=VALUE...]   sets work_dir, server_pid and base_url; stops the
#                                           server and removes work_dir on exit
#   request METHOD PATH [JSON_BODY] [HEADER...]
#                                           prints the exchange; the response (headers and body)
#                                           also goes to ${work_dir}/last
#   header_of NAME                          a header of the last response
#   expect STATUS [TEXT]                    the last response had STATUS (and contains TEXT)

demo_name=demo
work_dir=$(mktemp -d)
server_pid=""
base_url=""

demo_stop() {
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
trap demo_stop EXIT

demo_start() {
  demo_name=$1
  local binary=$2
  shift 2
  if [[ ! -x "${binary}" ]]; then
    echo "${demo_name}: ${binary} not found; build it with: cmake --build <build dir> --target $(basename "${binary}")" >&2
    exit 1
  fi
  env "$@" "${binary}" --port 0 >"${work_dir}/stdout" 2>"${work_dir}/stderr" &
  server_pid=$!
  # The server prints "listening on http://127.0.0.1:<port>" once it accepts connections.
  for _ in $(seq 100); do
    if line=$(grep -m1 '^listening on http://' "${work_dir}/stdout"); then
      base_url=${line#listening on }
      return 0
    fi
    if ! kill -0 "${server_pid}" 2>/dev/null; then
      echo "${demo_name}: $(basename "${binary}") exited before it was ready:" >&2
      cat "${work_dir}/stderr" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "${demo_name}: $(basename "${binary}") did not report its port within 10 s" >&2
  exit 1
}

request() {
  local method=$1 path=$2 body=${3:-}
  shift $(($# < 3 ? $# : 3))
  local args=(--silent --show-error --include --request "${method}")
  echo
  echo "──── ${method} ${path}"
  for header in "$@"; do
    if [[ ${header} == "Authorization: Bearer "* ]]; then
      echo "Authorization: Bearer ${header:22:20}... (the token from the login)"
    else
      echo "${header}"
    fi
    args+=(--header "${header}")
  done
  if [[ -n "${body}" ]]; then
    echo "Content-Type: application/json"
    echo
    echo "${body}"
    args+=(--header "Content-Type: application/json" --data-binary "${body}")
  fi
  echo "────"
  curl "${args[@]}" "${base_url}${path}" | tr -d '\r' >"${work_dir}/last"
  cat "${work_dir}/last"
  echo
}

header_of() { sed -n "s/^$1: //Ip" "${work_dir}/last" | head -1; }

expect() {
  local status
  status=$(head -1 "${work_dir}/last" | cut -d' ' -f2)
  if [[ ${status} != "$1" ]] || ! grep -qF -- "${2:-HTTP/1.1}" "${work_dir}/last"; then
    echo "${demo_name}: expected $1${2:+ with $2}, got ${status}" >&2
    exit 1
  fi
}
