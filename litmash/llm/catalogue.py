"""Model management: which models each backend has, pulling Ollama models, and a readiness check.

``litmash models``, the 01_generate notebook's pickers and the HTTP service's readiness all call
these functions. Each backend registers a lister and a checker by name, like the chat-model
factories in ``litmash.llm.backends``; a backend registered without them is reported as such.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import httpx

from litmash.config import Settings
from litmash.errors import BackendUnavailable, ConfigError, LitmashError
from litmash.llm import backends as llm
from litmash.llm.backends import PullProgress, PullReporter

PROBE = [{"role": "user", "content": "Reply with the word OK."}]


@dataclass
class ModelInfo:
    """One model a backend can run."""

    name: str
    size: int | None = None  # bytes on disk
    quantization: str | None = None
    parameters: str | None = None
    family: str | None = None
    modified: datetime | None = None
    detail: str = ""


@dataclass
class BackendCheck:
    """Does the backend answer, does it have the model, how long does a one-token reply take."""

    backend: str
    where: str
    model: str
    answers: bool
    present: bool | None = None  # None when the backend did not answer
    reply_seconds: float | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        """Ready to generate: it answers, has the model and replied."""
        return self.answers and bool(self.present) and self.reply_seconds is not None

    def as_dict(self) -> dict:
        """The check as JSON-ready data (the HTTP service's readiness reports this)."""
        return {**asdict(self), "ok": self.ok}


Lister = Callable[[Settings], list[ModelInfo]]
Checker = Callable[[Settings], BackendCheck]
listers: dict[str, Lister] = {}
checkers: dict[str, Checker] = {}


def register(name: str, lister: Lister, checker: Checker) -> None:
    """Register how to list and check the models of backend ``name``."""
    listers[name], checkers[name] = lister, checker


def resolve_backend(settings: Settings, backend: str | None = None) -> str:
    """The backend ``backend`` names (default: the configured one), ``auto`` resolved as a run would."""
    name = backend or settings.backend
    if name == "auto":
        return llm.choose_auto(settings)
    if name not in llm.backends:
        raise ConfigError(f"backend: unknown {name!r}; allowed: auto, {', '.join(sorted(llm.backends))}")
    return name


def configured_model(settings: Settings, backend: str) -> str:
    """The model a run on ``backend`` would use."""
    if settings.model:
        return settings.model
    if backend == "embedded":
        return _gguf_path(settings).name
    return {"ollama": settings.ollama_model, "openai": settings.openai_model}.get(backend, "")


def list_models(settings: Settings, backend: str | None = None) -> tuple[str, list[ModelInfo]]:
    """(backend name, the models it has) for ``backend`` or the configured backend."""
    name = resolve_backend(settings, backend)
    if name not in listers:
        raise ConfigError(f"backend {name!r} cannot list its models; listed: {', '.join(sorted(listers))}")
    return name, listers[name](settings)


def check(settings: Settings, backend: str | None = None) -> BackendCheck:
    """Check ``backend`` (default: the configured one); never raises for a backend that is down."""
    name = resolve_backend(settings, backend)
    if name not in checkers:
        return BackendCheck(name, "", configured_model(settings, name), answers=False,
                            detail="a registered backend without a check")
    try:
        return checkers[name](settings)
    except LitmashError as exc:  # a checker's own failure is a finding, not a crash
        return BackendCheck(name, "", settings.model or "", answers=False, detail=str(exc))


def pull(settings: Settings, name: str, report: PullReporter | None = None) -> PullProgress:
    """Pull ``name`` into the configured Ollama server; raises PullFailed with one line."""
    name = name.strip()
    if not name:
        raise ValueError("name: empty; expected an Ollama model tag such as llama3.1:8b-instruct")
    return llm.pull_ollama_model(settings.ollama_base_url, name, settings.request_timeout, report)


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# --------------------------------------------------------------------------- ollama


def _ollama_client(settings: Settings, timeout: float):
    import ollama

    return ollama.Client(host=settings.ollama_base_url, timeout=timeout)


def _ollama_list(settings: Settings, timeout: float = 5.0) -> list[ModelInfo]:
    import ollama

    try:
        with _ollama_client(settings, timeout) as client:
            listed = client.list().models
    except (ConnectionError, ollama.ResponseError, httpx.HTTPError) as exc:
        raise BackendUnavailable(f"cannot reach Ollama at {settings.ollama_base_url} ({_cause(exc)}): "
                                 "start `ollama serve` or use --backend embedded") from None
    return [ModelInfo(m.model or "", m.size, m.details.quantization_level if m.details else None,
                      m.details.parameter_size if m.details else None, m.details.family if m.details else None,
                      m.modified_at) for m in listed]


def _ollama_check(settings: Settings) -> BackendCheck:
    import ollama

    model = settings.model or settings.ollama_model
    result = BackendCheck("ollama", settings.ollama_base_url, model, answers=False)
    try:
        names = [m.name for m in _ollama_list(settings, timeout=min(settings.request_timeout, 5.0))]
    except BackendUnavailable as exc:
        result.detail = str(exc)
        return result
    result.answers, result.present = True, llm.has_model(names, model)
    if not result.present:
        result.detail = f"not pulled: run `litmash models pull {model}`"
        return result
    try:
        with _ollama_client(settings, settings.request_timeout) as client:
            result.reply_seconds = _timed(lambda: client.chat(
                model, messages=PROBE, stream=False, options={"num_predict": 1, "temperature": 0}))
        # Ollama loads a model on its first call, so a cold reply includes the load time.
        result.detail = "one-token reply (includes loading the model if it was not loaded)"
    except (ConnectionError, ollama.ResponseError, httpx.HTTPError) as exc:
        result.detail = f"reply failed: {_cause(exc)}"
    return result


def _cause(exc: BaseException) -> str:
    if type(exc) is ConnectionError:  # the ollama client's, whose text is a paragraph of advice
        return "connection refused"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --------------------------------------------------------------------------- openai-compatible


def _openai_get_models(settings: Settings, timeout: float) -> list[dict]:
    base = settings.openai_base_url.rstrip("/")
    try:
        resp = httpx.get(f"{base}/models", timeout=timeout, headers=_auth(settings))
        resp.raise_for_status()
        return list(resp.json()["data"])
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        raise BackendUnavailable(f"no model list from the OpenAI-compatible server at {base}/models "
                                 f"({_cause(exc)})") from None


def _auth(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.openai_api_key}"}


def _openai_list(settings: Settings) -> list[ModelInfo]:
    return [ModelInfo(m["id"], detail=m.get("owned_by") or "",
                      modified=datetime.fromtimestamp(m["created"]) if m.get("created") else None)
            for m in _openai_get_models(settings, timeout=5.0)]


def _chat_probe(base_url: str, model: str, headers: dict[str, str], timeout: float) -> float:
    def call() -> None:
        resp = httpx.post(f"{base_url.rstrip('/')}/chat/completions", timeout=timeout, headers=headers,
                          json={"model": model, "messages": PROBE, "max_tokens": 1, "temperature": 0})
        resp.raise_for_status()
        resp.json()["choices"][0]  # noqa: B018 - a reply without a choice is no reply

    return _timed(call)


def _openai_check(settings: Settings) -> BackendCheck:
    model = settings.model or settings.openai_model
    result = BackendCheck("openai", settings.openai_base_url, model, answers=False)
    try:
        ids = [m["id"] for m in _openai_get_models(settings, timeout=min(settings.request_timeout, 5.0))]
    except BackendUnavailable as exc:
        result.detail = str(exc)
        return result
    result.answers, result.present = True, model in ids
    if not result.present:
        result.detail = f"the server has {', '.join(ids) or 'no models'}; set LITMASH_MODEL to one of them"
        return result
    try:
        result.reply_seconds = _chat_probe(settings.openai_base_url, model, _auth(settings), settings.request_timeout)
        result.detail = "one-token reply"
    except (httpx.HTTPError, ValueError, KeyError, IndexError) as exc:
        result.detail = f"reply failed: {_cause(exc)}"
    return result


# --------------------------------------------------------------------------- embedded


def _gguf_path(settings: Settings) -> Path:
    from litmash.llm.embedded import default_model_path

    return settings.embedded_model_path or default_model_path()


def _embedded_list(settings: Settings) -> list[ModelInfo]:
    from litmash.llm.embedded import FILE_TYPES, gguf_metadata

    path = _gguf_path(settings)
    if not path.is_file():
        raise ConfigError(f"embedded model file not found: {path}")
    meta = gguf_metadata(path)
    kind = meta.get("general.file_type")
    return [ModelInfo(path.name, path.stat().st_size, FILE_TYPES.get(kind, f"type {kind}") if kind is not None
                      else None, meta.get("general.size_label"), meta.get("general.architecture"),
                      datetime.fromtimestamp(path.stat().st_mtime), str(path))]


def _embedded_check(settings: Settings) -> BackendCheck:
    path = _gguf_path(settings)
    result = BackendCheck("embedded", str(path), path.name, answers=False, present=path.is_file())
    if not result.present:
        result.detail = f"embedded model file not found: {path}"
        return result
    try:
        t0 = time.perf_counter()
        server = llm.embedded_server(settings)
        started = time.perf_counter() - t0
        result.answers = True
        result.reply_seconds = _chat_probe(server.base_url, server.model_name, {}, settings.request_timeout)
        result.detail = f"llama.cpp in process, ready in {started:.1f} s; one-token reply"
    except (LitmashError, httpx.HTTPError, ValueError, KeyError, IndexError) as exc:
        result.detail = f"reply failed: {_cause(exc)}" if result.answers else str(exc)
    return result


register("ollama", _ollama_list, _ollama_check)
register("openai", _openai_list, _openai_check)
register("embedded", _embedded_list, _embedded_check)
