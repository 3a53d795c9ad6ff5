#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: initdb into a temporary folder, a server
# listening only on a unix socket in that folder (no TCP port to collide with), the command with
# CATALOG_TEST_PG_HOST/PORT/USER set, then the server stopped and the folder removed, whatever the
# command's outcome (and on SIGTERM/SIGINT from ctest).
#
#   with_postgres.sh SECONDS COMMAND...    the command is killed after SECONDS
#
# Debian's postgresql (15) provides initdb and pg_ctl. initdb refuses to run as root, so as root
# the cluster belongs to `nobody` (runuser). A missing PostgreSQL skips (77), or fails under CI=true.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
skip="$here/../support/skip.sh"
limit=${1:?usage: with_postgres.sh SECONDS COMMAND...}
shift

bin=${OASGEN_PG_BIN:-}
if [[ -z $bin ]]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [[ -x $candidate/initdb && -x $candidate/pg_ctl ]] && bin=$candidate
  done
fi
if [[ -z $bin ]]; then
  exec "$skip" catalog_e2e_postgres "PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)"
fi

dir=$(mktemp -d /tmp/catalog-pg.XXXXXX)
run_as=()
if ((EUID == 0)); then
  chown nobody "$dir"
  run_as=(runuser -u nobody --)
fi
data="$dir/data"
port=5432  # only names the socket file in $dir; nothing listens on TCP

cleanup() {
  if [[ -f $data/postmaster.pid ]]; then
    "${run_as[@]}" "$bin/pg_ctl" -D "$data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

if ! "${run_as[@]}" "$bin/initdb" -D "$data" -U catalog -A trust -E UTF8 --no-locale --no-sync \
    >"$dir/initdb.log" 2>&1; then
  echo "with_postgres: initdb failed:" >&2
  cat "$dir/initdb.log" >&2
  exit 1
fi
# A test cluster: no durability (fsync off), socket only, enough connections for the tests' pools.
if ! "${run_as[@]}" "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses='' -k $dir -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null; then
  echo "with_postgres: the server did not start:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi

export CATALOG_TEST_PG_HOST=$dir CATALOG_TEST_PG_PORT=$port CATALOG_TEST_PG_USER=catalog
# In the background, so that a signal to this script interrupts `wait` and reaches the command.
timeout --kill-after=5 "$limit" "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 130' INT
wait "$child"
status=$?
if ((status == 124)); then
  echo "with_postgres: the command ran past ${limit}s and was stopped" >&2
fi
exit $status
