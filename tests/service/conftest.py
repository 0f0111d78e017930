"""Service tests: a real uvicorn on a loopback port, real worker processes and a real PostgreSQL.

The database is ``LITMASH_TEST_DATABASE_URL``'s server when set (a fresh database per test
session), else an embedded pgserver; the model is the scripted one behind a loopback
OpenAI-compatible server (``tests/support/model_server.py``), so no LLM runs.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import httpx
import pytest

from litmash.config import Settings
from litmash.domain.request import MashupRequest
from litmash.service import auth
from litmash.service.db import get_engine
from litmash.store import create_database, drop_database
from litmash.store import engine as eng
from litmash.workflow.api import generate

from ..conftest import server_data_dir
from ..support.model_server import ScriptedModelServer
from .harness import EXAMPLE, Stack, service_env, start_stack

EXTERNAL_ENV = "LITMASH_TEST_DATABASE_URL"


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server URL: the machine's (if configured) or an embedded one for this session."""
    url = os.environ.get(EXTERNAL_ENV)
    if url:
        yield url
        return
    with server_data_dir("litmash-svc-") as data_dir:
        yield eng.embedded_url(data_dir)
        eng.stop_embedded(data_dir)


@pytest.fixture(scope="session")
def db_url(pg_server):
    """A fresh database for the session's service stack, dropped at the end."""
    url = create_database(pg_server, f"litmash_svc_{uuid.uuid4().hex[:10]}")
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def model():
    """The scripted OpenAI-compatible model server."""
    server = ScriptedModelServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def direct(model, db_url):
    """The example's mashup from a direct ``generate`` call on the same scripted model (what a job must give)."""
    settings = Settings(database_url=db_url, backend="openai", openai_base_url=model.url, openai_model="scripted",
                        persist=False)
    return generate(MashupRequest.model_validate(EXAMPLE), settings)


@pytest.fixture(scope="session")
def engine(db_url):
    """An engine on the session database, the service schema migrated."""
    return get_engine(Settings(database_url=db_url))


@pytest.fixture(scope="session")
def stack(db_url, model, tmp_path_factory) -> Stack:
    """The API (auth on) and one worker, shared by the tests of the session."""
    folder = tmp_path_factory.mktemp("stack")
    running = start_stack(service_env(db_url, model.url, folder), folder, workers=1)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _model_reset(model):
    """Each test starts with a prompt, healthy model."""
    model.delay, model.failures, model.invalid, model.missing = 0.0, 0, 0, 0
    yield
    model.delay, model.failures, model.invalid, model.missing = 0.0, 0, 0, 0


def new_client(stack: Stack, engine, name: str | None = None) -> httpx.Client:
    """An HTTP client acting as a new user with a fresh key."""
    name = name or f"user-{uuid.uuid4().hex[:8]}"
    auth.add_user(engine, name)
    key = auth.create_key(engine, name)
    return httpx.Client(base_url=stack.url, headers={"Authorization": f"Bearer {key}"}, timeout=30)


@pytest.fixture
def client(stack, engine):
    """A client for a user of its own (so quotas and lists do not leak between tests)."""
    with new_client(stack, engine) as c:
        yield c


@pytest.fixture
def folder(tmp_path) -> Path:
    """A world-traversable temporary folder."""
    tmp_path.chmod(0o755)
    return tmp_path
