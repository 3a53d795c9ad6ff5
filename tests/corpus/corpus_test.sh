#!/usr/bin/env bash
# Real-world coverage: for each document of ../shared/corpus, generate all the C++ oasgen writes
# (models, handler interface, server and client) and compile every file against the runtime with
# -Wall -Wextra -Werror. Prints each failure's first diagnostic and a summary line
# "corpus: N passed, N failed".
#
# Usage: corpus_test.sh <oasgen> <runtime include dir> <shared dir> <work dir>
# OASGEN_CORPUS_LARGE selects the large documents: "github" (default), "all" or "none".
set -uo pipefail
oasgen=$1
runtime_include=$2
shared=$3
work=$4
large=${OASGEN_CORPUS_LARGE:-github}
cxx=${CXX:-c++}
jobs=$(nproc)

if [ ! -d "$shared/corpus/public" ]; then
  echo "corpus: skipped, $shared/corpus is absent"
  exit 0
fi

documents=()
for f in "$shared"/corpus/public/*.json "$shared"/corpus/public/*.yaml; do documents+=("$f"); done
documents+=("$shared/corpus/public/sw2-azure-netinterface/networkInterface.json")
case "$large" in
  all) for f in "$shared"/corpus/large/*.json; do documents+=("$f"); done ;;
  github) documents+=("$shared/corpus/large/big-github.json") ;;
  none) ;;
  *) echo "corpus: OASGEN_CORPUS_LARGE must be github, all or none"; exit 2 ;;
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
  # Every generated translation unit, compiled in parallel; the first failing one is reported.
  if ! find "$out/src" -name '*.cpp' -print0 | sort -z |
      xargs -0 -P "$jobs" -I{} sh -c '"$0" -std=c++17 -O0 -c -Wall -Wextra -Werror -I"$1/include" -I"$2" "$3" -o "$3.o" 2>"$3.log" || { echo "$3" >>"$1/failed"; exit 1; }' \
        "$cxx" "$out" "$runtime_include" {}; then
    first=$(sort "$out/failed" | head -1)
    echo "FAIL $name: compile: $(grep -m1 -E 'error' "$first.log")"
    failed=$((failed + 1))
    continue
  fi
  warnings=$(grep -c 'warning\[' "$work/$name.generate.log" || true)
  echo "ok   $name ($(find "$out/src" -name '*.cpp' | wc -l) files, $warnings warnings, $((SECONDS - start)) s)"
  passed=$((passed + 1))
  find "$out" -name '*.o' -delete
done
echo "corpus: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
