"""Shared test helpers."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
