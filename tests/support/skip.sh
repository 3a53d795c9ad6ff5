#!/usr/bin/env bash
# The one place that decides what a test without its input does: ctest's skip code (77), so that the
# summary lists it as not run, never as passed. Under CI=true a skip is a failure (exit 1): CI
# installs every input (scripts/install-deps.sh, ../shared), so a missing one is a broken setup.
# The exception is npm: when the registry is provably unreachable (npm ping fails), nothing here
# can fix it, and the test skips in CI too.
#
#   skip.sh NAME REASON...          input missing: 77, or 1 under CI=true
#   skip.sh --npm NAME REASON...    npm failed: 77 when the registry is unreachable, else 1
#
# Tests call it last: `exec "$support/skip.sh" ajv "the corpus is not there"`.
# OASGEN_NPM_PING overrides the reachability probe (tests of this script use `true`/`false`).
set -uo pipefail
npm=no
if [[ ${1:-} == --npm ]]; then
  npm=yes
  shift
fi
name=${1:?usage: skip.sh [--npm] NAME REASON...}
shift
reason="$*"

registry_unreachable() {
  if [[ -n ${OASGEN_NPM_PING:-} ]]; then
    ! ${OASGEN_NPM_PING}
    return
  fi
  command -v npm >/dev/null || return 1  # no npm at all is a missing input, not the network
  ! timeout 60 npm ping >/dev/null 2>&1
}

if [[ $npm == yes ]]; then
  if registry_unreachable; then
    echo "$name: SKIPPED: $reason (the npm registry is unreachable)"
    exit 77
  fi
  echo "$name: FAILED: $reason, while the npm registry is reachable"
  exit 1
fi
if [[ ${CI:-} == true ]]; then
  echo "$name: FAILED: $reason; under CI=true a skip is a failure (scripts/install-deps.sh and ../shared provide every input)"
  exit 1
fi
echo "$name: SKIPPED: $reason"
exit 77
