#!/usr/bin/env bash
# Runs compiled Node tests of one kind across the workspaces, in one `node --test` run.
#   scripts/run-tests.sh unit   -> every dist/test/**/*.test.js except the cluster tiers' *.kube/*.node/*.cycle.test.js (needs REDIS_URL;
#                                  starts the Sentinel and Cluster topologies of scripts/with-redis-topologies.sh unless they run)
#   scripts/run-tests.sh kube   -> every dist/test/**/*.kube.test.js (needs REDIS_URL and KUBECONFIG)
#   scripts/run-tests.sh --node PATH unit   -> the same on another Node binary (e.g. the images' Node: scripts/ensure-node.sh);
#                                  PATH's directory goes first on $PATH, so processes the tests spawn run on it too
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --node ]; then
  node_bin=${2:?--node needs the path of a node binary}; shift 2
  export PATH="$(cd "$(dirname "$node_bin")" && pwd):$PATH"
  printf '{"level":"info","msg":"tests on Node %s","node":"%s"}\n' "$(node --version)" "$(command -v node)"
fi
kind=${1:-unit}
if [ "$kind" = unit ] && [ -z "${TASKYARD_TEST_TOPOLOGY:-}" ]; then exec scripts/with-redis-topologies.sh "$0" "$@"; fi
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
