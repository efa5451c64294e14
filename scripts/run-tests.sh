#!/usr/bin/env bash
# Runs compiled Node tests of one kind across the workspaces, in one `node --test` run.
#   scripts/run-tests.sh unit   -> every dist/test/**/*.test.js except the cluster tiers' *.kube/*.node/*.cycle.test.js (needs REDIS_URL)
#   scripts/run-tests.sh kube   -> every dist/test/**/*.kube.test.js (needs REDIS_URL and KUBECONFIG)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-unit}
workspaces=(api worker-runtime client operator console e2e)
files=()
for ws in "${workspaces[@]}"; do
  [ -d "$ws/dist/test" ] || continue
  while IFS= read -r f; do files+=("$f"); done < <(
    if [ "$kind" = kube ]; then find "$ws/dist/test" -name '*.kube.test.js' | sort
    # *.node.test.js and *.cycle.test.js need the node tier: they run from e2e/Makefile (make e2e), never here.
    else find "$ws/dist/test" -name '*.test.js' ! -name '*.kube.test.js' ! -name '*.node.test.js' ! -name '*.cycle.test.js' | sort; fi)
done
if [ ${#files[@]} -eq 0 ]; then echo "no $kind tests found" >&2; exit 1; fi
exec node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
