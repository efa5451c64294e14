# shellcheck shell=bash disable=SC2034
# Node tier: containerd 2 (CRI) + kubelet + CNI bridge + kube-proxy + CoreDNS, all host processes.
# This machine has cgroup v1 (hybrid) and no CAP_SYS_RESOURCE, hence failCgroupV1: false,
# cgroupfs, restrict_oom_score_adj and no privileged pods.

# kubelet insists on these (machine-wide) values and would otherwise write them itself.
HOST_SYSCTLS=(
  vm.overcommit_memory=1 vm.panic_on_oom=0 kernel.panic=10 kernel.panic_on_oops=1
  kernel.keys.root_maxkeys=1000000 kernel.keys.root_maxbytes=25000000
)
# Per network namespace: set inside the node tier's namespace only.
NETNS_SYSCTLS=(
  net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
)

prepare_node() {
  apt_ensure runc containernetworking-plugins iptables nftables conntrack kmod
  modprobe overlay 2>/dev/null || true
  modprobe br_netfilter 2>/dev/null || true
  local s
  for s in "${HOST_SYSCTLS[@]}"; do
    sysctl -qw "$s" 2>/dev/null || warn "could not set sysctl" sysctl "$s"
  done
  ensure_images
  local hierarchy
  for hierarchy in /sys/fs/cgroup/*/; do
    [ -f "$hierarchy/cgroup.procs" ] && mkdir -p "$hierarchy${CGROUP_ROOT#/}"
  done
  create_node_network
  write_cni_config
}

# The namespace, its link to the host and the pod bridge exist before anything starts, so the API
# server, kubelet and CoreDNS can bind their addresses; the CNI bridge plugin adopts the bridge.
create_node_network() {
  ip netns add "$NETNS"
  ip -n "$NETNS" link set lo up
  ip link add "$HOST_LINK_NAME" type veth peer name uplink netns "$NETNS"
  ip addr add "$LINK_HOST_IP/30" dev "$HOST_LINK_NAME"
  ip link set "$HOST_LINK_NAME" up
  ip -n "$NETNS" addr add "$LINK_NODE_IP/30" dev uplink
  ip -n "$NETNS" link set uplink up
  ip -n "$NETNS" link add "$BRIDGE_NAME" type bridge
  ip -n "$NETNS" addr add "$NODE_IP/${POD_CIDR#*/}" dev "$BRIDGE_NAME"
  ip -n "$NETNS" link set "$BRIDGE_NAME" up
  # Pods and the node reach the API server through the link; the host answers pods through it.
  ip route add "$POD_CIDR" via "$LINK_NODE_IP" dev "$HOST_LINK_NAME"
  local s
  for s in "${NETNS_SYSCTLS[@]}"; do
    in_netns sysctl -qw "$s" || die "could not set sysctl in the node network namespace" sysctl "$s"
  done
}

write_cni_config() {
  mkdir -p "$CNI_CONF_DIR"
  cat >"$CNI_CONF_DIR/10-taskyard.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "taskyard",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE_NAME",
      "isGateway": true,
      "isDefaultGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$NODE_IP"}]],
        "dataDir": "$STATE_DIR/cni/ipam"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  cat >"$CNI_CONF_DIR/99-loopback.conf" <<'EOF'
{"cniVersion": "1.0.0", "name": "lo", "type": "loopback"}
EOF
}

start_containerd() {
  mkdir -p "$CONTAINERD_ROOT" "$CONTAINERD_STATE" "$CONF_DIR"
  cat >"$CONF_DIR/containerd.toml" <<EOF
version = 3
root = '$CONTAINERD_ROOT'
state = '$CONTAINERD_STATE'
disabled_plugins = ['io.containerd.nri.v1.nri', 'io.containerd.internal.v1.tracing',
  'io.containerd.tracing.processor.v1.otlp', 'io.containerd.snapshotter.v1.blockfile',
  'io.containerd.snapshotter.v1.erofs', 'io.containerd.differ.v1.erofs']

[grpc]
  address = '$CONTAINERD_SOCK'

[plugins]
  [plugins.'io.containerd.internal.v1.opt']
    path = '$CONTAINERD_ROOT/opt'
  [plugins.'io.containerd.cri.v1.images']
    snapshotter = 'overlayfs'
    [plugins.'io.containerd.cri.v1.images'.pinned_images]
      sandbox = 'docker.io/$TASKYARD_PAUSE_IMAGE'
  [plugins.'io.containerd.cri.v1.runtime']
    # No CAP_SYS_RESOURCE: containers may not get a lower oom_score_adj than containerd itself.
    restrict_oom_score_adj = true
    netns_mounts_under_state_dir = true
    enable_cdi = false
    [plugins.'io.containerd.cri.v1.runtime'.containerd]
      default_runtime_name = 'runc'
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
        runtime_type = 'io.containerd.runc.v2'
        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
          BinaryName = '$(command -v runc)'
          SystemdCgroup = false
    [plugins.'io.containerd.cri.v1.runtime'.cni]
      bin_dirs = ['$CNI_BIN_DIR']
      conf_dir = '$CNI_CONF_DIR'
  [plugins.'io.containerd.grpc.v1.cri']
    stream_server_address = '127.0.0.1'
    stream_server_port = '0'
EOF
  PATH=$CONTAINERD_BIN:$PATH start_in_netns containerd "$CONTAINERD_BIN/containerd" --config "$CONF_DIR/containerd.toml"
  wait_for containerd 60 "$CONTAINERD_BIN/ctr" --address "$CONTAINERD_SOCK" version ||
    die "containerd did not start" log "$LOG_DIR/containerd.log"
}

