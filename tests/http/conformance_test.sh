#!/usr/bin/env bash
# ctest entry of tests/http/conformance.py: finds a Python 3 with h11 (Debian python3-h11; a pyenv
# or venv python3 on the PATH may lack it) and runs the table against the petstore server.
# Usage: conformance_test.sh PETSTORE_SERVER SKIP_SH
set -uo pipefail
server=${1:?usage: conformance_test.sh PETSTORE_SERVER SKIP_SH}
skip=${2:?usage: conformance_test.sh PETSTORE_SERVER SKIP_SH}
here=$(cd "$(dirname "$0")" && pwd)
for python in /usr/bin/python3 python3; do
  if command -v "$python" >/dev/null && "$python" -c 'import h11' 2>/dev/null; then
    exec "$python" "$here/conformance.py" "$server"
  fi
done
exec "$skip" http_conformance "no python3 with h11 (Debian python3-h11, scripts/install-deps.sh)"
