"""Fixtures for the notebook tests: a private data folder (embedded PostgreSQL) per test session.

Nothing here touches the user's own litmash data: LITMASH_DATA_DIR points at a fresh folder,
and stray LITMASH_* variables are removed so the tests see the documented defaults.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from litmash import Settings
from litmash.store import Store
from litmash.store import engine as eng

from ..conftest import server_data_dir

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
PROMPT = "Blend jazz and hip-hop for a high-school class"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The litmash data folder of this test session."""
    with server_data_dir("litmash-nb-") as path:
        yield path
        eng.stop_embedded(path)


@pytest.fixture(autouse=True)
def _env(monkeypatch, data_dir, tmp_path):
    """This session's data folder, documented defaults, and a scratch working directory."""
    for name in list(os.environ):
        if name.startswith("LITMASH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LITMASH_DATA_DIR", str(data_dir))
    monkeypatch.chdir(tmp_path)  # no stray .env; exports land in the test's folder


@pytest.fixture
def prompts(tmp_path) -> Path:
    """A private copy of the prompt files, so saving a version never edits the repository's."""
    folder = tmp_path / "prompts"
    shutil.copytree(REPO / "prompts", folder)
    return folder


@pytest.fixture(scope="session")
def store(data_dir) -> Store:
    return Store(Settings(data_dir=data_dir))


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where tests leave files for people to look at (screenshots, executed notebooks)."""
    path = Path(os.environ.get("LITMASH_TEST_OUTPUT", REPO / "test-output")) / "notebooks"
    path.mkdir(parents=True, exist_ok=True)
    return path


def kernel_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a notebook kernel or JupyterLab runs with: this session's data, embedded model."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMASH_")}
    # A generous per-call timeout: these tests check the notebooks, not the machine's speed
    # (benchmarks/ measures that), and a busy 2-core machine can be several times slower.
    env.update(LITMASH_DATA_DIR=str(data_dir), LITMASH_BACKEND="embedded", LITMASH_MAX_REPAIR_ROUNDS="0",
               LITMASH_REQUEST_TIMEOUT="600")
    env.update(extra)
    return env
