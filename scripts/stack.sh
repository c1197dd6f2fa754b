#!/usr/bin/env bash
# The local stack behind `make up | down | logs | ps`. When Docker can run it, it is docker compose
# (an emulator + the two images); otherwise it is the embedded stack (fauxqs in one Node process,
# `npm run up`), and `make up` says in one line why. STACK=compose or STACK=embedded forces one;
# EMULATOR=localstack (default) or EMULATOR=fauxqs picks the compose stack's SNS/SQS emulator.
set -euo pipefail
cd "$(dirname "$0")/.."

# Engine 20.10 is the oldest the compose file is tested on (Debian 12's docker.io); Compose 2.24.4
# is the first to read env_file.required and the !override tag of docker-compose.fauxqs.yml.
readonly ENGINE_MIN=20.10
readonly COMPOSE_MIN=2.24.4

# A setting from the shell (or make's command line), else from .env, as the services read it.
setting() {
  local name=$1 from_env=''
  [ -f .env ] && from_env=$(sed -n "s/^$name=[\"']\{0,1\}\([^\"' ]*\).*/\1/p" .env | tail -n1)
  echo "${!name:-${from_env:-$2}}"
}

emulator=$(setting EMULATOR localstack)
case "$emulator" in
  localstack) compose_files=(-f docker-compose.yml) ;;
  fauxqs) compose_files=(-f docker-compose.yml -f docker-compose.fauxqs.yml) ;;
  *)
    echo "EMULATOR must be localstack or fauxqs, not '$emulator'" >&2
    exit 2
    ;;
esac
compose() { docker compose "${compose_files[@]}" "$@"; }
# Every service of either emulator, for commands that must find whichever one is up.
compose_any() { docker compose -f docker-compose.yml -f docker-compose.fauxqs.yml --profile localstack "$@"; }
# macOS has no timeout(1); there the wait is unbounded rather than wrongly "no engine".
with_timeout() { if command -v timeout >/dev/null; then timeout "$@"; else "${@:2}"; fi; }

version_lt() { [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]; }
engine_answers() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }
has_compose() { docker compose version >/dev/null 2>&1; }

# The base image of the three built images, as compose reads it.
node_image() { setting NODE_IMAGE node:24-alpine; }

# Images compose would pull: the base of the built ones, and LocalStack's unless fauxqs replaces it.
needed_images() {
  node_image
  [ "$emulator" = fauxqs ] || sed -n 's/^ *image: *\([^ #]*\).*/\1/p' docker-compose.yml
}

image_available() {
  docker image inspect "$1" >/dev/null 2>&1 && return
  echo "pulling $1 ..." >&2
  # Progress shows; a failure is told once, in the caller's one-line reason, not in the daemon's words.
  docker pull "$1" >&2 2>/dev/null
}

# Why compose cannot start the stack here, in one line; nothing when it can.
compose_blocker() {
  if ! command -v docker >/dev/null; then
    echo "there is no docker command"
    return
  fi
  local engine compose_version image
  if ! engine=$(with_timeout 30 docker version --format '{{.Server.Version}}' 2>/dev/null) || [ -z "$engine" ]; then
    echo "no Docker engine answers (\`docker version\` has no server)"
    return
  fi
  if version_lt "$engine" "$ENGINE_MIN"; then
    echo "Docker Engine $engine is older than $ENGINE_MIN"
    return
  fi
  if ! compose_version=$(docker compose version --short 2>/dev/null) || [ -z "$compose_version" ]; then
    echo "the Docker Compose v2 plugin is missing (\`docker compose version\` failed)"
    return
  fi
  if version_lt "${compose_version#v}" "$COMPOSE_MIN"; then
    echo "Docker Compose ${compose_version#v} is older than $COMPOSE_MIN"
    return
  fi
  for image in $(needed_images); do
    if ! image_available "$image"; then
      echo "image $image is not here and cannot be pulled (offline, or no registry access)"
      return
    fi
  done
}

