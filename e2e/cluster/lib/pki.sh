# shellcheck shell=bash disable=SC2034
# Certificates and kubeconfigs. One CA per machine (kept across down/up so it costs nothing after
# the first run); the apiserver's serving certificate names every address it can be reached on.

PKI_STAMP_VERSION=3 # bump when the set of certificates or their SANs change

openssl_cert() { # name subject [san-list]
  local name=$1 subject=$2 san=${3:-}
  local ext=$PKI_DIR/$name.ext
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [ -n "$san" ]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$san"
    else echo "extendedKeyUsage=clientAuth"; fi
  } >"$ext"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI_DIR/$name.key" -subj "$subject" \
    -out "$PKI_DIR/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI_DIR/$name.csr" -CA "$PKI_DIR/ca.crt" -CAkey "$PKI_DIR/ca.key" \
    -CAcreateserial -days 3650 -extfile "$ext" -out "$PKI_DIR/$name.crt" 2>/dev/null
  rm -f "$PKI_DIR/$name.csr" "$ext"
}

ensure_pki() {
  local stamp=$PKI_DIR/.complete
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$PKI_STAMP_VERSION $NODE_IP $LINK_HOST_IP $KUBERNETES_SERVICE_IP" ]; then return 0; fi
  info "generating certificates" dir "$PKI_DIR"
  rm -rf "$PKI_DIR"; mkdir -p "$PKI_DIR"; chmod 700 "$PKI_DIR"
  openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$PKI_DIR/ca.key" -subj "/CN=taskyard-cluster-ca" \
    -days 3650 -out "$PKI_DIR/ca.crt" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  openssl_cert apiserver "/CN=kube-apiserver" \
    "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,IP:127.0.0.1,IP:$NODE_IP,IP:$LINK_HOST_IP,IP:$KUBERNETES_SERVICE_IP"
  openssl_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  openssl_cert admin "/O=system:masters/CN=kubernetes-admin"
  openssl_cert controller-manager "/CN=system:kube-controller-manager"
  openssl_cert scheduler "/CN=system:kube-scheduler"
  openssl_cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME"
  openssl_cert kube-proxy "/CN=system:kube-proxy"
  openssl_cert coredns "/CN=taskyard:coredns"
  openssl genrsa -out "$PKI_DIR/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI_DIR/sa.key" -pubout -out "$PKI_DIR/sa.pub" 2>/dev/null
  echo "$PKI_STAMP_VERSION $NODE_IP $LINK_HOST_IP $KUBERNETES_SERVICE_IP" >"$stamp"
}

write_kubeconfig() { # file user server
  local file=$1 user=$2 server=$3
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: taskyard
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 <"$PKI_DIR/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 <"$PKI_DIR/$user.crt")
    client-key-data: $(base64 -w0 <"$PKI_DIR/$user.key")
contexts:
- name: taskyard
  context: {cluster: taskyard, user: $user}
current-context: taskyard
EOF
  chmod 600 "$file"
}

write_kubeconfigs() { # server-url
  mkdir -p "$CONF_DIR"
  local user
  for user in controller-manager scheduler kubelet kube-proxy coredns; do
    write_kubeconfig "$CONF_DIR/$user.kubeconfig" "$user" "$1"
  done
  write_kubeconfig "$ADMIN_KUBECONFIG" admin "$1"
}
