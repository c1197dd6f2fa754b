# A thin layer over npm scripts. Every target first makes sure the Node major pinned in .nvmrc is
# on PATH (fetched into .node/ when the system Node is another one) and dependencies are installed.
SHELL := bash
export PATH := $(CURDIR)/.node/node_modules/.bin:$(PATH)

.PHONY: help up down logs ps test test-containers lint typecheck format provision bench node deps load-sync load-async load-flash load-web depth cost deploy

help:
	@echo "make up [STACK=compose|embedded] [EMULATOR=localstack|fauxqs] [PROCESSOR=ecs|lambda] | down | logs | ps"
	@echo "make test | test-containers | lint | typecheck | format | provision | bench"
	@echo "make load-sync | load-async | load-flash | depth   (extra flags: ARGS='--users 5')"
	@echo "make load-web  (the live page on http://127.0.0.1:8089: docs/load-testing.md)"
	@echo "make cost     (ECS worker or Lambda, cost a month: ARGS='--orders-per-month 1000000')"
	@echo "make deploy   (AWS with Copilot: docs/deploy.md)"

node:
	@scripts/ensure-node.sh

node_modules/.package-lock.json: package-lock.json | node
	npm ci --no-audit --no-fund

deps: node node_modules/.package-lock.json

# Docker Compose when Docker can run it, the embedded stack otherwise: stack/src/stack-cli.ts.
up: deps
	npm run up

down: deps
	npm run down

logs: deps
	npm run logs

ps: deps
	npm run ps

test: deps
	npm run check

# The images and the compose stack against a real Docker engine (docs/local-stack.md, "Run with Docker").
test-containers: deps
	npm run test:containers

lint: deps
	npm run lint

typecheck: deps
	npm run typecheck

format: deps
	npm run format

provision: deps
	npm run provision

bench: deps
	npm run bench

# Load tests and the queue monitor (tools/load/); ARGS passes extra flags.
load-sync: deps
	npm run load -- sync $(ARGS)

load-async: deps
	npm run load -- async $(ARGS)

load-flash: deps
	npm run load -- flash $(ARGS)

# The live page, Locust's web UI for this pipeline: start and stop runs from the browser.
load-web: deps
	npm run load -- --web $(ARGS)

depth: deps
	npm run queue -- $(ARGS)

# What the processor costs a month as an ECS worker and as a Lambda function: docs/cost.md.
cost: deps
	npm run cost -- $(ARGS)

# Needs the copilot CLI, AWS credentials and a Docker engine, and Node for the Lambda bundle the
# receiver's addon uploads, which scripts/deploy.sh builds first: see docs/deploy.md.
deploy: deps
	scripts/deploy.sh
