"""Chat-model factory: a registry of backends, each returning a LangChain chat model."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import httpx
from langchain_core.language_models import BaseChatModel

from litmash.config import Settings, allow_backends
from litmash.errors import BackendUnavailable, ConfigError, LitmashError, ModelNotFound

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
# Settings checks LITMASH_BACKEND against this registry; the lambda reads the module global at
# call time, so a registry swapped in by a test is the one checked.
allow_backends(lambda: backends)


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
    if has_model(names, model):
        log.info("auto: Ollama at %s has %s", settings.ollama_base_url, model)
        return "ollama"
    if settings.ollama_auto_pull:
        log.info("auto: Ollama at %s lacks %s; it will be pulled (auto-pull on)", settings.ollama_base_url, model)
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


def has_model(names: list[str], model: str) -> bool:
    """Whether ``model`` is among Ollama's ``names`` (a name without a tag means ``:latest``)."""
    wanted = model if ":" in model else f"{model}:latest"
    return wanted in names or model in names


class PullFailed(LitmashError):
    """An Ollama pull ended without the model (unknown tag, no network, server gone)."""


@dataclass
class PullProgress:
    """One event of a streamed Ollama pull, with the byte totals over every layer seen so far."""

    model: str
    status: str
    digest: str | None
    completed: int  # bytes of every layer so far
    total: int
    layer_completed: int = 0  # bytes of this event's layer (``digest``)
    layer_total: int = 0


PullReporter = Callable[[PullProgress], None]
# Who shows a pull's progress: the CLI sets a rich bar, the notebook a widget. A context
# variable because the pull happens deep inside create_backend, which takes no callback.
_pull_reporter: ContextVar[PullReporter | None] = ContextVar("litmash_pull_reporter", default=None)


@contextmanager
def reporting_pulls(report: PullReporter) -> Iterator[None]:
    """Send the progress of any pull started inside this block (auto-pull included) to ``report``."""
    token = _pull_reporter.set(report)
    try:
        yield
    finally:
        _pull_reporter.reset(token)


def _log_progress() -> PullReporter:
    last = [""]

    def report(p: PullProgress) -> None:
        if p.status != last[0]:  # one line per phase, not one per chunk
            last[0] = p.status
            log.info("pull %s: %s", p.model, p.status)

    return report


def pull_ollama_model(base_url: str, model: str, timeout: float, report: PullReporter | None = None) -> PullProgress:
    """Pull ``model`` into the Ollama at ``base_url``, reporting each streamed progress event.

    Raises PullFailed with one line naming the tag and the cause.
    """
    import ollama

    report = report or _pull_reporter.get() or _log_progress()
    # No deadline on the whole pull (a model is gigabytes); a silent server still times out per read.
    client = ollama.Client(host=base_url, timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)))
    layers: dict[str, tuple[int, int]] = {}
    last = PullProgress(model, "", None, 0, 0)
    try:
        for part in client.pull(model, stream=True):
            if part.digest and part.total:
                layers[part.digest] = (part.completed or 0, part.total)
            last = PullProgress(model, part.status or "", part.digest,
                                sum(c for c, _ in layers.values()), sum(t for _, t in layers.values()),
                                part.completed or 0, part.total or 0)
            report(last)
    except ollama.ResponseError as exc:
        raise PullFailed(f"pull of {model!r} failed: {exc.error}") from None
    except (ConnectionError, httpx.ConnectError):  # the client maps only non-streamed connect errors
        raise PullFailed(f"pull of {model!r} failed: cannot reach Ollama at {base_url}") from None
    except httpx.HTTPError as exc:
        raise PullFailed(f"pull of {model!r} failed: {type(exc).__name__} from {base_url}: {exc}") from None
    finally:
        client.close()
    if last.status != "success":
        raise PullFailed(f"pull of {model!r} failed: the stream ended at {last.status or 'its start'!r}")
    return last


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
    if not has_model(ollama_models(settings.ollama_base_url, timeout=settings.request_timeout), model):
        if not settings.ollama_auto_pull:
            raise ModelNotFound(f"Ollama has no model {model!r}: run `litmash models pull {model}` "
                                "or set LITMASH_OLLAMA_AUTO_PULL=true")
        log.info("Ollama at %s lacks %s; pulling it (LITMASH_OLLAMA_AUTO_PULL)", settings.ollama_base_url, model)
        pull_ollama_model(settings.ollama_base_url, model, settings.request_timeout)
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
    from litmash.llm.chat_openai import ReplyKeepingChatOpenAI

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


def embedded_server(settings: Settings):
    """The process-wide llama.cpp server for the settings' GGUF, started on first use."""
    from litmash.llm.embedded import EmbeddedServer, ServerKey, default_model_path

    path = settings.embedded_model_path or default_model_path()
    key = ServerKey(
        path.resolve(), settings.embedded_ctx_per_slot, settings.embedded_parallel, settings.embedded_threads
    )
    return EmbeddedServer.get(key, quiet=not log.isEnabledFor(logging.DEBUG))


@register("embedded")
def _embedded(settings: Settings) -> Backend:
    server = embedded_server(settings)
    # DRY and a mild repeat penalty stop small models from looping inside a string. llama.cpp's prompt cache
    # evaluates only the part of a prompt that differs from the slot's last one, and the logits of a prefix
    # evaluated in another batch split differ in their last bits: replies then depend on what ran before
    # (two identical generations in one process differed from their first call), so it is off by default.
    sampling = {"dry_multiplier": 0.8, "repeat_penalty": 1.1, "cache_prompt": settings.embedded_prompt_cache}
    chat = _openai_chat(server.base_url, "embedded", server.model_name, settings, sampling)
    return Backend("embedded", server.model_name, chat, f"llama.cpp in process, {server.base_url}")
