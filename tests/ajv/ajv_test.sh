#!/usr/bin/env bash
# Differential test: oasgen's generated validators against Ajv on the component schemas of the
# public corpus. For each document: generate (validator_registry), compile the validators with a
# driver, synthesise and mutate instances and let Ajv judge them (instances.cjs), then let the
# generated validators judge the same instances and compare.
#
#   ajv_test.sh VALIDATOR_REGISTRY TOOLCHAIN_FILE CORPUS_DIR WORK_DIR SOURCE_DIR
#
# Skips (tests/support/skip.sh) without node/npm or the corpus, or when npm cannot install Ajv
# because the registry is unreachable. Fails on any disagreement, on a driver that exits non-zero
# or whose verdicts do not add up to the instances it was given, on a document that does not
# generate, compile or give instances and on components without a validator (unless
# known_gaps.txt lists them with a reason), and when fewer instances are compared than the floor:
# one per component schema Ajv compiled. JOBS sets the parallelism (default 2); AJV_NPM_PREFIX
# where Ajv is installed (default WORK_DIR/npm).
set -uo pipefail
registry=$1 toolchain=$2 corpus=$3 work=$4 here=$5
jobs=${JOBS:-2}

skip=$here/../support/skip.sh
command -v node >/dev/null && command -v npm >/dev/null || exec "$skip" ajv "node and npm are not installed"
[ -d "$corpus" ] || exec "$skip" ajv "the corpus ($corpus) is not there"
mkdir -p "$work"

npm_prefix=${AJV_NPM_PREFIX:-$work/npm}
if [ ! -f "$npm_prefix/node_modules/ajv-formats/package.json" ]; then
  mkdir -p "$npm_prefix"
  echo "ajv: installing ajv and ajv-formats under $npm_prefix"
  if ! npm install --prefix "$npm_prefix" --no-audit --no-fund --loglevel=error \
      ajv@8 ajv-formats@3 >"$work/npm-install.log" 2>&1; then
    cat "$work/npm-install.log"
    exec "$skip" --npm ajv "npm could not install ajv"
  fi
fi
echo "ajv: $(node -e "console.log('ajv ' + require('$npm_prefix/node_modules/ajv/package.json').version + ', ajv-formats ' + require('$npm_prefix/node_modules/ajv-formats/package.json').version)")"

# shellcheck source=/dev/null
source "$toolchain"

docs=()
for spec in "$corpus"/*.json "$corpus"/*.yaml "$corpus"/*/networkInterface.json; do
  [ -f "$spec" ] && docs+=("$spec")
done

# One document: generate, compile, make instances, compare. Leaves $dir/result.
run_doc() {
  local spec=$1
  local id
  id=$(basename "$(dirname "$spec")")_$(basename "$spec")
  [ "$(dirname "$spec")" = "$corpus" ] && id=$(basename "$spec")
  local dir=$work/docs/$id
  mkdir -p "$dir"
  rm -f "$dir/result"
  if ! "$registry" "$spec" "$dir/generated" corpus --document "$dir/document.json" >"$dir/generate.log" 2>&1; then
    echo "not-generated $id" >"$dir/result"
    return
  fi
  # Compiling is the slow part: only when the generated code changed. Linking is always redone,
  # so that the runtime and the driver are the current ones.
  local unit
  for unit in models registry; do
    if [ ! -f "$dir/$unit.o" ] || [ "$dir/generated/src/$unit.cpp" -nt "$dir/$unit.o" ]; then
      # shellcheck disable=SC2086
      if ! "$CXX" -std=c++17 -O0 -w $INCLUDES -I"$dir/generated/include" -c \
          "$dir/generated/src/$unit.cpp" -o "$dir/$unit.o" >"$dir/compile.log" 2>&1; then
        rm -f "$dir/$unit.o"
        echo "not-compiled $id" >"$dir/result"
        return
      fi
    fi
  done
  # shellcheck disable=SC2086
  if ! "$CXX" "$dir/models.o" "$dir/registry.o" $LIBS -o "$dir/driver" >"$dir/compile.log" 2>&1; then
    echo "not-compiled $id" >"$dir/result"
    return
  fi
  if ! node "$here/instances.cjs" "$npm_prefix" "$dir/document.json" "$dir/instances.jsonl" "$spec" \
      >"$dir/instances.log" 2>&1; then
    echo "no-instances $id" >"$dir/result"
    return
  fi
  local status
  "$dir/driver" "$dir/instances.jsonl" >"$dir/compare.log" 2>&1
  status=$?
  if ((status != 0)); then
    echo "driver-failed $id exit $status" >"$dir/result"
    return
  fi
  echo "compared $id" >"$dir/result"
}
export -f run_doc
export work corpus registry here npm_prefix CXX INCLUDES LIBS

