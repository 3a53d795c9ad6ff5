#!/usr/bin/env bash
# The generated client against an independent peer: for each corpus document, Prism's mock server
# (npm @stoplight/prism-cli, installed under NPM_PREFIX on first use) serves the spec on 127.0.0.1,
# and the document's driver calls every operation that takes no file upload, in the order of its
# operations file (client_driver_gen). Passes when every operation of that file was called (or
# skipped for its stated reason), each call matches the request Prism logged for it (method and
# path, in order), Prism reports no request that breaks the spec, and every response the client
# found invalid is one Prism also says breaks the spec.
#
#   prism_test.sh NPM_PREFIX CORPUS_DIR DOC=DRIVER=OPERATIONS[=BAD_TARGET]...
# BAD_TARGET, if given, is a GET request that breaks the spec: sent after the driver, Prism must
# report it, or the log is not being read right.
# Skips (tests/support/skip.sh) without node and npm, or when the npm registry is unreachable.
set -uo pipefail

prefix=$1
corpus=$2
shift 2
prism=$prefix/node_modules/.bin/prism
skip=$(dirname "$0")/../support/skip.sh

if [[ ! -x $prism ]]; then
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    exec "$skip" prism_test "node and npm are not installed"
  fi
  if ! timeout 60 npm view @stoplight/prism-cli@5 version >/dev/null 2>&1; then
    exec "$skip" --npm prism_test "npm cannot look up @stoplight/prism-cli"
  fi
  mkdir -p "$prefix"
  if ! timeout 600 npm install --prefix "$prefix" --no-audit --no-fund @stoplight/prism-cli@5 \
      >"$prefix/install.log" 2>&1; then
    echo "prism_test: installing @stoplight/prism-cli failed:"
    tail -20 "$prefix/install.log"
    exec "$skip" --npm prism_test "npm could not install @stoplight/prism-cli"
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

request_violation='Request did not pass the validation rules|error +Violation: request'

# Prism's log as one line per request: "METHOD<TAB>PATH<TAB>request violations<TAB>response
# violations". A request's lines follow its "[HTTP SERVER] method /path ... Request received" line
# (the driver sends one request at a time); a request Prism could not route counts as a violation.
requests_in() {
  awk -v req="$request_violation" '
    /\[HTTP SERVER\] [a-z]+ .*Request received/ {
      if (n) print method "\t" path "\t" rq "\t" rs
      match($0, /\[HTTP SERVER\] [a-z]+ [^ ]+/)
      split(substr($0, RSTART + 14, RLENGTH - 14), parts, " ")
      method = toupper(parts[1]); path = parts[2]; sub(/\?.*/, "", path)
      rq = 0; rs = 0; ++n; next
    }
    n && ($0 ~ req || /\[HTTP SERVER\].*error/) { ++rq }
    n && /error +Violation: response/ { ++rs }
    END { if (n) print method "\t" path "\t" rq "\t" rs }' "$1"
}

# Checks one document's run; prints what is wrong, and returns non-zero if anything is.
check_document() {
  local operations=$1 driver_log=$2 prism_log=$3 ok=0
  local -a requests
  mapfile -t requests < <(requests_in "$prism_log")
  local calls=0 name method template kind why verdict
  while IFS=$'\t' read -r name method template kind why; do
    verdict=$(grep -E "^$name: " "$driver_log")
    if [[ $kind == skip ]]; then
      if [[ $verdict != "$name: skipped ($why)" ]]; then
        echo "  $name: should have been skipped ($why), the driver says: ${verdict:-nothing}"
        ok=1
      fi
      continue
    fi
    local request=${requests[$calls]:-}
    calls=$((calls + 1))
    if [[ $(grep -cE "^$name: (ok|INVALID RESPONSE|FAILED)" "$driver_log") != 1 ]]; then
      echo "  $name: not called once (the driver says: ${verdict:-nothing})"
      ok=1
      continue
    fi
    local seen_method seen_path req_violations res_violations
    IFS=$'\t' read -r seen_method seen_path req_violations res_violations <<<"$request"
    # The spec's path template as a pattern: each {parameter} is one or more path characters. The
    # path Prism saw is percent-decoded first: the client escapes literal text such as '#'.
    local pattern="^$(sed -E 's/[.+*?^$()|[]/\\&/g; s/\{[^}]*\}/[^\/]+/g' <<<"$template")\$"
    seen_path=$(printf '%b' "${seen_path//%/\\x}")
    if [[ -z $request || $seen_method != "$method" || ! $seen_path =~ $pattern ]]; then
      echo "  $name: Prism's request $calls was '${seen_method:-none} ${seen_path:-}', not $method $template"
      ok=1
      continue
    fi
    if ((req_violations > 0)); then
      echo "  $name: Prism found the request against the spec"
      ok=1
    fi
    if [[ $verdict == "$name: INVALID RESPONSE"* ]] && ((res_violations == 0)); then
      echo "  $name: the client found the response invalid, Prism did not: $verdict"
      ok=1
    fi
  done <"$operations"
  if ((calls == 0 || ${#requests[@]} != calls)); then
    echo "  the operations file lists $calls calls, Prism logged ${#requests[@]} requests"
    ok=1
  fi
  if ! grep -qE "^$calls calls, " "$driver_log"; then
    echo "  the driver's summary does not say $calls calls: $(tail -1 "$driver_log")"
    ok=1
  fi
  return $ok
}

passed=0
failed=0
for pair in "$@"; do
  IFS='=' read -r doc driver operations bad_target <<<"$pair"
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
  cp "$log" "$work/$doc.driver.prism.log"
  calibrated=yes
  if [[ -n $bad_target ]]; then
    before=$(grep -c -E "$request_violation" "$log")
    curl -s -o /dev/null "http://127.0.0.1:$port$bad_target"
    sleep 0.5
    after=$(grep -c -E "$request_violation" "$log")
    ((after > before)) || calibrated=no
  fi
  kill "$prism_pid" 2>/dev/null
  wait "$prism_pid" 2>/dev/null
  prism_pid=
  summary=$(tail -1 "$work/$doc.driver.log")
  problems=$(check_document "$operations" "$work/$doc.driver.log" "$work/$doc.driver.prism.log")
  checked=$?
  if [[ $calibrated == no ]]; then
    echo "prism_test: $doc: FAILED: Prism did not report $bad_target, which breaks the spec"
    failed=$((failed + 1))
  elif ((status == 0 && checked == 0)); then
    echo "prism_test: $doc: ok: $summary; every call matched its request in Prism's log"
    grep -E "warning +Violation:" "$log" | sed -E 's/.*Violation: //' | sort -u | sed 's/^/  prism warning: /'
    passed=$((passed + 1))
  else
    echo "prism_test: $doc: FAILED (driver exit $status):"
    printf '%s\n' "$problems"
    sed 's/^/  driver: /' "$work/$doc.driver.log"
    grep -E -B3 "✖" "$log" | sed 's/^/  prism: /'
    grep -E -A2 "^(Type)?Error" "$log" | sed 's/^/  prism crashed: /'
    failed=$((failed + 1))
  fi
done
echo "prism: $passed passed, $failed failed"
((failed == 0 && passed > 0))
