#!/usr/bin/env bash
# Deploys the application to AWS with Copilot (README.md, "Deploy to AWS"): the app, the environment, then
# the receiver (it owns the topic) and the processor (it subscribes to it). Safe to run again:
# what exists is not created twice, and each deploy rolls out whatever the manifests now say.
#   DEPLOY_ENV   environment to deploy (default dev; copilot/environments/<name>/manifest.yml)
#   AWS_PROFILE  named profile for a new environment (default "default")
set -euo pipefail
cd "$(dirname "$0")/.."

app=orders
env_name=${DEPLOY_ENV:-dev}
profile=${AWS_PROFILE:-default}

fail() {
  echo "deploy: $*" >&2
  exit 1
}
command -v copilot >/dev/null || fail "the copilot CLI is not installed (README.md, "Deploy to AWS")"
docker info >/dev/null 2>&1 || fail "no Docker engine answers; Copilot builds both images locally"
[ -f "copilot/environments/$env_name/manifest.yml" ] || fail "no manifest for environment $env_name"

quietly() { "$@" >/dev/null 2>&1; }

# `show` fails for what does not exist yet; `init` then registers it without touching manifests.
quietly copilot app show --name "$app" || copilot app init "$app"

quietly copilot env show --app "$app" --name "$env_name" ||
  copilot env init --app "$app" --name "$env_name" --profile "$profile" --default-config
copilot env deploy --app "$app" --name "$env_name"

# The receiver's addon names the Lambda bundle's folder, and Copilot uploads it on every receiver
# deploy, even while ProcessorRuntime keeps the function off (README, "Part III").
[ -d node_modules/esbuild ] || fail "run \`make deps\` first: the Lambda bundle is built with esbuild"
npm run build:lambda

for svc in receiver processor; do
  quietly copilot svc show --app "$app" --name "$svc" || copilot svc init --app "$app" --name "$svc"
  copilot svc deploy --app "$app" --name "$svc" --env "$env_name"
done

copilot svc show --app "$app" --name receiver
