#!/usr/bin/env bash
# oasgen/precompiled.hpp (oasgen_generate's PRECOMPILE_RUNTIME) holds every header the built-in
# templates of generated code include with <...>, and compiles on its own; a header it missed would
# still compile, only slower, so nothing else would notice.
# Usage: runtime_pch_test.sh <templates> <runtime/include>
set -uo pipefail
templates=$1
include=$2
header=$include/oasgen/precompiled.hpp
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The templates of what `oasgen generate` writes for a target (not `oasgen init`'s project files).
for template in api.hpp models.hpp models.cpp server.hpp server.cpp client.hpp client.cpp docs.hpp docs.cpp; do
  [ -f "$templates/$template.mustache" ] || { fail "no template $template.mustache"; continue; }
  while read -r line; do
    grep -qxF "$line" "$header" || fail "$template.mustache: '$line' is not in oasgen/precompiled.hpp"
  done < <(grep -oE '^#include <[^>]+>' "$templates/$template.mustache" | sort -u)
done
echo '#include <oasgen/precompiled.hpp>' | "${CXX:-c++}" -std=c++17 -Wall -Wextra -Werror -fsyntax-only \
  -I"$include" -x c++ - || fail "oasgen/precompiled.hpp does not compile on its own"
[ "$failures" -eq 0 ] && echo "runtime_pch_test: passed" || { echo "runtime_pch_test: $failures failure(s)"; exit 1; }
