#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite with ctest.
# Usage: scripts/test.sh [build dir]   (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
jobs=$(nproc)

"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$jobs"
# The conformance counts first (ctest shows a passing test's output only when verbose)...
ctest --test-dir "$build" -L mustache -V | grep -E 'mustache spec:|skipped' || true
ctest --test-dir "$build" -R '^http_conformance$' -V | grep -E 'http: [0-9]+ passed|SKIPPED|FAIL' || true
# ...then everything; the run ends with ctest's summary.
ctest --test-dir "$build" -j "$jobs" --output-on-failure
