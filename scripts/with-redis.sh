#!/usr/bin/env bash
# Runs a command with a private redis-server on a free loopback port and stops it afterwards.
# The command sees REDIS_URL (redis://127.0.0.1:<port>) and TASKYARD_TEST_REDIS_URL.
set -euo pipefail
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
dir=$(mktemp -d /tmp/taskyard-redis.XXXXXX)
redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no \
  --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
cleanup() {
  if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
  sleep 0.2; rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
export REDIS_URL="redis://127.0.0.1:$port" TASKYARD_TEST_REDIS_URL="redis://127.0.0.1:$port"
printf '{"level":"info","msg":"redis started","url":"%s"}\n' "$REDIS_URL"
"$@"
