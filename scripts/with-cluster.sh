#!/usr/bin/env bash
# Runs a command against a real cluster tier and always stops the tier afterwards.
#   scripts/with-cluster.sh control-plane|node CMD...
# One run at a time per cluster: a second run waits for the first (`cluster acquire`). A cluster
# started by hand with `e2e/cluster/cluster up` is used as it is and left running.
# The command sees KUBECONFIG, KUBECTL (the kubectl of the cluster's Kubernetes version),
# TASKYARD_LOAD_IMAGE (command prefix: `$TASKYARD_LOAD_IMAGE <docker-image>`), TASKYARD_DOCKER,
# HELM and the image tags from e2e/cluster/images.env. Exits with the command's exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
tier=${1:-}
case $tier in
  control-plane|node) shift ;;
  *) echo "usage: scripts/with-cluster.sh control-plane|node CMD..." >&2; exit 2 ;;
esac
[ $# -gt 0 ] || { echo "with-cluster.sh: no command given" >&2; exit 2; }
cluster=e2e/cluster/cluster

# `release` stops the cluster (unless it was started by hand, or an outer with-cluster run holds it).
stop() { "$cluster" release $$ || echo '{"level":"error","msg":"cluster down failed","component":"with-cluster"}' >&2; }
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$cluster" acquire "$tier" $$ >/dev/null
eval "$("$cluster" env)"
printf '{"level":"info","msg":"cluster ready","component":"with-cluster","tier":"%s","kubeconfig":"%s"}\n' "$tier" "$KUBECONFIG" >&2
set +e
"$@"
code=$?
set -e
exit "$code"
