"""Model management against the loopback Ollama and OpenAI-compatible stand-ins, and GGUF headers."""

from __future__ import annotations

import socket
import struct
from pathlib import Path

import pytest

from litmash.config import Settings
from litmash.errors import BackendUnavailable, ConfigError, ModelNotFound
from litmash.llm import backends as llm
from litmash.llm.backends import PullFailed, PullProgress, create_backend, reporting_pulls
from litmash.llm.catalogue import check, list_models, pull
from litmash.llm.embedded import default_model_path, gguf_metadata

from ..support.openai_server import FakeOpenAI

NEW = "smollm2:135m"  # pullable from the stand-in, not in its tags until pulled


@pytest.fixture
def openai():
    server = FakeOpenAI()
    yield server
    server.close()


@pytest.fixture
def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def on(server, **extra) -> Settings:
    return Settings(ollama_base_url=server.url, persist=False, request_timeout=5, **extra)


# --------------------------------------------------------------------------- listing


def test_ollama_models_with_size_and_quantisation(ollama):
    name, models = list_models(on(ollama), "ollama")

    assert name == "ollama"
    assert [(m.name, m.size, m.quantization, m.parameters, m.family) for m in models] == [
        ("llama3.1:8b-instruct", 4920753328, "Q4_K_M", "8.0B", "llama"),
        ("nomic-embed-text:latest", 274302450, "F16", "137M", "nomic-bert"),
    ]


def test_ollama_unreachable_is_one_actionable_line(closed_port):
    with pytest.raises(BackendUnavailable, match=rf"^cannot reach Ollama at {closed_port} \(.+\): start `ollama serve`"):
        list_models(Settings(ollama_base_url=closed_port), "ollama")


def test_openai_models_come_from_v1_models(openai):
    name, models = list_models(Settings(openai_base_url=openai.url), "openai")

    assert name == "openai"
    assert [(m.name, m.detail) for m in models] == [("qwen2.5-7b-instruct", "llamacpp"), ("default", "llamacpp")]


def test_openai_server_without_a_model_list(openai):
    openai.models_status = 404
    with pytest.raises(BackendUnavailable, match=r"no model list from the OpenAI-compatible server at .*/v1/models "
                                                 r"\(HTTPStatusError"):
        list_models(Settings(openai_base_url=openai.url), "openai")


def test_embedded_lists_the_packaged_gguf_with_size_and_quantisation():
    _, [m] = list_models(Settings(), "embedded")

    path = default_model_path()
    assert (m.name, m.size, m.quantization, m.parameters, m.family) == (
        "SmolLM2-135M-Instruct.Q4_1.gguf", path.stat().st_size, "Q4_1", "135M", "llama")
    assert m.detail == str(path)


def test_auto_lists_the_backend_a_run_would_use(ollama, closed_port):
    assert list_models(on(ollama), None)[0] == "ollama"  # Ollama has the default model
    assert list_models(Settings(ollama_base_url=closed_port), None)[0] == "embedded"


def test_unknown_backend_names_the_allowed_ones():
    with pytest.raises(ConfigError, match=r"^backend: unknown 'llamafile'; allowed: auto, embedded, ollama, openai$"):
        list_models(Settings(), "llamafile")


def test_a_backend_registered_without_a_lister(monkeypatch):
    monkeypatch.setattr(llm, "backends", {**llm.backends, "custom": lambda s: None})
    with pytest.raises(ConfigError, match="backend 'custom' cannot list its models; listed: embedded, ollama, openai"):
        list_models(Settings(), "custom")
    assert check(Settings(), "custom").detail == "a registered backend without a check"


# --------------------------------------------------------------------------- GGUF headers


def _gguf(path: Path, pairs: list[tuple[str, int, bytes]]) -> Path:
    """A GGUF v3 header: (key, value type, packed value) pairs, no tensors."""
    def s(text: str) -> bytes:
        return struct.pack("<Q", len(text.encode())) + text.encode()

    body = b"GGUF" + struct.pack("<IQQ", 3, 0, len(pairs))
    for key, kind, value in pairs:
        body += s(key) + struct.pack("<I", kind) + value
    path.write_bytes(body)
    return path


def test_gguf_header_is_read_past_arrays(tmp_path):
    words = struct.pack("<IQ", 8, 3) + b"".join(struct.pack("<Q", len(w)) + w for w in (b"a", b"bc", b"def"))
    ints = struct.pack("<IQ", 5, 4) + struct.pack("<4i", 1, 2, 3, 4)
    path = _gguf(tmp_path / "m.gguf", [
        ("tokenizer.ggml.tokens", 9, words), ("tokenizer.ggml.token_type", 9, ints),
        ("general.architecture", 8, struct.pack("<Q", 5) + b"qwen2"), ("general.file_type", 4, struct.pack("<I", 15)),
    ])

    assert gguf_metadata(path) == {"general.architecture": "qwen2", "general.file_type": 15}
    _, [m] = list_models(Settings(embedded_model_path=path), "embedded")
    assert (m.quantization, m.family, m.parameters) == ("Q4_K_M", "qwen2", None)


