"""The Python entry points: ``stream`` yields agent events, ``generate`` returns the Mashup."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from .agents.base import AgentContext
from .agents.state import MashupState
from .config import Settings
from .errors import LitmashError
from .graph import build_graph
from .llm import Backend, create_backend
from .models import CulturalContext, GenreBlendItem, Mashup, MashupRequest, PromptRef, RunMetadata
from .prompts import FeedbackPrompt, load_prompt

EventKind = Literal["backend", "started", "finished", "completed"]


@dataclass(frozen=True)
class Event:
    """One step of a generation, for progress displays."""

    kind: EventKind
    agent: str | None = None
    round: int = 0
    seconds: float | None = None
    message: str = ""
    mashup: Mashup | None = None


def stream(
    request: MashupRequest, settings: Settings | None = None, backend: Backend | None = None
) -> Iterator[Event]:
    """Run the workflow, yielding an Event as each agent starts and finishes, then ``completed``.

    Raises a LitmashError (never yields a partial mashup) when the backend or an agent fails.
    """
    settings = settings or Settings()
    started_at, t0 = datetime.now(UTC), time.perf_counter()
    backend = backend or create_backend(settings)
    yield Event("backend", message=f"{backend.name}: {backend.model} ({backend.detail})")

    graph = build_graph()
    state: MashupState = {}
    begun: dict[str, float] = {}
    round_ = 0
    for mode, payload in graph.stream(
        {"request": request, "repair_round": 0, "agent_runs": []},
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
            yield Event("finished", payload["name"], round_, seconds, _summary(payload))
    mashup = assemble(state, backend, settings, started_at, time.perf_counter() - t0)
    yield Event("completed", seconds=mashup.metadata.total_seconds, mashup=mashup)


def generate(
    request: MashupRequest,
    settings: Settings | None = None,
    on_event: Callable[[Event], None] | None = None,
    backend: Backend | None = None,
) -> Mashup:
    """Generate one educational mashup; ``on_event`` sees every progress Event."""
    for event in stream(request, settings, backend):
        if on_event is not None:
            on_event(event)
        if event.mashup is not None:
            return event.mashup
    raise LitmashError("the workflow ended without a mashup")  # unreachable unless the graph changes


def _summary(payload: dict) -> str:
    result = payload.get("result")
    writes = dict(result) if isinstance(result, list) else (result or {})
    if payload["name"] == "content_validator":
        problems = writes.get("problems") or []
        asked = sorted(writes.get("feedback") or {})
        text = f"{len(problems)} problem(s)"
        return text + (f"; repairing {', '.join(asked)}" if asked else "")
    runs = writes.get("agent_runs") or []
    if runs:
        r = runs[-1]
        return f"{r.completion_tokens} tokens, {r.attempts} attempt(s)"
    return ""


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
        educational_content=state["educational"],
        theory_analysis=state["theory"],
        cultural_context=[
            CulturalContext(genre=g.name, **g.model_dump(include=set(CulturalContext.model_fields) - {"genre"}))
            for g in genres
        ],
        teaching_guide=state["teaching"],
        validation=state.get("problems", []),
        metadata=RunMetadata(
            backend=backend.name, model=backend.model, seed=settings.seed, started_at=started_at,
            total_seconds=round(seconds, 3), repair_rounds=state.get("repair_round", 0),
            prompts=prompts, agent_runs=runs,
        ),
    )
