#!/usr/bin/env bash
# Builds Taskyard's images and loads them into the cluster, in one command.
#
#   images/build.sh [--tag dev] [--base-image IMG] [--load auto|none|CMD] [operator worker-runtime console]
#
# 1. compiles the workspaces (npx tsc -b);
# 2. stages, per image, only what runs: each needed workspace's package.json and dist/src (plus the
#    console's dashboard files) and the production node_modules that `npm ls --omit=dev` names,
#    copied from the lockfile-installed tree (no network, no dev dependencies);
# 3. `docker build` (legacy builder, never pulls) with BASE_IMAGE = --base-image, else
#    $TASKYARD_BASE_IMAGE, else the locally built base of e2e/cluster/images.env (built when missing);
# 4. loads each image into the cluster: --load CMD (the image is appended), else $TASKYARD_LOAD_IMAGE
#    (exported by scripts/with-cluster.sh), else the node tier's `e2e/cluster/cluster load-image` when
#    that tier runs, else `kind load docker-image` when the current context is a kind cluster, else
#    nothing (said so). --load none skips it.
#
# Tags are fixed (taskyard/<name>:<tag>, default dev) and the chart uses imagePullPolicy IfNotPresent,
# so nothing is ever pulled. Progress goes to stderr as JSON lines.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cluster=$root/e2e/cluster/cluster
export DOCKER_BUILDKIT=0

log() { # level msg [key value]...
  local level=$1 msg=$2 extra="" ; shift 2
  while [ $# -ge 2 ]; do extra+=$(printf ',"%s":"%s"' "$1" "${2//\"/\\\"}"); shift 2; done
  printf '{"level":"%s","msg":"%s","component":"images"%s}\n' "$level" "$msg" "$extra" >&2
}
die() { log error "$@"; exit 1; }

tag=${TASKYARD_IMAGE_TAG:-dev}
base_image=${TASKYARD_BASE_IMAGE_OVERRIDE:-}
load=auto
names=()
while [ $# -gt 0 ]; do
  case $1 in
    --tag) tag=${2:?--tag needs a value}; shift 2 ;;
    --base-image) base_image=${2:?--base-image needs a value}; shift 2 ;;
    --load) load=${2:?--load needs auto, none or a command}; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    operator|worker-runtime|console) names+=("$1"); shift ;;
    *) die "unknown argument" argument "$1" hint "images/build.sh --help" ;;
  esac
