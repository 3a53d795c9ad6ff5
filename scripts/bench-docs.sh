#!/usr/bin/env bash
# Times `oasgen docs` (load -> model -> docs, no C++) on the largest corpus document, GitHub's API
# (../shared/corpus/large/big-github.json): wall and CPU time per run, each into a fresh folder.
# A benchmark, not a test: it asserts nothing. Record the figures in BENCHMARKS.md.
# Usage: scripts/bench-docs.sh [build dir] [runs]   (defaults: build, 5)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
runs=${2:-5}
spec=${OASGEN_SHARED_DIR:-$root/../shared}/corpus/large/big-github.json
if [[ ! -f $spec ]]; then
  echo "bench-docs: $spec not found (set OASGEN_SHARED_DIR)" >&2
  exit 1
fi
if ! cmake --build "$build" --target oasgen >"$build/bench-docs-build.log" 2>&1; then
  cat "$build/bench-docs-build.log" >&2
  exit 1
fi
oasgen=$build/generator/oasgen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "oasgen docs $(basename "$spec") ($(stat -c %s "$spec") bytes), $runs runs, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
TIMEFORMAT='%R %U %S'
for ((i = 1; i <= runs; i++)); do
  rm -rf "$work/out"
  { time "$oasgen" docs "$spec" -o "$work/out" 2>/dev/null; } 2>>"$work/times"
done
awk '{ printf "run %d: %.2f s wall, %.2f s CPU (user %.2f + sys %.2f)\n", NR, $1, $2 + $3, $2, $3 }' "$work/times"
median() { sort -n | awk '{ v[NR] = $1 } END { printf "min %.2f s, median %.2f s", v[1], v[int((NR + 1) / 2)] }'; }
echo "wall: $(awk '{ print $1 }' "$work/times" | median); CPU: $(awk '{ print $2 + $3 }' "$work/times" | median)"
ls -l "$work/out/docs" | awk 'NR > 1 { printf "%s: %.1f MB\n", $9, $5 / 1e6 }'
