#!/usr/bin/env bash
# Makes the Node major pinned in .nvmrc available without root: when the node on PATH is another
# major, the `node` package from the npm registry (it ships the binary) is installed into .node/.
# The Makefile puts .node/node_modules/.bin first on PATH, so the system Node is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(tr -dc '0-9' < .nvmrc)
local_bin=.node/node_modules/.bin/node

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true; }

if [ -x "$local_bin" ] && [ "$(major_of "$local_bin")" = "$want" ]; then exit 0; fi
if command -v node >/dev/null && [ "$(major_of node)" = "$want" ]; then exit 0; fi

echo "Node $want not found (have $(node --version 2>/dev/null || echo none)); fetching it into .node/ ..." >&2
rm -rf .node
npm install --prefix .node --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node@$want" >&2
echo "Using $("$local_bin" --version) from .node/" >&2
