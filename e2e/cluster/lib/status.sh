# shellcheck shell=bash disable=SC2034
# Health and status reporting.

CONTROL_PLANE_COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler)
NODE_COMPONENTS=(containerd kubelet kube-proxy coredns)

tier_components() { # tier
  if [ "$1" = node ]; then echo "${CONTROL_PLANE_COMPONENTS[*]} ${NODE_COMPONENTS[*]}"
  else echo "${CONTROL_PLANE_COMPONENTS[*]}"; fi
}

current_tier() { [ -f "$TIER_FILE" ] && cat "$TIER_FILE"; }

apiserver_ready() { # tier
  curl -fsSk --max-time 5 "https://$(apiserver_address "$1"):$APISERVER_PORT/readyz" >/dev/null 2>&1
}

node_ready() {
  [ "$(kubectl_admin get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

cluster_healthy() { # tier
  local tier=$1 name
  [ "$(current_tier)" = "$tier" ] || return 1
  for name in $(tier_components "$tier"); do pid_of "$name" >/dev/null || return 1; done
  apiserver_ready "$tier" || return 1
  if [ "$tier" = node ]; then node_ready || return 1; fi
}

cluster_status() {
  local tier name pid healthy=true first=true total=0 rss
  tier=$(current_tier || true)
  printf '{"tier":%s,"kubeconfig":"%s","kubernetesVersion":"%s","stateDir":"%s","runDir":"%s","bridge":"%s","netns":"%s","hostLink":"%s","cgroupRoot":"%s","podCIDR":"%s","serviceCIDR":"%s","nodeIP":"%s","containerdSocket":"%s","components":{' \
    "$( [ -n "$tier" ] && printf '"%s"' "$tier" || echo null)" "$ADMIN_KUBECONFIG" "$KUBERNETES_VERSION" \
    "$STATE_DIR" "$RUN_DIR" "$BRIDGE_NAME" "$NETNS" "$HOST_LINK_NAME" "$CGROUP_ROOT" "$POD_CIDR" "$SERVICE_CIDR" "$NODE_IP" "$CONTAINERD_SOCK"
  for name in "${CONTROL_PLANE_COMPONENTS[@]}" "${NODE_COMPONENTS[@]}"; do
    $first || printf ','; first=false
    if pid=$(pid_of "$name"); then
      rss=$(rss_mib "$pid"); total=$((total + ${rss:-0}))
      printf '"%s":{"running":true,"pid":%s,"rssMiB":%s}' "$name" "$pid" "${rss:-0}"
    else
      printf '"%s":{"running":false}' "$name"
    fi
  done
  if [ -z "$tier" ] || ! cluster_healthy "$tier"; then healthy=false; fi
  printf '},"totalRssMiB":%s,"healthy":%s}\n' "$total" "$healthy"
  $healthy
}
