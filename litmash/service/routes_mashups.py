"""/api/v1/mashup routes: submit, follow, cancel, resume, list and export generation jobs."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import FileResponse
from fastapi.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from litmash.domain.request import MashupRequest
from litmash.service import evaluations, jobs, listing, queue
from litmash.service.auth import Caller
from litmash.service.context import Service, caller, service
from litmash.service.errors import BadRequest, Conflict, Unavailable
from litmash.service.problems import MEDIA_TYPE, Problem
from litmash.service.responses import Job, JobPage
from litmash.service.views import PREFIX, job_view

TERMINAL = ("completed", "failed", "cancelled")


def _problems(*codes: int) -> dict:
    """OpenAPI entries for the problem+json responses a route can give."""
    return {c: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": "A problem (RFC 9457)."} for c in codes}


COMMON = (401, 404, 422, 503)
router = APIRouter(prefix="/api/v1", tags=["mashups"])
IdPath = Annotated[str, "a job id, or the id of its stored session"]


@router.post(
    "/mashup/generate", status_code=202, response_model=Job,
    responses={200: {"model": Job, "description": "Finished within ?wait."},
               **_problems(400, 409, 413, 415, 429, *COMMON)},
)
async def generate(
    body: MashupRequest, request: Request, response: Response,
    svc: Annotated[Service, Depends(service)], who: Annotated[Caller, Depends(caller)],
    wait: Annotated[float | None, Query(ge=0, description="Seconds to wait for the mashup (200 if it is ready).")] = None,
    idempotency_key: Annotated[str | None, Header(
        alias="Idempotency-Key", min_length=1, max_length=200,
        description="The same key and body return the same job; the same key with another body is a 409.")] = None,
) -> Job:
    """Queue a generation; 202 with a Location header, or 200 with the mashup when ``wait`` suffices."""
    if wait is not None and wait > svc.service.max_wait:
        raise BadRequest(f"wait: at most {svc.service.max_wait:g} seconds; got {wait:g}")
    row, created = await run_in_threadpool(
        jobs.submit, svc.engine, who.user_id, body.model_dump(mode="json"), quota=svc.service.quota,
        idempotency_key=idempotency_key, retry_after=max(1, int(svc.service.job_timeout // 10)),
    )
    if created:
        await run_in_threadpool(_enqueue, svc, row.id)
    if wait:
        row = await _wait(svc, row.id, who.user_id, wait)
    response.headers["Location"] = f"{PREFIX}/{row.id}"
    response.status_code = 200 if row.status in TERMINAL else 202
    return await run_in_threadpool(job_view, svc.engine, row)


def _enqueue(svc: Service, job_id) -> None:
    try:
        jobs.set_queue_id(svc.engine, job_id, queue.enqueue(svc.queue, job_id))
    except Exception as exc:
        jobs.finish(svc.engine, job_id, "failed", f"queue: {type(exc).__name__}: {exc}")
        raise Unavailable(f"queue: cannot enqueue the job ({type(exc).__name__})") from exc


async def _wait(svc: Service, job_id, user_id: int, seconds: float):
    deadline = time.monotonic() + seconds
    while True:
        row = await run_in_threadpool(jobs.get, svc.engine, job_id, user_id)
        if row.status in TERMINAL or time.monotonic() >= deadline:
            return row
        await asyncio.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


@router.get("/mashup/{id}", response_model=Job, responses=_problems(*COMMON))
async def get_job(
    id: IdPath, svc: Annotated[Service, Depends(service)], who: Annotated[Caller, Depends(caller)]
) -> Job:
    """A job: status, per-agent steps, the mashup when completed, the error when failed."""
    row = await run_in_threadpool(jobs.get, svc.engine, jobs.parse_id(id), who.user_id)
    return await run_in_threadpool(job_view, svc.engine, row)


@router.get(
    "/mashup/{id}/events", response_class=Response,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events."},
               **_problems(400, *COMMON)},
)
async def events(
    id: IdPath, svc: Annotated[Service, Depends(service)], who: Annotated[Caller, Depends(caller)],
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=20)] = None,
):
    """The job's progress as Server-Sent Events (each agent started/finished, status changes).

    Reconnect with ``Last-Event-ID`` to continue after the last event seen; the stream ends after
    the job completes, fails or is cancelled.
    """
    row = await run_in_threadpool(jobs.get, svc.engine, jobs.parse_id(id), who.user_id)
    after = _event_id(last_event_id)
    return EventSourceResponse(_sse(svc, row.id, after))


def _event_id(value: str | None) -> int:
    if value is None or value == "":
        return 0
    if not value.isdigit():
        raise BadRequest(f"Last-Event-ID: expected an event id (digits); got {value[:20]!r}")
    return int(value)


async def _sse(svc: Service, job_id, after: int):
    idle = 0.0
    while True:
        rows = await run_in_threadpool(jobs.events_after, svc.engine, job_id, after)
        for r in rows:
            after = r.id
            yield _frame(r)
            if r.kind == "status" and r.data.get("status") in TERMINAL:
                return
        if not rows:
            await asyncio.sleep(0.25)
            idle += 0.25
            if idle >= 15:  # a comment keeps proxies from closing a quiet stream
                idle = 0.0
                yield b": keep-alive\n\n"
        else:
            idle = 0.0


def _frame(row) -> bytes:
    data = json.dumps({"kind": row.kind, **row.data}, ensure_ascii=False)
    return f"id: {row.id}\nevent: {row.kind}\ndata: {data}\n\n".encode()


@router.post("/mashup/{id}/cancel", response_model=Job,
             responses={202: {"model": Job, "description": "Stopping at the next step."}, **_problems(409, *COMMON)})
async def cancel(
    id: IdPath, response: Response, svc: Annotated[Service, Depends(service)],
    who: Annotated[Caller, Depends(caller)],
) -> Job:
    """Cancel a job: a queued one at once (200), a running one when its current agent finishes (202)."""
    row = await run_in_threadpool(jobs.get, svc.engine, jobs.parse_id(id), who.user_id)
    if row.status in TERMINAL:
        raise Conflict(f"status: the job is already {row.status}")
    row = await run_in_threadpool(jobs.request_cancel, svc.engine, row.id)
    if row.status == "cancelled":
        await run_in_threadpool(queue.cancel_queued, svc.queue, row.queue_job_id)
        await run_in_threadpool(jobs.add_event, svc.engine, row.id, "status",
                                {"status": "cancelled", "error": "cancelled on request"})
        await run_in_threadpool(evaluations.job_ended, svc.engine, row.id)  # a cancelled case counts as failed
    response.status_code = 200 if row.status == "cancelled" else 202
    return await run_in_threadpool(job_view, svc.engine, row)


@router.post("/mashup/{id}/resume", status_code=202, response_model=Job, responses=_problems(409, 429, *COMMON))
async def resume(
    id: IdPath, response: Response, svc: Annotated[Service, Depends(service)],
    who: Annotated[Caller, Depends(caller)],
) -> Job:
    """Queue a failed, cancelled or interrupted job again; it continues from its last checkpoint."""
    row = await run_in_threadpool(jobs.get, svc.engine, jobs.parse_id(id), who.user_id)
    if row.status not in ("failed", "cancelled", "interrupted"):
        raise Conflict(f"status: only a failed, cancelled or interrupted job can be resumed; this one is {row.status}")
    await run_in_threadpool(jobs.reopen, svc.engine, row.id)
    await run_in_threadpool(jobs.add_event, svc.engine, row.id, "status", {"status": "queued", "resumed": True})
    await run_in_threadpool(_enqueue, svc, row.id)
    response.headers["Location"] = f"{PREFIX}/{row.id}"
    return await run_in_threadpool(job_view, svc.engine, await run_in_threadpool(jobs.get, svc.engine, row.id))


@router.get("/mashups", response_model=JobPage, responses=_problems(400, 401, 422, 503))
async def list_jobs(
    request: Request, svc: Annotated[Service, Depends(service)], who: Annotated[Caller, Depends(caller)],
    genre: Annotated[str | None, Query(max_length=60, description="Only mashups blending this genre.")] = None,
    level: Annotated[str | None, Query(description="beginner | intermediate | advanced")] = None,
    context: Annotated[str | None, Query(description="classroom | workshop | individual_study | online")] = None,
    search: Annotated[str | None, Query(max_length=200, description="Full-text search in titles and lyrics.")] = None,
    status: Annotated[str | None, Query(description="queued | running | completed | failed | cancelled | interrupted")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Rows per page.")] = 20,
    cursor: Annotated[str | None, Query(max_length=200, description="The `next` of the previous page.")] = None,
) -> JobPage:
    """The caller's mashups, newest first, with the filters of `litmash list`."""
    if limit > svc.service.page_limit:
        raise BadRequest(f"limit: at most {svc.service.page_limit}; got {limit}")
    items, after = await run_in_threadpool(
        listing.page, svc.engine, who.user_id, limit=limit, cursor=cursor, genre=genre, level=level,
        context=context, search=search, status=status,
    )
    nxt = str(request.url.include_query_params(cursor=after)) if after else None
    return JobPage(items=items, next=nxt)


