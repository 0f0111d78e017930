"""Eval tests: scorers and verdicts (pure), runner, cache and storage on a real PostgreSQL.

The runner tests generate with the scripted fake model of ``tests/support/fakes.py``; their
databases are throwaway ones on ``LITMASH_TEST_DATABASE_URL`` when set (``.ci/run`` sets it),
else on an embedded pgserver started for the session. Only the integration tests (marked)
start the real embedded model.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest
from pytest_socket import socket_allow_hosts

from litmash import Settings
from litmash.domain.mashup import Mashup
from litmash.store import create_database, drop_database
from litmash.store import engine as eng
from litmash.workflow.api import assemble

from ..conftest import server_data_dir
from ..support.fakes import FakeChatModel, default_request, draft_song, draft_state, fake_backend

LOOPBACK = ["127.0.0.1", "::1", "localhost"]
_resolved: dict[str, set[str]] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fake-model tests must not reach past loopback (the database is local)."""
    if item.get_closest_marker("integration") is None:
        socket_allow_hosts(LOOPBACK, allow_unix_socket=True, resolution_cache=_resolved)


@pytest.fixture(autouse=True)
def _no_litmash_env(monkeypatch, tmp_path):
    """No LITMASH_* variables or .env from the developer's shell."""
    for name in list(os.environ):
        if name.startswith("LITMASH_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def server_url():
    """A PostgreSQL server URL: the external test server, else an embedded one for this session."""
    url = os.environ.get("LITMASH_TEST_DATABASE_URL")
    if url:
        yield url
        return
    with server_data_dir("litmash-eval-") as data_dir:
        yield eng.embedded_url(data_dir)
        eng.stop_embedded(data_dir)


@pytest.fixture
def db_url(server_url):
    """A fresh database, migrated on first use, dropped after the test."""
    url = create_database(server_url, f"litmash_eval_{uuid.uuid4().hex[:12]}")
    yield url
    drop_database(url)


@pytest.fixture
def settings(db_url, tmp_path) -> Settings:
    """Settings storing into the test database; no repair rounds needed with the fake's clean output."""
    return Settings(database_url=db_url, data_dir=tmp_path / "data", max_repair_rounds=1)


@pytest.fixture
def fake() -> FakeChatModel:
    return FakeChatModel()


@pytest.fixture
def factory(fake):
    """A backend factory handing the runner the scripted fake (shared, so its history counts calls)."""
    return lambda settings: fake_backend(fake)


def build_mashup(request=None, **section_updates) -> Mashup:
    """A good mashup (the fakes' defaults; the song as its agents write it from the fake's
    hand-checked lines), then ``section_updates``."""
    state = draft_state(request or default_request())
    state |= draft_song(state)
    mashup = assemble(state, fake_backend(), Settings(persist=False), datetime.now(UTC), 42.0)
    return mashup.model_copy(update=section_updates) if section_updates else mashup
