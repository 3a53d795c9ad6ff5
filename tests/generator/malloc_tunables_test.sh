#!/usr/bin/env bash
# oasgen starts itself again, once, with glibc's malloc tuned (support/allocator.hpp): huge pages,
# and freed memory kept. Watched from outside with strace, which shows each execve with its
# environment.
# Usage: malloc_tunables_test.sh <oasgen> <tests/support>
set -uo pipefail
oasgen=$1
support=$2
command -v strace >/dev/null || exec "$support/skip.sh" malloc_tunables_test "strace is not installed"
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

tuned=glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=33554432

execs -
grep -q '/proc/self/exe' <<<"$got" || fail "unset: not started again: $got"
grep -qF "\"GLIBC_TUNABLES=$tuned\"" <<<"$got" || fail "unset: tunables not set: $got"
[ "$(grep -o '/proc/self/exe' <<<"$got" | wc -l)" -eq 1 ] || fail "started again more than once: $got"

execs glibc.malloc.arena_max=2
grep -qF "\"GLIBC_TUNABLES=glibc.malloc.arena_max=2:$tuned\"" <<<"$got" ||
  fail "other tunables are kept and the settings added after them: $got"

execs glibc.malloc.trim_threshold=4096
grep -qF '"GLIBC_TUNABLES=glibc.malloc.trim_threshold=4096:glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432"' <<<"$got" ||
  fail "a tunable given is left as given: $got"

execs glibc.malloc.hugetlb=0
if grep -q '/proc/self/exe' <<<"$got"; then fail "hugetlb=0 given: started again anyway: $got"; fi

if [ "$failures" -ne 0 ]; then
  echo "malloc_tunables_test: $failures failure(s)"
  exit 1
fi
echo "malloc_tunables_test: all checks passed"
