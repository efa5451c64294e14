#!/usr/bin/env bash
# Installs what `make test` needs on a fresh machine: Node packages (npm ci) and redis-server
# from Debian's packages. Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '{"level":"info","msg":"%s","component":"ensure-deps"}\n' "$*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -f /var/lib/apt/.taskyard-updated ] || ! apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    touch /var/lib/apt/.taskyard-updated
    apt-get install -y -q "${missing[@]}" >/dev/null
  fi
}

command -v redis-server >/dev/null 2>&1 || apt_install redis-server
# The console's browser tests drive Debian's chromium with playwright-core (no browser download).
[ -x /usr/bin/chromium ] || apt_install chromium
# Debian starts a system redis on 6379 after install; tests use their own on a free port.

stamp=node_modules/.taskyard-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
