#!/usr/bin/env bash
# Make sure Debian's chromium is there for the browser tests (Playwright's own download can't work here).
# Installs it when missing and we may (root or passwordless sudo). With CI=true a missing browser fails.
set -u
CHROMIUM=${SOTE_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then exit 0; fi
install() {
  export DEBIAN_FRONTEND=noninteractive
  "$@" apt-get update -qq && "$@" apt-get install -y -qq chromium >/dev/null
}
if [ "$(id -u)" = 0 ]; then
  install env
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  install sudo -n
fi
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "${CI:-}" = "true" ]; then
  echo "chromium is missing and could not be installed: browser tests cannot run (CI=true)." >&2
  exit 1
fi
echo "note: chromium is missing and could not be installed; browser tests will be skipped." >&2
exit 0
