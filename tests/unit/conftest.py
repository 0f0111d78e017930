"""Unit-test guards: no network beyond loopback, no embedded model, no database, no stray env.

Every test under tests/unit runs with pytest-socket's ``socket_allow_hosts`` in force, so a
test (or the code under test) that opens a non-loopback connection fails with
``SocketConnectBlockedError`` before a packet leaves. pytest-socket's own teardown hook
restores the real socket after each test.
"""

from __future__ import annotations

import os

import pytest
from pytest_socket import socket_allow_hosts

from litmash.config import Settings
from litmash.llm.backends import Backend

from ..support.fakes import FakeChatModel, fake_backend

LOOPBACK = ["127.0.0.1", "::1", "localhost"]
_resolved: dict[str, set[str]] = {}  # 'localhost' is resolved once, not per test


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture runs: allow loopback and Unix sockets only."""
    socket_allow_hosts(LOOPBACK, allow_unix_socket=True, resolution_cache=_resolved)


class EmbeddedBlocked(RuntimeError):
    """Raised when a unit test tries to start llama.cpp."""


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """Deterministic settings (no LITMASH_* vars, no .env) and no heavy side effects."""
    for name in list(os.environ):
        if name.startswith("LITMASH_"):
            monkeypatch.delenv(name)
    # Settings reads .env from the cwd: an empty temporary cwd makes it absent
    monkeypatch.chdir(tmp_path)

    def no_embedded(*args, **kwargs):
        raise EmbeddedBlocked("unit tests must not start the embedded llama.cpp server")

    monkeypatch.setattr("litmash.llm.embedded.EmbeddedServer.get", no_embedded)

    def no_store(*args, **kwargs):
        raise AssertionError("unit tests must not open the PostgreSQL store; pass persist=False")

    # raising=False: api.py is being reworked, the name may move
    monkeypatch.setattr("litmash.workflow.api.Store", no_store, raising=False)


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings for an in-memory run: no persistence, data kept in the test's folder."""
    return Settings(persist=False, data_dir=tmp_path / "data")


@pytest.fixture
def fake() -> FakeChatModel:
    """A fresh scripted model (defaults produce a mashup with no validation problems)."""
    return FakeChatModel()


@pytest.fixture
def backend(fake) -> Backend:
    """The fake model as a litmash Backend."""
    return fake_backend(fake)


@pytest.fixture
def ollama():
    """A stand-in Ollama server on 127.0.0.1 replaying recorded replies."""
    from ..support.ollama_server import FakeOllama

    server = FakeOllama()
    yield server
    server.close()
