#!/usr/bin/env bash
# The compile time of generated code (issue 19): generates server and client for each document and
# compiles every generated file, at each optimisation level, as a build on JOBS cores would (large
# documents against a precompiled header of server.hpp and client.hpp, as the corpus test does).
# Then the edit loop: one schema's description changed, and one property added; the rebuild
# compiles what a build system would (everything when a header changed, else the changed files).
# Run by hand, never by ctest; figures go to BENCHMARKS.md.
#
# Usage: bench/compile_bench.sh [OASGEN] [DOCUMENT...]
#   DOCUMENT: petstore, stripe, github (default: all three), or a path.
# Environment: OPT="-O0 -O2" (levels), JOBS=2, CXX=g++ (no ccache), OPTIONAL=oasgen|std (default:
# oasgen for documents past 1,000 structs, as `generate` suggests, else std), INCREMENTAL=1 (0: skip
# the edit loop), KEEP=DIR (keep the generated code and logs there).
#
# Per document and level it prints: wall clock of the whole build, processor time (user + system,
# summed over files), processor time per operation of the server and client files and per type of
# the model files, and the size of the generated C++.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$here/..
oasgen=${1:-$root/build/generator/oasgen}
shift || true
documents=("$@")
[ ${#documents[@]} -eq 0 ] && documents=(petstore stripe github)
levels=${OPT:--O0 -O2}
jobs=${JOBS:-2}
cxx=${CXX:-g++}
incremental=${INCREMENTAL:-1}
work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -z "${KEEP:-}" ] && trap 'rm -rf "$work"' EXIT

path_of() {
  case "$1" in
    petstore) echo "$root/specs/petstore.yaml" ;;
    stripe) echo "$root/../shared/corpus/large/big-stripe.json" ;;
    github) echo "$root/../shared/corpus/large/big-github.json" ;;
    *) echo "$1" ;;
  esac
}

