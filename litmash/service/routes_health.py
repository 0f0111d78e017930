"""Health, readiness, monitoring figures and the Prometheus endpoint."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine, func, select, text
from starlette.concurrency import run_in_threadpool

from litmash.config import Settings
from litmash.service import db
from litmash.service.auth import Caller
from litmash.service.context import Service, caller, service
from litmash.service.responses import Check, Health, Stats
from litmash.service.routes_mashups import _problems
from litmash.service.tables import OPEN_STATUSES, QUEUE_SCHEMA, jobs
from litmash.store import engine as store_engine

router = APIRouter()


@router.get("/health", response_model=Health, tags=["health"])
async def health() -> Health:
    """Liveness: the process answers."""
    return Health(status="ok")


@router.get("/health/ready", response_model=Health, tags=["health"],
            responses={503: {"model": Health, "description": "Not ready; the failing checks say why."}})
async def ready(svc: Annotated[Service, Depends(service)]):
    """Readiness: the database answers, its schema is current, a worker is alive, the LLM backend answers."""
    checks = await run_in_threadpool(_checks, svc)
    ok = all(c.ok for c in checks.values())
    body = Health(status="ok" if ok else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


def _checks(svc: Service) -> dict[str, Check]:
    try:
        with store_engine.connect(svc.engine) as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        down = Check(ok=False, detail="database unreachable")
        return {"database": Check(ok=False, detail=str(exc).splitlines()[0][:200]), "migrations": down,
                "worker": down, "llm": _llm(svc.settings)}
    return {"database": Check(ok=True, detail="reachable"), "migrations": _migrations(svc.engine),
            "worker": _worker(svc), "llm": _llm(svc.settings)}


def _migrations(engine: Engine) -> Check:
    store_at, store_head = store_engine.current_revision(engine), store_engine.head_revision()
    service_at, service_head = db.current_revision(engine), db.head_revision()
    ok = store_at == store_head and service_at == service_head
    return Check(ok=ok, detail=f"store {store_at} (head {store_head}), service {service_at} (head {service_head})")


def _worker(svc: Service) -> Check:
    with store_engine.connect(svc.engine) as conn:
        alive = conn.execute(text(
            f"SELECT count(*) FROM {QUEUE_SCHEMA}.procrastinate_workers "
            "WHERE last_heartbeat > now() - make_interval(secs => :s)"), {"s": svc.service.stalled_after}).scalar_one()
    return Check(ok=alive > 0, detail=f"{alive} worker(s) with a recent heartbeat" if alive else
                 "no worker has sent a heartbeat recently: start one with `litmash worker`")


def _llm(settings: Settings) -> Check:
    from litmash.llm.backends import choose_auto

    name = choose_auto(settings) if settings.backend == "auto" else settings.backend
    if name == "embedded":
        return Check(ok=True, detail="embedded: each worker runs the model in process")
    url = {"ollama": f"{settings.ollama_base_url.rstrip('/')}/api/tags",
           "openai": f"{settings.openai_base_url.rstrip('/')}/models"}.get(name)
    if url is None:
        return Check(ok=True, detail=f"{name}: a registered backend without a reachability check")
    try:
        httpx.get(url, timeout=2.0, headers={"Authorization": f"Bearer {settings.openai_api_key}"}).raise_for_status()
    except httpx.HTTPError as exc:
        return Check(ok=False, detail=f"{name} at {url}: {type(exc).__name__}")
    return Check(ok=True, detail=f"{name} at {url}: answers")


@router.get("/api/v1/stats", response_model=Stats, tags=["monitoring"], responses=_problems(401, 503))
async def stats(svc: Annotated[Service, Depends(service)], who: Annotated[Caller, Depends(caller)]) -> Stats:
    """The caller's job count, errors and average generation time."""
    return await run_in_threadpool(_stats, svc.engine, who.user_id)


def _stats(engine: Engine, user_id: int) -> Stats:
    by = dict.fromkeys(("completed", "failed", "cancelled"), 0)
    with store_engine.connect(engine) as conn:
        rows = conn.execute(select(jobs.c.status, func.count()).where(jobs.c.user_id == user_id)
                            .group_by(jobs.c.status)).all()
        avg = conn.execute(select(func.avg(jobs.c.seconds)).where(
            jobs.c.user_id == user_id, jobs.c.status == "completed")).scalar()
    counts = dict(rows)
    by.update({k: v for k, v in counts.items() if k in by})
    done = by["completed"] + by["failed"]
    return Stats(jobs=sum(counts.values()), **by, open=sum(counts.get(s, 0) for s in OPEN_STATUSES),
                 average_seconds=round(avg, 3) if avg is not None else None,
                 error_rate=round(by["failed"] / done, 4) if done else None)


@router.get("/metrics", tags=["monitoring"], include_in_schema=False)
async def metrics(svc: Annotated[Service, Depends(service)]) -> Response:
    """Prometheus text format."""
    body = await run_in_threadpool(generate_latest, svc.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
