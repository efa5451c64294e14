# shellcheck shell=bash disable=SC2034
# Shared settings and helpers of e2e/cluster/cluster. Sourced, never run.
# Every path and port can be overridden from the environment; defaults keep all state outside the
# work tree and every listener on loopback (or, for the node tier, on the private pod bridge).

CLUSTER_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${TASKYARD_CACHE_DIR:-/var/cache/taskyard}
STATE_DIR=${TASKYARD_CLUSTER_DIR:-/var/lib/taskyard-cluster}
RUN_DIR=${TASKYARD_CLUSTER_RUN_DIR:-/run/taskyard-cluster}
BUILD_JOBS=${TASKYARD_BUILD_JOBS:-2}

APISERVER_PORT=${TASKYARD_APISERVER_PORT:-16443}
ETCD_CLIENT_PORT=${TASKYARD_ETCD_PORT:-12379}
ETCD_PEER_PORT=${TASKYARD_ETCD_PEER_PORT:-12380}
CONTROLLER_MANAGER_PORT=${TASKYARD_CONTROLLER_MANAGER_PORT:-16257}
SCHEDULER_PORT=${TASKYARD_SCHEDULER_PORT:-16259}
KUBELET_PORT=${TASKYARD_KUBELET_PORT:-16250}
KUBELET_HEALTHZ_PORT=${TASKYARD_KUBELET_HEALTHZ_PORT:-16248}
KUBE_PROXY_METRICS_PORT=${TASKYARD_KUBE_PROXY_METRICS_PORT:-16249}
KUBE_PROXY_HEALTHZ_PORT=${TASKYARD_KUBE_PROXY_HEALTHZ_PORT:-16256}
COREDNS_HEALTH_PORT=${TASKYARD_COREDNS_HEALTH_PORT:-16280}
COREDNS_READY_PORT=${TASKYARD_COREDNS_READY_PORT:-16281}

# Pod network: the node tier's network lives in its own network namespace (NETNS): the pod
# bridge, kube-proxy's rules, CoreDNS and kubelet's listeners are all in there, so they never touch
# the host's firewall and `down` removes them all by deleting the namespace. A veth pair links it
# to the host: LINK_HOST_IP (host side) is where the API server listens on the node tier, and the
# host routes the pod CIDR through LINK_NODE_IP. The bridge address is the node IP and DNS server.
BRIDGE_NAME=${TASKYARD_BRIDGE:-tyk0}
POD_CIDR=${TASKYARD_POD_CIDR:-10.244.0.0/24}
NODE_IP=${TASKYARD_NODE_IP:-10.244.0.1}
pod_prefix=${POD_CIDR%.*.*}
LINK_HOST_IP=${TASKYARD_LINK_HOST_IP:-$pod_prefix.255.1}
LINK_NODE_IP=${TASKYARD_LINK_NODE_IP:-$pod_prefix.255.2}
HOST_LINK_NAME=${BRIDGE_NAME}-host
SERVICE_CIDR=${TASKYARD_SERVICE_CIDR:-10.96.0.0/16}
KUBERNETES_SERVICE_IP=${TASKYARD_KUBERNETES_SERVICE_IP:-10.96.0.1}
NODE_NAME=${TASKYARD_NODE_NAME:-taskyard-node}
CLUSTER_DOMAIN=cluster.local
# Several clusters can share a machine when each has its own TASKYARD_CLUSTER_DIR, ports,
# bridge name and pod CIDR (see README).
INSTANCE=$(basename "$STATE_DIR")
NETNS=$INSTANCE
# Pods of this instance live under their own cgroup root in every cgroup v1 hierarchy.
CGROUP_ROOT=/$INSTANCE

PKI_DIR=$STATE_DIR/pki
CONF_DIR=$STATE_DIR/config
LOG_DIR=$STATE_DIR/logs
PID_DIR=$STATE_DIR/pids
ETCD_DATA_DIR=$STATE_DIR/etcd
KUBELET_ROOT=$STATE_DIR/kubelet
CONTAINERD_ROOT=$STATE_DIR/containerd
CONTAINERD_STATE=$RUN_DIR/containerd
CONTAINERD_SOCK=$RUN_DIR/containerd.sock
CNI_CONF_DIR=$STATE_DIR/cni/net.d
CNI_BIN_DIR=${TASKYARD_CNI_BIN_DIR:-/usr/lib/cni}
ADMIN_KUBECONFIG=$STATE_DIR/admin.kubeconfig
TIER_FILE=$STATE_DIR/tier

# Debian's docker CLI, not whatever else is first on PATH, and never BuildKit (no buildx here).
DOCKER=${TASKYARD_DOCKER:-/usr/bin/docker}
export DOCKER_BUILDKIT=0

