# shellcheck shell=bash disable=SC2034
# Control-plane tier: etcd, kube-apiserver, kube-controller-manager, kube-scheduler.
# etcd starts from an empty data dir on every `up`, so a previous unclean stop leaves nothing to
# recover and every run sees a fresh cluster.

apiserver_address() { # tier -> address the API server binds and advertises
  if [ "$1" = node ]; then echo "$LINK_HOST_IP"; else echo 127.0.0.1; fi
}

start_etcd() {
  rm -rf "$ETCD_DATA_DIR"; mkdir -p "$ETCD_DATA_DIR"; chmod 700 "$ETCD_DATA_DIR"
  start_process etcd "$ETCD_BIN/etcd" --name taskyard --data-dir "$ETCD_DATA_DIR" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "taskyard=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new \
    --listen-metrics-urls "" --unsafe-no-fsync --quota-backend-bytes 2147483648 --log-level warn
  wait_for etcd 60 curl -fsS "http://127.0.0.1:$ETCD_CLIENT_PORT/health" ||
    die "etcd did not become healthy" log "$LOG_DIR/etcd.log"
}

start_apiserver() { # tier
  local address; address=$(apiserver_address "$1")
  local reconciler=lease
  # A loopback address cannot be an endpoint of the kubernetes Service; without pods nothing needs it.
  [ "$1" = control-plane ] && reconciler=none
  start_process kube-apiserver "$KUBE_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --bind-address "$address" --advertise-address "$address" --secure-port "$APISERVER_PORT" \
    --endpoint-reconciler-type "$reconciler" \
    --tls-cert-file "$PKI_DIR/apiserver.crt" --tls-private-key-file "$PKI_DIR/apiserver.key" \
    --client-ca-file "$PKI_DIR/ca.crt" \
    --requestheader-client-ca-file "$PKI_DIR/ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --kubelet-preferred-address-types InternalIP,Hostname \
    --kubelet-client-certificate "$PKI_DIR/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI_DIR/apiserver-kubelet-client.key" \
    --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file "$PKI_DIR/sa.pub" --service-account-signing-key-file "$PKI_DIR/sa.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --service-node-port-range 30000-32767 \
    --authorization-mode Node,RBAC --allow-privileged=false --profiling=false \
    --enable-priority-and-fairness=false --v 1
  wait_for kube-apiserver 120 curl -fsSk "https://$address:$APISERVER_PORT/readyz" ||
    die "kube-apiserver did not become ready" log "$LOG_DIR/kube-apiserver.log"
}

start_controller_manager() {
  start_process kube-controller-manager "$KUBE_BIN/kube-controller-manager" \
    --kubeconfig "$CONF_DIR/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$CONF_DIR/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$CONF_DIR/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$CONTROLLER_MANAGER_PORT" --leader-elect=false \
    --service-account-private-key-file "$PKI_DIR/sa.key" --root-ca-file "$PKI_DIR/ca.crt" \
    --cluster-signing-cert-file "$PKI_DIR/ca.crt" --cluster-signing-key-file "$PKI_DIR/ca.key" \
    --use-service-account-credentials=true --service-cluster-ip-range "$SERVICE_CIDR" \
    --profiling=false --v 1
}

start_scheduler() {
  start_process kube-scheduler "$KUBE_BIN/kube-scheduler" \
    --kubeconfig "$CONF_DIR/scheduler.kubeconfig" \
    --authentication-kubeconfig "$CONF_DIR/scheduler.kubeconfig" \
    --authorization-kubeconfig "$CONF_DIR/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" --leader-elect=false --profiling=false --v 1
}

# The namespace "default" gets its ServiceAccount from the controller manager: pods can be created
# once it exists, so it is the signal that the control plane works end to end.
wait_control_plane_ready() {
  wait_for "kube-controller-manager (default ServiceAccount)" 120 kubectl_admin get serviceaccount default -n default ||
    die "kube-controller-manager did not create the default ServiceAccount" log "$LOG_DIR/kube-controller-manager.log"
  wait_for kube-scheduler 60 curl -fsSk "https://127.0.0.1:$SCHEDULER_PORT/healthz" ||
    die "kube-scheduler did not become healthy" log "$LOG_DIR/kube-scheduler.log"
}

up_control_plane() { # tier
  local tier=$1
  ensure_pki
  write_kubeconfigs "https://$(apiserver_address "$tier"):$APISERVER_PORT"
  info "starting etcd" version "$ETCD_VERSION"
  start_etcd
  info "starting kube-apiserver" version "$KUBERNETES_VERSION" port "$APISERVER_PORT"
  start_apiserver "$tier"
  info "starting kube-controller-manager and kube-scheduler"
  start_controller_manager
  start_scheduler
  wait_control_plane_ready
}