printf '%s\n' "${docs[@]}" | xargs -P "$jobs" -I{} bash -c 'run_doc "$@"' _ {}

# Documents or components allowed to drop out: "ID<TAB>REASON" lines (ID as printed below).
gaps=$here/known_gaps.txt
gap_reason() { [[ -f $gaps ]] && awk -F'\t' -v id="$1" '$1 == id { print $2; exit }' "$gaps"; }
# A drop-out fails the test unless known_gaps.txt gives its reason.
dropped() {
  local id=$1 what=$2 reason
  reason=$(gap_reason "$id")
  if [[ -n $reason ]]; then
    echo "ajv: $id: $what (known gap: $reason)"
  else
    echo "ajv: $id: FAILED: $what, and known_gaps.txt gives no reason"
    status=1
  fi
}

total=0 disagreements=0 status=0 floor=0 documents=0
for spec in "${docs[@]}"; do
  id=$(basename "$(dirname "$spec")")_$(basename "$spec")
  [ "$(dirname "$spec")" = "$corpus" ] && id=$(basename "$spec")
  dir=$work/docs/$id
  read -r outcome _ rest <"$dir/result" 2>/dev/null || outcome=missing
  case $outcome in
    compared)
      # Every line of the driver's output: DISAGREE blocks and exactly one summary line, whose
      # counts must add up to the instances it was given.
      summaries=$(grep -cE '^compared [0-9]+ disagreements [0-9]+ ajv-valid [0-9]+ missing [0-9]+$' "$dir/compare.log")
      disagree_lines=$(grep -c '^DISAGREE ' "$dir/compare.log")
      lines=$(grep -c . "$dir/instances.jsonl")
      components=$(sed -nE 's/^instances: [0-9]+ for ([0-9]+) components.*/\1/p' "$dir/instances.log")
      if ((summaries != 1)) || [[ -z $components ]]; then
        echo "ajv: $id: FAILED: the driver printed $summaries summary lines, instances.cjs ${components:-no} component count"
        tail -n 5 "$dir/compare.log" "$dir/instances.log" | sed 's/^/    /'
        status=1
        continue
      fi
      read -r _ n _ m _ k _ l < <(grep -E '^compared [0-9]+ ' "$dir/compare.log")
      documents=$((documents + 1))
      echo "ajv: $id: $n instances ($k valid by Ajv), $m disagreements$([ "$l" != 0 ] && echo ", $l for components without a validator")$(grep -o '[0-9]* components Ajv cannot compile' "$dir/instances.log" | sed 's/^/, /')"
      if ((n + l != lines || disagree_lines != m)); then
        echo "ajv: $id: FAILED: $lines instances given, the driver judged $n and missed $l; $disagree_lines DISAGREE lines for $m"
        status=1
      fi
      ((l == 0)) || dropped "$id:no-validator" "$l instances of components without a validator"
      total=$((total + n))
      floor=$((floor + components))
      disagreements=$((disagreements + m))
      grep -A12 '^DISAGREE' "$dir/compare.log" | head -n 60
      ;;
    not-generated)
      dropped "$id" "not used, it does not generate"
      grep -m 3 'error' "$dir/generate.log" | sed 's/^/    /'
      ;;
    not-compiled)
      dropped "$id" "not used, its generated code does not compile"
      grep -m 3 'error' "$dir/compile.log" | sed 's/^/    /'
      ;;
    *)
      echo "ajv: $id: FAILED: no result ($outcome $rest):"
      tail -n 5 "$dir/instances.log" "$dir/compare.log" 2>/dev/null | sed 's/^/    /'
      status=1
      ;;
  esac
done
echo "ajv: $total instances compared in $documents documents, $disagreements disagreements"
if ((documents == 0 || total < floor)); then
  echo "ajv: FAILED: $total instances compared, under the floor of $floor (one per component schema Ajv compiled)"
  status=1
fi
[ "$disagreements" -eq 0 ] || status=1
exit $status
