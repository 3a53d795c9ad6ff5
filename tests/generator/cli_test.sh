#!/usr/bin/env bash
# The oasgen command line: idempotent regeneration (byte-identical, mtimes untouched), stale-file
# removal, --check, compiler-style diagnostics and no partial output on errors.
# Usage: cli_test.sh <oasgen> <source dir>
set -euo pipefail
oasgen=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
snapshot() { (cd "$1" && find . -type f -printf '%p %T@ %s\n' | sort); }

"$oasgen" --version | grep -qx 'oasgen 0.1.0' || fail "--version"

# Two runs: identical bytes, and the second touches nothing.
"$oasgen" generate "$src/specs/petstore.yaml" -o "$work/a" --namespace petstore
"$oasgen" generate "$src/specs/petstore.yaml" -o "$work/b" --namespace petstore
diff -r "$work/a" "$work/b" >/dev/null || fail "two runs differ"
before=$(snapshot "$work/a")
sleep 1
"$oasgen" generate "$src/specs/petstore.yaml" -o "$work/a" --namespace petstore
[ "$before" = "$(snapshot "$work/a")" ] || fail "regeneration touched unchanged files"

# --check: clean, then out of date after an edit.
"$oasgen" generate "$src/specs/petstore.yaml" -o "$work/a" --namespace petstore --check || fail "--check on a fresh tree"
echo "// edited" >>"$work/a/src/models.cpp"
if "$oasgen" generate "$src/specs/petstore.yaml" -o "$work/a" --namespace petstore --check 2>"$work/check.err"; then
  fail "--check accepted an edited file"
fi
grep -q 'src/models.cpp: out of date' "$work/check.err" || fail "--check did not name the file"

# A new namespace: the previous run's files are removed.
"$oasgen" generate "$src/specs/petstore.yaml" -o "$work/a" --namespace shop
[ ! -e "$work/a/include/petstore/models.hpp" ] || fail "stale file kept"
[ -e "$work/a/include/shop/models.hpp" ] || fail "new file missing"

# Templates: exported, one edited, used as an override; the others stay built in.
"$oasgen" templates export "$work/templates"
[ -f "$work/templates/server.hpp.mustache" ] || fail "templates export"
sed -i '1a // Customised by our team.' "$work/templates/models.hpp.mustache"
rm "$work/templates/server.hpp.mustache"
"$oasgen" generate "$src/specs/petstore.yaml" -o "$work/custom" --namespace petstore --templates "$work/templates"
sed -n 2p "$work/custom/include/petstore/models.hpp" | grep -qx '// Customised by our team.' || fail "--templates override"
cmp -s "$work/custom/include/petstore/server.hpp" "$work/a/include/shop/server.hpp" && fail "namespace ignored"
grep -q 'class Handler' "$work/custom/include/petstore/server.hpp" || fail "built-in template for a missing override"

# A spec error: compiler-style message, non-zero exit, nothing written.
cat >"$work/bad.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets/{petId}:
    get:
      responses:
        '200': {description: ok}
YAML
if "$oasgen" generate "$work/bad.yaml" -o "$work/out" 2>"$work/bad.err"; then fail "bad spec accepted"; fi
grep -qF "bad.yaml:6:7: error[spec-invalid]: path parameter 'petId' of '/pets/{petId}' is not declared (at #/paths/~1pets~1{petId}/get)" "$work/bad.err" \
  || { fail "diagnostic format"; cat "$work/bad.err"; }
[ ! -e "$work/out" ] || fail "partial output after an error"

# A YAML syntax error points at the line.
printf 'openapi: 3.0.3\ninfo: {title: t\n' >"$work/broken.yaml"
if "$oasgen" generate "$work/broken.yaml" -o "$work/out" 2>"$work/broken.err"; then fail "broken YAML accepted"; fi
grep -qE '^.*broken\.yaml:[0-9]+:[0-9]+: error\[syntax\]' "$work/broken.err" || { fail "syntax error format"; cat "$work/broken.err"; }

# An invalid namespace is a usage error.
if "$oasgen" generate "$src/specs/petstore.yaml" -o "$work/c" --namespace 'a::class' 2>/dev/null; then
  fail "keyword namespace accepted"
fi

# Build integration: --list-outputs names exactly what a run writes, and writes nothing; --depfile
# lists every file read, absolute, spaces escaped, for the first generated file by default.
"$oasgen" generate "$src/specs/petstore.yaml" -o "$work/listed" --namespace acme::pets --list-outputs >"$work/listed.txt"
[ ! -e "$work/listed" ] || fail "--list-outputs wrote files"
"$oasgen" generate "$src/specs/petstore.yaml" -o "$work/listed" --namespace acme::pets
(cd "$work/listed" && find . -type f ! -name .oasgen-manifest | sed 's|^\./||' | LC_ALL=C sort) \
  | diff - "$work/listed.txt" || fail "--list-outputs differs from what is written"
grep -qx 'include/acme_pets/models.hpp' "$work/listed.txt" || fail "--list-outputs: models.hpp"
mkdir -p "$work/split dir/schemas"
cp "$src/tests/consumer/project/api.yaml" "$work/split dir/"
cp "$src/tests/consumer/project/schemas/animal.yaml" "$work/split dir/schemas/"
(cd "$work" && "$oasgen" generate "split dir/api.yaml" -o split-out --namespace shelter --depfile split.d)
first=$("$oasgen" generate "$work/split dir/api.yaml" -o "$work/split-out" --namespace shelter --list-outputs | head -n1)
printf '%s: \\\n  %s \\\n  %s\n' "$work/split-out/$first" \
    "$work/split\\ dir/api.yaml" "$work/split\\ dir/schemas/animal.yaml" \
  | diff - "$work/split.d" || fail "--depfile: the spec and the \$ref'd file"
