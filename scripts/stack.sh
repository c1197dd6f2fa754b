#!/usr/bin/env bash
# The local stack behind `make up | down | logs | ps`. When a Docker engine and the compose plugin
# answer, it is docker compose (LocalStack + the two images); otherwise it is the embedded stack
# (fauxqs in one Node process, `npm run up`). STACK=compose or STACK=embedded forces one.
set -euo pipefail
cd "$(dirname "$0")/.."

engine_answers() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }
has_compose() { docker compose version >/dev/null 2>&1; }

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

cmd_up() {
  local stack
  # PROCESSOR=lambda (the Lambda handler behind an emulation of its delivery) is embedded-only.
  if [ "${PROCESSOR:-ecs}" = lambda ]; then STACK=${STACK:-embedded}; fi
  stack=$(choose)
  if [ "$stack" = embedded ]; then
    echo "make up: embedded stack (fauxqs in one Node process, no Docker). STACK=compose forces Docker."
    exec npm run up
  fi
  require_engine
  echo "make up: Docker Compose stack (LocalStack, receiver, processor). STACK=embedded forces the embedded one."
  docker compose up --build --wait --detach
  local receiver
  receiver=$(docker compose port receiver 8080)
  echo
  echo "Stack is up: receiver http://$receiver, LocalStack http://$(docker compose port localstack 4566)"
  # Metrics ports (issue 13); the processor's host port is picked per replica.
  echo "Metrics: receiver http://$(docker compose port receiver 9080)/metrics," \
    "processor http://$(docker compose port processor 9081)/metrics"
  echo "Try:"
  curl_examples "$receiver" || echo "  (the curl examples are in README.md)"
  echo "Logs: make logs (docker compose logs -f). More processors: docker compose up -d --scale processor=3"
  echo "Stop: make down"
}

# Stops whichever is running; both may be, if a developer used each in turn.
cmd_down() {
  if [ "${STACK:-}" != embedded ]; then
    if engine_answers && has_compose; then
      docker compose down
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
    exec docker compose logs --follow
  fi
  echo "The embedded stack logs to the terminal that runs \`make up\`."
}

cmd_ps() {
  local stack
  stack=$(choose)
  if [ "$stack" = compose ]; then
    require_engine
    exec docker compose ps
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
    echo "usage: $0 up|down|logs|ps   (STACK=compose|embedded to choose)" >&2
    exit 2
    ;;
esac
