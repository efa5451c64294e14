#!/usr/bin/env bash
# `make demo` / `make demo-down`: Taskyard on a real cluster, from a fresh machine.
#
#   scripts/demo.sh up     cluster -> images -> chart -> examples -> sample tasks -> how to watch them
#   scripts/demo.sh down   removes what `up` created (and only that)
#
# The cluster is, in order: the current kubeconfig context if its API server answers; else a kind
# cluster (e2e/kind/) where kind and docker can run; else the node tier built on this machine
# (e2e/cluster/, needs root). What was chosen is remembered in $TASKYARD_DEMO_DIR/state for `down`.
# Progress goes to stderr as JSON lines; the closing instructions go to stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cluster_cli=$root/e2e/cluster/cluster
kind_cli=$root/e2e/kind/kind-cluster
state_dir=${TASKYARD_DEMO_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/taskyard-demo}
state_file=$state_dir/state
release=taskyard
system_ns=taskyard-system
demo_ns=taskyard-demo
kind_name=taskyard-demo

log() { # level msg [key value]...
  local level=$1 msg=$2 extra=""; shift 2
  while [ $# -ge 2 ]; do extra+=$(printf ',"%s":"%s"' "$1" "${2//\"/\\\"}"); shift 2; done
  printf '{"level":"%s","msg":"%s","component":"demo"%s}\n' "$level" "$msg" "$extra" >&2
}
die() { log error "$@"; exit 1; }

# --- cluster choice --------------------------------------------------------------------------

kubectl_bin() {
  if [ -n "${KUBECTL:-}" ]; then echo "$KUBECTL"; return; fi
  if command -v kubectl >/dev/null 2>&1; then command -v kubectl; return; fi
  # The node tier's kubectl (built from the Go module proxy) works against any cluster.
  local k; k=$("$cluster_cli" env 2>/dev/null | sed -n "s/^export KUBECTL=//p" | tr -d "'")
  [ -n "$k" ] && [ -x "$k" ] && echo "$k"
}

current_context_reachable() {
  local k; k=$(kubectl_bin) || return 1
  [ -n "$k" ] || return 1
  "$k" config current-context >/dev/null 2>&1 || return 1
  "$k" --request-timeout=5s get --raw /readyz >/dev/null 2>&1
}

kind_usable() {
  command -v kind >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

save_state() { mkdir -p "$state_dir"; printf '%s\n' "$@" >"$state_file"; }

# Prints shell exports (KUBECONFIG, KUBECTL, TASKYARD_LOAD_IMAGE where known) for the chosen cluster and records the choice.
bring_up_cluster() {
  if [ -n "${KUBECONFIG:-}" ] || [ -f "$HOME/.kube/config" ]; then
    if current_context_reachable; then
      local k; k=$(kubectl_bin)
      log info "using the current kubeconfig context" context "$("$k" config current-context)"
      save_state "mode=context" "kubeconfig=${KUBECONFIG:-$HOME/.kube/config}" "kubectl=$k"
      printf 'export KUBECONFIG=%q KUBECTL=%q\n' "${KUBECONFIG:-$HOME/.kube/config}" "$k"
      return
    fi
    log info "the current kubeconfig context does not answer; not using it"
  fi
  if kind_usable; then
    log info "creating a kind cluster (e2e/kind/kind-cluster)" name "$kind_name"
    if TASKYARD_KIND_CLUSTER=$kind_name "$kind_cli" up >/dev/null; then
      save_state "mode=kind"
      TASKYARD_KIND_CLUSTER=$kind_name "$kind_cli" env | grep -E '^export (KUBECONFIG|KUBECTL|TASKYARD_LOAD_IMAGE)='
      return
    fi
    log warn "kind could not create a cluster here; falling back to the node tier"
    TASKYARD_KIND_CLUSTER=$kind_name "$kind_cli" down >/dev/null 2>&1 || true
  fi
  [ "$(id -u)" = 0 ] || die "the node tier needs root (it runs containerd, kubelet and edits iptables)" hint "sudo make demo"
  log info "starting the node tier (first run builds Kubernetes from source: long, shows progress)"
  "$cluster_cli" up --tier node >/dev/null
  save_state "mode=node"
  "$cluster_cli" env | grep -E '^export (KUBECONFIG|KUBECTL|HELM|TASKYARD_LOAD_IMAGE)='
}

helm_bin() {
  if [ -n "${HELM:-}" ] && [ -x "$HELM" ]; then echo "$HELM"; return; fi
  if command -v helm >/dev/null 2>&1; then command -v helm; return; fi
  local h; h=$("$cluster_cli" env | sed -n "s/^export HELM=//p" | tr -d "'")
  if [ ! -x "$h" ]; then
    log info "building helm from the Go module proxy (first run only)"
    "$cluster_cli" build all >&2
  fi
  echo "$h"
}

port_forward_pid=""
stop_port_forward() { if [ -n "$port_forward_pid" ]; then kill "$port_forward_pid" 2>/dev/null || true; port_forward_pid=""; fi; }

# --- up --------------------------------------------------------------------------------------

up() {
  local started=$SECONDS
  scripts/ensure-deps.sh
  log info "compiling"
  npx tsc -b
  eval "$(bring_up_cluster)"
  local k=$KUBECTL
  kc() { "$k" --kubeconfig "$KUBECONFIG" "$@"; }
  local helm; helm=$(helm_bin)
  local mode; mode=$(sed -n 's/^mode=//p' "$state_file")

  log info "building and loading images"
  images/build.sh
  set -a; . e2e/cluster/images.env; set +a
  if [ -n "${TASKYARD_LOAD_IMAGE:-}" ]; then
    # shellcheck disable=SC2086
    $TASKYARD_LOAD_IMAGE "$TASKYARD_REDIS_IMAGE"
  elif [ "$mode" = context ]; then
    log warn "no image loader for this context: the cluster must be able to pull the taskyard/* images" hint "push them to a registry it reads, or use kind / the node tier"
  fi

  if [ "$mode" = context ] && ! grep -q '^crds=' "$state_file"; then
    # Remember whether the CRDs were there before, so `down` removes them only if the demo added them.
    if kc get crd workerpools.taskyard.dev >/dev/null 2>&1; then echo "crds=preexisting" >>"$state_file"; else echo "crds=demo" >>"$state_file"; fi
  fi
  log info "installing the chart" release "$release" namespace "$system_ns"
  local install_started=$SECONDS
  "$helm" upgrade --install "$release" charts/taskyard --kubeconfig "$KUBECONFIG" \
    --namespace "$system_ns" --create-namespace --wait --timeout 5m \
    --set "redis.image.repository=${TASKYARD_REDIS_IMAGE%:*}" --set "redis.image.tag=${TASKYARD_REDIS_IMAGE##*:}" \
    --set console.service.type=NodePort >"$state_dir/helm-install.txt"
  log info "chart installed, every pod Ready" seconds "$((SECONDS - install_started))"

  log info "applying the examples" namespace "$demo_ns"
  kc create namespace "$demo_ns" --dry-run=client -o yaml | kc apply -f - >/dev/null
  kc -n "$demo_ns" create configmap tasks-bundle --from-file=bundle.mjs=examples/bundle/index.mjs \
    --dry-run=client -o yaml | kc apply -f - >/dev/null
  local password redis_url
  password=$(kc -n "$system_ns" get secret "$release-redis" -o jsonpath='{.data.password}' | base64 -d)
  redis_url="redis://:$password@$release-redis.$system_ns.svc:6379"
  # The payments queue reads its Redis from a Secret (examples/k8s/taskqueue-payments.yaml): point it at the chart's.
  kc -n "$demo_ns" create secret generic payments-redis --from-literal=url="$redis_url/1" \
    --dry-run=client -o yaml | kc apply -f - >/dev/null
  # workerpool-url-bundle.yaml downloads its bundle from a server the demo does not run: left out.
  local f files=()
  for f in examples/k8s/*.yaml; do [ "$(basename "$f")" = workerpool-url-bundle.yaml ] || files+=(-f "$f"); done
  kc -n "$demo_ns" apply "${files[@]}" >&2

  log info "enqueueing sample tasks from outside the cluster (port-forward to Redis)"
  local pf_log=$state_dir/port-forward.log port=""
  : >"$pf_log"
  "$k" --kubeconfig "$KUBECONFIG" -n "$system_ns" port-forward "svc/$release-redis" :6379 >"$pf_log" 2>&1 &
  port_forward_pid=$!
  trap stop_port_forward EXIT
  for _ in $(seq 1 60); do
    port=$(sed -nE 's/^Forwarding from 127\.0\.0\.1:([0-9]+) .*/\1/p' "$pf_log" | head -1) || true
    [ -n "$port" ] && break
    sleep 0.5
  done
  [ -n "$port" ] || die "kubectl port-forward to Redis did not start" log "$pf_log"
  local local_url="redis://:$password@127.0.0.1:$port"
  # the demo's queues live in its namespace: queue identity is namespace + name
  taskyard() { node client/dist/src/cli/main.js "$@" --redis "$local_url" --namespace "$demo_ns" 2>/dev/null; }
  local ids=() i
  for i in $(seq 1 30); do
    ids+=("$(taskyard enqueue process_image --queue reports --no-check \
      --args "[\"img-$i\", {\"width\": 192, \"height\": 192, \"passes\": 6}]")")
  done
  ids+=("$(taskyard enqueue sync_data --queue reports --no-check --args '["crm"]' --kwargs '{"failures": 1}')")
  log info "enqueued" tasks "${#ids[@]}" queue reports first "${ids[0]}"
  log info "waiting for the first result (the pool scales from zero)"
  if taskyard result "${ids[0]}" --timeout 300 >"$state_dir/first-result.json"; then
    log info "first task done" id "${ids[0]}" result "$(cat "$state_dir/first-result.json")"
  else
    log warn "no result yet; watch the pool with the commands below" id "${ids[0]}"
  fi
  stop_port_forward
  trap - EXIT

  local node_ip node_port token
  node_port=$(kc -n "$system_ns" get svc "$release-console" -o jsonpath='{.spec.ports[0].nodePort}')
  node_ip=$(kc get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')
  token=$(kc -n "$system_ns" get secret "$release-console" -o jsonpath='{.data.token}' | base64 -d)
  log info "demo ready" seconds "$((SECONDS - started))"
  cat <<EOF

Taskyard is running ($mode cluster). Watch it:

  export KUBECONFIG=$KUBECONFIG
  alias kubectl=$k
  kubectl -n $demo_ns get taskqueues,workerpools,schedules     # tq, wp, sch
  kubectl -n $demo_ns get pods -w                              # workers scale 0 -> N -> 0
  kubectl -n $demo_ns describe workerpool general              # why the last scale happened
  kubectl -n $system_ns logs deploy/$release-operator -f       # the operator's JSON logs

Console (queues, workers, tasks, retry/revoke, dead letters, schedules):
  http://$node_ip:$node_port/          (or: kubectl -n $system_ns port-forward svc/$release-console 5555:5555)
  token: $token

More tasks, from this machine:
  kubectl -n $system_ns port-forward svc/$release-redis 6379:6379 &
  export TASKYARD_REDIS_URL='redis://:$password@127.0.0.1:6379' TASKYARD_NAMESPACE=$demo_ns
  alias taskyard="node $root/client/dist/src/cli/main.js"
  taskyard enqueue sync_data --queue reports --args '["crm"]' --no-check
  taskyard queues

Remove everything: make demo-down
EOF
}

# --- down ------------------------------------------------------------------------------------

down() {
  [ -f "$state_file" ] || { log info "no demo to remove" state "$state_file"; return 0; }
  local mode; mode=$(sed -n 's/^mode=//p' "$state_file")
  case $mode in
    node)
      log info "stopping the node tier"
      "$cluster_cli" down ;;
    kind)
      log info "deleting the kind cluster" name "$kind_name"
      TASKYARD_KIND_CLUSTER=$kind_name "$kind_cli" down ;;
    context)
      local kubeconfig k helm
      kubeconfig=$(sed -n 's/^kubeconfig=//p' "$state_file"); k=$(sed -n 's/^kubectl=//p' "$state_file")
      helm=$(helm_bin)
      log info "removing the demo from the current context"
      "$k" --kubeconfig "$kubeconfig" delete namespace "$demo_ns" --ignore-not-found --wait=true >&2
      "$helm" uninstall "$release" --kubeconfig "$kubeconfig" --namespace "$system_ns" --wait >&2 || true
      if grep -q '^crds=demo$' "$state_file"; then
        "$k" --kubeconfig "$kubeconfig" delete crd taskqueues.taskyard.dev workerpools.taskyard.dev schedules.taskyard.dev --ignore-not-found >&2
      fi
      "$k" --kubeconfig "$kubeconfig" delete namespace "$system_ns" --ignore-not-found >&2 ;;
    *) die "unknown demo state" file "$state_file" ;;
  esac
  rm -rf "$state_dir"
  log info "demo removed"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  *) echo "usage: scripts/demo.sh up|down" >&2; exit 2 ;;
esac
