"""What a worker does with one job: run (or resume) the workflow, recording each event."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator

import psycopg
import sqlalchemy.exc
from sqlalchemy import Engine, text, update

from litmash.config import Settings
from litmash.domain.request import MashupRequest
from litmash.errors import BackendUnavailable, LLMTimeout
from litmash.service import evaluations, jobs
from litmash.store import Store, StoreUnavailable
from litmash.store.tables import Session
from litmash.workflow.api import Event, checkpointer, resume, stream
from litmash.workflow.graph import build_graph

log = logging.getLogger(__name__)

# Worth another attempt: the model server or the database was briefly away. Anything else (an
# invalid request, output that stayed invalid after every re-ask) would fail the same way again.
TRANSIENT = (
    BackendUnavailable, LLMTimeout, StoreUnavailable, sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError, psycopg.OperationalError,
)


class TransientJobError(Exception):
    """Raised to the queue so it retries the job (its cause is one of TRANSIENT)."""


def run_job(
    engine: Engine, settings: Settings, job_id: uuid.UUID, *, worker: str, timeout: float,
    last_attempt: bool, should_abort: Callable[[], bool] = lambda: False,
) -> str:
    """Run one job to its end; return its final status. Raises TransientJobError to be retried."""
    status = _run(engine, settings, job_id, worker=worker, timeout=timeout, last_attempt=last_attempt,
                  should_abort=should_abort)
    if status != "taken over":  # the worker that took the job over scores it
        try:
            evaluations.job_ended(engine, job_id)
        except Exception as exc:  # noqa: BLE001 - the job's outcome stands; the next refresh scores it
            log.warning("job %s: scoring its evaluation case failed: %s", job_id, _line(exc))
    return status


def _run(
    engine: Engine, settings: Settings, job_id: uuid.UUID, *, worker: str, timeout: float,
    last_attempt: bool, should_abort: Callable[[], bool],
) -> str:
    job = jobs.claim(engine, job_id, worker)
    if job is None:  # cancelled while queued, or already finished by another attempt
        return "skipped"
    jobs.add_event(engine, job_id, "status", {"status": "running", "attempt": job.attempts, "worker": worker})
    deadline = time.monotonic() + timeout
    try:
        events = _events(engine, settings, job)
        if events is None:
            return _end(engine, job_id, "completed")
        for event in events:
            _record(engine, job, event)
            reason = "cancelled" if should_abort() else jobs.stop_reason(engine, job_id, worker)
            if reason == "cancelled":
                events.close()  # the store marks the session interrupted: resumable later
                return _end(engine, job_id, "cancelled", "cancelled on request")
            if reason is not None:  # this worker was presumed dead and another one resumed the job
                events.close()
                return "taken over"
            if time.monotonic() > deadline:
                events.close()
                return _end(engine, job_id, "failed", f"timeout: the job ran longer than {timeout:g}s")
            if event.mashup is not None:
                return _end(engine, job_id, "completed")
        return _end(engine, job_id, "failed", "the workflow ended without a mashup")
    except TRANSIENT as exc:
        line = _line(exc)
        # The database may be the thing that is away (a restart): the job's own bookkeeping waits
        # for it, or the row would stay 'running' with nobody running it.
        _wait_for_database(engine, timeout)
        if last_attempt:
            return _end(engine, job_id, "failed", line)
        jobs.requeue(engine, job_id, "queued", line)
        jobs.add_event(engine, job_id, "status", {"status": "queued", "error": line, "retry": True})
        raise TransientJobError(line) from exc
    except Exception as exc:  # noqa: BLE001 - any other failure ends the job with its one-line reason
        log.warning("job %s failed: %s", job_id, _line(exc))
        return _end(engine, job_id, "failed", _line(exc))


def _wait_for_database(engine: Engine, seconds: float) -> None:
    """Return once the database answers again (or after ``seconds``, letting the caller's write fail)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return
        except sqlalchemy.exc.SQLAlchemyError:
            if time.monotonic() >= deadline:
                return
            time.sleep(0.5)


def _events(engine: Engine, settings: Settings, job) -> Iterator[Event] | None:
    """A new run, or the stored session's run resumed from its checkpoint (None if it completed)."""
    if job.session_id is not None:
        status = Store(engine).get_session(job.session_id).status
        if status == "completed":
            return None
        if has_checkpoint(settings, job.session_id):
            return resume(job.session_id, settings)
    return stream(MashupRequest.model_validate(job.request), settings)


def has_checkpoint(settings: Settings, session_id: uuid.UUID) -> bool:
    """Whether LangGraph saved a resumable point for the session (thread id as ``litmash.workflow.api`` sets it)."""
    with checkpointer(settings) as saver:
        return bool(build_graph(saver).get_state({"configurable": {"thread_id": session_id.hex}}).next)


def _record(engine: Engine, job, event: Event) -> None:
    if event.kind == "session" and event.session_id is not None:
        jobs.set_session(engine, job.id, event.session_id)
        # The stored run belongs to the API user who asked for it, not to the worker's OS user.
        with engine.begin() as conn:
            conn.execute(update(Session).where(Session.id == event.session_id).values(user_id=job.user_id))
    data = {"agent": event.agent, "round": event.round, "seconds": event.seconds, "message": event.message}
    if event.session_id is not None:
        data["session_id"] = str(event.session_id)
    if event.runs:  # summed over the node's calls
        data.update(prompt_tokens=sum(r.prompt_tokens for r in event.runs),
                    completion_tokens=sum(r.completion_tokens for r in event.runs),
                    attempts=sum(r.attempts for r in event.runs))
    jobs.add_event(engine, job.id, event.kind, {k: v for k, v in data.items() if v not in (None, "")})


def _end(engine: Engine, job_id: uuid.UUID, status: str, error: str | None = None) -> str:
    jobs.finish(engine, job_id, status, error)
    jobs.add_event(engine, job_id, "status", {"status": status, **({"error": error} if error else {})})
    return status


def _line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