done
[ ${#names[@]} -gt 0 ] || names=(operator worker-runtime console)

# Workspaces each image needs besides its own (the project references of DESIGN.md).
declare -A needs=([operator]="api" [worker-runtime]="api client" [console]="api client")

docker=${TASKYARD_DOCKER:-$(command -v docker || echo /usr/bin/docker)}
if [ -z "$base_image" ]; then
  base_image=${TASKYARD_BASE_IMAGE:-$(sed -n 's/^TASKYARD_BASE_IMAGE=//p' e2e/cluster/images.env)}
fi
if [ "$base_image" = "$(sed -n 's/^TASKYARD_BASE_IMAGE=//p' e2e/cluster/images.env)" ]; then
  # The cluster helper's recipe: starts dockerd if needed and (re)builds the base when missing or stale.
  "$cluster" images
else
  "$docker" info >/dev/null 2>&1 || die "docker is not running" hint "start dockerd, or run e2e/cluster/cluster images"
fi

log info "compiling workspaces"
npx tsc -b api client worker-runtime operator console

stage_root=$(mktemp -d "${TMPDIR:-/tmp}/taskyard-images.XXXXXX")
trap 'rm -rf "$stage_root"' EXIT

# Copies a workspace as an installed package: node_modules/@taskyard/<ws>/{package.json,dist/src}.
stage_workspace() { # app-dir workspace
  local dest=$1/node_modules/@taskyard/$2
  [ -d "$2/dist/src" ] || die "workspace has no compiled output" workspace "$2" hint "npx tsc -b $2"
  mkdir -p "$dest/dist"
  cp "$2/package.json" "$dest/"
  cp -R "$2/dist/src" "$dest/dist/src"
  if [ "$2" = console ]; then # the dashboard: static files and the compiled UI (see start-console.ts)
    [ -d console/dist/ui ] || die "console UI is not compiled" hint "npx tsc -b console/ui"
    cp -R console/dist/ui "$dest/dist/ui"
    mkdir -p "$dest/ui"; cp -R console/ui/static "$dest/ui/static"
  fi
  find "$dest" -name '*.tsbuildinfo' -delete
}

stage_image() { # name -> prints the context dir
  local name=$1 ctx=$stage_root/$1 ws deps=() path top
  local app=$ctx/app
  mkdir -p "$app/bin" "$app/node_modules"
  for ws in "$name" ${needs[$name]}; do stage_workspace "$app" "$ws"; deps+=(-w "$ws"); done
  # Production dependencies of those workspaces, as npm resolved them from package-lock.json.
  while IFS= read -r path; do
    path=${path#"$root"/}
    case $path in node_modules/@taskyard/*|"$root"|"") continue ;; esac
    top=$(sed -E 's#^(node_modules/(@[^/]+/)?[^/]+).*#\1#' <<<"$path")
    [ -e "$app/$top" ] && continue
    mkdir -p "$(dirname "$app/$top")"
    cp -R "$top" "$app/$top"
  done < <(npm ls --omit=dev --all --parseable "${deps[@]}" 2>/dev/null)
  # Only what runs: no type declarations, source maps, TypeScript sources, docs or type-only packages
  # (@kubernetes/client-node alone ships 34 MB of .d.ts and .map files).
  find "$app/node_modules" \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
    -o -name '*.ts' -o -name '*.md' -o -name '*.markdown' \) -type f -delete
  find "$app/node_modules" -type d -name '@types' -prune -exec rm -rf {} +
  # Entry commands from the image's package.json "bin" map, as /app/bin wrappers on PATH.
  node -e '
    const pkg = require(process.argv[1]);
    for (const [cmd, file] of Object.entries(pkg.bin ?? {})) console.log(cmd + " " + file);
  ' "$root/$name/package.json" | while read -r cmd file; do
    printf '#!/bin/sh\nexec node /app/node_modules/@taskyard/%s/%s "$@"\n' "$name" "${file#./}" >"$app/bin/$cmd"
    chmod 0755 "$app/bin/$cmd"
  done
  chmod -R a+rX,go-w "$app"
  echo "$ctx"
}

load_image() { # image
  local image=$1
  case $load in
    none) return 0 ;;
    auto)
      if [ -n "${TASKYARD_LOAD_IMAGE:-}" ]; then
        # shellcheck disable=SC2086
        $TASKYARD_LOAD_IMAGE "$image"
      elif "$cluster" status 2>/dev/null | grep -q '"tier":"node"' && "$cluster" status >/dev/null 2>&1; then
        "$cluster" load-image "$image"
      elif command -v kind >/dev/null 2>&1 && ctx=$(kubectl config current-context 2>/dev/null) && [[ $ctx == kind-* ]]; then
        kind load docker-image --name "${ctx#kind-}" "$image"
      else
        log warn "no cluster to load into; image left in docker" image "$image" hint "start one: e2e/cluster/cluster up --tier node"
      fi ;;
    *)
      # shellcheck disable=SC2086
      $load "$image" ;;
  esac
}

for name in "${names[@]}"; do
  [ -f "images/$name/Dockerfile" ] || die "no Dockerfile" image "$name"
  if [ "$name" = operator ] && ! grep -q '"taskyard-operator"' operator/package.json; then
    die "operator/package.json has no bin taskyard-operator yet" hint "the operator workspace must declare its entry command"
  fi
  image=taskyard/$name:$tag
  ctx=$(stage_image "$name")
  log info "building image" image "$image" base "$base_image" context_mb "$(du -sm "$ctx" | cut -f1)"
  started=$SECONDS
  "$docker" build -q --pull=false --network none --build-arg "BASE_IMAGE=$base_image" \
    -f "images/$name/Dockerfile" -t "$image" "$ctx" >/dev/null
  log info "built image" image "$image" seconds "$((SECONDS - started))" \
    size_mb "$(( $("$docker" image inspect -f '{{.Size}}' "$image") / 1000000 ))"
  load_image "$image"
  rm -rf "$ctx"
done
