"""Chat-model factory: a registry of backends, each returning a LangChain chat model."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
from langchain_core.language_models import BaseChatModel

from .config import Settings
from .errors import BackendUnavailable, ConfigError, ModelNotFound

log = logging.getLogger(__name__)


@dataclass
class Backend:
    """A ready chat model and what it is."""

    name: str
    model: str
    chat_model: BaseChatModel
    detail: str = ""


BackendFactory = Callable[[Settings], Backend]
backends: dict[str, BackendFactory] = {}


def register(name: str) -> Callable[[BackendFactory], BackendFactory]:
    """Register a backend factory under ``name`` (built-ins use this too)."""

    def deco(factory: BackendFactory) -> BackendFactory:
        backends[name] = factory
        return factory

    return deco


def create_backend(settings: Settings) -> Backend:
    """Build the configured backend; ``auto`` picks Ollama when it has the model, else embedded."""
    name = settings.backend
    if name == "auto":
        name = choose_auto(settings)
    try:
        factory = backends[name]
    except KeyError:
        raise ConfigError(f"backend: unknown {name!r}; allowed: auto, {', '.join(sorted(backends))}") from None
    return factory(settings)


def choose_auto(settings: Settings) -> str:
    """``ollama`` when its server answers and has the model, otherwise ``embedded``."""
    model = settings.model or settings.ollama_model
    try:
        names = ollama_models(settings.ollama_base_url, timeout=1.0)
    except BackendUnavailable:
        log.info("auto: no Ollama at %s; using the embedded model", settings.ollama_base_url)
        return "embedded"
    if _has_model(names, model):
        log.info("auto: Ollama at %s has %s", settings.ollama_base_url, model)
        return "ollama"
    log.info("auto: Ollama lacks %s; using the embedded model", model)
    return "embedded"


# --------------------------------------------------------------------------- ollama


def ollama_models(base_url: str, timeout: float) -> list[str]:
    """Names of the models an Ollama server has pulled."""
    try:
        resp = httpx.get(f"{base_url.rstrip('/')}/api/tags", timeout=timeout)
        resp.raise_for_status()
        return [m["name"] for m in resp.json().get("models", [])]
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise BackendUnavailable(
            f"cannot reach Ollama at {base_url} ({type(exc).__name__}): start `ollama serve` "
            "or use --backend embedded"
        ) from None


def _has_model(names: list[str], model: str) -> bool:
    wanted = model if ":" in model else f"{model}:latest"
    return wanted in names or model in names


class _DeadlineStream(httpx.SyncByteStream):
    """A response body that fails with ReadTimeout once its request's deadline has passed."""

    def __init__(self, stream, request: httpx.Request, deadline: float, total: float) -> None:
        self._stream, self._request, self._deadline, self._total = stream, request, deadline, total

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            if time.monotonic() > self._deadline:
                raise httpx.ReadTimeout(f"reply not complete within {self._total:g}s", request=self._request)
            yield chunk

    def close(self) -> None:
        self._stream.close()


class DeadlineTransport(httpx.BaseTransport):
    """An HTTP transport whose ``total`` seconds bound a whole exchange, body included.

    httpx's timeouts bound each read, so a server that streams slowly (Ollama sends one
    token per chunk) would never time out; this ends the reply at the first chunk after
    the deadline (a server that goes silent is still cut by the per-read timeout).
    """

    def __init__(self, total: float, inner: httpx.BaseTransport | None = None) -> None:
        self.total, self._inner = total, inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self.total
        r = self._inner.handle_request(request)
        body = _DeadlineStream(r.stream, request, deadline, self.total)
        return httpx.Response(r.status_code, headers=r.headers, stream=body, extensions=r.extensions)

    def close(self) -> None:
        self._inner.close()


@register("ollama")
def _ollama(settings: Settings) -> Backend:
    from langchain_ollama import ChatOllama

    model = settings.model or settings.ollama_model
    if not _has_model(ollama_models(settings.ollama_base_url, timeout=settings.request_timeout), model):
        raise ModelNotFound(f"Ollama has no model {model!r}: run `ollama pull {model}`")
    timeout = settings.request_timeout
    chat = ChatOllama(
        model=model,
        base_url=settings.ollama_base_url,
        temperature=settings.temperature,
        seed=settings.seed,
        num_predict=settings.max_tokens,
        # The reply streams token by token: a per-read timeout alone never fires while
        # tokens keep coming, so the transports also bound the whole reply.
        client_kwargs={"timeout": timeout},
        sync_client_kwargs={"transport": DeadlineTransport(timeout)},
    )
    return Backend("ollama", model, chat, settings.ollama_base_url)


# --------------------------------------------------------------------------- openai-compatible


def _openai_chat(
    base_url: str, api_key: str, model: str, settings: Settings, extra_body: dict | None = None
) -> BaseChatModel:
    from .chat_openai import ReplyKeepingChatOpenAI

    return ReplyKeepingChatOpenAI(
        base_url=base_url,
        api_key=api_key,
        model=model,
        temperature=settings.temperature,
        seed=settings.seed,
        max_tokens=settings.max_tokens,
        timeout=settings.request_timeout,
        max_retries=0,  # litmash retries itself, with the error fed back to the model
        extra_body=extra_body,
    )


@register("openai")
def _openai(settings: Settings) -> Backend:
    model = settings.model or settings.openai_model
    chat = _openai_chat(settings.openai_base_url, settings.openai_api_key, model, settings)
    return Backend("openai", model, chat, settings.openai_base_url)


# --------------------------------------------------------------------------- embedded


@register("embedded")
def _embedded(settings: Settings) -> Backend:
    from .embedded import EmbeddedServer, ServerKey, default_model_path

    path = settings.embedded_model_path or default_model_path()
    key = ServerKey(
        path.resolve(), settings.embedded_ctx_per_slot, settings.embedded_parallel, settings.embedded_threads
    )
    server = EmbeddedServer.get(key, quiet=not log.isEnabledFor(logging.DEBUG))
    # DRY and a mild repeat penalty stop small models from looping inside a string
    sampling = {"dry_multiplier": 0.8, "repeat_penalty": 1.1}
    chat = _openai_chat(server.base_url, "embedded", server.model_name, settings, sampling)
    return Backend("embedded", server.model_name, chat, f"llama.cpp in process, {server.base_url}")
