#!/usr/bin/env bash
# Real-world coverage: for each document of ../shared/corpus, generate all the C++ oasgen writes
# (models, handler interface, server and client) and compile every file against the runtime with
# -Wall -Wextra -Werror. Prints each failure's first diagnostic and a summary line
# "corpus: N passed, N failed".
#
# Usage: corpus_test.sh <oasgen> <runtime include dir> <shared dir> <work dir>
# OASGEN_CORPUS_LARGE selects the large documents: "github" (default), "all", "none", or their
# names separated by commas ("big-stripe,big-kubernetes-v2").
#
# The translation units of a large document share a precompiled header of the handler interface
# and the client: each would otherwise parse them again (74 s a file for Microsoft Graph). The 26
# public documents compile without it, so a generated file that misses an include still fails.
set -uo pipefail
oasgen=$1
runtime_include=$2
shared=$3
work=$4
large=${OASGEN_CORPUS_LARGE:-github}
cxx=${CXX:-c++}
jobs=$(nproc)

if [ ! -d "$shared/corpus/public" ]; then
  exec "$(dirname "$0")/../support/skip.sh" corpus "$shared/corpus is absent"
fi

documents=()
for f in "$shared"/corpus/public/*.json "$shared"/corpus/public/*.yaml; do documents+=("$f"); done
documents+=("$shared/corpus/public/sw2-azure-netinterface/networkInterface.json")
case "$large" in
  all) for f in "$shared"/corpus/large/*.json; do documents+=("$f"); done ;;
  github) documents+=("$shared/corpus/large/big-github.json") ;;
  none) ;;
  *)
    IFS=, read -ra names <<<"$large"
    for n in "${names[@]}"; do
      if [ ! -f "$shared/corpus/large/$n.json" ]; then
        echo "corpus: OASGEN_CORPUS_LARGE: no $shared/corpus/large/$n.json"
        exit 2
      fi
      documents+=("$shared/corpus/large/$n.json")
    done
    ;;
esac

rm -rf "$work"
mkdir -p "$work"
passed=0
failed=0
for doc in "${documents[@]}"; do
  name=$(basename "$doc")
  out="$work/$name"
  start=$SECONDS
  # The large documents take oasgen::Optional, as the generator suggests for them (large-api).
  optional=std
  case "$doc" in */large/*) optional=oasgen ;; esac
  if ! "$oasgen" generate "$doc" -o "$out" --namespace corpus --server --client --optional "$optional" \
      2>"$work/$name.generate.log"; then
    echo "FAIL $name: generation: $(grep -m1 ': error' "$work/$name.generate.log")"
    failed=$((failed + 1))
    continue
  fi
  flags=(-std=c++17 -O0 -Wall -Wextra -Werror -Winvalid-pch -I"$out/include" -I"$runtime_include")
  pch=()
  case "$doc" in
    */large/*)
      printf '#include "corpus/server.hpp"\n#include "corpus/client.hpp"\n' >"$out/all.hpp"
      if ! "$cxx" "${flags[@]}" -x c++-header "$out/all.hpp" -o "$out/all.hpp.gch" 2>"$out/all.hpp.log"; then
        echo "FAIL $name: compile: $(grep -m1 -E 'error' "$out/all.hpp.log")"
        failed=$((failed + 1))
        continue
      fi
      pch=(-include "$out/all.hpp")
      ;;
  esac
  # Every generated translation unit, compiled in parallel; the first failing one is reported.
  if ! find "$out/src" -name '*.cpp' -print0 | sort -z |
      xargs -0 -P "$jobs" -I{} sh -c 'tu=$1; shift; "$@" -c "$tu" -o "$tu.o" 2>"$tu.log" || { echo "$tu" >>"$(dirname "$tu")/../failed"; exit 1; }' \
        sh {} "$cxx" "${flags[@]}" "${pch[@]}"; then
    first=$(sort "$out/failed" | head -1)
    echo "FAIL $name: compile: $(grep -m1 -E 'error' "$first.log")"
    failed=$((failed + 1))
    continue
  fi
  warnings=$(grep -c 'warning\[' "$work/$name.generate.log" || true)
  echo "ok   $name ($(find "$out/src" -name '*.cpp' | wc -l) files, $warnings warnings, $((SECONDS - start)) s)"
  passed=$((passed + 1))
  find "$out" -name '*.o' -delete
  rm -f "$out/all.hpp.gch"
done
echo "corpus: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
