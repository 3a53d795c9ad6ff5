#!/usr/bin/env bash
# The README's C++ code blocks compile (-std=c++17 -Wall -Wextra -Wpedantic -Werror, syntax only)
# against the runtime and the code oasgen generates for the specs they use: specs/petstore.yaml
# (server, client, docs), specs/security.yaml (the Security section) and
# tests/consumer/project/api.yaml (the shelter example). A block
# preceded by the line `<!-- snippet: skip -->` is left out; none is today.
#
#   readme_snippets_test.sh OASGEN SOURCE_DIR WORK_DIR
set -uo pipefail
oasgen=$1 source=$2 work=$3
cxx=${CXX:-c++}
rm -rf "$work"
mkdir -p "$work/snippets"
"$oasgen" generate "$source/specs/petstore.yaml" -o "$work/petstore" --namespace petstore \
  --server --client --docs >/dev/null || exit 1
"$oasgen" generate "$source/tests/consumer/project/api.yaml" -o "$work/shelter" --namespace shelter \
  >/dev/null || exit 1
"$oasgen" generate "$source/specs/security.yaml" -o "$work/security" --namespace security \
  >/dev/null || exit 1

# snippet_<line>.cpp for each ```cpp block, named by the line its code starts on.
awk -v dir="$work/snippets" '
  /^<!-- snippet: skip -->$/ { skip = 1; next }
  /^```cpp$/ { if (!skip) { out = dir "/snippet_" (NR + 1) ".cpp"; printf "" > out } ; inside = 1; skip = 0; next }
  /^```/ && inside { inside = 0; out = ""; next }
  inside && out != "" { print > out }
  { if ($0 != "") skip = 0 }
' "$source/README.md"
blocks=$(grep -c '^```cpp$' "$source/README.md")
skipped=$(grep -c '^<!-- snippet: skip -->$' "$source/README.md")

passed=0 failed=0
for snippet in "$work"/snippets/snippet_*.cpp; do
  [[ -f $snippet ]] || continue
  line=${snippet##*_}
  line=${line%.cpp}
  if "$cxx" -std=c++17 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I"$work/petstore/include" \
      -I"$work/shelter/include" -I"$work/security/include" -I"$source/runtime/include" "$snippet" 2>"$snippet.log"; then
    echo "ok   README.md:$line"
    passed=$((passed + 1))
  else
    echo "FAIL README.md:$line:"
    head -n 20 "$snippet.log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
done
if ((passed + failed != blocks - skipped || blocks == 0)); then
  echo "readme: $blocks C++ blocks, $skipped marked skip, but $((passed + failed)) extracted"
  failed=$((failed + 1))
fi
echo "readme snippets: $passed passed, $failed failed"
((failed == 0))
