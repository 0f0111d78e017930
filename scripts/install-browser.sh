#!/usr/bin/env bash
# Installs the headless Chromium the notebook browser test drives (Debian's package).
# Playwright is pointed at it by path: `playwright install` downloads browser builds of its
# own, which this project's machines cannot fetch. Idempotent; needs root (CI runs as root).
set -euo pipefail
BROWSER="${LITMASH_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$BROWSER" ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-browser: $BROWSER is missing; run as root: apt-get install -y chromium" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
"$BROWSER" --version
