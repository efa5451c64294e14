#!/usr/bin/env bash
# Console benchmark: builds, starts a private Redis, writes bench/results/console.json.
# Knobs: BENCH_CONSOLE_TASKS (100000), BENCH_CONSOLE_ENQUEUES (10000), BENCH_CONSOLE_WINDOW (32).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b bench/console
exec scripts/with-redis.sh node bench/console/dist/console-bench.js
