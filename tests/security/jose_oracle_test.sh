#!/usr/bin/env bash
# The JWT verifier against npm `jose`: jose (installed under PREFIX on first use) signs valid tokens
# and attacks for every algorithm and verifies them itself; the driver checks that oasgen's verdict
# is jose's for each case. Prints `jwt oracle: N agree, M disagree`.
#
#   jose_oracle_test.sh PREFIX DRIVER SCRIPT FLOOR
# Exit 77 (skipped) without node/npm, or when the npm registry cannot be reached (`npm ping`
# fails). Under CI=true a failed install with a reachable registry is a failure, never a skip.
set -uo pipefail

prefix=$1
driver=$2
script=$3
floor=$4

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "jose_oracle_test: SKIPPED: node and npm are not installed"
  exit 77
fi
if [[ ! -f $prefix/node_modules/jose/package.json ]]; then
  if ! timeout 60 npm ping >/dev/null 2>&1; then
    echo "jose_oracle_test: SKIPPED: the npm registry is unreachable (npm ping failed)"
    exit 77
  fi
  mkdir -p "$prefix"
  if ! timeout 300 npm install --prefix "$prefix" --no-audit --no-fund --no-save jose@6 \
      >"$prefix/install.log" 2>&1; then
    if [[ ${CI:-} != true ]] && ! timeout 60 npm ping >/dev/null 2>&1; then
      echo "jose_oracle_test: SKIPPED: the npm registry became unreachable during the install"
      exit 77
    fi
    echo "jose_oracle_test: installing jose failed:"
    tail -20 "$prefix/install.log"
    exit 1
  fi
fi
echo "jose_oracle_test: jose $(node -p "require('$prefix/node_modules/jose/package.json').version")"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The script imports 'jose', resolved from the folder it runs in.
cp "$script" "$prefix/jose_oracle.mjs"
if ! node "$prefix/jose_oracle.mjs" "$work/cases.json"; then
  echo "jose_oracle_test: generating the cases failed"
  exit 1
fi
"$driver" "$work/cases.json" "$floor"
