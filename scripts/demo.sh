#!/usr/bin/env bash
# A short tour of the example petstore server: starts it on an ephemeral port, sends a few requests
# with curl and prints each request and response. Exits 1 when an answer is not the one expected.
#
#   scripts/demo.sh [BUILD_DIR]     (default: build; PETSTORE_SERVER=<path> names the binary)
set -euo pipefail
. "$(dirname "$0")/demo_lib.sh"

demo_start demo "${PETSTORE_SERVER:-${1:-build}/examples/petstore/petstore-server}" OASGEN_ACCESS_LOG=off
echo "petstore-server is listening on ${base_url}"

request POST /pets '{"name": "Rex", "status": "available", "category": {"name": "Dogs"}, "tags": ["good"]}'
expect 201 '"name":"Rex"'
request POST /pets '{"name": "Tom", "status": "pending", "category": {"name": "Cats"}, "weightKg": 4.5}'
expect 201
request GET '/pets?limit=10'
expect 200 'X-Total-Count: 2'
request GET /pets/1
expect 200 '"id":1'
echo
echo "# A body that breaks several constraints: every violation is listed (422)."
request POST /pets '{"name": "", "status": "lost", "category": {"name": "Birds"}, "weightKg": -1}'
expect 422 '"pointer":"/status"'
echo
echo "# A pet that does not exist (404)."
request GET /pets/99
expect 404
