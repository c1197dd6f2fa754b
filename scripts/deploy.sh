#!/usr/bin/env bash
# Deploys the application to AWS with Copilot (docs/deploy.md): the Lambda bundle first, then the
# app, the environment, the receiver (it owns the topic) and the processor (it subscribes to it).
# Safe to run again: what exists is not created twice, and each deploy rolls out whatever the
# manifests now say.
# Each stack is packaged first and not deployed if a Copilot Lambda would be on nodejs20.x or older.
#   DEPLOY_ENV   environment to deploy (default dev; copilot/environments/<name>/manifest.yml)
#   AWS_PROFILE  named profile for a new environment; unset, Copilot uses the default credential
#                chain (such as AWS_ACCESS_KEY_ID) when ~/.aws/config does not exist, and asks
#                which profile to use when it does
#   AWS_REGION   region of a new environment; unset, the profile's (Copilot asks if it has none)
set -euo pipefail
cd "$(dirname "$0")/.."

app=orders
env_name=${DEPLOY_ENV:-dev}
# Only what is set: a --profile naming no profile fails for credentials given as environment
# variables, and env init without a region asks for one, which fails without a terminal. (The
# ${a[@]+...} form below: macOS's bash 3.2 calls an empty array unbound under set -u.)
env_init_flags=()
if [ -n "${AWS_PROFILE:-}" ]; then env_init_flags+=(--profile "$AWS_PROFILE"); fi
if [ -n "${AWS_REGION:-}" ]; then env_init_flags+=(--region "$AWS_REGION"); fi

fail() {
  echo "deploy: $*" >&2
  exit 1
}
command -v copilot >/dev/null || fail 'the copilot CLI is not installed (docs/deploy.md, "Prerequisites")'
docker info >/dev/null 2>&1 || fail "no Docker engine answers; Copilot builds both images locally"
[ -f "copilot/environments/$env_name/manifest.yml" ] || fail "no manifest for environment $env_name"
# The receiver's addon names the Lambda bundle's folder as the function's Code, and Copilot uploads
# it on every receiver deploy, even while ProcessorRuntime keeps the function off; the folder is
# git-ignored, so it is built here, before anything is deployed (docs/deploy.md, "Deploy").
[ -d node_modules/esbuild ] || fail "run \`make deps\` first: the Lambda bundle is built with esbuild"
npm run build:lambda

quietly() { "$@" >/dev/null 2>&1; }

# Copilot v1.34.1 declares its own Lambda functions on nodejs20.x; each overrides/cfn.patches.yml
# moves them to a supported runtime (docs/deploy.md, "Copilot's own Lambda functions"). The packaged
# template is what the deploy would send, patches applied: refuse it if one was missed.
packaged=$(mktemp -d)
trap 'rm -rf "$packaged"' EXIT
check_runtimes() { # $1: packaged templates, $2: the folder whose overrides/ patch them
  if grep -rnE 'Runtime: *nodejs(1[0-9]|20)\.x' "$1"; then
    fail "a Copilot Lambda function above is on a deprecated runtime; patch it in $2/overrides/cfn.patches.yml"
  fi
}

# `show` fails for what does not exist yet; `init` then registers it without touching manifests.
quietly copilot app show --name "$app" || copilot app init "$app"

quietly copilot env show --app "$app" --name "$env_name" ||
  copilot env init --app "$app" --name "$env_name" ${env_init_flags[@]+"${env_init_flags[@]}"} --default-config
copilot env package --app "$app" --name "$env_name" --output-dir "$packaged/env" >/dev/null
check_runtimes "$packaged/env" copilot/environments
copilot env deploy --app "$app" --name "$env_name"

for svc in receiver processor; do
  quietly copilot svc show --app "$app" --name "$svc" || copilot svc init --app "$app" --name "$svc"
  copilot svc package --app "$app" --name "$svc" --env "$env_name" --output-dir "$packaged/$svc" >/dev/null
  check_runtimes "$packaged/$svc" "copilot/$svc"
  copilot svc deploy --app "$app" --name "$svc" --env "$env_name"
done

copilot svc show --app "$app" --name receiver
