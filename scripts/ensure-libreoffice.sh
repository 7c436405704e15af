#!/usr/bin/env bash
# Make sure LibreOffice Calc and Impress (soffice) are there: Calc for the LibreOffice round-trip
# import and export tests, Impress for opening the meeting pack. Installs Debian's -nogui packages
# (or the plain ones where -nogui is not packaged) when a part is missing and we may (root or
# passwordless sudo). With CI=true a missing part fails.
set -u
SOFFICE=${SOTE_SOFFICE:-soffice}
PARTS="calc impress"

installed() {  # is the Debian package of this part (either flavour) installed?
  dpkg-query -W -f='${Status}' "libreoffice-$1-nogui" 2>/dev/null | grep -q "ok installed" ||
    dpkg-query -W -f='${Status}' "libreoffice-$1" 2>/dev/null | grep -q "ok installed"
}

missing() {
  command -v "$SOFFICE" >/dev/null || { echo "$PARTS"; return; }
  command -v dpkg-query >/dev/null || return  # not Debian: trust the soffice that is there
  local part
  for part in $PARTS; do installed "$part" || printf '%s ' "$part"; done
}

install() {
  export DEBIAN_FRONTEND=noninteractive
  "$@" apt-get update -qq || return 1
  local part package packages=()
  for part in $(missing); do
    package=libreoffice-$part-nogui
    if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      package=libreoffice-$part
    fi
    packages+=("$package")
  done
  "$@" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
}

[ -z "$(missing)" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  install env
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  install sudo -n
fi
left=$(missing)
[ -z "$left" ] && exit 0
if [ "${CI:-}" = "true" ]; then
  echo "LibreOffice ($left) is missing and could not be installed: its tests cannot run (CI=true)." >&2
  exit 1
fi
echo "note: LibreOffice ($left) is missing and could not be installed; its tests will be skipped." >&2
exit 0
