#!/usr/bin/env bash
# ajv_test.sh must not pass by accident: without the corpus it skips (and fails under CI=true);
# with no documents, or with a driver that crashes or judges fewer instances than it was given,
# it fails. The same script with the real driver passes on tests/ajv/selftest/tiny.yaml.
#
#   ajv_selftest.sh VALIDATOR_REGISTRY TOOLCHAIN_FILE BROKEN_DRIVER_LIB WORK_DIR SOURCE_DIR NPM_PREFIX
set -uo pipefail
registry=$1 toolchain=$2 broken=$3 work=$4 here=$5
export AJV_NPM_PREFIX=$6
# shellcheck source=../support/expect_exit.sh
source "$here/../support/expect_exit.sh"
script=$here/ajv_test.sh
command -v node >/dev/null && command -v npm >/dev/null ||
  exec "$here/../support/skip.sh" ajv_selftest "node and npm are not installed"
rm -rf "$work"
mkdir -p "$work/empty"

expect 77 "no corpus: skipped" -- env -u CI "$script" "$registry" "$toolchain" "$work/none" "$work/a" "$here"
expect 1 "no corpus under CI=true: failed" -- env CI=true "$script" "$registry" "$toolchain" "$work/none" "$work/a" "$here"
expect 1 "a corpus without documents fails" -- "$script" "$registry" "$toolchain" "$work/empty" "$work/b" "$here"
expect 0 "the real driver on tiny.yaml passes" -- "$script" "$registry" "$toolchain" "$here/selftest" "$work/c" "$here"
# The same toolchain, with the broken driver linked in place of the real one.
# shellcheck source=/dev/null
source "$toolchain"
read -r _ rest <<<"$LIBS"
printf "CXX='%s'\nINCLUDES='%s'\nLIBS='%s %s'\n" "$CXX" "$INCLUDES" "$broken" "$rest" >"$work/broken.sh"
expect 1 "a driver that crashes fails" -- env AJV_BROKEN_MODE=crash "$script" "$registry" "$work/broken.sh" "$here/selftest" "$work/d" "$here"
expect 1 "a driver that judges one instance of many fails" -- env AJV_BROKEN_MODE=short "$script" "$registry" "$work/broken.sh" "$here/selftest" "$work/e" "$here"
finish
