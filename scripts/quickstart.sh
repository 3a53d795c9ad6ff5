#!/usr/bin/env bash
# The main job: installs what is missing, builds oasgen, generates the petstore server from
# specs/petstore.yaml and the catalog server from specs/catalog.yaml (at build time, through
# oasgen_generate), and runs a short demo against each (the catalog on SQLite).
# Usage: scripts/quickstart.sh [build dir]   (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}

"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$(nproc)" --target oasgen petstore-server catalog-server
echo "Generated code: $build/examples/petstore/petstore_api/"
"$root/scripts/demo.sh" "$build"
"$root/scripts/catalog_demo.sh" "$build"
