"""Integration tests: the real embedded model (llama.cpp + SmolLM2) and a real PostgreSQL.

Runs go to an embedded PostgreSQL in a fresh data folder for this test session, so nothing
touches the user's own litmash data.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from litmash import MashupRequest, Settings
from litmash.store import Store
from litmash.store import engine as eng

from ..conftest import server_data_dir

PROMPT = "Blend jazz and hip-hop for a high-school class"
OBJECTIVES = ["Understand syncopation", "Respect cultural origins"]
# Generous per-call timeout: a loaded 2-core machine can slow one call well past the default.
TIMEOUT = 600


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The litmash data folder of this test session (its embedded PostgreSQL lives here)."""
    with server_data_dir("litmash-it-") as path:
        yield path
        eng.stop_embedded(path)


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    """Embedded model, embedded database, one repair round (the shipped default)."""
    return Settings(backend="embedded", data_dir=data_dir, database_url=None, request_timeout=TIMEOUT)


@pytest.fixture(scope="session")
def store(settings: Settings) -> Store:
    return Store(settings)


@pytest.fixture(scope="session")
def request_() -> MashupRequest:
    return MashupRequest(
        user_prompt=PROMPT, skill_level="intermediate", educational_context="classroom",
        learning_objectives=OBJECTIVES,
    )


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a CLI subprocess runs with: this session's data folder, no stray LITMASH_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMASH_")}
    env.update(
        LITMASH_DATA_DIR=str(data_dir), LITMASH_BACKEND="embedded", LITMASH_REQUEST_TIMEOUT=str(TIMEOUT),
        COLUMNS="120",
    )
    env.update(extra)
    return env


def litmash(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the CLI as a user would (``python -m litmash.cli.main`` = the ``litmash`` script)."""
    return subprocess.run(
        [sys.executable, "-m", "litmash.cli.main", *args], env=env, capture_output=True, text=True,
        timeout=timeout,
    )
