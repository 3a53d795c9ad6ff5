#!/usr/bin/env bash
# The generated client against an independent peer: for each corpus document, Prism's mock server
# (npm @stoplight/prism-cli, installed under NPM_PREFIX on first use) serves the spec on 127.0.0.1,
# and the document's driver calls every operation that takes no file upload. Passes when every call
# gets a declared, valid response and Prism reports no request that breaks the spec.
#
#   prism_test.sh NPM_PREFIX CORPUS_DIR DOC=DRIVER[=BAD_TARGET]...
# BAD_TARGET, if given, is a GET request that breaks the spec: sent after the driver, Prism must
# report it, or the log is not being read right.
# Exit 77 (skipped) when npm or its registry cannot be reached.
set -uo pipefail

prefix=$1
corpus=$2
shift 2
prism=$prefix/node_modules/.bin/prism

if [[ ! -x $prism ]]; then
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "prism_test: SKIPPED: node and npm are not installed"
    exit 77
  fi
  if ! timeout 60 npm view @stoplight/prism-cli@5 version >/dev/null 2>&1; then
    echo "prism_test: SKIPPED: the npm registry is unreachable"
    exit 77
  fi
  mkdir -p "$prefix"
  if ! timeout 600 npm install --prefix "$prefix" --no-audit --no-fund @stoplight/prism-cli@5 \
      >"$prefix/install.log" 2>&1; then
    echo "prism_test: installing @stoplight/prism-cli failed:"
    tail -20 "$prefix/install.log"
    exit 1
  fi
fi
echo "prism_test: $("$prism" --version 2>/dev/null | head -1 | sed 's/^/prism /')"

work=$(mktemp -d)
prism_pid=
cleanup() {
  if [[ -n $prism_pid ]]; then
    kill "$prism_pid" 2>/dev/null
    wait "$prism_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
for pair in "$@"; do
  IFS='=' read -r doc driver bad_target <<<"$pair"
  log=$work/${doc}.prism.log
  port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => {
    console.log(s.address().port); s.close(); })')
  "$prism" mock -d -h 127.0.0.1 -p "$port" "$corpus/$doc" >"$log" 2>&1 &
  prism_pid=$!
  for _ in $(seq 1 600); do
    grep -q "Prism is listening" "$log" && break
    kill -0 "$prism_pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q "Prism is listening" "$log"; then
    echo "prism_test: $doc: Prism did not start:"
    tail -20 "$log"
    failed=$((failed + 1))
    kill "$prism_pid" 2>/dev/null
    wait "$prism_pid" 2>/dev/null
    prism_pid=
    continue
  fi
  timeout 300 "$driver" "http://127.0.0.1:$port" >"$work/$doc.driver.log" 2>&1
  status=$?
  sleep 0.5  # Prism logs a request's validation after it has answered
  # Errors only: Prism also warns about what it does not check itself (mutualTLS, say). Its
  # dynamic responses may break the spec themselves; Prism says so, and the client must have found
  # no invalid response that Prism did not.
  violations=$(grep -c -E "Request did not pass the validation rules|error +Violation: request" "$log")
  bad_responses=$(grep -c -E "error +Violation: response" "$log")
  calibrated=yes
  if [[ -n $bad_target ]]; then
    curl -s -o /dev/null "http://127.0.0.1:$port$bad_target"
    sleep 0.5
    after=$(grep -c -E "Request did not pass the validation rules|error +Violation: request" "$log")
    ((after > violations)) || calibrated=no
  fi
  invalid=$(grep -c "INVALID RESPONSE" "$work/$doc.driver.log")
  warnings=$(grep -E "warning +Violation:" "$log" | sed -E 's/.*Violation: //' | sort -u)
  summary=$(tail -1 "$work/$doc.driver.log")
  kill "$prism_pid" 2>/dev/null
  wait "$prism_pid" 2>/dev/null
  prism_pid=
  if [[ $calibrated == no ]]; then
    echo "prism_test: $doc: FAILED: Prism did not report $bad_target, which breaks the spec"
    failed=$((failed + 1))
  elif ((status == 0 && violations == 0 && invalid <= bad_responses)); then
    echo "prism_test: $doc: ok: $summary; Prism reported no request violation" \
         "($bad_responses of its own responses broke the spec)"
    [[ -z $warnings ]] || echo "$warnings" | sed 's/^/  prism warning: /'
    passed=$((passed + 1))
  else
    echo "prism_test: $doc: FAILED (driver exit $status, $violations request violations," \
         "$invalid invalid responses, $bad_responses reported by Prism)"
    sed 's/^/  driver: /' "$work/$doc.driver.log"
    grep -E -B3 "✖" "$log" | sed 's/^/  prism: /'
    grep -E -A2 "^(Type)?Error" "$log" | sed 's/^/  prism crashed: /'
    failed=$((failed + 1))
  fi
done
echo "prism: $passed passed, $failed failed"
((failed == 0))
