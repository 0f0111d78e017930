"""Database rows turned into response bodies."""

from __future__ import annotations

from sqlalchemy import Engine, Row

from litmash.models import Mashup
from litmash.store import Store

from .responses import Job, Links, Step

PREFIX = "/api/v1/mashup"


def links(job_id) -> Links:
    """The URLs of a job's resource, event stream and export."""
    return Links(self=f"{PREFIX}/{job_id}", events=f"{PREFIX}/{job_id}/events", export=f"{PREFIX}/{job_id}/export")


def job_view(engine: Engine, row: Row, with_mashup: bool = True) -> Job:
    """The full job: status, per-agent steps and (when completed) the mashup."""
    store = Store(engine)
    steps: list[Step] = []
    mashup: Mashup | None = None
    if row.session_id is not None:
        steps = [
            Step(agent=r.agent, round=r.round, status=r.status, seconds=round(r.wall_ms / 1000, 3),
                 prompt_tokens=r.prompt_tokens, completion_tokens=r.completion_tokens, attempts=r.attempts)
            for r in store.agent_runs(row.session_id)
        ]
        if with_mashup and row.status == "completed":
            mashup = store.get_mashup(row.session_id)
    return Job(
        id=row.id, session_id=row.session_id, status=row.status, created_at=row.created_at,
        started_at=row.started_at, finished_at=row.finished_at, seconds=row.seconds, attempts=row.attempts,
        error=row.error, steps=steps, mashup=mashup, links=links(row.id),
    )