mkdir -p "$work/one-override"
cp "$work/templates/models.hpp.mustache" "$work/one-override/"
"$oasgen" generate "$src/specs/petstore.yaml" -o "$work/custom" --namespace petstore \
  --templates "$work/one-override" --depfile "$work/custom.d" --depfile-target "$work/custom.stamp"
printf '%s: \\\n  %s \\\n  %s \\\n  %s\n' "$work/custom.stamp" "$src/specs/petstore.yaml" \
    "$work/one-override" "$work/one-override/models.hpp.mustache" \
  | diff - "$work/custom.d" || fail "--depfile with --templates: the folder and the override read"

# Lenient by default, strict on request: a Java pattern is a warning (and translated), and under
# --strict the same warning is an error that stops generation.
cat >"$work/java.yaml" <<'YAML'
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Code: {type: string, pattern: '^\p{Alnum}+$'}
YAML
"$oasgen" generate "$work/java.yaml" -o "$work/java" 2>"$work/java.err" || fail "lenient generate refused a Java pattern"
grep -qF 'java.yaml:6:35: warning[pattern-invalid]: pattern "^\\p{Alnum}+$" is not a valid ECMA-262 regular expression' "$work/java.err" \
  || { fail "lenient: the pattern warning"; cat "$work/java.err"; }
grep -qF 'static const oasgen::Regex pattern("^[a-zA-Z0-9]+$");' "$work/java/src/models.cpp" || fail "lenient: the translated pattern"
if "$oasgen" generate "$work/java.yaml" -o "$work/java-strict" --strict 2>"$work/strict.err"; then fail "--strict accepted a warning"; fi
grep -qF 'java.yaml:6:35: error[pattern-invalid]:' "$work/strict.err" || { fail "--strict: the error"; cat "$work/strict.err"; }
[ ! -e "$work/java-strict" ] || fail "--strict: partial output"

# --verbose: each stage's time and size.
"$oasgen" generate "$src/specs/petstore.yaml" -o "$work/verbose" --namespace petstore --verbose 2>"$work/verbose.err"
for stage in load model naming render write; do
  grep -qE "^oasgen: $stage: [0-9]+ ms, " "$work/verbose.err" || { fail "--verbose: no $stage line"; cat "$work/verbose.err"; }
done
grep -qE '^oasgen: load: [0-9]+ ms, 1 file, [0-9]+ (bytes|KiB)$' "$work/verbose.err" || fail "--verbose: load size"

# stubs: written once, never overwritten; --check clean on its own output, exit 1 when the spec
# has an operation the file lacks.
"$oasgen" stubs "$src/specs/petstore.yaml" -o "$work/stubs/handler.hpp" --namespace petstore
grep -q 'class Service : public petstore::Handler {' "$work/stubs/handler.hpp" || fail "stubs: the class"
if "$oasgen" stubs "$src/specs/petstore.yaml" -o "$work/stubs/handler.hpp" 2>"$work/stubs.err"; then fail "stubs overwrote"; fi
grep -q "exists: stubs writes a handler skeleton once and never overwrites it" "$work/stubs.err" || fail "stubs: refusal"
"$oasgen" stubs "$src/specs/petstore.yaml" --check "$work/stubs/handler.hpp" --namespace petstore 2>"$work/check.err" \
  || { fail "stubs --check on its own skeleton"; cat "$work/check.err"; }
grep -v 'get_pet' "$work/stubs/handler.hpp" >"$work/stubs/partial.hpp"
if "$oasgen" stubs "$src/specs/petstore.yaml" --check "$work/stubs/partial.hpp" --namespace petstore 2>"$work/check.err"; then
  fail "stubs --check accepted a missing operation"
fi
grep -qE 'petstore.yaml:[0-9]+:[0-9]+: error\[stub-missing\]: operation GET /pets/\{petId\} is not implemented in .*partial.hpp' "$work/check.err" \
  || { fail "stubs --check: the missing operation"; cat "$work/check.err"; }
if "$oasgen" stubs "$src/specs/petstore.yaml" 2>/dev/null; then fail "stubs without -o or --check"; fi

# init refuses a folder that is not empty (the project itself is built by consumer_init).
mkdir -p "$work/taken" && touch "$work/taken/notes.txt"
if "$oasgen" init "$work/taken" 2>"$work/init.err"; then fail "init into a non-empty folder"; fi
grep -qF "it is not empty; init writes a new project only into a missing or empty folder" "$work/init.err" || fail "init: refusal"
"$oasgen" init "$work/My Service" --spec "$src/specs/petstore.yaml" >/dev/null || fail "init with a spec"
grep -q 'project(my_service LANGUAGES CXX)' "$work/My Service/CMakeLists.txt" || fail "init: the project name"
cmp -s "$src/specs/petstore.yaml" "$work/My Service/petstore.yaml" || fail "init: the spec copied"
sed -i '1a Customised by our team.' "$work/templates/project_README.md.mustache"
"$oasgen" init "$work/custom-init" --templates "$work/templates" >/dev/null || fail "init with --templates"
sed -n 2p "$work/custom-init/README.md" | grep -qx 'Customised by our team.' || fail "init: template override"

if [ "$failures" -ne 0 ]; then
  echo "cli_test: $failures failure(s)"
  exit 1
fi
echo "cli_test: all checks passed"