@pytest.mark.parametrize(("content", "message"), [(b"PK\x03\x04zip", "is not a GGUF model file"),
                                                  (b"GGUF\x03\x00", "truncated GGUF header")])
def test_a_file_that_is_not_gguf_is_refused(tmp_path, content, message):
    path = tmp_path / "model.gguf"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=message):
        list_models(Settings(embedded_model_path=path), "embedded")


def test_missing_gguf_file(tmp_path):
    with pytest.raises(ConfigError, match="embedded model file not found: .*nope.gguf"):
        list_models(Settings(embedded_model_path=tmp_path / "nope.gguf"), "embedded")
    result = check(Settings(embedded_model_path=tmp_path / "nope.gguf"), "embedded")
    assert (result.present, result.answers, result.ok) == (False, False, False)


# --------------------------------------------------------------------------- pulling


def test_pull_streams_progress_per_layer_then_success(ollama):
    events: list[PullProgress] = []

    final = pull(on(ollama), NEW, events.append)

    assert ollama.pulls() == [NEW]
    assert [e.status for e in events][:1] == ["pulling manifest"]
    assert [e.status for e in events][-3:] == ["verifying sha256 digest", "writing manifest", "success"]
    layered = [e for e in events if e.digest]
    assert len(layered) == 15 and len({e.digest for e in layered}) == 3
    done = [e.completed for e in events]
    assert done == sorted(done)  # overall bytes never go back
    assert (final.completed, final.total) == (91_001_620, 91_001_620)
    first_layer = [e for e in layered if e.digest == layered[0].digest]
    assert [e.layer_completed for e in first_layer] == [0, 22_750_000, 45_500_000, 68_250_000, 91_000_000]
    assert NEW in [m.name for m in list_models(on(ollama), "ollama")[1]]


@pytest.mark.parametrize(("name", "cause"), [
    ("nosuch:7b", "pull model manifest: file does not exist"),
    ("llama3.1:8b", "max retries exceeded: dial tcp: lookup registry.ollama.ai: no such host"),
])
def test_failed_pull_is_one_line_naming_tag_and_cause(ollama, name, cause):
    ollama.pull_errors[name] = cause
    with pytest.raises(PullFailed) as info:
        pull(on(ollama), name, lambda p: None)
    assert str(info.value) == f"pull of {name!r} failed: {cause}"


def test_pull_cut_off_before_success_fails(ollama):
    ollama.pull_drops.add(NEW)
    with pytest.raises(PullFailed, match=r"^pull of 'smollm2:135m' failed: the stream ended at 'pulling 000000000000'$"):
        pull(on(ollama), NEW, lambda p: None)
    assert NEW not in [m.name for m in list_models(on(ollama), "ollama")[1]]


def test_pull_without_a_server(closed_port):
    with pytest.raises(PullFailed, match=rf"^pull of 'qwen2.5:3b' failed: cannot reach Ollama at {closed_port}$"):
        pull(Settings(ollama_base_url=closed_port), "qwen2.5:3b")


def test_pull_needs_a_name(ollama):
    with pytest.raises(ValueError, match="^name: empty; expected an Ollama model tag"):
        pull(on(ollama), "  ")
    assert ollama.pulls() == []


# --------------------------------------------------------------------------- auto-pull


def test_missing_model_without_auto_pull_fails_and_pulls_nothing(ollama):
    with pytest.raises(ModelNotFound, match=r"run `litmash models pull smollm2:135m` or set LITMASH_OLLAMA_AUTO_PULL"):
        create_backend(on(ollama, backend="ollama", model=NEW))
    assert ollama.pulls() == []


def test_missing_model_with_auto_pull_is_pulled_with_progress_first(ollama):
    seen: list[str] = []
    with reporting_pulls(lambda p: seen.append(p.status)):
        backend = create_backend(on(ollama, backend="ollama", model=NEW, ollama_auto_pull=True))

    assert (backend.name, backend.model) == ("ollama", NEW)
    assert ollama.pulls() == [NEW] and seen[-1] == "success"
    # the tags are asked before the pull; the chat model is built once the model is there
    assert [p for _, p, _ in ollama.requests] == ["/api/tags", "/api/pull"]


