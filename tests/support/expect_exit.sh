# Sourced by the oracle self-tests: `expect CODE DESCRIPTION -- COMMAND...` runs COMMAND and
# records a failure unless it exits with CODE. `finish` prints the tally and exits.
failures=0
checks=0
expect() {
  local want=$1 what=$2
  shift 3
  local output got
  output=$("$@" 2>&1)
  got=$?
  checks=$((checks + 1))
  if ((got == want)); then
    echo "ok   $what (exit $got)"
  else
    failures=$((failures + 1))
    echo "FAIL $what: exit $got, expected $want; its output:"
    printf '%s\n' "$output" | tail -n 15 | sed 's/^/    /'
  fi
}
finish() {
  echo "$(basename "$0" .sh): $((checks - failures)) passed, $failures failed"
  ((failures == 0))
  exit
}
