#!/usr/bin/env bash
# prism_test.sh must not pass by accident: fake drivers against a real Prism on a one-operation
# spec. A driver that exits non-zero, calls nothing, or calls another path than the one its
# operation declares fails it; a driver that makes the call right passes.
#
#   prism_selftest.sh NPM_PREFIX
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../support/expect_exit.sh
source "$here/../support/expect_exit.sh"
prefix=$1
command -v node >/dev/null && command -v npm >/dev/null ||
  exec "$here/../support/skip.sh" prism_selftest "node and npm are not installed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'get_thing\tGET\t/things/{id}\tcall\n' >"$work/operations"
driver() {  # driver NAME TARGET EXIT: calls TARGET, says get_thing was ok
  printf '#!/bin/sh\ncurl -s -o /dev/null "$1%s"\necho "get_thing: ok"\necho "1 calls, 0 failed, 0 invalid responses, 0 skipped"\nexit %s\n' \
    "$2" "$3" >"$work/$1"
  chmod +x "$work/$1"
}
driver good /things/7 0
driver crashing /things/7 1
driver elsewhere /stuff/7 0
printf '#!/bin/sh\necho "0 calls, 0 failed, 0 invalid responses, 0 skipped"\n' >"$work/idle"
chmod +x "$work/idle"

run() { "$here/prism_test.sh" "$prefix" "$here/prism_selftest" "things.yaml=$work/$1=$work/operations=/things/x"; }
# The first run installs Prism if needed; it must pass, or there is no installed Prism to test with.
expect 0 "a driver that makes the call passes" -- run good
expect 1 "a driver that exits non-zero fails" -- run crashing
expect 1 "a driver that calls nothing fails" -- run idle
expect 1 "a driver that calls another path fails" -- run elsewhere
finish