log() { # level msg [key value]...
  local level=$1 msg=$2; shift 2
  local extra="" 
  while [ $# -ge 2 ]; do extra+=$(printf ',"%s":"%s"' "$1" "${2//\"/\\\"}"); shift 2; done
  printf '{"level":"%s","msg":"%s","component":"cluster"%s}\n' "$level" "${msg//\"/\\\"}" "$extra" >&2
}
info() { log info "$@"; }
warn() { log warn "$@"; }
die() { log error "$@"; exit 1; }

# Reads the version a pinned Go module requires, from build/<dir>/go.mod (the single source).
mod_version() { # dir module
  awk -v m="$2" '($1 == m || ($1 == "require" && $2 == m)) { for (i = 1; i <= NF; i++) if ($i ~ /^v[0-9]/) { print $i; exit } }' \
    "$CLUSTER_HOME/build/$1/go.mod"
}
KUBERNETES_VERSION=$(mod_version kubernetes k8s.io/kubernetes)
ETCD_VERSION=$(mod_version etcd go.etcd.io/etcd/server/v3)
CONTAINERD_VERSION=$(mod_version containerd github.com/containerd/containerd/v2)
COREDNS_VERSION=$(mod_version coredns github.com/coredns/coredns)
HELM_VERSION=$(mod_version helm helm.sh/helm/v3)
CRI_TOOLS_VERSION=$(mod_version cri-tools sigs.k8s.io/cri-tools)
PAUSE_VERSION=$(awk -F= '/^TASKYARD_PAUSE_VERSION=/ {print $2}' "$CLUSTER_HOME/images.env")

KUBE_BIN=$CACHE_DIR/kubernetes-$KUBERNETES_VERSION
ETCD_BIN=$CACHE_DIR/etcd-$ETCD_VERSION
CONTAINERD_BIN=$CACHE_DIR/containerd-$CONTAINERD_VERSION
COREDNS_BIN=$CACHE_DIR/coredns-$COREDNS_VERSION
HELM_BIN=$CACHE_DIR/helm-$HELM_VERSION
CRI_TOOLS_BIN=$CACHE_DIR/cri-tools-$CRI_TOOLS_VERSION
PAUSE_BIN=$CACHE_DIR/pause-$PAUSE_VERSION
KUBECTL=$KUBE_BIN/kubectl

kubectl_admin() { "$KUBECTL" --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }

# Waits until a command succeeds; prints progress every 10 s so a slow machine never looks hung.
wait_for() { # description timeout-seconds command...
  local what=$1 timeout=$2; shift 2
  local start=$SECONDS next=10
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS - start >= timeout )); then return 1; fi
    if (( SECONDS - start >= next )); then info "waiting" what "$what" seconds "$((SECONDS - start))"; next=$((next + 10)); fi
    sleep 0.5
  done
}

apt_ensure() { # package... : installs the Debian packages that are missing
  local missing=() pkg
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  info "installing Debian packages" packages "${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}" >"$CACHE_DIR/apt.log" 2>&1; then
    apt-get update -q -o DPkg::Lock::Timeout=600 >>"$CACHE_DIR/apt.log" 2>&1 || true
    apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}" >>"$CACHE_DIR/apt.log" 2>&1 ||
      die "apt-get install failed; see $CACHE_DIR/apt.log" packages "${missing[*]}"
  fi
}

# --- processes -------------------------------------------------------------------------------
# Each component runs in its own session with a pid file; `down` stops exactly those pids (after
# checking the pid still runs the binary we started, so a reused pid is never killed).

pid_of() { # name -> pid if running our binary
  local f=$PID_DIR/$1.pid pid exe
  [ -f "$f" ] || return 1
  read -r pid exe <"$f" || return 1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$exe" ] || return 1
  echo "$pid"
}

start_process() { # name binary args...
  local name=$1 bin=$2; shift 2
  mkdir -p "$PID_DIR" "$LOG_DIR"
  if pid_of "$name" >/dev/null; then return 0; fi
  # fd 9 is the command lock: a daemon must not inherit it, or the lock outlives the command.
  setsid "$bin" "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null 9>&- &
  echo "$! $(readlink -f "$bin")" >"$PID_DIR/$name.pid"
}

in_netns() { nsenter --net="/run/netns/$NETNS" -- "$@"; }

start_in_netns() { # name binary args... : like start_process, inside the node tier's network namespace
  local name=$1 bin=$2; shift 2
  mkdir -p "$PID_DIR" "$LOG_DIR"
  if pid_of "$name" >/dev/null; then return 0; fi
  # nsenter execs the binary, so the pid stays the one recorded.
  setsid nsenter --net="/run/netns/$NETNS" -- "$bin" "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null 9>&- &
  echo "$! $(readlink -f "$bin")" >"$PID_DIR/$name.pid"
}

stop_process() { # name [grace-seconds]
  local name=$1 grace=${2:-10} pid
  if pid=$(pid_of "$name"); then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < grace * 10; i++)); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    if [ -d "/proc/$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; fi
  fi
  rm -f "$PID_DIR/$name.pid"
}

stop_processes() { # grace-seconds name... : TERM all at once, wait for all, KILL what remains
  local grace=$1; shift
  local name pid pids=() i alive
  for name in "$@"; do
    if pid=$(pid_of "$name"); then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); fi
  done
  for ((i = 0; i < grace * 10; i++)); do
    alive=0
    for pid in "${pids[@]}"; do [ -d "/proc/$pid" ] && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do [ -d "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null; done
  for name in "$@"; do rm -f "$PID_DIR/$name.pid"; done
  return 0
}

rss_mib() { # pid -> resident memory in MiB
  awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null
}
