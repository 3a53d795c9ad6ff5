#!/usr/bin/env bash
# Consumer tests: oasgen used by other CMake projects, the way its users use it.
#
#   consumer_test.sh install      BUILD PREFIX             install BUILD into PREFIX (fresh)
#   consumer_test.sh examples     PREFIX SRC WORK GEN      examples/ against PREFIX: build, ctest
#   consumer_test.sh regeneration PREFIX SRC WORK GEN      tests/consumer/project against PREFIX:
#                                                          what a change rebuilds, and what not
#   consumer_test.sh subdirectory SRC WORK GEN             tests/consumer/project with oasgen added
#                                                          by add_subdirectory(SRC), in more parts
#                                                          than its spec fills and with precompiled
#                                                          headers: build, ctest
# GEN is a CMake generator: Ninja or "Unix Makefiles". WORK is emptied first and kept afterwards.
set -euo pipefail
mode=$1
shift
jobs=2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
finish() {
  if [ "$failures" -ne 0 ]; then
    echo "consumer $mode: $failures failure(s)"
    exit 1
  fi
  echo "consumer $mode: all checks passed"
}

# build DIR LOG: builds, keeps the output in LOG and shows it.
build() {
  if ! cmake --build "$1" -j "$jobs" >"$2" 2>&1; then
    cat "$2"
    echo "FAIL: the build failed"
    exit 1
  fi
  sed 's/^/  | /' "$2"
}
# Lines of a build log that show work: generation, compilation, linking.
regenerated() { grep -q 'oasgen: generating' "$1"; }
compiled() { grep -E 'Building CXX object' "$1" || true; }
linked() { grep -E 'Linking CXX' "$1" || true; }

# no_work DIR GEN: the build tool has nothing to do.
no_work() {
  local log=$1.noop.log
  if [ "$2" = Ninja ]; then
    # -n: a dry run; -d explain names every reason to rebuild.
    ninja -C "$1" -n -d explain >"$log" 2>&1 || true
    if ! grep -q '^ninja: no work to do\.$' "$log" || grep -q 'explain' "$log"; then
      cat "$log"
      fail "ninja has work to do in a build that is up to date"
    fi
  else
    cmake --build "$1" -j "$jobs" >"$log" 2>&1 || { cat "$log"; fail "no-op build failed"; return; }
    if grep -qE 'oasgen: generating|Generating|Building|Linking' "$log"; then
      cat "$log"
      fail "make did work in a build that is up to date"
    fi
  fi
}

configure() {  # configure SRC BUILD GEN ARGS...
  local src=$1 dir=$2 gen=$3
  shift 3
  cmake -S "$src" -B "$dir" -G "$gen" "$@" >"$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log"; echo "FAIL: configuring $src"; exit 1; }
}

run_ctest() {  # run_ctest BUILD
  ctest --test-dir "$1" --output-on-failure --timeout 60 || fail "ctest in $1"
}

case "$mode" in
install)
  build_dir=$1 prefix=$2
  rm -rf "$prefix"
  cmake --install "$build_dir" --prefix "$prefix"
  for file in bin/oasgen lib/liboasgen-runtime.a include/oasgen/server.hpp \
              share/oasgen/templates/models.hpp.mustache lib/cmake/oasgen/oasgenConfig.cmake \
              lib/cmake/oasgen/oasgenConfigVersion.cmake lib/cmake/oasgen/oasgenTargets.cmake \
              lib/cmake/oasgen/oasgen_generate.cmake; do
    [ -e "$prefix/$file" ] || fail "not installed: $file"
  done
  finish
  ;;

examples)
  prefix=$1 src=$2 work=$3 gen=$4
  rm -rf "$work"
  mkdir -p "$work"
  configure "$src/examples" "$work/build" "$gen" -DCMAKE_PREFIX_PATH="$prefix"
  build "$work/build" "$work/build.log"
  regenerated "$work/build.log" || fail "petstore was not generated"
  run_ctest "$work/build"
  finish
  ;;

