"""litmash.llm.backends: the backend registry, ``auto`` selection and the built-in factories."""

from __future__ import annotations

import socket

import pytest
from pydantic import ValidationError

from litmash.config import Settings
from litmash.errors import BackendUnavailable, ConfigError, one_line
from litmash.llm import backends as llm
from litmash.workflow import api

from ..support.fakes import FakeChatModel, default_request
from .conftest import EmbeddedBlocked


@pytest.fixture
def registry(monkeypatch):
    """A private copy of the registry, so registrations do not leak between tests."""
    monkeypatch.setattr(llm, "backends", dict(llm.backends))
    return llm.backends


@pytest.fixture
def closed_port() -> str:
    """A loopback URL nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def stub(name: str):
    """A factory that records it was chosen instead of starting anything."""
    return lambda settings: llm.Backend(name, f"{name}-model", FakeChatModel(), "stub")


def test_builtins_are_registered():
    assert {"ollama", "openai", "embedded"} <= set(llm.backends)


def test_unknown_backend_is_a_config_error(settings):
    with pytest.raises(ConfigError, match=r"^backend: unknown 'llamafile'; allowed: auto, embedded, ollama, openai$"):
        llm.create_backend(settings.model_copy(update={"backend": "llamafile"}))


def test_register_adds_a_backend_create_backend_uses(registry, settings):
    llm.register("custom")(stub("custom"))

    backend = llm.create_backend(settings.model_copy(update={"backend": "custom"}))

    assert (backend.name, backend.model) == ("custom", "custom-model")
    with pytest.raises(ConfigError, match="allowed: auto, custom, embedded, ollama, openai"):
        llm.create_backend(settings.model_copy(update={"backend": "other"}))


def test_registered_backend_can_be_selected_by_settings(registry, monkeypatch):
    llm.register("custom")(stub("custom"))
    monkeypatch.setenv("LITMASH_BACKEND", "custom")
    assert llm.create_backend(Settings()).name == "custom"


def test_settings_refuse_an_unregistered_backend_listing_the_registered_ones(registry, monkeypatch):
    llm.register("custom")(stub("custom"))
    monkeypatch.setenv("LITMASH_BACKEND", "other")
    with pytest.raises(ValidationError) as info:
        Settings()
    assert "backend: Input should be 'auto', 'ollama', 'openai', 'embedded' or 'custom' (got 'other')" in one_line(info.value)


def test_auto_picks_embedded_when_ollama_is_unreachable(registry, closed_port, settings):
    registry["embedded"] = stub("embedded")
    s = settings.model_copy(update={"ollama_base_url": closed_port})

    assert llm.choose_auto(s) == "embedded"
    assert llm.create_backend(s).name == "embedded"


def test_auto_picks_ollama_when_it_has_the_model(registry, ollama, settings):
    registry["ollama"] = stub("ollama")
    s = settings.model_copy(update={"ollama_base_url": ollama.url})

    assert llm.choose_auto(s) == "ollama"
    assert llm.create_backend(s).name == "ollama"


def test_auto_picks_embedded_when_ollama_lacks_the_model(ollama, settings):
    ollama.models = [{"name": "mistral:latest"}]
    assert llm.choose_auto(settings.model_copy(update={"ollama_base_url": ollama.url})) == "embedded"


def test_ollama_backend_unreachable_is_backend_unavailable(closed_port, settings):
    with pytest.raises(BackendUnavailable, match=f"cannot reach Ollama at {closed_port} .*ollama serve"):
        llm.create_backend(settings.model_copy(update={"backend": "ollama", "ollama_base_url": closed_port}))


def test_openai_backend_is_configured_from_settings(settings):
    s = settings.model_copy(update={"backend": "openai", "model": "qwen", "max_tokens": 900, "request_timeout": 30})
    backend = llm.create_backend(s)

    chat = backend.chat_model
    assert (backend.name, backend.model, backend.detail) == ("openai", "qwen", "http://127.0.0.1:8000/v1")
    assert (chat.model_name, chat.max_tokens, chat.request_timeout, chat.seed) == ("qwen", 900, 30, 42)
    assert chat.max_retries == 0  # litmash retries itself, with the error fed back


def test_embedded_backend_is_blocked_in_unit_tests(tmp_path, settings):
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    with pytest.raises(EmbeddedBlocked):
        llm.create_backend(settings.model_copy(update={"backend": "embedded", "embedded_model_path": gguf}))


def test_generate_builds_the_configured_backend(registry, settings):
    registry["openai"] = lambda s: llm.Backend("openai", s.model, FakeChatModel(), "stub")

    m = api.generate(default_request(), settings.model_copy(update={"backend": "openai", "model": "m1"}), persist=False)

    assert (m.metadata.backend, m.metadata.model) == ("openai", "m1")
