#!/usr/bin/env bash
# oasgen starts itself again, once, with glibc's huge pages for malloc (support/allocator.hpp):
# watched from outside with strace, which shows each execve with its environment.
# Usage: huge_pages_test.sh <oasgen> <tests/support>
set -uo pipefail
oasgen=$1
support=$2
command -v strace >/dev/null || exec "$support/skip.sh" huge_pages_test "strace is not installed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Runs `oasgen --version` under strace with the given GLIBC_TUNABLES ("-" for unset) and sets
# `got` to the programs it executed and the GLIBC_TUNABLES of their environments.
execs() {
  local env=(env -u GLIBC_TUNABLES)
  [[ $1 != - ]] && env=(env "GLIBC_TUNABLES=$1")
  "${env[@]}" strace -f -v -s 256 -e trace=execve -o "$work/trace" "$oasgen" --version >"$work/out" ||
    fail "oasgen --version failed under GLIBC_TUNABLES=$1"
  grep -qx 'oasgen 0.1.0' "$work/out" || fail "no version printed under GLIBC_TUNABLES=$1"
  got="$(grep -E 'execve\(' "$work/trace" | grep -v ENOENT |
    sed -E 's/^[0-9 ]*execve\("([^"]*)".*/\1/' | tr '\n' ' ')"
  got+="$(grep -oE '"GLIBC_TUNABLES=[^"]*"' "$work/trace" | tr '\n' ' ')"
}

execs -
grep -q '/proc/self/exe' <<<"$got" || fail "unset: not started again: $got"
grep -qF '"GLIBC_TUNABLES=glibc.malloc.hugetlb=1"' <<<"$got" || fail "unset: tunable not set: $got"

execs glibc.malloc.arena_max=2
grep -qF '"GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"' <<<"$got" ||
  fail "other tunables are kept and the setting added after them: $got"

execs glibc.malloc.hugetlb=0
if grep -q '/proc/self/exe' <<<"$got"; then fail "hugetlb=0 given: started again anyway: $got"; fi

if [ "$failures" -ne 0 ]; then
  echo "huge_pages_test: $failures failure(s)"
  exit 1
fi
echo "huge_pages_test: all checks passed"
