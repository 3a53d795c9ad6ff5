#!/usr/bin/env bash
# Installs what oasgen needs to build and test on Debian 12, from Debian packages only.
# Fast when everything is already there: apt is not touched then. Run as root (or via sudo).
set -euo pipefail

packages=(
  build-essential
  cmake
  ninja-build
  pkg-config
  libyaml-cpp-dev
  libcli11-dev
  libfmt-dev
  nlohmann-json3-dev
  doctest-dev
  libboost-dev
  libpcre2-dev
  # JWT verification (runtime/src/security) and https in the client transport.
  libssl-dev
  # argon2id password hashes (oasgen/security/passwords.hpp).
  libargon2-dev
  # The Redis rate-limit store (oasgen/middleware/rate_limit_redis.hpp) and its test's server.
  libhiredis-dev
  redis-server
  curl
  ca-certificates
  json-schema-test-suite
  # The docs page is tested in a real browser (tests/docs/browser_test.sh): headless chromium,
  # driven by npm's playwright-core, which the test installs into the build folder.
  chromium
  # promtool, Prometheus's own checker of the /metrics text format (tests/observability).
  prometheus
  # The second HTTP/1.1 parser of the conformance test (tests/http).
  python3-h11
  # malloc_tunables_test watches oasgen start itself again with malloc tuned (support/allocator.hpp).
  strace
  # The fuzz harnesses and the ASan+UBSan suite (scripts/fuzz.sh, scripts/sanitize.sh).
  clang-14
  libclang-rt-14-dev
  libfuzzer-14-dev
  # The catalog example's databases: SQLite (embedded) and PostgreSQL through libpq; its tests
  # start a throwaway PostgreSQL cluster (initdb, pg_ctl).
  libsqlite3-dev
  libpq-dev
  postgresql
  # nginx in front of two catalog instances (tests/catalog/nginx_two_instances.sh).
  nginx-light
)
# The Ajv, Prism and browser tests install their npm packages themselves, with Node.js and npm.
# A Node.js already on the PATH (NodeSource's, nvm's) is kept: Debian's npm would conflict with it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  # dpkg -s succeeds for removed-but-configured packages too, so check the status line itself.
  status=$(dpkg-query -W -f='${Status}' "${package}" 2>/dev/null || true)
  if [[ "${status}" != "install ok installed" ]]; then
    missing+=("${package}")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=()
if ((EUID != 0)); then
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
