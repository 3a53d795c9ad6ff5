#!/usr/bin/env bash
# jsts_test.sh must not pass by accident: without the suite it skips (and fails under CI=true);
# a runner that crashes, finds no cases, or accounts for fewer instances than the suite's files
# hold fails it. Fake suites and runners; with JSTS_TEST (the real runner), also an empty
# cases file.
#
#   jsts_selftest.sh [JSTS_TEST]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../support/expect_exit.sh
source "$here/../support/expect_exit.sh"
wrapper=$here/jsts_test.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/suite/draft7" "$tmp/own"
# Two groups, three instances.
cat >"$tmp/suite/draft7/type.json" <<'JSON'
[{"description": "a", "schema": {"type": "integer"},
  "tests": [{"description": "x", "data": 1, "valid": true}, {"description": "y", "data": "1", "valid": false}]},
 {"description": "b", "schema": {}, "tests": [{"description": "z", "data": null, "valid": true}]}]
JSON
runner() {  # a fake jsts_test: prints LINE, exits CODE
  printf '#!/bin/sh\nprintf "%%s\\n" "%s"\nexit %s\n' "$1" "$2" >"$tmp/runner"
  chmod +x "$tmp/runner"
}

expect 77 "no suite: skipped" -- env -u CI "$wrapper" "$tmp/none" "$tmp/own"
expect 1 "no suite under CI=true: failed" -- env CI=true "$wrapper" "$tmp/none" "$tmp/own"
runner "jsts: 3 passed, 0 failed, 0 skipped" 0
expect 0 "a runner that accounts for every instance passes" -- "$wrapper" "$tmp/suite" "$tmp/own" "$tmp/runner" draft7 cases.json
runner "jsts: 3 passed, 0 failed, 0 skipped" 134
expect 1 "a runner that crashes fails" -- "$wrapper" "$tmp/suite" "$tmp/own" "$tmp/runner" draft7 cases.json
runner "jsts: 0 passed, 0 failed, 0 skipped" 0
expect 1 "a runner with no cases fails" -- "$wrapper" "$tmp/suite" "$tmp/own" "$tmp/runner" draft7 cases.json
runner "jsts: 2 passed, 0 failed, 0 skipped" 0
expect 1 "a runner that misses an instance fails" -- "$wrapper" "$tmp/suite" "$tmp/own" "$tmp/runner" draft7 cases.json
runner "jsts: 1 passed, 0 failed, 2 skipped" 0
expect 1 "a runner that skips most instances fails" -- "$wrapper" "$tmp/suite" "$tmp/own" "$tmp/runner" draft7 cases.json
runner "progress: 3 passed" 0
expect 1 "a runner without a summary fails" -- "$wrapper" "$tmp/suite" "$tmp/own" "$tmp/runner" draft7 cases.json
if (($# == 1)) && [[ -x $1 ]]; then
  echo '[]' >"$tmp/empty.json"
  expect 1 "the real runner on an empty cases file fails" -- "$wrapper" "$tmp/suite" "$tmp/own" "$1" draft7 "$tmp/empty.json"
fi
finish
