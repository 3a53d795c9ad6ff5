#!/usr/bin/env bash
# `oasgen init` end to end, as a new user runs it: a project from the starter spec, built against
# the installed oasgen (PREFIX), its own test run, the server started and called through the
# generated client; then an operation added to the spec, which `oasgen stubs --check` names.
#
#   init_test.sh PREFIX WORK     (WORK is emptied first and kept afterwards)
set -euo pipefail
prefix=$1
work=$2
oasgen=$prefix/bin/oasgen
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
rm -rf "$work"
mkdir -p "$work"
project=$work/shelter
server_pid=
cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

"$oasgen" init "$project" >"$work/init.out"
cat "$work/init.out"
for file in CMakeLists.txt openapi.yaml main.cpp handler.hpp test.cpp README.md .gitignore; do
  [ -f "$project/$file" ] || fail "init did not write $file"
done
grep -q "cmake -S $project -B $project/build -DCMAKE_PREFIX_PATH=$prefix" "$work/init.out" \
  || fail "init did not print the commands that build the project"

# A folder that is not empty is refused, and nothing in it changes.
before=$(cd "$project" && sha256sum CMakeLists.txt handler.hpp)
if "$oasgen" init "$project" 2>"$work/again.err"; then fail "init wrote into a non-empty folder"; fi
grep -qF "oasgen: error: cannot create a project in '$project': it is not empty" "$work/again.err" \
  || { cat "$work/again.err"; fail "init's refusal"; }
[ "$before" = "$(cd "$project" && sha256sum CMakeLists.txt handler.hpp)" ] || fail "init changed files"

# The two commands of the README (Debug: the quickest build).
cmake -S "$project" -B "$project/build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Debug >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
cmake --build "$project/build" -j 2 >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
ctest --test-dir "$project/build" --output-on-failure --timeout 60 || fail "the project's own test"

# The server, configured from the environment, on a free port; called through the client.
OASGEN_PORT=0 OASGEN_ACCESS_LOG=off "$project/build/shelter" >"$work/server.out" 2>&1 &
server_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$work/server.out")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/server.out"; fail "the server did not start"; }
if [ -n "$url" ]; then
  "$project/build/shelter_test" "$url" >"$work/client.out" 2>&1 || fail "the client's call"
  cat "$work/client.out"
  grep -qx 'list_greetings: 501, not implemented yet' "$work/client.out" \
    || fail "the stub did not answer 501 through the client"
  kill -TERM "$server_pid"
  wait "$server_pid" || fail "the server did not drain and exit cleanly on SIGTERM"
  server_pid=
fi

# The handler still follows the spec; then the spec gains an operation.
(cd "$project" && "$oasgen" stubs openapi.yaml --check handler.hpp --namespace shelter) 2>"$work/check.err" \
  || { cat "$work/check.err"; fail "stubs --check on the fresh project"; }
python3 - "$project/openapi.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
added = """  /greetings/{id}:
    get:
      operationId: getGreeting
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
      responses:
        "200": {description: The greeting}
"""
open(path, "w").write(text.replace("paths:\n", "paths:\n" + added, 1))
PY
if (cd "$project" && "$oasgen" stubs openapi.yaml --check handler.hpp --namespace shelter) 2>"$work/check.err"; then
  fail "stubs --check accepted a handler without the new operation"
fi
cat "$work/check.err"
grep -qE "^openapi.yaml:[0-9]+:[0-9]+: error\[stub-missing\]: operation GET /greetings/\{id\} is not implemented in handler.hpp: add shelter::GetGreetingResult get_greeting\(" \
  "$work/check.err" || fail "stubs --check did not name the new operation"

# stubs never overwrites the handler.
sum=$(sha256sum "$project/handler.hpp")
if (cd "$project" && "$oasgen" stubs openapi.yaml -o handler.hpp --namespace shelter) 2>"$work/stubs.err"; then
  fail "stubs overwrote handler.hpp"
fi
grep -q "'handler.hpp' exists: stubs writes a handler skeleton once and never overwrites it" "$work/stubs.err" \
  || { cat "$work/stubs.err"; fail "stubs' refusal"; }
[ "$sum" = "$(sha256sum "$project/handler.hpp")" ] || fail "handler.hpp changed"

if [ "$failures" -ne 0 ]; then
  echo "init: $failures failure(s)"
  exit 1
fi
echo "init: all checks passed"
