#!/usr/bin/env bash
# A short tour of the catalog service on SQLite: starts it on an ephemeral port with a database in
# a temporary folder, logs in, creates products, lists a page, reads one conditionally, and orders
# with an Idempotency-Key (twice: the retry is replayed). Exits 1 when an answer is not the one
# expected, so that it doubles as a smoke test of catalog-server (ctest: catalog_demo).
#
#   scripts/catalog_demo.sh [BUILD_DIR]     (default: build; CATALOG_SERVER=<path> names the binary)
set -euo pipefail

build_dir=${1:-build}
server="${CATALOG_SERVER:-${build_dir}/examples/catalog/catalog-server}"
if [[ ! -x "${server}" ]]; then
  echo "catalog demo: ${server} not found; build it with: cmake --build ${build_dir} --target catalog-server" >&2
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

# A demo administrator and secret; a real deployment takes them from its secret store.
DATABASE_URL="${work_dir}/catalog.sqlite" \
CATALOG_SECRET="demo-secret-demo-secret-demo-secret-0001" \
CATALOG_ADMIN_EMAIL=admin@example.com CATALOG_ADMIN_PASSWORD=demo-admin-password \
OASGEN_ACCESS_LOG=off \
  "${server}" --port 0 >"${work_dir}/stdout" 2>"${work_dir}/stderr" &
server_pid=$!

base_url=""
for _ in $(seq 100); do
  if line=$(grep -m1 '^listening on http://' "${work_dir}/stdout"); then
    base_url=${line#listening on }
    break
  fi
  if ! kill -0 "${server_pid}" 2>/dev/null; then
    echo "catalog demo: catalog-server exited before it was ready:" >&2
    cat "${work_dir}/stderr" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z "${base_url}" ]]; then
  echo "catalog demo: catalog-server did not report its port within 10 s" >&2
  exit 1
fi
echo
echo "catalog-server is listening on ${base_url} ($(head -1 "${work_dir}/stdout"))"

# request METHOD PATH [JSON_BODY] [HEADER...]: prints the exchange; the response also goes to
# ${work_dir}/last (headers and body).
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
# expect STATUS [TEXT]: the last response had this status (and contains TEXT).
expect() {
  local status
  status=$(head -1 "${work_dir}/last" | cut -d' ' -f2)
  if [[ ${status} != "$1" ]] || ! grep -qF -- "${2:-HTTP/1.1}" "${work_dir}/last"; then
    echo "catalog demo: expected $1${2:+ with $2}, got ${status}" >&2
    exit 1
  fi
}

echo
echo "# Log in: an HS256 access token with the admin scope."
request POST /v2/auth/login '{"email": "admin@example.com", "password": "demo-admin-password"}'
expect 200 '"scope":"admin"'
token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "${work_dir}/last")
auth="Authorization: Bearer ${token}"

echo "# Create products (admin only)."
request POST /v2/products '{"sku": "BOOK-1", "name": "The C++ Book", "category": "books", "price_cents": 4500, "stock": 10}' "${auth}"
expect 201 'ETag: "v1"'
request POST /v2/products '{"sku": "RAKE-1", "name": "Rake", "category": "garden", "price_cents": 2500, "stock": 3}' "${auth}"
request POST /v2/products '{"sku": "DRILL-1", "name": "Drill", "category": "tools", "price_cents": 8900, "stock": 5}' "${auth}"
expect 201

echo "# A page of two: the Link header (and next_cursor) lead to the next page."
request GET '/v2/products?limit=2'
expect 200 'rel="next"'
next=$(header_of Link | sed -n 's/^<\([^>]*\)>.*/\1/p')
request GET "${next}"
expect 200 '"sku":"DRILL-1"'

echo "# A product with its ETag; sent back in If-None-Match, the answer is 304 Not Modified."
request GET /v2/products/1
etag=$(header_of ETag)
request GET /v2/products/1 "" "If-None-Match: ${etag}"
expect 304

echo "# An order with an Idempotency-Key; the retry replays the first answer (Idempotent-Replayed)."
request POST /v2/orders '{"lines": [{"product_id": 2, "quantity": 1}]}' "${auth}" 'Idempotency-Key: "demo-order-1"'
request POST /v2/orders '{"lines": [{"product_id": 2, "quantity": 1}]}' "${auth}" 'Idempotency-Key: "demo-order-1"'
expect 201 'Idempotent-Replayed: true'
