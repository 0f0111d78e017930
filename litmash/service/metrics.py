"""Prometheus metrics: HTTP traffic counted in the API process, jobs and agents read from the
database at scrape time (so the figures cover every worker, on every machine)."""

from __future__ import annotations

import time
from http import HTTPStatus

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from sqlalchemy import Engine, text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from litmash.service.tables import JOB_STATUSES, QUEUE_SCHEMA, SCHEMA

GENERATION_BUCKETS = (5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600)
AGENT_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 120)


class Metrics:
    """One registry per app (tests run several apps in one process)."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("litmash_http_requests", "HTTP requests by route, method and status.",
                                ["route", "method", "status"], registry=self.registry)
        self.errors = Counter("litmash_http_errors", "HTTP error responses by type.", ["type"],
                              registry=self.registry)
        self.latency = Histogram("litmash_http_request_seconds", "Time to the response's first byte.", ["route"],
                                 registry=self.registry)
        self.registry.register(_DatabaseCollector(engine))


class MetricsMiddleware:
    """Counts every request by its route template (not its raw path: ids would explode the labels)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status = 500

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                route = getattr(scope.get("route"), "path", "unmatched")
                self.metrics.latency.labels(route).observe(time.perf_counter() - t0)
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.requests.labels(route, scope["method"], str(status)).inc()
            if status >= 400:
                self.metrics.errors.labels(HTTPStatus(status).phrase).inc()


class _DatabaseCollector:
    """Jobs, queue depth, generation and per-agent durations and tokens, from the litmash database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self):
        with self.engine.connect() as conn:
            jobs = dict(conn.execute(text(f"SELECT status, count(*) FROM {SCHEMA}.jobs GROUP BY status")).all())
            depth = dict(conn.execute(text(
                f"SELECT status::text, count(*) FROM {QUEUE_SCHEMA}.procrastinate_jobs "
                "WHERE status IN ('todo', 'doing') GROUP BY status")).all())
            failures = conn.execute(text(
                f"SELECT split_part(error, ':', 1), count(*) FROM {SCHEMA}.jobs WHERE status = 'failed' GROUP BY 1"
            )).all()
            generation = _histogram(conn, f"SELECT seconds FROM {SCHEMA}.jobs WHERE status = 'completed'",
                                    GENERATION_BUCKETS)
            agents = conn.execute(text("SELECT DISTINCT agent FROM agent_runs")).scalars().all()
            per_agent = {a: _histogram(conn, "SELECT latency_ms / 1000.0 FROM agent_runs WHERE agent = :a",
                                       AGENT_BUCKETS, a=a) for a in agents}
            tokens = conn.execute(text(
                "SELECT coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0) FROM agent_runs")).one()
        g = GaugeMetricFamily("litmash_jobs", "Jobs by status.", labels=["status"])
        for status in JOB_STATUSES:
            g.add_metric([status], jobs.get(status, 0))
        yield g
        q = GaugeMetricFamily("litmash_queue_depth", "Queue entries waiting (todo) or taken (doing).", labels=["state"])
        for state in ("todo", "doing"):
            q.add_metric([state], depth.get(state, 0))
        yield q
        f = CounterMetricFamily("litmash_job_failures", "Failed jobs by error type.", labels=["type"])
        for kind, count in failures:
            f.add_metric([kind or "unknown"], count)
        yield f
        h = HistogramMetricFamily("litmash_generation_seconds", "Duration of completed generations.")
        h.add_metric([], *generation)
        yield h
        a = HistogramMetricFamily("litmash_agent_seconds", "Duration of each agent execution.", labels=["agent"])
        for agent, (buckets, total) in per_agent.items():
            a.add_metric([agent], buckets, total)
        yield a
        t = CounterMetricFamily("litmash_tokens", "LLM tokens used, by kind.", labels=["kind"])
        t.add_metric(["prompt"], tokens[0])
        t.add_metric(["completion"], tokens[1])
        yield t


def _histogram(conn, values_sql: str, bounds, **params) -> tuple[list[tuple[str, float]], float]:
    """Cumulative bucket counts and the sum, computed in SQL over ``values_sql``'s one column."""
    cols = ", ".join(f"count(*) FILTER (WHERE v <= {b})" for b in bounds)
    row = conn.execute(text(f"SELECT {cols}, count(v), coalesce(sum(v), 0) FROM ({values_sql}) AS s(v)"),
                       params).one()
    buckets = [(str(float(b)), row[i]) for i, b in enumerate(bounds)] + [("+Inf", row[len(bounds)])]
    return buckets, float(row[len(bounds) + 1])
