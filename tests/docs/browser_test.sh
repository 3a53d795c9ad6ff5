#!/usr/bin/env bash
# The docs page in a real browser: headless Debian chromium driven by npm playwright-core (installed
# into the build folder on first use), with every request outside 127.0.0.1 refused. Opens /docs of
# the running petstore example, of the hostile docs-xss spec and of big-github.json (when
# ../shared is there), and leaves screenshots in WORK_DIR.
#
# usage: browser_test.sh OASGEN PETSTORE_SERVER DOCS_SERVER SOURCE_DIR SHARED_DIR WORK_DIR
# Skips (tests/support/skip.sh) when chromium, node or npm is missing, or when npm cannot install
# playwright-core because the registry is unreachable.
set -euo pipefail
if (($# != 7)); then
  echo "usage: $0 OASGEN PETSTORE_SERVER DOCS_SERVER SECURITY_SERVER SOURCE_DIR SHARED_DIR WORK_DIR" >&2
  exit 2
fi
oasgen=$1 petstore_server=$2 docs_server=$3 security_server=$4 source_dir=$5 shared_dir=$6 work=$7
chromium=${OASGEN_CHROMIUM:-/usr/bin/chromium}
skip=$(dirname "$0")/../support/skip.sh
playwright_version=1.65.1

if [[ ! -x $chromium ]]; then
  exec "$skip" docs_browser "$chromium is not installed (scripts/install-deps.sh installs Debian's chromium)"
fi
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    exec "$skip" docs_browser "$tool is not installed (scripts/install-deps.sh installs it)"
  fi
done

mkdir -p "$work"
npm_dir=$work/npm
if [[ ! -f $npm_dir/node_modules/playwright-core/package.json ]]; then
  echo "docs_browser: installing playwright-core@$playwright_version into $npm_dir"
  mkdir -p "$npm_dir"
  if ! (cd "$npm_dir" && timeout 180 npm install --no-audit --no-fund --no-save --loglevel=error \
          --prefix "$npm_dir" "playwright-core@$playwright_version" >"$work/npm-install.log" 2>&1); then
    tail -20 "$work/npm-install.log"
    exec "$skip" --npm docs_browser "npm could not install playwright-core"
  fi
fi

# Docs of specs without a server of their own, served by docs_server.
rm -rf "$work/xss" "$work/features" "$work/github"
"$oasgen" docs "$source_dir/specs/docs-xss.yaml" -o "$work/xss"
"$oasgen" docs "$source_dir/specs/features.yaml" -o "$work/features"
big=$shared_dir/corpus/large/big-github.json
if [[ -f $big ]]; then
  "$oasgen" docs "$big" -o "$work/github" 2>"$work/github-warnings.log"
  echo "docs_browser: big-github docs generated ($(grep -c 'warning\[' "$work/github-warnings.log" || true) warnings)"
else
  echo "docs_browser: big-github.json not found under $shared_dir/corpus/large: that part is skipped"
fi

exec timeout 240 node "$source_dir/tests/docs/browser_test.cjs" \
  --playwright "$npm_dir/node_modules/playwright-core" --chromium "$chromium" \
  --petstore-server "$petstore_server" --docs-server "$docs_server" --security-server "$security_server" \
  --work "$work"
