"""A PostgreSQL cache of LLM replies, so re-running an unchanged configuration makes no LLM calls.

Why not ``langchain_community.cache.SQLAlchemyMd5Cache``: it keys on LangChain's ``llm_string``,
which for the embedded backend contains the llama.cpp server's per-process random port (so it
would never hit across processes); it creates its table with ``create_all`` behind Alembic's
back; and langchain-community pulls in eight more packages for forty lines. This is the same
design (a hash-keyed table, LangChain's own serialisation) with a key that is only what decides
the reply: backend, model, generation parameters (temperature, seed, max tokens, sampling),
the bound call options (the JSON schema) and the prompt messages.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Sequence
from typing import Any

from langchain_core.caches import BaseCache
from langchain_core.messages import message_to_dict, messages_from_dict
from langchain_core.outputs import ChatGeneration, Generation
from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from litmash.store import engine as eng
from litmash.store.tables import LLMCacheEntry

log = logging.getLogger(__name__)

# Constructor arguments that say where or how patiently a model is reached, not what it replies.
VOLATILE = frozenset({
    "openai_api_base", "base_url", "openai_api_key", "api_key", "openai_proxy", "openai_organization",
    "request_timeout", "timeout", "max_retries", "client_kwargs", "async_client_kwargs",
    "sync_client_kwargs", "default_headers", "http_client", "http_async_client",
})


def stable_llm_string(namespace: str, llm_string: str) -> str:
    """LangChain's ``llm_string`` without connection details, prefixed by ``backend/model``."""
    head, sep, call = llm_string.partition("---")
    if sep:
        # A serialisable model: head is its JSON constructor, call the per-call options.
        try:
            ctor = json.loads(head)
        except ValueError:
            ctor = None
        if isinstance(ctor, dict) and isinstance(ctor.get("kwargs"), dict):
            ctor["kwargs"] = {k: v for k, v in ctor["kwargs"].items() if k not in VOLATILE}
            head = json.dumps(ctor, sort_keys=True)
    return f"{namespace}|{head}{sep}{call}"


def _serialise(g: Generation) -> str:
    # LangChain's stable message dict form (its load.loads is a beta API that warns per call).
    if isinstance(g, ChatGeneration):
        return json.dumps({"message": message_to_dict(g.message), "info": g.generation_info})
    return json.dumps({"text": g.text, "info": g.generation_info})


def _revive(text: str) -> Generation:
    data = json.loads(text)
    if "message" in data:
        return ChatGeneration(message=messages_from_dict([data["message"]])[0], generation_info=data["info"])
    return Generation(text=data["text"], generation_info=data["info"])


def cache_key(llm: str, prompt: str) -> str:
    """The row key: sha256 of the stable llm string and the serialised prompt."""
    return hashlib.sha256(f"{llm}\x00{prompt}".encode()).hexdigest()


class CallCounter(BaseCache):
    """A cache that never hits: counts the LLM calls of a generation run without caching.

    Set as a chat model's ``cache``, LangChain consults it before every call, so ``misses`` is
    the number of real LLM calls. One instance per generation gives per-case counts.
    """

    def __init__(self) -> None:
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()  # parallel graph branches share one instance

    def _count(self, hit: bool) -> None:
        with self._lock:
            if hit:
                self.hits += 1
            else:
                self.misses += 1

    def lookup(self, prompt: str, llm_string: str) -> list[Generation] | None:
        """Nothing cached: count an LLM call."""
        self._count(False)
        return None

    def update(self, prompt: str, llm_string: str, return_val: Sequence[Generation]) -> None:
        """Keep nothing."""

    def clear(self, **kwargs: Any) -> None:
        """Nothing to clear."""


class PostgresLLMCache(CallCounter):
    """LangChain cache in the litmash database; counts its hits and misses (a miss is an LLM call).

    Instances share the table; ``namespace`` (backend, model and the sampling settings) is part
    of every key, so a backend that does not put its seed into LangChain's llm_string still
    gets one entry per seed.
    """

    def __init__(self, engine: Engine, namespace: str):
        super().__init__()
        self.engine = engine
        self.namespace = namespace

    def lookup(self, prompt: str, llm_string: str) -> list[Generation] | None:
        """The cached generations for this prompt and model, or None (counted as an LLM call).

        A stored reply that cannot be read back (damaged JSON) is a miss: its rows are deleted and the
        model's new reply takes their place, with a warning in the log; it never ends the run."""
        key = cache_key(stable_llm_string(self.namespace, llm_string), prompt)
        with eng.connect(self.engine) as conn:
            rows = conn.execute(
                select(LLMCacheEntry.response).where(LLMCacheEntry.key == key).order_by(LLMCacheEntry.idx)
            ).scalars().all()
        try:
            found = [_revive(r) for r in rows]
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            log.warning("LLM cache: unreadable reply under key %s (%s: %s); asking the model again",
                        key[:12], type(exc).__name__, exc)
            with eng.connect(self.engine) as conn, conn.begin():
                conn.execute(delete(LLMCacheEntry).where(LLMCacheEntry.key == key))
            found = []
        self._count(bool(found))
        return found or None

    def update(self, prompt: str, llm_string: str, return_val: Sequence[Generation]) -> None:
        """Store a reply; a concurrent identical reply already stored wins (same key, same content)."""
        llm = stable_llm_string(self.namespace, llm_string)
        key = cache_key(llm, prompt)
        rows = [
            {"key": key, "idx": i, "llm": llm, "prompt": prompt, "response": _serialise(g)}
            for i, g in enumerate(return_val)
        ]
        with eng.connect(self.engine) as conn, conn.begin():
            conn.execute(pg_insert(LLMCacheEntry).values(rows).on_conflict_do_nothing())

    def clear(self, **kwargs: Any) -> None:
        """Empty the whole cache table (every namespace)."""
        with eng.connect(self.engine) as conn, conn.begin():
            conn.execute(delete(LLMCacheEntry))