regeneration)
  prefix=$1 src=$2 work=$3 gen=$4
  rm -rf "$work"
  mkdir -p "$work"
  # A copy: the test edits the spec's files.
  cp -r "$src/tests/consumer/project" "$work/project"
  project=$work/project
  build_dir=$work/build
  generated=$build_dir/shelter_api
  configure "$project" "$build_dir" "$gen" -DCMAKE_PREFIX_PATH="$prefix" \
    -DOASGEN_SMOKE_TEST="$src/examples/server_smoke_test.sh" -DSHELTER_PRECOMPILE_RUNTIME=ON
  build "$build_dir" "$work/1-first.log"
  regenerated "$work/1-first.log" || fail "first build: no generation"
  compiled "$work/1-first.log" | grep -q 'cmake_pch' || fail "PRECOMPILE_RUNTIME: no precompiled header built"
  run_ctest "$build_dir"

  echo "== a second build does nothing"
  no_work "$build_dir" "$gen"

  echo "== --check: the generated tree is up to date"
  check() { "$prefix/bin/oasgen" generate "$project/api.yaml" -o "$generated" --namespace shelter --check; }
  check 2>"$work/check-clean.err" || { cat "$work/check-clean.err"; fail "--check on a fresh tree"; }

  echo "== a property added in schemas/animal.yaml, reached only through an external \$ref"
  sleep 1  # a later time than every output, even on coarse-grained file systems
  cat >>"$project/schemas/animal.yaml" <<'YAML'
    species:
      type: string
YAML
  if check 2>"$work/check-stale.err"; then fail "--check accepted a tree older than the spec"; fi
  cat "$work/check-stale.err"
  grep -q 'include/shelter/models.hpp: out of date' "$work/check-stale.err" \
    || fail "--check did not name models.hpp"
  build "$build_dir" "$work/2-schema.log"
  regenerated "$work/2-schema.log" || fail "editing the \$ref'd schema did not regenerate"
  grep -q 'species' "$generated/include/shelter/models.hpp" || fail "models.hpp lacks the new property"
  compiled "$work/2-schema.log" | grep -q 'models.cpp' || fail "models.cpp was not recompiled"
  compiled "$work/2-schema.log" | grep -q 'main.cpp' || fail "main.cpp (includes the models) was not recompiled"
  if compiled "$work/2-schema.log" | grep -q 'cmake_pch'; then
    fail "the schema edit rebuilt the runtime's precompiled header"
  fi
  [ -n "$(linked "$work/2-schema.log")" ] || fail "nothing was relinked"
  check 2>"$work/check-rebuilt.err" || { cat "$work/check-rebuilt.err"; fail "--check after the rebuild"; }
  no_work "$build_dir" "$gen"

  echo "== the spec touched, not changed: regenerated, nothing recompiled"
  sleep 1
  touch "$project/api.yaml"
  build "$build_dir" "$work/3-touch.log"
  regenerated "$work/3-touch.log" || fail "touching the spec did not regenerate"
  [ -z "$(compiled "$work/3-touch.log")" ] || fail "touching the spec recompiled: $(compiled "$work/3-touch.log")"
  [ -z "$(linked "$work/3-touch.log")" ] || fail "touching the spec relinked"
  no_work "$build_dir" "$gen"

  echo "== oasgen itself touched: regenerated, nothing recompiled"
  sleep 1
  touch "$prefix/bin/oasgen"
  build "$build_dir" "$work/4-oasgen.log"
  regenerated "$work/4-oasgen.log" || fail "a newer oasgen did not regenerate"
  [ -z "$(compiled "$work/4-oasgen.log")" ] || fail "a newer oasgen with the same output recompiled"
  no_work "$build_dir" "$gen"

  run_ctest "$build_dir"
  finish
  ;;

subdirectory)
  src=$1 work=$2 gen=$3
  rm -rf "$work"
  mkdir -p "$work"
  configure "$src/tests/consumer/project" "$work/build" "$gen" -DOASGEN_SOURCE_DIR="$src" \
    -DSHELTER_PARTS=3 -DSHELTER_PRECOMPILE_HEADERS=ON
  build "$work/build" "$work/build.log"
  regenerated "$work/build.log" || fail "no generation"
  compiled "$work/build.log" | grep -q 'shelter_api/src/server_3.cpp' || fail "PARTS 3: server_3.cpp not compiled"
  compiled "$work/build.log" | grep -q 'cmake_pch' || fail "PRECOMPILE_HEADERS: no precompiled header built"
  run_ctest "$work/build"
  finish
  ;;

*)
  echo "usage: consumer_test.sh install|examples|regeneration|subdirectory ..." >&2
  exit 2
  ;;
esac
