#!/bin/sh
# oasgen diff on the command line: exit codes (0, 1 at --fail-on, 2 on a load error), the text and
# JSON formats, and load errors printed compiler-style.
set -eu
oasgen=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/old.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      parameters: [{name: limit, in: query, schema: {type: integer}}]
      responses: {'200': {description: ok}}
YAML
sed 's/operationId: listPets/operationId: listPets\n      deprecated: true/' "$work/old.yaml" > "$work/deprecated.yaml"
sed 's/in: query,/in: query, required: true,/' "$work/old.yaml" > "$work/required.yaml"
printf 'openapi: 3.0.3\npaths: [\n' > "$work/broken.yaml"

fail() { echo "FAIL: $*"; exit 1; }

"$oasgen" diff "$work/old.yaml" "$work/old.yaml" > "$work/out" || fail "unchanged: exit $?"
grep -qx "0 errors, 0 warnings, 0 info" "$work/out" || fail "unchanged: summary"

"$oasgen" diff "$work/old.yaml" "$work/deprecated.yaml" > "$work/out" || fail "info only: exit $?"
grep -q "info\[operation-deprecated\]" "$work/out" || fail "info only: finding"
set +e
"$oasgen" diff --fail-on info "$work/old.yaml" "$work/deprecated.yaml" > /dev/null; rc=$?
set -e
[ "$rc" = 1 ] || fail "--fail-on info: exit $rc"

set +e
"$oasgen" diff "$work/old.yaml" "$work/required.yaml" > "$work/out"; rc=$?
set -e
[ "$rc" = 1 ] || fail "breaking: exit $rc"
grep -qx "GET /pets" "$work/out" || fail "breaking: group"
grep -q "required.yaml:7:.*error\[request-parameter-became-required\]" "$work/out" || fail "breaking: finding"
grep -q "error\[member-became-required\].*\[api::ListPetsRequest::limit in include/api/api.hpp\]" "$work/out" \
  || fail "breaking: source finding"

set +e
"$oasgen" diff --wire-only --format json "$work/old.yaml" "$work/required.yaml" > "$work/out"; rc=$?
set -e
[ "$rc" = 1 ] || fail "json: exit $rc"
grep -q '"id": "request-parameter-became-required"' "$work/out" || fail "json: id"
grep -q '"error": 1' "$work/out" || fail "json: summary"

set +e
"$oasgen" diff "$work/old.yaml" "$work/broken.yaml" > /dev/null 2> "$work/err"; rc=$?
set -e
[ "$rc" = 2 ] || fail "load error: exit $rc"
grep -q "broken.yaml:[0-9]*:[0-9]*: error\[" "$work/err" || fail "load error: compiler-style"

set +e
"$oasgen" diff "$work/missing.yaml" "$work/old.yaml" > /dev/null 2>&1; rc=$?
set -e
[ "$rc" = 2 ] || fail "missing file: exit $rc"

"$oasgen" diff --help | grep -q -- "--fail-on" || fail "--help"
echo "diff_cli_test: ok"
