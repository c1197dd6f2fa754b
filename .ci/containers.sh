#!/usr/bin/env bash
# Prepares a Debian machine, as root, for `make test-containers`: a Docker engine (Debian's
# docker.io), the compose v2 and buildx CLI plugins, the daemon running, and a Node 24 base image.
# Each step is skipped when already done, so a second run takes a second.
# Prints the base image to build from (for NODE_IMAGE) on stdout; everything else goes to stderr.
#   NODE_IMAGE=$(.ci/containers.sh) make test-containers
set -euo pipefail
cd "$(dirname "$0")/.."
# Node 24, as `make` provides it (the system's, or the one fetched into .node/), runs the version
# check: the Docker minimums live in stack/src/docker-engine.ts alone.
export PATH="$PWD/.node/node_modules/.bin:$PATH"

readonly PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
readonly STANDIN=async-orders/node-standin:24
readonly DOCKERD_LOG=/var/log/dockerd-ci.log

log() { echo "ci containers: $*" >&2; }
die() {
  log "$*"
  exit 1
}
# Prints the compose version when the plugin meets the minimum, else why not; exits 1 then.
compose_check() { node stack/src/docker-check.ts compose 2>&1; }
engine_answers() { timeout 20 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

as_root_on_debian() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    die "$1 needs root and apt-get (Debian); install it by hand, see docs/local-stack.md, \"Run with Docker\""
  fi
}

# apt's progress goes to a log that is shown only when a step fails.
apt_updated=''
apt_install() {
  local out
  out=$(mktemp)
  if [ -z "$apt_updated" ]; then
    apt-get -o DPkg::Lock::Timeout=300 update -qq >"$out" 2>&1 || die "apt-get update failed: $(tail -n 3 "$out")"
    apt_updated=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends "$@" >"$out" 2>&1 || die "apt-get install $* failed: $(tail -n 3 "$out")"
  rm -f "$out"
}

# The machine's own Debian mirror, for the plugin packages and debootstrap alike.
debian_mirror() {
  local uri
  uri=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
  [ -n "$uri" ] || uri=$(sed -n 's/^deb \(\[[^]]*\] \)\?\(http[^ ]*\) .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -n1)
  echo "${uri:-http://deb.debian.org/debian}"
}

install_engine() {
  command -v dockerd >/dev/null && return
  as_root_on_debian 'Installing the Docker engine'
  log "installing docker.io (Debian's Docker Engine) ..."
  apt_install docker.io
}

# Compose v2 is not packaged for Debian 12; Debian 13's docker-compose and docker-buildx packages
# carry static binaries that run here. apt fetches them through a state folder of its own, so the
# machine's sources and package lists stay as they are.
install_plugins() {
  if compose_check >/dev/null && docker buildx version >/dev/null 2>&1; then return; fi
  as_root_on_debian 'Installing the compose and buildx plugins'
  log "fetching docker-compose and docker-buildx from Debian 13 (trixie) as CLI plugins ..."
  local work
  work=$(mktemp -d)
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/root"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) trixie main" >"$work/sources.list"
  local apt=(apt-get -q -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null)
  "${apt[@]}" update >&2
  (cd "$work/debs" && "${apt[@]}" download docker-compose docker-buildx >&2)
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  mkdir -p "$PLUGIN_DIR"
  install -m 0755 "$work"/root/usr/libexec/docker/cli-plugins/docker-{compose,buildx} "$PLUGIN_DIR/"
  rm -rf "$work"
  local have
  have=$(compose_check) || die "$have"
  log "docker compose $have and $(docker buildx version | cut -d' ' -f2) installed in $PLUGIN_DIR"
}

# No systemd here: dockerd runs in the background, in a session of its own so that it outlives
# this script. These machines do not let it program iptables; containers still reach each other
# on their networks, and builds that need the npm registry use the host's network.
start_daemon() {
  engine_answers && return
  as_root_on_debian 'Starting dockerd'
  if ! pgrep -x dockerd >/dev/null; then
    log "starting dockerd (log: $DOCKERD_LOG) ..."
    setsid dockerd --iptables=false </dev/null >>"$DOCKERD_LOG" 2>&1 &
  fi
  local deadline=$((SECONDS + 60))
  until engine_answers; do
    [ "$SECONDS" -lt "$deadline" ] || die "dockerd did not answer within 60 s; last lines of $DOCKERD_LOG: $(tail -n 3 "$DOCKERD_LOG" | tr '\n' ' ')"
    sleep 1
  done
  log "Docker Engine $(docker version --format '{{.Server.Version}}') is up"
}

# node:24-alpine when it is here or can be pulled; otherwise a Debian root with Node 24, built from
# Debian's packages and the npm registry, which these machines do reach.
base_image() {
  if [ -n "${NODE_IMAGE:-}" ] && docker image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
    echo "$NODE_IMAGE"
    return
  fi
  local image
  for image in node:24-alpine "$STANDIN"; do
    if docker image inspect "$image" >/dev/null 2>&1; then
      echo "$image"
      return
    fi
  done
  if timeout 120 docker pull -q node:24-alpine >/dev/null 2>&1; then
    echo node:24-alpine
    return
  fi
  log "node:24-alpine cannot be pulled here; building the stand-in $STANDIN ..."
  build_standin
  echo "$STANDIN"
}

build_standin() {
  as_root_on_debian 'Building the stand-in base image'
  command -v debootstrap >/dev/null || apt_install debootstrap
  local work rootfs
  work=$(mktemp -d /var/tmp/node-standin.XXXXXX)
  # A failed step leaves no 250 MB root behind.
  # shellcheck disable=SC2064 # expanded now, on purpose: $work is local
  trap "rm -rf '$work'" EXIT
  rootfs="$work/rootfs"
  local suite
  # shellcheck disable=SC1091 # the machine's own release file
  suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
  debootstrap --variant=minbase "$suite" "$rootfs" "$(debian_mirror)" >"$work/debootstrap.log" 2>&1 ||
    die "debootstrap failed: $(tail -n 3 "$work/debootstrap.log" | tr '\n' ' ')"

  # The official Linux build of Node 24, as the npm registry ships it (glibc, which Debian has).
  npm install --prefix "$work/node" --no-save --no-package-lock --no-audit --no-fund --loglevel=error node@24 >&2
  install -m 0755 "$(readlink -f "$work/node/node_modules/node/bin/node")" "$rootfs/usr/local/bin/node"
  npm install -g --prefix "$rootfs/usr/local" --no-audit --no-fund --loglevel=error npm@11 >&2
  chroot "$rootfs" groupadd -g 1000 node
  chroot "$rootfs" useradd -u 1000 -g node -m -s /bin/sh node
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

  # Builds reach the npm registry through whatever TLS proxy the machine trusts.
  local changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    --change 'CMD ["node"]')
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    mkdir -p "$rootfs/usr/local/share/ca-certificates"
    cat /usr/local/share/ca-certificates/*.crt >"$rootfs/usr/local/share/ca-certificates/machine-extra.crt"
    changes+=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/machine-extra.crt')
  fi
  tar -C "$rootfs" -c . | docker import "${changes[@]}" - "$STANDIN" >/dev/null
  rm -rf "$work"
  log "stand-in $STANDIN built ($(node_version_in "$STANDIN"))"
}

node_version_in() { docker run --rm "$1" node --version; }

install_engine
install_plugins
start_daemon
base_image
