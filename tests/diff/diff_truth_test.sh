#!/bin/sh
# Ground truth for the source axis of `oasgen diff` (issue 18, point 2). For each NEW spec of
# tests/diff/truth/ against base.yaml: generate the old API, write a translation unit that uses
# every generated symbol of it (truth_tu.py, from `oasgen dump cpp`), check that it compiles,
# regenerate from NEW into the same folder, compile the same TU again, and check that
# `oasgen diff` reports a source error exactly when that second compile broke.
# Usage: diff_truth_test.sh OASGEN RUNTIME_INCLUDE_DIR CXX
set -eu
oasgen=$1
runtime_include=$2
cxx=${3:-c++}
here=$(cd "$(dirname "$0")" && pwd)
truth=$here/truth
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

compile() {
  "$cxx" -std=c++17 -fsyntax-only -I "$work/gen/include" -I "$runtime_include" "$work/use.cpp" \
    > "$work/compile.log" 2>&1
}

old=$truth/base.yaml
"$oasgen" dump cpp "$old" > "$work/old.json"
python3 "$here/truth_tu.py" < "$work/old.json" > "$work/use.cpp"
"$oasgen" generate --server --client -o "$work/gen" "$old" > /dev/null
if ! compile; then
  echo "FAIL: the translation unit does not compile against the code generated from base.yaml:"
  head -30 "$work/compile.log"
  exit 1
fi

pairs=0 agree=0 disagree=0
for new in "$truth"/*.yaml; do
  [ "$new" = "$old" ] && continue
  pairs=$((pairs + 1))
  name=$(basename "$new" .yaml)
  rm -rf "$work/gen"
  "$oasgen" generate --server --client -o "$work/gen" "$old" > /dev/null
  "$oasgen" generate --server --client -o "$work/gen" "$new" > /dev/null
  if compile; then broke=no; else broke=yes; fi
  set +e
  "$oasgen" diff "$old" "$new" --format json > "$work/diff.json"
  rc=$?
  set -e
  [ "$rc" -le 1 ] || { echo "FAIL: $name: oasgen diff exit $rc"; exit 1; }
  errors=$(python3 -c '
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
print(" ".join(sorted({f["id"] for f in findings if f["axis"] == "source" and f["level"] == "error"})))
' "$work/diff.json")
  if [ -n "$errors" ]; then reported=yes; else reported=no; fi
  if [ "$broke" = "$reported" ]; then
    agree=$((agree + 1))
    echo "agree     $name: compile broke: $broke; source errors: ${errors:-none}"
  else
    disagree=$((disagree + 1))
    echo "DISAGREE  $name: compile broke: $broke; source errors: ${errors:-none}"
    [ "$broke" = yes ] && grep -m 3 "error" "$work/compile.log" | sed 's/^/            /'
  fi
done

ran=$((agree + disagree))
echo "diff truth: $agree agree, $disagree disagree"
[ "$ran" -eq "$pairs" ] && [ "$pairs" -ge 1 ] || { echo "FAIL: $ran of $pairs pairs ran"; exit 1; }
[ "$disagree" -eq 0 ] || exit 1
