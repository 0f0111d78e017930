"""docker-compose.yml: validated by `docker compose config` where the plugin exists, and
structurally always (no Docker engine runs on the CI machines)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

COMPOSE = Path(__file__).resolve().parent.parent / "docker-compose.yml"


def test_services_are_wired():
    spec = yaml.safe_load(COMPOSE.read_text())
    services = spec["services"]
    assert {"postgres", "ollama", "ollama-pull", "jupyterlab"} <= set(services)
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    lab = services["jupyterlab"]
    assert lab["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert lab["depends_on"]["ollama-pull"]["condition"] == "service_completed_successfully"
    assert lab["environment"]["LITMASH_DATABASE_URL"].startswith("postgresql://")
    assert "@postgres:5432/" in lab["environment"]["LITMASH_DATABASE_URL"]
    assert lab["environment"]["LITMASH_OLLAMA_BASE_URL"] == "http://ollama:11434"


def _compose() -> list[str] | None:
    """The Compose client: the docker plugin, else Debian's docker-compose (scripts/install-compose.sh)."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


@pytest.mark.apt  # a Compose client (make tools)
@pytest.mark.skipif(_compose() is None, reason="no Compose client: run scripts/install-compose.sh")
def test_docker_compose_config_validates():
    proc = subprocess.run([*_compose(), "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