def test_auto_pull_from_the_environment(ollama, monkeypatch):
    monkeypatch.setenv("LITMASH_OLLAMA_AUTO_PULL", "true")
    assert Settings().ollama_auto_pull is True
    create_backend(on(ollama, backend="ollama", model=NEW))
    assert ollama.pulls() == [NEW]


def test_auto_pull_of_an_unknown_tag_fails_with_its_cause(ollama):
    with pytest.raises(PullFailed, match=r"^pull of 'nosuch:7b' failed: pull model manifest: file does not exist$"):
        create_backend(on(ollama, backend="ollama", model="nosuch:7b", ollama_auto_pull=True))


def test_auto_backend_prefers_ollama_when_it_may_pull(ollama):
    assert llm.choose_auto(on(ollama, model=NEW)) == "embedded"
    assert llm.choose_auto(on(ollama, model=NEW, ollama_auto_pull=True)) == "ollama"


def test_auto_pull_reports_to_the_log_without_a_reporter(ollama, caplog):
    caplog.set_level("INFO", logger="litmash.llm.backends")
    pull(on(ollama), NEW)
    phases = [r.getMessage() for r in caplog.records if r.getMessage().startswith("pull ")]
    # one line per phase, not one per progress event
    assert phases == ["pull smollm2:135m: pulling manifest", "pull smollm2:135m: pulling 000000000000",
                      "pull smollm2:135m: pulling 000000000001", "pull smollm2:135m: pulling 000000000002",
                      "pull smollm2:135m: verifying sha256 digest", "pull smollm2:135m: writing manifest",
                      "pull smollm2:135m: success"]


# --------------------------------------------------------------------------- checks


def test_ollama_check_answers_has_the_model_and_times_one_token(ollama):
    result = check(on(ollama), "ollama")

    assert (result.backend, result.model, result.answers, result.present, result.ok) == (
        "ollama", "llama3.1:8b-instruct", True, True, True)
    assert 0 < result.reply_seconds < 5
    probe = ollama.chats()[-1]
    assert probe["options"]["num_predict"] == 1 and probe["stream"] is False
    assert result.as_dict()["ok"] is True


def test_ollama_check_without_the_model(ollama):
    result = check(on(ollama, model=NEW), "ollama")
    assert (result.answers, result.present, result.reply_seconds, result.ok) == (True, False, None, False)
    assert result.detail == f"not pulled: run `litmash models pull {NEW}`"
    assert ollama.chats() == []


def test_ollama_check_when_the_reply_fails(ollama):
    ollama.mode = "not_found"  # tags list the model, the chat says it is not there
    result = check(on(ollama), "ollama")
    assert (result.answers, result.present, result.ok) == (True, True, False)
    assert result.detail.startswith("reply failed: ResponseError: ")


def test_ollama_check_when_down(closed_port):
    result = check(Settings(ollama_base_url=closed_port), "ollama")
    assert (result.answers, result.present, result.ok) == (False, None, False)
    assert result.detail.startswith(f"cannot reach Ollama at {closed_port}")


def test_openai_check_times_a_one_token_reply(openai):
    openai.enqueue("OK", "length")
    result = check(Settings(openai_base_url=openai.url, model="qwen2.5-7b-instruct"), "openai")

    assert (result.answers, result.present, result.ok) == (True, True, True)
    assert openai.requests[-1]["max_tokens"] == 1 and openai.requests[-1]["model"] == "qwen2.5-7b-instruct"


def test_openai_check_with_a_model_the_server_lacks(openai):
    result = check(Settings(openai_base_url=openai.url, model="llama-70b"), "openai")
    assert (result.answers, result.present, result.ok) == (True, False, False)
    assert result.detail == "the server has qwen2.5-7b-instruct, default; set LITMASH_MODEL to one of them"
    assert openai.requests == []


def test_embedded_check_reports_a_server_that_will_not_start(tmp_path, monkeypatch):
    path = tmp_path / "m.gguf"
    path.write_bytes(b"GGUF")

    def fails(settings):
        raise BackendUnavailable("embedded llama.cpp server failed to start: unknown model architecture")

    monkeypatch.setattr(llm, "embedded_server", fails)
    result = check(Settings(embedded_model_path=path), "embedded")
    assert (result.present, result.answers, result.reply_seconds, result.ok) == (True, False, None, False)
    assert result.detail == "embedded llama.cpp server failed to start: unknown model architecture"


def test_service_readiness_can_use_the_check(ollama):
    # the shape /health/ready needs: ok plus a one-line detail, without raising for a down backend
    data = check(on(ollama, backend="ollama")).as_dict()
    assert set(data) == {"backend", "where", "model", "answers", "present", "reply_seconds", "detail", "ok"}
