"""What every route needs: the settings, the database engine, the queue and the caller."""

from __future__ import annotations

from dataclasses import dataclass, field

import procrastinate
from fastapi import Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from litmash.config import Settings
from litmash.service import auth
from litmash.service.auth import Caller
from litmash.service.metrics import Metrics
from litmash.service.settings import ServiceSettings


@dataclass
class Service:
    """The running service's shared objects (one per app)."""

    settings: Settings
    service: ServiceSettings
    engine: Engine
    queue: procrastinate.App
    metrics: Metrics
    local: Caller | None = field(default=None)


def service(request: Request) -> Service:
    """The Service of the app handling ``request``."""
    return request.app.state.service


async def caller(request: Request) -> Caller:
    """Who is calling: the key's user, or the local user when auth is off."""
    svc = service(request)
    if svc.service.auth_enabled():
        return await run_in_threadpool(auth.verify, svc.engine, request.headers.get("authorization"))
    if svc.local is None:
        svc.local = await run_in_threadpool(auth.local_caller, svc.engine)
    return svc.local
