#!/usr/bin/env bash
# npm start: n8n 2.x with this package installed as a community package, demo data and the example
# flows, on http://127.0.0.1:5678. Works on a machine with only Node 20 + npm: Node 24 and n8n come
# from the npm registry on the first run (cached in ~/.cache/n8n-nodes-retention), see README.md, "Running in n8n".
#   bash scripts/start.sh [--demo] [--fresh] [--port N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -x node_modules/.bin/tsc ] || [ ! -d node_modules/tsx ]; then
	echo "[start] installing the project's dependencies (npm ci)" >&2
	npm ci
fi

# Node 24 + n8n (pinned) from the npm registry, cached after the first run.
while IFS='=' read -r key value; do
	case "$key" in N8N_RUNTIME_*) export "$key=$value" ;; esac
done < <(bash scripts/n8n-runtime.sh)

if [ "${RETENTION_SKIP_BUILD:-0}" != 1 ]; then
	echo "[start] building the package (npm run build)" >&2
	PATH="$N8N_RUNTIME_NODE_BIN:$PATH" npm run build
fi

exec "$N8N_RUNTIME_NODE_BIN/node" --import tsx scripts/start.ts "$@"
