#!/usr/bin/env bash
# The operations table (`kOperations` in api.hpp) is a constant: a document whose operations carry
# megabytes of text (long `x-` members such as code samples, or Microsoft Graph's thousands of
# operations) must still compile. GCC counts every character of a plain literal against its limit
# on constant evaluation; before the table's texts were `sv` literals, this document failed with
# "'constexpr' evaluation operation count exceeds limit".
#   long_texts_test.sh OASGEN RUNTIME_INCLUDE   (CXX: the compiler)
set -euo pipefail
oasgen=$1 runtime_include=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 80 operations with a 50,000-character code sample each, 4 MB of text in the table. Each sample is
# different: GCC evaluates the length of a literal it has measured before only once.
sample=$(head -c 50000 /dev/zero | tr '\0' 'x')
{
  printf '{"openapi":"3.0.3","info":{"title":"Long texts","version":"1"},"paths":{'
  for i in $(seq 1 80); do
    [ "$i" -gt 1 ] && printf ','
    printf '"/items/%d":{"get":{"operationId":"getItem%d","x-code-samples":[{"lang":"C","source":"%d%s"}],' "$i" "$i" "$i" "$sample"
    printf '"responses":{"204":{"description":"none"}}}}'
  done
  printf '}}'
} >"$work/spec.json"

"$oasgen" generate "$work/spec.json" --namespace long_texts -o "$work/out" >/dev/null
printf '#include "long_texts/api.hpp"\n' >"$work/use.cpp"
"${CXX:-c++}" -std=c++17 -fsyntax-only -Wall -Wextra -Werror -I"$work/out/include" -I"$runtime_include" "$work/use.cpp"
echo "long_texts_test: the operations table of $(wc -c <"$work/out/include/long_texts/api.hpp") bytes compiles"