@router.get(
    "/mashup/{id}/export",
    responses={200: {"content": {"text/markdown": {}, "application/json": {}, "application/octet-stream": {}},
                     "description": "The mashup in the asked format."}, **_problems(400, 409, *COMMON)},
)
async def export(
    id: IdPath, svc: Annotated[Service, Depends(service)], who: Annotated[Caller, Depends(caller)],
    format: Annotated[str, Query(max_length=20, description="md | json | a music format (svg, midi, …)")] = "md",
) -> Response:
    """A completed mashup as Markdown or JSON, or its music as a lead sheet, MIDI, MusicXML or audio."""
    from litmash.present.files import formats

    allowed = ["md", "json", *formats()]
    if format not in allowed:
        raise BadRequest(f"format: unknown {format[:20]!r}; allowed: {', '.join(allowed)}")
    row = await run_in_threadpool(jobs.get, svc.engine, jobs.parse_id(id), who.user_id)
    if row.status != "completed":
        raise Conflict(f"status: the job is {row.status}; only a completed mashup can be exported")
    return await run_in_threadpool(_export, svc, row.session_id, format)


def _export(svc: Service, session_id, fmt: str) -> Response:
    from litmash.present.files import music_file
    from litmash.present.markdown import slug, to_json, to_markdown
    from litmash.present.render import renderers
    from litmash.store import Store

    mashup = Store(svc.engine).get_mashup(session_id)
    if fmt == "md":
        return Response(to_markdown(mashup), media_type="text/markdown; charset=utf-8")
    if fmt == "json":
        return Response(to_json(mashup), media_type="application/json")
    if mashup.music is None:
        raise Conflict("format: this mashup was stored before litmash computed music")
    spec = renderers()[fmt]
    path = music_file(mashup.music, fmt, mashup.title, svc.settings.data_dir / "render")
    return FileResponse(path, media_type=spec.media_type, filename=f"{slug(mashup.title)}.{spec.extension}")
