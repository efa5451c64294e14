#!/usr/bin/env bash
# The operator benchmark on the control-plane tier with a private Redis. Writes bench/results/operator.json.
#   bench/operator/run.sh            (starts and stops the tier itself)
#   BENCH_REUSE_CLUSTER=1 bench/operator/run.sh   (use the tier already up, leave it running)
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b operator bench/operator
if [ "${BENCH_REUSE_CLUSTER:-}" = 1 ]; then
  eval "$(e2e/cluster/cluster env)"
  exec scripts/with-redis.sh node bench/operator/dist/src/operator-bench.js
fi
exec scripts/with-cluster.sh control-plane scripts/with-redis.sh node bench/operator/dist/src/operator-bench.js
