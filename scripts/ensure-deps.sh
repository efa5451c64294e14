#!/usr/bin/env bash
# Installs what `make test` needs on a fresh machine: Node packages (npm ci), redis-server and
# redis-sentinel (a package of its own on Debian) from Debian's packages. Idempotent and quiet when
# everything is already there. (The images' Node for `make test-unit-lts`: scripts/ensure-node.sh.)
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
# The Sentinel topology of the unit tier (scripts/with-redis-topologies.sh).
command -v redis-sentinel >/dev/null 2>&1 || apt_install redis-sentinel
# The console's browser tests drive Debian's chromium with playwright-core (no browser download).
[ -x /usr/bin/chromium ] || apt_install chromium
# Debian starts a system redis on 6379 (and a sentinel on 26379) after install where systemd runs;
# tests use their own on free ports.

stamp=node_modules/.taskyard-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
