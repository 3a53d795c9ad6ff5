#!/usr/bin/env bash
# Issue 19's compile targets side by side with their baseline, in one run (by hand; figures in
# BENCHMARKS.md, "Against the baseline, in one run"):
#   bench/compile_versus.sh BASE [DOCUMENT...]
# BASE: a checkout of oasgen at the baseline with its oasgen built (BASE/build/generator/oasgen);
# issue 19's figures are against 2e192b0, main when it was filed:
#   git worktree add /tmp/base 2e192b0 && cmake -S /tmp/base -B /tmp/base/build -G Ninja \
#     -DCMAKE_BUILD_TYPE=RelWithDebInfo && ninja -C /tmp/base/build oasgen
# DOCUMENT: petstore, github (default: both) or a path.
# For each document, ROUNDS times (default 1), it builds the baseline's generated code and this
# tree's with bench/compile_whole.sh, each with its own runtime headers, alternating which goes
# first, and prints both wall clocks and their ratio. Documents over 1 MB build against a
# precompiled header, and the baseline generates them with `--optional oasgen`, as its corpus test
# did; small ones build without one. This machine's speed varies by up to 1.8x between days; a
# ratio measured within minutes does not.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=$(cd "${1:?usage: compile_versus.sh BASE [DOCUMENT...]}" && pwd)
shift
documents=("$@")
[ ${#documents[@]} -eq 0 ] && documents=(petstore github)
rounds=${ROUNDS:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

path_of() {
  case "$1" in
    petstore) echo "$root/specs/petstore.yaml" ;;
    github) echo "$root/../shared/corpus/large/big-github.json" ;;
    *) echo "$1" ;;
  esac
}

# build WHICH SPEC: the whole build's wall clock, with WHICH's oasgen and runtime headers.
build() {
  local which=$1 spec=$2 checkout=$root options=() pch=0
  [ "$(stat -c %s "$spec")" -gt 1000000 ] && pch=1
  if [ "$which" = base ]; then
    checkout=$base
    [ "$pch" = 1 ] && options=(--optional oasgen)
  fi
  PCH=$pch RUNTIME=$checkout/runtime/include "$root/bench/compile_whole.sh" \
    "$checkout/build/generator/oasgen" "$spec" "$work/$which" "${options[@]}" >"$work/$which.log" 2>&1 ||
    { cat "$work/$which.log" >&2; exit 1; }
  sed -n 's/^whole build \([0-9.]*\) s wall$/\1/p' "$work/$which.log"
}

printf '%-10s %5s %10s %10s %7s\n' document round base_s now_s ratio
for document in "${documents[@]}"; do
  spec=$(path_of "$document")
  for round in $(seq "$rounds"); do
    if [ $((round % 2)) = 1 ]; then
      base_s=$(build base "$spec")
      now_s=$(build now "$spec")
    else
      now_s=$(build now "$spec")
      base_s=$(build base "$spec")
    fi
    awk -v d="$document" -v r="$round" -v b="$base_s" -v n="$now_s" \
      'BEGIN {printf "%-10s %5d %10.1f %10.1f %7.3f\n", d, r, b, n, n / b}'
  done
done
