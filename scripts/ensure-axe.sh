#!/usr/bin/env bash
# Make sure axe-core (from the npm registry, pinned in tools/axe/package-lock.json) is there for
# the accessibility check in headless Chromium. With CI=true a missing npm or a failed install
# fails; elsewhere the check is skipped with a note.
set -u
cd "$(dirname "$0")/../tools/axe" || exit 1
[ -f node_modules/axe-core/axe.min.js ] && exit 0
if command -v npm >/dev/null && npm ci --no-audit --no-fund --loglevel=error >/dev/null; then
  [ -f node_modules/axe-core/axe.min.js ] && exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "axe-core could not be installed with npm: the accessibility check cannot run (CI=true)." >&2
  exit 1
fi
echo "note: axe-core is missing (npm ci in tools/axe failed); the accessibility check is skipped." >&2
exit 0
