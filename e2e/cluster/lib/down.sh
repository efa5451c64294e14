# shellcheck shell=bash disable=SC2034
# Tear-down. Works from any state, including a previous unclean stop: it stops what the pid files
# name, then sweeps what only the node tier can leave behind (container processes, mounts, the
# pod bridge and veths, iptables/nftables rules, kubepods cgroups) by markers that are ours alone.

stop_pod_sandboxes() {
  local sock=$CONTAINERD_SOCK crictl=$CRI_TOOLS_BIN/crictl
  [ -S "$sock" ] && [ -x "$crictl" ] && pid_of containerd >/dev/null || return 0
  local ids
  ids=$("$crictl" -r "unix://$sock" --timeout 10s pods -q 2>/dev/null) || return 0
  [ -n "$ids" ] || return 0
  info "stopping pod sandboxes" count "$(wc -w <<<"$ids")"
  # Stopping a sandbox runs CNI DEL, which removes its veth and network namespace.
  # shellcheck disable=SC2086
  timeout 60 "$crictl" -r "unix://$sock" --timeout 30s stopp $ids >/dev/null 2>&1 || warn "crictl stopp failed"
  # shellcheck disable=SC2086
  timeout 60 "$crictl" -r "unix://$sock" --timeout 30s rmp -f $ids >/dev/null 2>&1 || warn "crictl rmp failed"
}

kill_leftover_containers() {
  local pid exe shim=$CONTAINERD_BIN/containerd-shim-runc-v2 cg
  # Shims serving our containerd socket, and every process under this instance's cgroup root.
  for pid in /proc/[0-9]*; do
    pid=${pid#/proc/}
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
    [ "$exe" = "$shim" ] || continue
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-address $CONTAINERD_SOCK " && kill -KILL "$pid" 2>/dev/null
  done
  for cg in /sys/fs/cgroup/pids"$CGROUP_ROOT" /sys/fs/cgroup/memory"$CGROUP_ROOT"; do
    [ -d "$cg" ] || continue
    find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | while read -r pid; do kill -KILL "$pid" 2>/dev/null; done
  done
  return 0
}



unmount_state() {
  local m
  # Deepest first; lazy unmount as a last resort for a busy mount.
  for _ in 1 2 3; do
    mapfile -t mounts < <(awk -v a="$STATE_DIR" -v b="$RUN_DIR" \
      'index($5, a "/") == 1 || $5 == a || index($5, b "/") == 1 || $5 == b { print $5 }' /proc/self/mountinfo | sort -r)
    [ ${#mounts[@]} -eq 0 ] && return 0
    for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  done
}

# Deleting the namespace removes the bridge, every pod veth, kube-proxy's nftables tables and any
# iptables rule made inside it; the host end of the link and its route go with it.
remove_network_devices() {
  local dev
  if [ -e "/run/netns/$NETNS" ]; then
    ip netns delete "$NETNS" 2>/dev/null || warn "could not delete network namespace" netns "$NETNS"
  fi
  ip link delete "$HOST_LINK_NAME" 2>/dev/null || true
  # A bridge on the host itself is what releases before the network namespace left behind.
  if [ -d "/sys/class/net/$BRIDGE_NAME" ]; then
    for dev in /sys/class/net/"$BRIDGE_NAME"/brif/*; do
      [ -e "$dev" ] && ip link delete "$(basename "$dev")" 2>/dev/null
    done
    ip link delete "$BRIDGE_NAME" 2>/dev/null || warn "could not delete bridge" bridge "$BRIDGE_NAME"
  fi
  return 0
}

# Removes every iptables chain named KUBE-* or CNI-* (kubelet, kube-proxy and CNI plugins own
# these prefixes) and the rules in other chains that jump to them, plus kube-proxy's nft tables.
# Not part of a normal `down` (the node tier's rules live in its namespace): `cluster sweep-host`
# runs it for hosts where an older release or another tool left such rules.
sweep_firewall() {
  local cmd table line chain
  for cmd in iptables ip6tables; do
    command -v "$cmd" >/dev/null || continue
    for table in filter nat mangle raw; do
      "$cmd"-save -t "$table" >/dev/null 2>&1 || continue
      while IFS= read -r line; do
        eval "$cmd -w 5 -t $table -D ${line#-A }" 2>/dev/null || true
      done < <("$cmd"-save -t "$table" 2>/dev/null | grep -E '^-A ' | grep -vE '^-A (KUBE-|CNI-)' | grep -E -- '-j (KUBE-|CNI-)')
      while IFS= read -r chain; do "$cmd" -w 5 -t "$table" -F "$chain" 2>/dev/null || true; done < <(
        "$cmd"-save -t "$table" 2>/dev/null | sed -nE 's/^:((KUBE-|CNI-)[^ ]*) .*/\1/p')
      while IFS= read -r chain; do "$cmd" -w 5 -t "$table" -X "$chain" 2>/dev/null || true; done < <(
        "$cmd"-save -t "$table" 2>/dev/null | sed -nE 's/^:((KUBE-|CNI-)[^ ]*) .*/\1/p')
    done
  done
  if command -v nft >/dev/null; then
    local family
    for family in ip ip6; do nft delete table "$family" kube-proxy 2>/dev/null || true; done
  fi
}

remove_pod_cgroups() {
  local root
  for root in /sys/fs/cgroup/*"$CGROUP_ROOT"; do
    [ -d "$root" ] || continue
    find "$root" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

node_tier_leftovers() { # true when anything of this instance's node tier may be left on the machine
  [ -e "/run/netns/$NETNS" ] || [ -d "/sys/class/net/$HOST_LINK_NAME" ] || [ -d "/sys/class/net/$BRIDGE_NAME" ] ||
    [ -d "/sys/fs/cgroup/pids$CGROUP_ROOT" ] ||
    grep -qF " $STATE_DIR/" /proc/self/mountinfo || grep -qF " $RUN_DIR/" /proc/self/mountinfo
}

cluster_down() {
  local name
  info "stopping cluster"
  stop_process kubelet 20
  stop_pod_sandboxes
  stop_processes 10 kube-proxy coredns containerd kube-scheduler kube-controller-manager kube-apiserver
  stop_process etcd
  if node_tier_leftovers; then
    kill_leftover_containers
    sleep 0.3
    unmount_state
    remove_network_devices
    remove_pod_cgroups
  fi
  rm -rf --one-file-system "$RUN_DIR" "$ETCD_DATA_DIR" "$KUBELET_ROOT" "$PID_DIR" "$STATE_DIR/cni" "$TIER_FILE"
  info "cluster stopped"
}
