#!/usr/bin/env bash
# The whole build of one document's generated server and client, as tests/corpus builds it, timed
# step by step (by hand; figures in BENCHMARKS.md, "Shared shapes"):
#   bench/compile_whole.sh [OASGEN] [SPEC] [OUT] [generate options...]
# defaults: build/generator/oasgen, ../shared/corpus/large/big-github.json, a temporary folder.
# One precompiled header of server.hpp and client.hpp, then every file against it, JOBS (2) at a
# time; prints generation, the header (wall, user, system, peak memory, size), each file, and the
# wall clock from the header's start to the last file's end. OPT (default -O0) sets the level,
# RUNTIME the runtime's include folder (another checkout's, for a baseline), PCH=0 builds without the
# precompiled header (small documents, for which parsing the headers in each file is quicker), and
# PCH=runtime precompiles oasgen/precompiled.hpp instead (oasgen_generate's PRECOMPILE_RUNTIME: what a
# rebuild after a spec edit compiles is the files, printed apart).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
oasgen=${1:-$root/build/generator/oasgen}
spec=${2:-$root/../shared/corpus/large/big-github.json}
out=${3:-$(mktemp -d)}
shift $(( $# < 3 ? $# : 3 ))
jobs=${JOBS:-2}
rm -rf "$out" && mkdir -p "$out"
/usr/bin/time -f "generate %e s" "$oasgen" generate "$spec" --server --client --namespace corpus -o "$out" "$@" 2>&1 |
  grep -v 'warning\[' || true
printf '#include "corpus/server.hpp"\n#include "corpus/client.hpp"\n' >"$out/all.hpp"
flags=(-std=c++17 "${OPT:--O0}" -Wall -Wextra -Werror -Winvalid-pch -I"$out/include" -I"${RUNTIME:-$root/runtime/include}")
start=$(date +%s.%N)
header=$out/all.hpp
if [ "${PCH:-1}" = runtime ]; then
  header=$out/runtime.hpp
  echo '#include <oasgen/precompiled.hpp>' >"$header"
fi
if [ "${PCH:-1}" != 0 ]; then
  /usr/bin/time -f "header %e s wall, %U user, %S sys, %M KB" g++ "${flags[@]}" -x c++-header "$header" -o "$header.gch"
  echo "header size $(stat -c %s "$header.gch") bytes"
  flags+=(-include "$header")
fi
files_start=$(date +%s.%N)
find "$out/src" -name '*.cpp' -print0 |
  xargs -0 -P "$jobs" -I{} sh -c 'tu=$1; shift; /usr/bin/time -f "$(basename "$tu") %e s wall, %U user, %S sys" "$@" -c "$tu" -o "$tu.o"' \
    sh {} g++ "${flags[@]}"
echo "files $(echo "$(date +%s.%N) - $files_start" | bc) s wall"
echo "whole build $(echo "$(date +%s.%N) - $start" | bc) s wall"
