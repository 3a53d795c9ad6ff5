#!/usr/bin/env bash
# The test suite under sanitizers:
#   asan  clang 14, ASan + UBSan (-fno-sanitize-recover=all), in build-fuzz: the folder (and the
#         objects) scripts/fuzz.sh uses, so that CI compiles once for both. Runs the generator, the
#         runtime and the tests of the labels below, the fuzz corpus replays included. Left out: the
#         large-document compiles (corpus, golden), the npm/browser/oracle tests (jsts, ajv, docs,
#         prism) and the consumer builds, which test CMake packaging rather than code.
#   tsan  GCC 12, TSan, in build-tsan: the server test (its cases run concurrent clients against a
#         4-thread server, stop() during requests, signals) and the client transport and core tests;
#         suppressions in tests/tsan.supp.
#   ci    the CI stage of .ci/run: the asan folder, but only the tests labelled $ci_labels (the
#         fuzz corpus replays, runtime, server incl. the HTTP conformance table, mustache,
#         security), then every fuzzer for OASGEN_CI_FUZZ_SECONDS (default 5) from its corpus. The
#         scope was chosen to fit CI's 60 minutes; docs/robustness.md has the measurement.
# Usage: scripts/sanitize.sh [asan|tsan|all|ci|configure]   (default all; configure: build-fuzz only)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-all}
jobs=$(nproc)
asan_build=${OASGEN_FUZZ_BUILD:-$root/build-fuzz}
tsan_build=$root/build-tsan

asan_labels='^(runtime|server|mustache|generator|security|diff|fuzz|client|e2e)$'
asan_exclude='^(corpus|golden|oracle|browser|prism|docs|jsts|ajv|consumer)$'
ci_labels=${OASGEN_CI_ASAN_LABELS:-'^(fuzz|runtime|server|mustache|security)$'}
harnesses='fuzz_load fuzz_pipeline fuzz_mustache fuzz_params fuzz_regex fuzz_http'
# Runtime-only tests: a TSan build of the generator (for generated-code tests) would double the time.
tsan_tests='^(server_test|http_transport_test|client_core_test)$'

# The ASan+UBSan folder; -fsanitize=fuzzer-no-link adds libFuzzer's coverage hooks, which the
# tests do not mind. -O0 and line tables: this build compiles several times slower than a plain
# one, and the CI runs here are short; enough for the reports.
configure_asan() {
  local flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
  cmake -S "$root" -B "$asan_build" -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
    -DCMAKE_CXX_FLAGS_FUZZ="-O0 -gline-tables-only" -DCMAKE_CXX_COMPILER=clang++-14 \
    -DOASGEN_FUZZ=ON -DCMAKE_CXX_FLAGS="$flags -fsanitize=fuzzer-no-link" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
}

# run <build dir> <extra target> <ctest selection...>: build the executables of the selected tests
# (a test's executable is the target of its name) and run them.
run() {
  local build=$1 extra=$2
  shift 2
  mapfile -t tests < <(ctest --test-dir "$build" -N "$@" | sed -n 's/^ *Test *#[0-9]*: //p')
  local targets=()
  for test in "${tests[@]}"; do
    if ninja -C "$build" -t query "$test" >/dev/null 2>&1; then targets+=("$test"); fi
  done
  echo "sanitize: $(basename "$build"): ${#tests[@]} tests, building ${#targets[@]} executables"
  # shellcheck disable=SC2086 # $extra is a list of targets
  cmake --build "$build" -j "$jobs" --target $extra "${targets[@]}"
  ctest --test-dir "$build" -j "$jobs" "$@" --output-on-failure
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/tsan.supp"

case $what in
  configure) configure_asan; exit 0 ;;
  ci)
    configure_asan
    # petstore-server: the HTTP conformance test (label server) drives it.
    # passwords_test is left to the main suite: it compares two timings (an unknown user must cost
    # an argon2 verification too), and under ASan -O0 on a shared machine it failed 1 run in 3.
    run "$asan_build" "$harnesses petstore-server" -L "$ci_labels" -LE "$asan_exclude" \
      -E '^passwords_test$'

    # 0: no fuzzing (libFuzzer would read -max_total_time=0 as no limit).
    if ((${OASGEN_CI_FUZZ_SECONDS:-5} > 0)); then
      exec "$root/scripts/fuzz.sh" "${OASGEN_CI_FUZZ_SECONDS:-5}"
    fi
    exit 0
    ;;
  asan | tsan | all) ;;
  *) echo "usage: $0 [asan|tsan|all|ci|configure]" >&2; exit 2 ;;
esac
if [[ $what == asan || $what == all ]]; then
  configure_asan
  run "$asan_build" "oasgen petstore-server" -L "$asan_labels" -LE "$asan_exclude"
fi
if [[ $what == tsan || $what == all ]]; then
  cmake -S "$root" -B "$tsan_build" -G Ninja -DCMAKE_BUILD_TYPE=Tsan \
    -DCMAKE_CXX_FLAGS_TSAN="-O1 -g1 -fsanitize=thread" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
  run "$tsan_build" "" -R "$tsan_tests"
fi
