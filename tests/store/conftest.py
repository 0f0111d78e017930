"""Store tests run against the embedded pgserver and, if configured, an external PostgreSQL.

Each test gets its own freshly created database (``litmash_test_<random>``), dropped afterwards.
Set ``LITMASH_TEST_DATABASE_URL`` (e.g. ``postgresql+psycopg2://postgres@127.0.0.1:5432/test``)
to run every test against that server too.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from litmash.store import Store, create_database, drop_database
from litmash.store import engine as eng

from ..conftest import server_data_dir

EXTERNAL_ENV = "LITMASH_TEST_DATABASE_URL"


@dataclass(frozen=True)
class Server:
    """A PostgreSQL server to test against."""

    kind: str  # 'embedded' | 'external'
    url: str  # any database on it; tests create their own
    data_dir: Path | None = None  # embedded only


@pytest.fixture(scope="session")
def embedded_server():
    """A pgserver started for this test session in a fresh data folder, stopped at the end."""
    with server_data_dir("litmash-store-") as data_dir:
        url = eng.embedded_url(data_dir)
        yield Server("embedded", url, data_dir)
        eng.stop_embedded(data_dir)


@pytest.fixture(scope="session", params=["embedded", "external"])
def server(request) -> Server:
    """Each server kind in turn; the external one is skipped when its env var is unset."""
    if request.param == "embedded":
        return request.getfixturevalue("embedded_server")
    url = os.environ.get(EXTERNAL_ENV)
    if not url:
        pytest.skip(f"{EXTERNAL_ENV} is not set; set it to a PostgreSQL URL to test an external server")
    return Server("external", url)


@pytest.fixture
def db_url(server: Server):
    """URL of a new, empty database on ``server``, dropped after the test."""
    url = create_database(server.url, f"litmash_test_{uuid.uuid4().hex[:12]}")
    yield url
    drop_database(url)


@pytest.fixture
def store(db_url: str) -> Store:
    """A Store on a fresh database (migrated on first use)."""
    return Store(db_url)
