#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz (clang 14, ASan + UBSan; the folder of
# scripts/sanitize.sh asan) and runs each for
# SECONDS (default 60) from its committed seed corpus, with its dictionary. New inputs go to
# build-fuzz/corpus/<name> (not committed); a crash leaves crash-* there and fails the script.
# Usage: scripts/fuzz.sh [seconds] [harness...]   (default: every harness)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
build=${OASGEN_FUZZ_BUILD:-$root/build-fuzz}
harnesses=("$@")
if ((${#harnesses[@]} == 0)); then harnesses=(load pipeline mustache params regex http); fi

"$root/scripts/sanitize.sh" configure  # the ASan+UBSan folder, shared with the ASan suite
cmake --build "$build" -j "$(nproc)" --target "${harnesses[@]/#/fuzz_}"

status=0
for name in "${harnesses[@]}"; do
  work=$build/corpus/$name
  mkdir -p "$work" "$build/artifacts/$name"
  echo "fuzz: $name for ${seconds}s"
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: one that takes 2 GB a memory bomb.
  if ! (cd "$build/artifacts/$name" &&
        "$build/tests/fuzz/fuzz_$name" "$work" "$root/tests/fuzz/corpus/$name" \
          -dict="$root/tests/fuzz/$name.dict" -max_total_time="$seconds" -timeout=10 \
          -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 2>"$build/artifacts/$name/log"); then
    echo "fuzz: $name FAILED, see $build/artifacts/$name (log and crash-*)"
    tail -n 40 "$build/artifacts/$name/log"
    status=1
  fi
  grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)|cov:' \
    "$build/artifacts/$name/log" | tail -n 4 || true
done
exit $status
