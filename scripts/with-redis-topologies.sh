#!/usr/bin/env bash
# Runs a command with two private Redis topologies from Debian's redis-server / redis-sentinel, on
# 127.0.0.1, free ports and a private temp dir, and stops them afterwards:
#   Sentinel: one master, two replicas, three sentinels (quorum 2, down-after 1000 ms, failover-timeout
#             5000 ms), master name "taskyard-test";
#   Cluster:  three masters + three replicas (`redis-cli --cluster create --cluster-replicas 1`),
#             cluster-node-timeout 2000 ms, started when every node reports cluster_state:ok.
# The command sees:
#   TASKYARD_TEST_SENTINEL_URL  redis-sentinel://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/taskyard-test
#   TASKYARD_TEST_CLUSTER_URL   redis-cluster://127.0.0.1:p1,…,127.0.0.1:p6
#   TASKYARD_TEST_TOPOLOGY      path of topology.json: every node's role, port, config file and pid
#                               file (a test may SIGKILL a node and start it again from its config
#                               file: see api/test-support/redis-topologies.ts)
# Start-up takes a few seconds. Every node runs from a config file in the temp dir, so a killed node
# restarts with `redis-server <config>` and sentinels rewrite their files as they learn.
#   scripts/with-redis-topologies.sh node --test dist/test/x.test.js
set -euo pipefail
log() { # level msg [key value]...
  local level=$1 msg=$2 extra=""; shift 2
  while [ $# -ge 2 ]; do extra+=$(printf ',"%s":"%s"' "$1" "$2"); shift 2; done
  printf '{"level":"%s","msg":"%s","component":"redis-topologies"%s}\n' "$level" "$msg" "$extra" >&2
}
for bin in redis-server redis-sentinel redis-cli; do
  command -v "$bin" >/dev/null 2>&1 || { log error "$bin not found" hint "scripts/ensure-deps.sh installs redis-server and redis-sentinel"; exit 1; }
done

master_name=taskyard-test
dir=$(mktemp -d /tmp/taskyard-topologies.XXXXXX)
cleanup() {
  local f
  for f in "$dir"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 18 free loopback ports, held together while chosen so none repeats: 3 sentinel-group servers,
# 3 sentinels, 6 cluster nodes and their 6 cluster-bus ports.
read -r -a ports < <(node -e '
  const net = require("net"); const servers = [];
  (async () => {
    for (let i = 0; i < 18; i++) servers.push(await new Promise((ok, ko) => { const s = net.createServer(); s.on("error", ko); s.listen(0, "127.0.0.1", () => ok(s)); }));
    console.log(servers.map((s) => s.address().port).join(" ")); servers.forEach((s) => s.close());
  })();')
redis_ports=("${ports[@]:0:3}")
sentinel_ports=("${ports[@]:3:3}")
cluster_ports=("${ports[@]:6:6}")
bus_ports=("${ports[@]:12:6}")

common() { # name port
  printf 'bind 127.0.0.1\nport %s\ndir %s\ndaemonize yes\npidfile %s/%s.pid\nlogfile %s/%s.log\nsave ""\nappendonly no\nprotected-mode no\n' \
    "$2" "$dir" "$dir" "$1" "$dir" "$1"
}

# --- Sentinel group: servers (first is the master) --------------------------------------------
master_port=${redis_ports[0]}
for p in "${redis_ports[@]}"; do
  conf=$dir/sentinel-redis-$p.conf
  { common "sentinel-redis-$p" "$p"; printf 'dbfilename sentinel-redis-%s.rdb\nrepl-diskless-sync yes\nrepl-diskless-sync-delay 0\n' "$p"
    [ "$p" = "$master_port" ] || printf 'replicaof 127.0.0.1 %s\n' "$master_port"; } > "$conf"
  redis-server "$conf"
done

# --- Cluster nodes -------------------------------------------------------------------------------
for i in 0 1 2 3 4 5; do
  p=${cluster_ports[$i]}
  conf=$dir/cluster-$p.conf
  { common "cluster-$p" "$p"
    printf 'cluster-enabled yes\ncluster-port %s\ncluster-config-file cluster-nodes-%s.conf\ncluster-node-timeout 2000\ndbfilename cluster-%s.rdb\nrepl-diskless-sync yes\nrepl-diskless-sync-delay 0\n' \
      "${bus_ports[$i]}" "$p" "$p"; } > "$conf"
  redis-server "$conf"
done

wait_until() { # description timeout-seconds command...
  local what=$1 limit=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { log error "timed out waiting" for "$what" dir "$dir"; tail -n 20 "$dir"/*.log >&2 || true; exit 1; }
    sleep 0.1
  done
}
for p in "${redis_ports[@]}" "${cluster_ports[@]}"; do wait_until "redis on $p" 10 redis-cli -p "$p" ping; done

# --- Sentinels (after the master answers) -------------------------------------------------------
for p in "${sentinel_ports[@]}"; do
  conf=$dir/sentinel-$p.conf
  { common "sentinel-$p" "$p"
    printf 'sentinel resolve-hostnames no\nsentinel monitor %s 127.0.0.1 %s 2\nsentinel down-after-milliseconds %s 1000\nsentinel failover-timeout %s 5000\nsentinel parallel-syncs %s 1\n' \
      "$master_name" "$master_port" "$master_name" "$master_name" "$master_name"; } > "$conf"
  redis-sentinel "$conf"
done

# --- Cluster create (meanwhile the sentinels discover each other and the replicas) --------------
cluster_nodes=()
for p in "${cluster_ports[@]}"; do cluster_nodes+=("127.0.0.1:$p"); done
if ! redis-cli --cluster create "${cluster_nodes[@]}" --cluster-replicas 1 --cluster-yes > "$dir/cluster-create.log" 2>&1; then
  log error "redis-cli --cluster create failed" log "$dir/cluster-create.log"; cat "$dir/cluster-create.log" >&2; exit 1
fi
cluster_ok() { redis-cli -p "$1" cluster info | grep -q '^cluster_state:ok'; }
cluster_replicas_known() { [ "$(redis-cli -p "$1" cluster nodes | grep -c -E 'slave|master')" -eq 6 ]; }
for p in "${cluster_ports[@]}"; do
  wait_until "cluster_state:ok on $p" 20 cluster_ok "$p"
  wait_until "six cluster nodes known by $p" 20 cluster_replicas_known "$p"
done

# --- Sentinel group ready: replicas linked, every sentinel knows both replicas and the other two ----
replica_up() { redis-cli -p "$1" info replication | grep -q '^master_link_status:up'; }
for p in "${redis_ports[@]:1}"; do wait_until "replica $p linked to the master" 20 replica_up "$p"; done
sentinel_ready() {
  local info; info=$(redis-cli -p "$1" sentinel master "$master_name" | paste - -)
  grep -q -P '^num-slaves\t2$' <<<"$info" && grep -q -P '^num-other-sentinels\t2$' <<<"$info"
}
for p in "${sentinel_ports[@]}"; do wait_until "sentinel $p knows 2 replicas and 2 sentinels" 30 sentinel_ready "$p"; done

sentinel_hosts=$(printf '127.0.0.1:%s,' "${sentinel_ports[@]}"); sentinel_hosts=${sentinel_hosts%,}
cluster_hosts=$(printf '127.0.0.1:%s,' "${cluster_ports[@]}"); cluster_hosts=${cluster_hosts%,}
export TASKYARD_TEST_SENTINEL_URL="redis-sentinel://$sentinel_hosts/$master_name"
export TASKYARD_TEST_CLUSTER_URL="redis-cluster://$cluster_hosts"
export TASKYARD_TEST_TOPOLOGY=$dir/topology.json

node_json() { # kind port
  printf '{"port":%s,"config":"%s/%s-%s.conf","pidFile":"%s/%s-%s.pid","logFile":"%s/%s-%s.log"}' "$2" "$dir" "$1" "$2" "$dir" "$1" "$2" "$dir" "$1" "$2"
}
join() { local IFS=,; echo "$*"; }
servers=(); for p in "${redis_ports[@]}"; do servers+=("$(node_json sentinel-redis "$p")"); done
sentinels=(); for p in "${sentinel_ports[@]}"; do sentinels+=("$(node_json sentinel "$p")"); done
cnodes=(); for p in "${cluster_ports[@]}"; do cnodes+=("$(node_json cluster "$p")"); done
printf '{"dir":"%s","sentinel":{"url":"%s","masterName":"%s","servers":[%s],"sentinels":[%s]},"cluster":{"url":"%s","nodes":[%s]}}\n' \
  "$dir" "$TASKYARD_TEST_SENTINEL_URL" "$master_name" "$(join "${servers[@]}")" "$(join "${sentinels[@]}")" \
  "$TASKYARD_TEST_CLUSTER_URL" "$(join "${cnodes[@]}")" > "$TASKYARD_TEST_TOPOLOGY"

log info "redis topologies started" sentinel "$TASKYARD_TEST_SENTINEL_URL" cluster "$TASKYARD_TEST_CLUSTER_URL" topology "$TASKYARD_TEST_TOPOLOGY" seconds "$SECONDS"
"$@"
