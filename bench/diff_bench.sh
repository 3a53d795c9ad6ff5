#!/usr/bin/env bash
# Times `oasgen diff` on a large document against a copy of itself with two breaking edits (issue 18,
# point 3: under 2 s), beside the time to load one document (`oasgen dump model`, which also prints
# the model as JSON). diff loads two, so a ratio near 2 is the floor. Run by hand, never by ctest. Usage: bench/diff_bench.sh [OASGEN] [DOCUMENT] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oasgen=${1:-$here/../build/generator/oasgen}
doc=${2:-$here/../../shared/corpus/large/big-github.json}
runs=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The edits: the first property of the first component schema (2.0: definition) that has two or
# more removed, and the first optional query parameter of the first operation that has one made
# required.
python3 - "$doc" "$work/new.json" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
done = []
schemas = spec.get("components", {}).get("schemas") or spec.get("definitions", {})  # 3.x or 2.0
for name, schema in schemas.items():
    props = schema.get("properties", {})
    if len(props) >= 2:
        prop = next(iter(props))
        del props[prop]
        if prop in schema.get("required", []):
            schema["required"].remove(prop)
        done.append(f"property {name}.{prop} removed")
        break
def made_required():
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            for p in op.get("parameters", []):
                if p.get("in") == "query" and not p.get("required"):
                    p["required"] = True
                    return f"query parameter {p['name']} of {method.upper()} {path} made required"
done.append(made_required())
json.dump(spec, open(sys.argv[2], "w"))
print("edits: " + "; ".join(str(d) for d in done))
EOF

seconds() {  # wall-clock seconds of "$@", output discarded
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2>&1 || true  # diff exits 1 on the errors the edits make
  end=$(date +%s.%N)
  echo "$start $end" | awk '{printf "%.3f", $2 - $1}'
}

{ "$oasgen" diff "$doc" "$work/new.json" 2> /dev/null || true; } | tail -1  # the summary
echo "document: $doc"
for i in $(seq "$runs"); do
  load=$(seconds "$oasgen" dump model "$doc")
  diff=$(seconds "$oasgen" diff "$doc" "$work/new.json")
  wire=$(seconds "$oasgen" diff --wire-only "$doc" "$work/new.json")
  ratio=$(echo "$diff $load" | awk '{printf "%.1f", $1 / $2}')
  echo "run $i: diff ${diff} s (wire only ${wire} s), dump model ${load} s, ratio ${ratio}x"
done
