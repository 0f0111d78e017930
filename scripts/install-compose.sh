#!/usr/bin/env bash
# Installs a Compose client so the test suite can validate docker-compose.yml with
# `config` (no Docker engine is needed for that). Uses `docker compose` when the plugin is
# there, else Debian's docker-compose package. Idempotent; installing needs root.
set -euo pipefail
if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-compose: no Compose client; run as root: apt-get install -y docker-compose" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
docker-compose version --short
