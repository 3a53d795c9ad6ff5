#!/usr/bin/env bash
# A short tour of the catalog service on SQLite: starts it on an ephemeral port with a database in
# a temporary folder, logs in, creates products, lists a page, reads one conditionally, and orders
# with an Idempotency-Key (twice: the retry is replayed). Exits 1 when an answer is not the one
# expected, so that it doubles as a smoke test of catalog-server (ctest: catalog_demo).
#
#   scripts/catalog_demo.sh [BUILD_DIR]     (default: build; CATALOG_SERVER=<path> names the binary)
set -euo pipefail

. "$(dirname "$0")/demo_lib.sh"

# A demo administrator and secret; a real deployment takes them from its secret store.
demo_start "catalog demo" "${CATALOG_SERVER:-${1:-build}/examples/catalog/catalog-server}" \
  DATABASE_URL="${work_dir}/catalog.sqlite" \
  CATALOG_SECRET="demo-secret-demo-secret-demo-secret-0001" \
  CATALOG_ADMIN_EMAIL=admin@example.com CATALOG_ADMIN_PASSWORD=demo-admin-password \
  OASGEN_ACCESS_LOG=off
echo
echo "catalog-server is listening on ${base_url} ($(head -1 "${work_dir}/stdout"))"

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
