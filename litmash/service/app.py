"""The FastAPI app: routes, problem+json errors, guards, metrics and offline docs."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline.core
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from litmash.config import Settings
from litmash.service import db, problems, queue, routes_evaluations, routes_health, routes_mashups
from litmash.service.context import Service
from litmash.service.limits import BodyGuard
from litmash.service.metrics import Metrics, MetricsMiddleware
from litmash.service.settings import ServiceSettings

# Swagger UI's files from a wheel: a school network (or CI) may not reach the CDN FastAPI uses.
DOCS_ASSETS = Path(fastapi_offline.core.__file__).parent / "static"
DESCRIPTION = """Educational music mashups from local LLMs, as jobs.

`POST /api/v1/mashup/generate` queues a generation and answers 202 with a `Location`; follow it
with `GET /api/v1/mashup/{id}` or its Server-Sent Events at `/api/v1/mashup/{id}/events`.
Every `/api/v1` route needs `Authorization: Bearer KEY` when auth is on
(`litmash users add NAME`, `litmash keys create NAME`). Errors are RFC 9457 `application/problem+json`.
"""


def create_app(settings: Settings | None = None, service: ServiceSettings | None = None) -> FastAPI:
    """The litmash HTTP API on the configured database."""
    settings = settings or Settings()
    service = service or ServiceSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = db.get_engine(settings)
        jobs_queue = queue.make_app(settings, service).open()
        app.state.service = Service(settings, service, engine, jobs_queue, metrics)
        try:
            yield
        finally:
            jobs_queue.close()

    app = FastAPI(title="litmash", version="1", description=DESCRIPTION, lifespan=lifespan, docs_url=None,
                  redoc_url=None)
    metrics = Metrics(_LazyEngine(settings))
    problems.install(app)
    app.include_router(routes_mashups.router)
    app.include_router(routes_evaluations.router)
    app.include_router(routes_health.router)
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}/openapi.json", title="litmash API",
            swagger_js_url=f"{root}/docs-assets/swagger-ui-bundle.js",
            swagger_css_url=f"{root}/docs-assets/swagger-ui.css",
            swagger_favicon_url=f"{root}/docs-assets/favicon.png",
        )

    app.add_middleware(BodyGuard, max_bytes=service.max_body_bytes)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app


class _LazyEngine:
    """The engine for the metrics collector, opened on first scrape (after the app started)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def connect(self):
        return db.get_engine(self.settings).connect()