now() { date +%s.%N; }
sum_times() {
  local files=()
  for f in "$@"; do [ -f "$f" ] && files+=("$f"); done
  if [ ${#files[@]} -eq 0 ]; then echo 0; else cat "${files[@]}" | awk '{t += $1 + $2} END {printf "%.1f", t}'; fi
}

# compile OUT LEVEL PCH FILE...: with PCH "build", the precompiled header first (large
# documents, as the corpus test does); with "use", an existing one; then FILE... in parallel, each
# file's processor time in FILE.time. Prints the wall clock.
compile() {
  local out=$1 level=$2 pch=$3
  shift 3
  local flags=(-std=c++17 "$level" -Wall -Wextra -Werror -Winvalid-pch -I"$out/include" -I"$root/runtime/include")
  local start
  start=$(now)
  if [ "$pch" = build ]; then
    printf '#include "bench/server.hpp"\n#include "bench/client.hpp"\n' >"$out/all.hpp"
    /usr/bin/time -f '%U %S' -o "$out/all.hpp.time" "$cxx" "${flags[@]}" -x c++-header "$out/all.hpp" -o "$out/all.hpp.gch"
  fi
  [ "$pch" != none ] && flags+=(-include "$out/all.hpp")
  if [ $# -gt 0 ]; then
    printf '%s\0' "$@" | xargs -0 -P "$jobs" -I{} \
      /usr/bin/time -f '%U %S' -o {}.time "$cxx" "${flags[@]}" -c {} -o {}.o
  fi
  awk -v s="$start" -v e="$(now)" 'BEGIN {printf "%.1f", e - s}'
}

count_ops() { cat "$1"/src/server*.cpp | grep -c '^oasgen::Response handle_'; }
count_types() { cat "$1"/src/models*.cpp | grep -c '^void validate_'; }

# edit SPEC OUT KIND: writes SPEC with one edit of KIND (description, property) to OUT, as JSON
# (which YAML reads too).
edit() {
  python3 - "$1" "$2" "$3" <<'EOF'
import json, sys, yaml
src, dst, kind = sys.argv[1:]
text = open(src).read()
spec = json.loads(text) if src.endswith(".json") else yaml.safe_load(text)
schemas = spec.get("components", {}).get("schemas") or spec.get("definitions", {})
name, schema = next((n, s) for n, s in schemas.items() if s.get("properties"))
if kind == "description":
    schema["description"] = (schema.get("description") or name) + " (edited)"
else:
    schema["properties"]["benchAdded"] = {"type": "string", "description": "Added by the benchmark."}
json.dump(spec, open(dst, "w"))
EOF
}

printf '%-12s %-4s %8s %9s %6s %5s %6s %10s %10s %10s %8s\n' document opt wall_s cpu_s files ops types srv_ms/op cli_ms/op mdl_ms/type size_KB
for doc in "${documents[@]}"; do
  spec=$(path_of "$doc")
  name=$(basename "$spec")
  name=${name%.*}
  for level in $levels; do
    out="$work/$name$level"
    rm -rf "$out"
    generate() {
      "$oasgen" generate "$1" -o "$out" --namespace bench --server --client "${optional[@]}" 2>"$out.generate.log" ||
        { cat "$out.generate.log"; exit 1; }
    }
    optional=()
    [ -n "${OPTIONAL:-}" ] && optional=(--optional "$OPTIONAL")
    generate "$spec"
    if [ -z "${OPTIONAL:-}" ] && grep -q 'large-api' "$out.generate.log"; then
      rm -rf "$out"
      optional=(--optional oasgen)
      generate "$spec"
    fi
    files=("$out"/src/*.cpp)
    pch=none
    [ ${#files[@]} -gt 3 ] && pch=build
    wall=$(compile "$out" "$level" "$pch" "${files[@]}")
    cpu=$(sum_times "$out"/src/*.time "$out"/all.hpp.time)
    ops=$(count_ops "$out")
    types=$(count_types "$out")
    srv=$(sum_times "$out"/src/server*.time)
    cli=$(sum_times "$out"/src/client*.time)
    mdl=$(sum_times "$out"/src/models*.time)
    size=$(cat "$out"/include/bench/*.hpp "$out"/src/*.cpp | wc -c)
    awk -v d="$name" -v o="$level" -v w="$wall" -v c="$cpu" -v f=${#files[@]} -v ops="$ops" \
        -v ty="$types" -v s="$srv" -v cl="$cli" -v m="$mdl" -v z="$size" 'BEGIN {
      printf "%-12s %-4s %8.1f %9.1f %6d %5d %6d %10.0f %10.0f %10.1f %8.0f\n", d, o, w, c, f, ops, ty,
             ops ? 1000 * s / ops : 0, ops ? 1000 * cl / ops : 0, ty ? 1000 * m / ty : 0, z / 1000 }'
    if [ "$incremental" = 1 ] && [ "$level" = -O0 ]; then
      for kind in description property; do
        # The same file name, so that the banners of the generated files stay as they were.
        mkdir -p "$out.$kind"
        edit "$spec" "$out.$kind/$(basename "$spec")" "$kind"
        (cd "$out" && find include src -name '*.?pp' -exec md5sum {} + | sort -k2 >"$out.before")
        rm -f "$out"/src/*.time "$out"/all.hpp.time
        start=$(now)
        generate "$out.$kind/$(basename "$spec")"
        (cd "$out" && find include src -name '*.?pp' -exec md5sum {} + | sort -k2 >"$out.after")
        changed=$(diff "$out.before" "$out.after" | awk '/^>/ {print $3}' || true)
        # Every file includes the headers: a changed header rebuilds everything.
        rebuild=()
        step=$pch
        if echo "$changed" | grep -q '^include/'; then
          rebuild=("$out"/src/*.cpp)
        else
          for f in $changed; do rebuild+=("$out/$f"); done
          [ "$pch" = build ] && step=use
        fi
        compile "$out" "$level" "$step" "${rebuild[@]}" >/dev/null
        awk -v d="$name" -v k="$kind" -v s="$start" -v e="$(now)" -v n=${#rebuild[@]} \
            -v c="$(sum_times "$out"/src/*.time "$out"/all.hpp.time)" -v ch="$(echo $changed | wc -w)" 'BEGIN {
          printf "  %s, %s: %d files changed, %d compiled, %.1f s wall, %.1f s processor\n",
                 d, (k == "property" ? "one property added" : "one schema description changed"), ch, n, e - s, c }'
        generate "$spec"
        [ "$pch" = build ] && compile "$out" "$level" build >/dev/null
      done
    fi
    find "$out" -name '*.o' -delete
    rm -f "$out/all.hpp.gch"
  done
done
