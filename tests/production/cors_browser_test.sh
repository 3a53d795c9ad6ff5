#!/usr/bin/env bash
# CORS as a real browser enforces it: headless Debian chromium, driven by npm playwright-core
# (installed into WORK_DIR on first use), loads pages from two 127.0.0.1 origins that call the
# petstore example on a third port, configured with OASGEN_CORS_ORIGINS for one of them.
#
# usage: cors_browser_test.sh PETSTORE_SERVER SOURCE_DIR WORK_DIR
# Exit 77 (skipped) when chromium, node or npm is missing, or playwright-core cannot be installed.
set -euo pipefail
if (($# != 3)); then
  echo "usage: $0 PETSTORE_SERVER SOURCE_DIR WORK_DIR" >&2
  exit 2
fi
petstore_server=$1 source_dir=$2 work=$3
chromium=${OASGEN_CHROMIUM:-/usr/bin/chromium}
playwright_version=1.65.1  # as tests/docs/browser_test.sh

if [[ ! -x $chromium ]]; then
  echo "cors_browser: SKIPPED: $chromium is not installed" \
       "(scripts/install-deps.sh installs Debian's chromium)"
  exit 77
fi
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "cors_browser: SKIPPED: $tool is not installed"
    exit 77
  fi
done

mkdir -p "$work"
work=$(cd "$work" && pwd)
npm_dir=$work/npm
if [[ ! -f $npm_dir/node_modules/playwright-core/package.json ]]; then
  echo "cors_browser: installing playwright-core@$playwright_version into $npm_dir"
  mkdir -p "$npm_dir"
  if ! (cd "$npm_dir" && timeout 180 npm install --no-audit --no-fund --no-save \
          --loglevel=error --prefix "$npm_dir" "playwright-core@$playwright_version" \
          >"$work/npm-install.log" 2>&1); then
    echo "cors_browser: SKIPPED: npm could not install playwright-core (see $work/npm-install.log)"
    exit 77
  fi
fi

exec timeout 240 node "$source_dir/tests/production/cors_browser_test.cjs" \
  --playwright "$npm_dir/node_modules/playwright-core" --chromium "$chromium" \
  --petstore-server "$petstore_server" --work "$work"
