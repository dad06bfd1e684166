#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed (/usr/bin/chromium) for the editor end-to-end test.
# Playwright's own browser download can't work here (no network but the package registries), so
# the test drives this Chromium through playwright-core. Needs root (CI runs as root) or sudo.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
	/usr/bin/chromium --version 2>/dev/null || true
	exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
T0=$(date +%s)
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "[ensure-chromium] installed $(/usr/bin/chromium --version 2>/dev/null) in $(($(date +%s) - T0)) s"
