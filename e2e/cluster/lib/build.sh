# shellcheck shell=bash disable=SC2034
# Builds the cluster's binaries from the Go modules pinned under e2e/cluster/build/ into
# $CACHE_DIR/<name>-<version>/. A finished build is marked by a .complete file, so only the first
# run on a machine compiles; later runs cost a stat per component.

go_build() { # name version module-dir tags ldflags package...
  local name=$1 version=$2 moddir=$CLUSTER_HOME/build/$3 tags=$4 ldflags=$5; shift 5
  local out=$CACHE_DIR/$name-$version
  [ -f "$out/.complete" ] && return 0
  # Two clusters starting at once on a fresh machine build each component once, not twice.
  mkdir -p "$CACHE_DIR"
  exec 8>"$CACHE_DIR/.build-$name.lock"
  flock 8
  if [ -f "$out/.complete" ]; then exec 8>&-; return 0; fi
  command -v go >/dev/null || die "go is not on PATH; the cluster is built from the Go module proxy with Go >= 1.26"
  mkdir -p "$CACHE_DIR/logs"
  local partial=$out.partial buildlog=$CACHE_DIR/logs/build-$name-$version.log
  rm -rf "$partial"; mkdir -p "$partial"
  info "building" name "$name" version "$version" log "$buildlog"
  local started=$SECONDS
  ( cd "$moddir" && CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" exec go build -v -p "$BUILD_JOBS" -trimpath \
      -tags "$tags" -ldflags "$ldflags" -o "$partial/" "$@" ) >"$buildlog" 2>&1 &
  local builder=$! next=15
  while kill -0 "$builder" 2>/dev/null; do
    sleep 1
    if (( SECONDS - started >= next )); then
      info "still building" name "$name" packages_compiled "$(grep -c . "$buildlog")" seconds "$((SECONDS - started))"
      next=$((next + 15))
    fi
  done
  if ! wait "$builder"; then
    tail -20 "$buildlog" >&2
    die "build failed" name "$name" version "$version" log "$buildlog"
  fi
  rm -rf "$out"; mv "$partial" "$out"
  echo "$((SECONDS - started))" >"$out/.build-seconds"
  touch "$out/.complete"
  exec 8>&-
  info "built" name "$name" version "$version" seconds "$((SECONDS - started))"
}

kube_ldflags() {
  local minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
  local f="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    f+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  echo "$f"
}

build_control_plane() {
  go_build kubernetes "$KUBERNETES_VERSION" kubernetes "" "$(kube_ldflags)" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubectl
  go_build etcd "$ETCD_VERSION" etcd "" "-s -w" taskyard.dev/e2e/cluster/etcd
}

build_node() {
  build_control_plane
  go_build containerd "$CONTAINERD_VERSION" containerd "no_btrfs no_devmapper no_zfs" \
    "-s -w -X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION" \
    github.com/containerd/containerd/v2/cmd/containerd \
    github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 \
    github.com/containerd/containerd/v2/cmd/ctr
  go_build cri-tools "$CRI_TOOLS_VERSION" cri-tools "" "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRI_TOOLS_VERSION" \
    sigs.k8s.io/cri-tools/cmd/crictl
  go_build coredns "$COREDNS_VERSION" coredns "" "-s -w" github.com/coredns/coredns
  go_build pause "$PAUSE_VERSION" pause "" "-s -w" taskyard.dev/e2e/cluster/pause
  # The node tier is where the chart gets installed (make e2e, make demo).
  build_helm
}

build_helm() {
  go_build helm "$HELM_VERSION" helm "" \
    "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" helm.sh/helm/v3/cmd/helm
}

build_all() {
  build_node
}