start_kubelet() {
  mkdir -p "$KUBELET_ROOT/pki" "$KUBELET_ROOT/pod-logs"
  echo "nameserver $NODE_IP" >"$CONF_DIR/resolv.conf"
  cat >"$CONF_DIR/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $PKI_DIR/ca.crt}
authorization: {mode: AlwaysAllow}
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
failCgroupV1: false
failSwapOn: false
clusterDomain: $CLUSTER_DOMAIN
clusterDNS: [$NODE_IP]
resolvConf: $CONF_DIR/resolv.conf
podCIDR: $POD_CIDR
podLogsDir: $KUBELET_ROOT/pod-logs
registerNode: true
rotateCertificates: false
serverTLSBootstrap: false
protectKernelDefaults: false
# Nothing can be pulled here: never let image GC remove a locally imported image.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
imageMinimumGCAge: 87600h
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
syncFrequency: 10s
nodeStatusReportFrequency: 10s
fileCheckFrequency: 10s
EOF
  start_in_netns kubelet "$KUBE_BIN/kubelet" --config "$CONF_DIR/kubelet.yaml" \
    --kubeconfig "$CONF_DIR/kubelet.kubeconfig" --root-dir "$KUBELET_ROOT" --cert-dir "$KUBELET_ROOT/pki" \
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v 1
}

start_kube_proxy() {
  cat >"$CONF_DIR/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clientConnection: {kubeconfig: $CONF_DIR/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
healthzBindAddress: 127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT
metricsBindAddress: 127.0.0.1:$KUBE_PROXY_METRICS_PORT
clusterCIDR: $POD_CIDR
nodePortAddresses: [$NODE_IP/32]
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  start_in_netns kube-proxy "$KUBE_BIN/kube-proxy" --config "$CONF_DIR/kube-proxy.yaml" --v 1
}

apply_coredns_rbac() {
  kubectl_admin apply -f - >/dev/null <<'EOF'
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "taskyard:coredns"}
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "taskyard:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "taskyard:coredns"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: "taskyard:coredns"}
EOF
}

start_coredns() {
  cat >"$CONF_DIR/Corefile" <<EOF
.:53 {
  bind $NODE_IP
  errors
  health 127.0.0.1:$COREDNS_HEALTH_PORT
  ready 127.0.0.1:$COREDNS_READY_PORT
  kubernetes $CLUSTER_DOMAIN in-addr.arpa ip6.arpa {
    kubeconfig $CONF_DIR/coredns.kubeconfig taskyard
    pods insecure
    fallthrough in-addr.arpa ip6.arpa
  }
  cache 5
  loadbalance
}
EOF
  # No forwarder: nothing outside the cluster is resolved (the machine reaches no other network).
  start_in_netns coredns "$COREDNS_BIN/coredns" -conf "$CONF_DIR/Corefile"
}

up_node() {
  info "starting kubelet, kube-proxy and CoreDNS" node "$NODE_NAME"
  start_kubelet
  start_kube_proxy
  apply_coredns_rbac
  start_coredns
  wait_for "node $NODE_NAME Ready" 120 node_ready ||
    die "node did not become Ready" log "$LOG_DIR/kubelet.log"
  wait_for CoreDNS 60 in_netns curl -fsS "http://127.0.0.1:$COREDNS_READY_PORT/ready" ||
    die "CoreDNS did not become ready" log "$LOG_DIR/coredns.log"
  wait_for kube-proxy 60 in_netns curl -fsS "http://127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT/healthz" ||
    die "kube-proxy did not become healthy" log "$LOG_DIR/kube-proxy.log"
}
