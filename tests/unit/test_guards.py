"""The unit-test guards themselves: they must actually block what they claim to block."""

from __future__ import annotations

import os
import socket

import httpx
import pytest
from pytest_socket import SocketConnectBlockedError

from litmash.config import Settings
from litmash.llm.embedded import EmbeddedServer, ServerKey
from litmash.workflow import api

from ..support.fakes import default_request
from .conftest import EmbeddedBlocked

# pytest-socket warns as well as raising; the raise is what these tests check
pytestmark = pytest.mark.filterwarnings("ignore:A test tried to use socket")


def test_non_loopback_connection_is_blocked():
    # 192.0.2.1 is TEST-NET-1: the guard refuses it before any packet is sent
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(SocketConnectBlockedError):
        s.connect(("192.0.2.1", 80))


def test_http_client_to_the_internet_is_blocked():
    with pytest.raises(SocketConnectBlockedError):
        httpx.get("http://192.0.2.1/", timeout=1)


def test_loopback_and_unix_sockets_are_allowed(tmp_path):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
    path = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen()
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(path)


def test_embedded_server_cannot_start(tmp_path):
    with pytest.raises(EmbeddedBlocked):
        EmbeddedServer.get(ServerKey(tmp_path / "m.gguf", 512, 1))


def test_litmash_environment_is_cleared():
    assert not [k for k in os.environ if k.startswith("LITMASH_")]
    assert not os.path.exists(".env")  # cwd is the test's empty tmp_path


def test_persisting_runs_are_blocked(backend):
    # Settings().persist is True: without persist=False a unit test would start PostgreSQL
    with pytest.raises(AssertionError, match="must not open the PostgreSQL store"):
        next(api.stream(default_request(), Settings(), backend=backend))
