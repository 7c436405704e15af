#!/usr/bin/env bash
# Make sure Debian's PostgreSQL server programs (initdb, pg_ctl) are there for the PostgreSQL half of
# the store, import and concurrency tests; the tests start their own throwaway server (tests/pg.py).
# Installs Debian's postgresql when missing and we may (root or passwordless sudo).
# With CI=true a missing server fails.
set -u
found() {
  if [ -n "${SOTE_PG_BINDIR:-}" ]; then
    [ -x "$SOTE_PG_BINDIR/initdb" ] && [ -x "$SOTE_PG_BINDIR/pg_ctl" ]
    return
  fi
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null
}
if found; then exit 0; fi
install() {
  export DEBIAN_FRONTEND=noninteractive
  "$@" apt-get update -qq && "$@" apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}
if [ "$(id -u)" = 0 ]; then
  install env
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  install sudo -n
fi
if found; then exit 0; fi
if [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL (initdb) is missing and could not be installed: PostgreSQL tests cannot run (CI=true)." >&2
  exit 1
fi
echo "note: PostgreSQL is missing and could not be installed; PostgreSQL tests will be skipped." >&2
exit 0
