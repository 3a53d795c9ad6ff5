#!/usr/bin/env bash
# skip.sh decides skip (77) or failure (1): outside CI a missing input skips, under CI=true it
# fails; an npm failure skips only when the registry is unreachable. With a doctest executable
# that skips (tests/support/skip_doctest_selftest.cpp), the same through tests/doctest_main.cpp.
set -uo pipefail
here=$(dirname "$0")
# shellcheck source=expect_exit.sh
source "$here/expect_exit.sh"
skip=$here/skip.sh
expect 77 "a missing input skips" -- env -u CI "$skip" t "no input"
expect 1 "a missing input fails under CI=true" -- env CI=true "$skip" t "no input"
expect 77 "npm failing with the registry unreachable skips" -- env -u CI OASGEN_NPM_PING=false "$skip" --npm t "no npm"
expect 77 "... under CI=true too" -- env CI=true OASGEN_NPM_PING=false "$skip" --npm t "no npm"
expect 1 "npm failing with the registry reachable fails" -- env -u CI OASGEN_NPM_PING=true "$skip" --npm t "no npm"
if (($# == 1)); then  # a doctest executable (skip_doctest_selftest) whose case calls skip()
  expect 77 "a doctest case without its input skips" -- env -u CI "$1"
  expect 1 "... and fails under CI=true" -- env CI=true "$1"
  expect 1 "a failed check wins over a skip" -- env -u CI "$1" --no-skip
fi
finish
