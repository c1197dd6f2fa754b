# A thin layer over npm scripts. Every target first makes sure the Node major pinned in .nvmrc is
# on PATH (fetched into .node/ when the system Node is another one) and dependencies are installed.
SHELL := bash
export PATH := $(CURDIR)/.node/node_modules/.bin:$(PATH)

.PHONY: help up down test lint typecheck format provision node deps

help:
	@echo "make up | down | test | lint | typecheck | format | provision"

node:
	@scripts/ensure-node.sh

node_modules/.package-lock.json: package-lock.json | node
	npm ci --no-audit --no-fund

deps: node node_modules/.package-lock.json

up: deps
	npm run up

down: deps
	npm run down

test: deps
	npm run check

lint: deps
	npm run lint

typecheck: deps
	npm run typecheck

format: deps
	npm run format

provision: deps
	npm run provision
