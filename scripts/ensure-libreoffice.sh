#!/usr/bin/env bash
# Make sure LibreOffice Calc (soffice) is there for the LibreOffice round-trip import tests.
# Installs Debian's libreoffice-calc-nogui (or libreoffice-calc where -nogui is not packaged) when
# missing and we may (root or passwordless sudo). With CI=true a missing soffice fails.
set -u
SOFFICE=${SOTE_SOFFICE:-soffice}
if command -v "$SOFFICE" >/dev/null; then exit 0; fi
install() {
  export DEBIAN_FRONTEND=noninteractive
  "$@" apt-get update -qq || return 1
  local package=libreoffice-calc-nogui
  if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    package=libreoffice-calc
  fi
  "$@" apt-get install -y -qq --no-install-recommends "$package" >/dev/null
}
if [ "$(id -u)" = 0 ]; then
  install env
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  install sudo -n
fi
if command -v "$SOFFICE" >/dev/null; then exit 0; fi
if [ "${CI:-}" = "true" ]; then
  echo "soffice is missing and could not be installed: LibreOffice tests cannot run (CI=true)." >&2
  exit 1
fi
echo "note: soffice is missing and could not be installed; LibreOffice tests will be skipped." >&2
exit 0
