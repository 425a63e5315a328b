#!/usr/bin/env bash
# Makes sure the admin app (frontend/) can be built and tested on this machine:
#   - the npm packages, installed with `npm ci` from package-lock.json when node_modules is missing or was
#     installed from another lock file;
#   - Debian's Chromium (/usr/bin/chromium) for the end-to-end tests (playwright-core drives it; no browser
#     is ever downloaded). Set ROLLCALL_SKIP_CHROMIUM=1 to skip it (a build-only machine).
# Idempotent, and silent when there is nothing to do.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fe="$root/frontend"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ensure-frontend: node and npm are needed to build the admin app (Node 20.19 or newer)" >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "ensure-frontend: Node $(node --version) is too old for Vite 8: install Node 20.19 or newer" >&2
  exit 1
fi

stamp="$fe/node_modules/.rollcall-lock.sha256"
want=$(sha256sum "$fe/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "ensure-frontend: installing the admin app's npm packages (npm ci)" >&2
  (cd "$fe" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

if [ "${ROLLCALL_SKIP_CHROMIUM:-}" != 1 ] && [ ! -x /usr/bin/chromium ]; then
  echo "ensure-frontend: installing Debian's chromium for the end-to-end tests" >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
