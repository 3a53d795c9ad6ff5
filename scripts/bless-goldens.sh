#!/usr/bin/env bash
# Regenerates the golden files under tests/golden/<case>/expected from specs/<case>.yaml.
# Review the diff (git diff tests/golden) before committing it, in a commit of its own.
# Usage: scripts/bless-goldens.sh [build dir]   (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cmake --build "$build" --target oasgen >/dev/null
for case in petstore hostile features security shapes; do
  "$build/generator/oasgen" generate "$root/specs/$case.yaml" -o "$root/tests/golden/$case/expected" \
    --namespace "$case" --server --client
  echo "blessed tests/golden/$case"
done
