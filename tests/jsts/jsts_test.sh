#!/usr/bin/env bash
# Runs jsts_test and holds it to its inputs: it must exit 0, account for every test instance the
# suite's files hold (counted here from the files themselves, not through jsts_convert), and skip
# at most a seventh of them. Skips (tests/support/skip.sh) without the suite.
#
#   jsts_test.sh SUITE_DIR OWN_DIR JSTS_TEST DRAFT CASES.json [DRAFT CASES.json...]
#   jsts_test.sh SUITE_DIR OWN_DIR          (the build found no suite: skips)
set -uo pipefail
suite=$1 own=$2
shift 2
skip=$(dirname "$0")/../support/skip.sh
if [[ ! -d $suite/draft7 ]]; then
  exec "$skip" jsts "$suite is not there (install json-schema-test-suite)"
fi
if (($# < 3)); then
  exec "$skip" jsts "the build found no suite at configure time (reconfigure)"
fi
runner=$1
shift

# Each test instance of the suite's format carries exactly one "valid" member.
expected=0
for ((i = 1; i < $#; i += 2)); do
  draft=${!i}
  dir=$suite/$draft
  [[ $draft == oasgen ]] && dir=$own
  n=$(grep -rho --include='*.json' '"valid"[[:space:]]*:' "$dir" | wc -l)
  expected=$((expected + n))
done

output=$("$runner" "$@")
status=$?
printf '%s\n' "$output"
summary=$(printf '%s\n' "$output" | grep -E '^jsts: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' | tail -1)
if ((status != 0)); then
  echo "jsts: FAILED: jsts_test exited with $status"
  exit 1
fi
if [[ -z $summary ]]; then
  echo "jsts: FAILED: no summary line from jsts_test"
  exit 1
fi
read -r _ passed _ failed _ skipped _ <<<"$summary"
total=$((passed + failed + skipped))
if ((expected == 0 || total != expected)); then
  echo "jsts: FAILED: the inputs hold $expected instances, jsts_test accounted for $total"
  exit 1
fi
if ((skipped * 7 > expected)); then
  echo "jsts: FAILED: $skipped of $expected instances skipped, more than a seventh"
  exit 1
fi
echo "jsts: all $expected instances of the inputs accounted for"