choose() {
  case "${STACK:-}" in
    compose | embedded) echo "$STACK" ;;
    '') if engine_answers && has_compose; then echo compose; else echo embedded; fi ;;
    *)
      echo "STACK must be compose or embedded, not '$STACK'" >&2
      exit 2
      ;;
  esac
}

require_engine() {
  if ! engine_answers; then
    echo "The compose stack needs a Docker engine, and \`docker info\` got no answer." >&2
    exit 1
  fi
  if ! has_compose; then
    echo "The compose stack needs the Docker Compose plugin (\`docker compose version\` failed)." >&2
    exit 1
  fi
}

curl_examples() {
  node --input-type=module -e "
    const { curlExamples } = await import('./stack/src/examples.ts')
    for (const line of curlExamples('http://$1')) console.log('  ' + line)"
}

# $2 tells the way to the compose stack from here, where there is one.
up_embedded() {
  echo "make up: embedded stack (fauxqs in one Node process, no Docker), $1.${2- STACK=compose forces Docker.}"
  exec npm run up
}

cmd_up() {
  local why
  # The Lambda handler behind an emulation of its delivery exists only in the embedded stack.
  if [ "$(setting PROCESSOR ecs)" = lambda ]; then
    if [ "${STACK:-}" = compose ]; then
      echo "make up STACK=compose: PROCESSOR=lambda runs only in the embedded stack." >&2
      exit 1
    fi
    up_embedded 'as PROCESSOR=lambda needs' ' PROCESSOR=ecs runs the worker, in either stack.'
  fi
  case "${STACK:-}" in
    embedded) up_embedded 'as STACK=embedded asks' ;;
    compose)
      why=$(compose_blocker)
      if [ -n "$why" ]; then
        echo "make up STACK=compose: cannot start the compose stack: $why." >&2
        exit 1
      fi
      ;;
    '')
      why=$(compose_blocker)
      if [ -n "$why" ]; then up_embedded "because $why"; fi
      ;;
    *) choose >/dev/null ;;
  esac
  echo "make up: Docker Compose stack ($emulator, receiver, processor). STACK=embedded forces the embedded one."
  compose up --build --wait --detach
  local receiver
  receiver=$(compose port receiver 8080)
  echo
  echo "Stack is up: receiver http://$receiver, $emulator http://$(compose port "$emulator" 4566)"
  # The processor's metrics host port is picked per replica.
  echo "Metrics: receiver http://$(compose port receiver 9080)/metrics," \
    "processor http://$(compose port processor 9081)/metrics"
  echo "Try:"
  curl_examples "$receiver" || echo "  (the curl examples are in README.md)"
  echo "Logs: make logs (docker compose logs -f). More processors: docker compose up -d --scale processor=3"
  echo "Stop: make down"
}

# Stops whichever is running; both may be, if a developer used each in turn. Either emulator goes,
# and so do the anonymous volumes LocalStack makes.
cmd_down() {
  if [ "${STACK:-}" != embedded ]; then
    if engine_answers && has_compose; then
      compose_any down --volumes --remove-orphans
    else
      echo "compose stack: no Docker engine or compose plugin answers; nothing to stop there"
    fi
  fi
  if [ "${STACK:-}" != compose ]; then npm run down --silent; fi
}

cmd_logs() {
  local stack
  stack=$(choose)
  if [ "$stack" = compose ]; then
    require_engine
    exec compose_any logs --follow
  fi
  echo "The embedded stack logs to the terminal that runs \`make up\`."
}

cmd_ps() {
  local stack
  stack=$(choose)
  if [ "$stack" = compose ]; then
    require_engine
    exec compose_any ps
  fi
  if [ -f .stack.pid ] && kill -0 "$(cat .stack.pid)" 2>/dev/null; then
    echo "embedded stack running (pid $(cat .stack.pid))"
  else
    echo "embedded stack not running"
  fi
}

case "${1:-}" in
  up | down | logs | ps) "cmd_$1" ;;
  *)
    echo "usage: $0 up|down|logs|ps   (STACK=compose|embedded, EMULATOR=localstack|fauxqs)" >&2
    exit 2
    ;;
esac
