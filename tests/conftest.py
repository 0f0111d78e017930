"""Shared test helpers."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def server_data_dir(prefix: str) -> Iterator[Path]:
    """A world-traversable temporary folder for an embedded PostgreSQL.

    pgserver runs postgres as its own user when we are root, so every parent folder must be
    traversable; pytest's tmp folders are private (0700) and pytest resets them per session.
    """
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Every test under tests/integration/ uses the real embedded model: marked so `make unit` leaves it out
    (a ``pytestmark`` in a conftest.py marks nothing)."""
    folder = Path(__file__).resolve().parent / "integration"
    for item in items:
        if folder in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.integration)
