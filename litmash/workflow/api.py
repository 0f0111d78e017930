"""The Python entry points: ``stream`` yields agent events, ``generate`` returns the Mashup."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from langgraph.checkpoint.postgres import PostgresSaver

from litmash.config import Settings
from litmash.domain.mashup import AgentRun, GenreBlendItem, Mashup, PromptRef, RunMetadata
from litmash.domain.request import MashupRequest
from litmash.errors import LitmashError
from litmash.knowledge import cultural_context, resolve
from litmash.llm.backends import Backend, create_backend
from litmash.llm.prompts import FeedbackPrompt, load_prompt, prompt_text
from litmash.store import Store, psycopg_url
from litmash.workflow.agents.base import AgentContext
from litmash.workflow.graph import build_graph
from litmash.workflow.state import MashupState

EventKind = Literal["backend", "notice", "session", "started", "finished", "completed"]


@dataclass(frozen=True)
class Event:
    """One step of a generation, for progress displays."""

    kind: EventKind
    agent: str | None = None
    round: int = 0
    seconds: float | None = None
    message: str = ""
    run: AgentRun | None = None  # the node's last model call (its only one for most agents)
    runs: tuple[AgentRun, ...] = ()  # every model call of the node (the song agents make several)
    session_id: uuid.UUID | None = None
    mashup: Mashup | None = None


def stream(
    request: MashupRequest,
    settings: Settings | None = None,
    backend: Backend | None = None,
    persist: bool | None = None,
) -> Iterator[Event]:
    """Run the workflow, yielding an Event as each agent starts and finishes, then ``completed``.

    With ``persist`` (default: ``settings.persist``) the run, every agent step and the mashup
    are stored in PostgreSQL, and LangGraph checkpoints make the run resumable.
    Raises a LitmashError (never yields a partial mashup) when the backend or an agent fails.
    """
    settings = settings or Settings()
    persist = settings.persist if persist is None else persist
    started_at, t0 = datetime.now(UTC), time.perf_counter()
    store = Store(settings, stale_after=settings.stale_after) if persist else None
    backend = backend or create_backend(settings)
    yield Event("backend", message=f"{backend.name}: {backend.model} ({backend.detail})")
    resolution = resolve(request.user_prompt, request.genres)
    for notice in resolution.notices:
        yield Event("notice", message=notice)
    initial = {"request": request, "requested": list(resolution.ids), "repair_round": 0, "agent_runs": []}
    if store is None:
        yield from _run(build_graph(), initial, {}, backend, settings, started_at, t0)
        return
    sid = store.start_session(request, backend.name, backend.model, settings.seed)
    yield Event("session", session_id=sid, message=str(sid))
    yield from _persisted(store, sid, initial, backend, settings, started_at, t0)


def resume(
    session_id: str | uuid.UUID, settings: Settings | None = None, backend: Backend | None = None
) -> Iterator[Event]:
    """Continue a failed or interrupted run from its last checkpoint; finished agents are not re-run."""
    settings = settings or Settings()
    store = Store(settings, stale_after=settings.stale_after)
    sid = store.resolve_id(session_id)
    store.request(sid)  # NotFound / InvalidId before any model is started
    backend = backend or create_backend(settings)
    yield Event("backend", message=f"{backend.name}: {backend.model} ({backend.detail})")
    store.reopen_session(sid)
    yield Event("session", session_id=sid, message=str(sid))
    started_at, t0 = datetime.now(UTC), time.perf_counter()
    yield from _persisted(store, sid, None, backend, settings, started_at, t0)


def _persisted(store, sid, initial, backend, settings, started_at, t0) -> Iterator[Event]:
    """``_run`` with checkpoints in PostgreSQL and every step written to the store."""
    completed = False
    try:
        with checkpointer(settings) as saver:
            config = {"configurable": {"thread_id": sid.hex}}
            graph = build_graph(saver)
            if initial is None and not graph.get_state(config).next:
                raise LitmashError(f"session {sid} has no checkpoint to resume from")
            for event in _run(graph, initial, config, backend, settings, started_at, t0):
                for run in event.runs:
                    store.record_agent_run(sid, run, prompt_text(run.prompt.sha256))
                if event.mashup is not None:
                    store.complete_session(sid, event.mashup)
                    completed = True
                yield event
    except GeneratorExit:
        # the reader stopped reading: a completed run stays completed, an unfinished one is interrupted
        if not completed:
            store.fail_session(sid, GeneratorExit(), interrupted=True)
        raise
    except BaseException as exc:
        run = getattr(exc, "agent_run", None)
        if run is not None:
            store.record_agent_run(sid, run, prompt_text(run.prompt.sha256))
        store.fail_session(sid, exc, interrupted=isinstance(exc, KeyboardInterrupt))
        raise


@contextmanager
def checkpointer(settings: Settings) -> Iterator[PostgresSaver]:
    """A LangGraph PostgresSaver on the litmash database (its tables created once per process)."""
    url = psycopg_url(settings)
    with PostgresSaver.from_conn_string(url) as saver:
        if url not in _checkpoint_ready:
            _setup_exclusively(saver)
            _checkpoint_ready.add(url)
        yield saver


def _setup_exclusively(saver: PostgresSaver) -> None:
    """``saver.setup()`` by one process at a time: concurrent runs of its DDL deadlock.

    The lock is polled rather than waited for: setup() builds indexes CONCURRENTLY, which waits
    for every open statement, including one blocked on the lock (a deadlock).
    """
    lock = "hashtext('litmash.checkpoints')"
    while not saver.conn.execute(f"SELECT pg_try_advisory_lock({lock}) AS ok").fetchone()["ok"]:
        time.sleep(0.1)
    try:
        saver.setup()
    finally:
        saver.conn.execute(f"SELECT pg_advisory_unlock({lock})")


_checkpoint_ready: set[str] = set()


def _run(graph, initial, config, backend, settings, started_at, t0) -> Iterator[Event]:
    state: MashupState = {}
    begun: dict[str, float] = {}
    round_ = 0
    for mode, payload in graph.stream(
        initial,
        config,
        context=AgentContext(backend=backend, settings=settings),
        stream_mode=["tasks", "values"],
    ):
        if mode == "values":
            state = payload
            round_ = payload.get("repair_round", 0)
        elif "result" not in payload:
            begun[payload["id"]] = time.perf_counter()
            yield Event("started", payload["name"], round_)
        elif not payload.get("error"):
            seconds = time.perf_counter() - begun.pop(payload["id"], t0)
            writes = dict(payload["result"]) if isinstance(payload["result"], list) else payload["result"] or {}
            runs = writes.get("agent_runs") or []
            yield Event("finished", payload["name"], round_, seconds, _summary(payload["name"], writes),
                        run=runs[-1] if runs else None, runs=tuple(runs))
    mashup = assemble(state, backend, settings, started_at, time.perf_counter() - t0)
    yield Event("completed", seconds=mashup.metadata.total_seconds, mashup=mashup)


def generate(
    request: MashupRequest,
    settings: Settings | None = None,
    on_event: Callable[[Event], None] | None = None,
    backend: Backend | None = None,
    persist: bool | None = None,
) -> Mashup:
    """Generate one educational mashup; ``on_event`` sees every progress Event."""
    return _last(stream(request, settings, backend, persist), on_event)


def _last(events: Iterator[Event], on_event: Callable[[Event], None] | None) -> Mashup:
    # The stream is read to its end (``completed`` is its last event): closing it early would raise
    # GeneratorExit inside the stored run and spend a transaction failing a session that completed.
    mashup = None
    for event in events:
        if on_event is not None:
            on_event(event)
        mashup = event.mashup or mashup
    if mashup is None:
        raise LitmashError("the workflow ended without a mashup")  # unreachable unless the graph changes
    return mashup


def _summary(name: str, writes: dict) -> str:
    if name == "content_validator":
        problems = writes.get("problems") or []
        asked = sorted(writes.get("feedback") or {})
        text = f"{len(problems)} problem(s)"
        return text + (f"; repairing {', '.join(asked)}" if asked else "")
    runs = writes.get("agent_runs") or []
    if len(runs) > 1:
        return f"{sum(r.completion_tokens for r in runs)} tokens, {len(runs)} calls"
    if runs:
        r = runs[-1]
        return f"{r.completion_tokens} tokens, {r.attempts} attempt(s)"
    return ""


def _with_objectives(edu, guide):
    """The learning goals are the guide's measurable objectives and its keywords the vocabulary, when code
    planned them (the teacher's objectives, rewritten), rather than the model's free-written goals."""
    if not guide.objectives:
        return edu
    return edu.model_copy(update={"learning_goals": [o.text for o in guide.objectives],
                                  "vocabulary": [k.term for k in guide.keywords] or edu.vocabulary})


def assemble(
    state: MashupState, backend: Backend, settings: Settings, started_at: datetime, seconds: float
) -> Mashup:
    """Build the Mashup from the final graph state and the run's measurements."""
    runs = state["agent_runs"]
    prompts = {r.agent: r.prompt for r in runs}
    fb = load_prompt("content_validator", settings.prompts_dir, kind=FeedbackPrompt)
    prompts["content_validator"] = PromptRef(name=fb.name, sha256=fb.sha256)
    genres = state["genres"].genres
    return Mashup(
        request=state["request"],
        title=state["hooks"].title,
        genre_blend=[GenreBlendItem(**g.model_dump(include=set(GenreBlendItem.model_fields))) for g in genres],
        hooks=state["hooks"].hooks,
        lyrics=state["lyrics"].sections,
        educational_content=_with_objectives(state["educational"], state["teaching"]),
        theory_analysis=state["theory"],
        cultural_context=[cultural_context(g.genre_id) for g in genres],
        teaching_guide=state["teaching"],
        validation=state.get("problems", []),
        music=state.get("music"),
        metadata=RunMetadata(
            backend=backend.name, model=backend.model, seed=settings.seed, started_at=started_at,
            total_seconds=round(seconds, 3), repair_rounds=state.get("repair_round", 0),
            prompts=prompts, agent_runs=runs,
        ),
    )


def history(settings: Settings | None = None, limit: int | None = None, **filters):
    """Stored runs as a pandas DataFrame, newest first (filters: genre, level, context, text, status)."""
    settings = settings or Settings()
    return Store(settings, stale_after=settings.stale_after).history(limit=limit, **filters)


def load(session_id: str | uuid.UUID, settings: Settings | None = None) -> Mashup:
    """The stored Mashup of a session (full id or its first 8+ hex digits)."""
    return Store(settings or Settings()).get_mashup(session_id)
