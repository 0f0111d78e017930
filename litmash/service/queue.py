"""The job queue: procrastinate on the litmash database, its one task, and the worker loop."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid

import procrastinate
import psycopg
from procrastinate import RetryStrategy

from litmash.config import Settings
from litmash.service import db, jobs
from litmash.service.runner import TransientJobError, run_job
from litmash.service.settings import ServiceSettings
from litmash.service.tables import QUEUE_SCHEMA
from litmash.store import psycopg_url

log = logging.getLogger(__name__)
TASK = "litmash.generate"


def make_app(settings: Settings, service: ServiceSettings) -> procrastinate.App:
    """A procrastinate App on the litmash database with the generation task registered."""
    connector = procrastinate.PsycopgConnector(
        conninfo=psycopg_url(settings), kwargs={"options": f"-c search_path={QUEUE_SCHEMA}"}
    )
    app = procrastinate.App(connector=connector)
    retry = RetryStrategy(
        max_attempts=service.max_attempts, wait=int(service.retry_wait), retry_exceptions={TransientJobError}
    )

    @app.task(name=TASK, queue=service.queue, pass_context=True, retry=retry)
    def generate(context: procrastinate.JobContext, job_id: str) -> str:
        attempt = (context.job.attempts or 0) + 1
        return run_job(
            db.get_engine(settings), settings, uuid.UUID(job_id), worker=worker_name(),
            timeout=service.job_timeout, last_attempt=attempt >= service.max_attempts,
            should_abort=context.should_abort,
        )

    return app


def worker_name() -> str:
    """host:pid, to tell which worker ran a job."""
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue(app: procrastinate.App, job_id: uuid.UUID) -> int:
    """Put a job on the queue (synchronously, from the API); return procrastinate's job id."""
    return app.configure_task(TASK).defer(job_id=str(job_id))


def cancel_queued(app: procrastinate.App, queue_job_id: int | None) -> None:
    """Drop a job that no worker has picked yet (a running one stops at its next step)."""
    if queue_job_id is not None:
        app.job_manager.cancel_job_by_id(queue_job_id)


async def recover_stalled(app: procrastinate.App, settings: Settings, service: ServiceSettings) -> None:
    """Forever: hand the jobs of workers that stopped sending heartbeats to the queue again.

    The job keeps its stored session, so whichever worker picks it up resumes from the last
    LangGraph checkpoint instead of starting over. One worker at a time recovers (an advisory
    lock): two recovering the same job could otherwise re-queue it after a live worker took it.
    """
    engine = db.get_engine(settings)
    async with await psycopg.AsyncConnection.connect(psycopg_url(settings), autocommit=True) as conn:
        while True:
            got = await (await conn.execute("SELECT pg_try_advisory_lock(%s)", (_RECOVERY_LOCK,))).fetchone()
            if got[0]:
                try:
                    await _recover_once(app, engine, service)
                finally:
                    await conn.execute("SELECT pg_advisory_unlock(%s)", (_RECOVERY_LOCK,))
            await asyncio.sleep(service.heartbeat_interval)


_RECOVERY_LOCK = 0x6C6D5F7265636F  # "lm_reco"


async def _recover_once(app: procrastinate.App, engine, service: ServiceSettings) -> None:
    stalled = await app.job_manager.get_stalled_jobs(
        queue=service.queue, task_name=TASK, seconds_since_heartbeat=service.stalled_after
    )
    for job in stalled:
        job_id = uuid.UUID(job.task_kwargs["job_id"])
        note = "its worker stopped sending heartbeats; resuming from the last checkpoint"
        # The row first: the worker that picks the retried job must find it claimable.
        if await asyncio.to_thread(jobs.requeue, engine, job_id, "interrupted", note):
            await asyncio.to_thread(jobs.add_event, engine, job_id, "status", {"status": "interrupted", "error": note})
        await app.job_manager.retry_job(job)
        log.warning("job %s: worker %s stalled; queued again", job_id, job.worker_id)


async def run_worker(settings: Settings, service: ServiceSettings) -> None:
    """Run one worker process: procrastinate's worker plus the stalled-job recovery loop."""
    db.get_engine(settings)  # migrate before the first job, not during it
    app = make_app(settings, service)
    async with app.open_async():
        recovery = asyncio.create_task(recover_stalled(app, settings, service))
        try:
            await app.run_worker_async(
                queues=[service.queue], concurrency=service.worker_concurrency, name=worker_name(),
                update_heartbeat_interval=service.heartbeat_interval,
                stalled_worker_timeout=service.stalled_after, install_signal_handlers=True,
            )
        finally:
            recovery.cancel()
