"""Jobs: the service's record of each generation request, its events and its outcome."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from sqlalchemy import Engine, Row, func, insert, select, text, update

from litmash.service.errors import Conflict, JobNotFound, QuotaExceeded
from litmash.service.tables import OPEN_STATUSES, job_events, jobs
from litmash.store import engine as store_engine


def digest(body: dict[str, Any]) -> str:
    """A stable hash of a request body (key order does not matter)."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def parse_id(value: str, what: str = "job") -> uuid.UUID:
    """A job (or evaluation) id from a path segment; JobNotFound for anything that is not a UUID."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise JobNotFound(f"id: {value[:60]!r} is not {'an' if what[0] in 'aeiou' else 'a'} {what} id (a UUID)") from None


def submit(
    engine: Engine, user_id: int, request: dict[str, Any], *, quota: int, idempotency_key: str | None = None,
    evaluation_id: uuid.UUID | None = None, case_id: str | None = None, retry_after: int = 30,
) -> tuple[Row, bool]:
    """Record a queued job; return (job, created). An Idempotency-Key seen before returns its job."""
    sha = digest(request)
    with store_engine.connect(engine) as conn, conn.begin():
        # One submission per user at a time, so two racing requests cannot both slip under the quota.
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('litmash.jobs'), CAST(:u AS int))"),
                     {"u": user_id % 2**31})
        if idempotency_key is not None:
            found = conn.execute(
                select(jobs).where(jobs.c.user_id == user_id, jobs.c.idempotency_key == idempotency_key)
            ).first()
            if found is not None:
                if found.request_sha256 != sha:
                    raise Conflict("Idempotency-Key: already used with a different request body")
                return found, False
        if evaluation_id is None:  # an evaluation's cases are bounded by its own size, not the quota
            open_jobs = conn.execute(
                select(func.count()).where(
                    jobs.c.user_id == user_id, jobs.c.status.in_(OPEN_STATUSES), jobs.c.evaluation_id.is_(None)
                )
            ).scalar_one()
            if open_jobs >= quota:
                raise QuotaExceeded(
                    f"quota: {open_jobs} jobs queued or running, the limit is {quota}", retry_after
                )
        row = conn.execute(
            insert(jobs).values(
                id=uuid.uuid4(), user_id=user_id, request=request, request_sha256=sha,
                idempotency_key=idempotency_key, status="queued", evaluation_id=evaluation_id, case_id=case_id,
            ).returning(jobs)
        ).one()
    return row, True


def set_queue_id(engine: Engine, job_id: uuid.UUID, queue_job_id: int) -> None:
    """Remember procrastinate's id for the job (to cancel it while queued)."""
    _update(engine, job_id, queue_job_id=queue_job_id)


def get(engine: Engine, job_id: uuid.UUID, user_id: int | None = None) -> Row:
    """One job by its id or its stored session's id (only the user's own when ``user_id`` is given)."""
    query = select(jobs).where((jobs.c.id == job_id) | (jobs.c.session_id == job_id)).limit(1)
    if user_id is not None:
        query = query.where(jobs.c.user_id == user_id)
    with store_engine.connect(engine) as conn:
        row = conn.execute(query).first()
    if row is None:
        raise JobNotFound(f"id: no job {job_id}")
    return row


def claim(engine: Engine, job_id: uuid.UUID, worker: str) -> Row | None:
    """Mark a queued (or interrupted) job running on ``worker``; None if it is not runnable now."""
    with store_engine.connect(engine) as conn, conn.begin():
        return conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status.in_(("queued", "interrupted")), ~jobs.c.cancel_requested)
            .values(status="running", worker=worker, attempts=jobs.c.attempts + 1, error=None,
                    started_at=func.coalesce(jobs.c.started_at, func.now()))
            .returning(jobs)
        ).first()


def set_session(engine: Engine, job_id: uuid.UUID, session_id: uuid.UUID) -> None:
    """Link the job to the stored session its run created."""
    _update(engine, job_id, session_id=session_id)


def finish(engine: Engine, job_id: uuid.UUID, status: str, error: str | None = None) -> None:
    """End a job: completed, failed or cancelled, with its error line and duration."""
    _update(engine, job_id, status=status, error=error, finished_at=func.now(),
            seconds=func.extract("epoch", func.now() - jobs.c.started_at))


def requeue(engine: Engine, job_id: uuid.UUID, status: str, error: str | None = None) -> bool:
    """Put a running job back to wait for a retry (``queued``) or another worker (``interrupted``)."""
    with store_engine.connect(engine) as conn, conn.begin():
        return conn.execute(
            update(jobs).where(jobs.c.id == job_id, jobs.c.status == "running")
            .values(status=status, error=error, finished_at=None).returning(jobs.c.id)
        ).first() is not None


def reopen(engine: Engine, job_id: uuid.UUID) -> None:
    """Queue a failed, cancelled or interrupted job again (resume)."""
    _update(engine, job_id, status="queued", error=None, cancel_requested=False, finished_at=None)


def request_cancel(engine: Engine, job_id: uuid.UUID) -> Row:
    """Ask for a job to stop; a queued one is cancelled at once, a running one at its next step."""
    with store_engine.connect(engine) as conn, conn.begin():
        row = conn.execute(select(jobs).where(jobs.c.id == job_id).with_for_update()).one()
        if row.status not in OPEN_STATUSES:
            return row
        values: dict[str, Any] = {"cancel_requested": True}
        if row.status != "running":
            values.update(status="cancelled", finished_at=func.now(), error="cancelled on request")
        return conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values).returning(jobs)).one()


def stop_reason(engine: Engine, job_id: uuid.UUID, worker: str) -> str | None:
    """Why ``worker`` should stop running the job now (cancelled, or recovered by another worker)."""
    with store_engine.connect(engine) as conn:
        row = conn.execute(
            select(jobs.c.cancel_requested, jobs.c.status, jobs.c.worker).where(jobs.c.id == job_id)
        ).one()
    if row.cancel_requested:
        return "cancelled"
    if row.status != "running" or row.worker != worker:
        return "taken over"
    return None


def add_event(engine: Engine, job_id: uuid.UUID, kind: str, data: dict[str, Any]) -> int:
    """Append one progress event; its id is the SSE event id."""
    with store_engine.connect(engine) as conn, conn.begin():
        return conn.execute(
            insert(job_events).values(job_id=job_id, kind=kind, data=data).returning(job_events.c.id)
        ).scalar_one()


def events_after(engine: Engine, job_id: uuid.UUID, after: int, limit: int = 200) -> list[Row]:
    """The job's events with an id above ``after``, oldest first."""
    with store_engine.connect(engine) as conn:
        return list(conn.execute(
            select(job_events).where(job_events.c.job_id == job_id, job_events.c.id > after)
            .order_by(job_events.c.id).limit(limit)
        ))


def _update(engine: Engine, job_id: uuid.UUID, **values: Any) -> None:
    with store_engine.connect(engine) as conn, conn.begin():
        conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))
