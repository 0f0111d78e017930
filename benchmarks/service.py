"""HTTP service figures on loopback: GET by id and list latency under 50 concurrent clients with
1,000 stored mashups, jobs per second through the queue with the scripted (no-op) model, and the
service's overhead over a direct ``generate`` call.

    .venv/bin/python benchmarks/service.py [--server-url postgresql://postgres@127.0.0.1:5432/postgres]

Starts its own database, `litmash serve` and two `litmash worker`s; prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from litmash.config import Settings  # noqa: E402
from litmash.domain.request import MashupRequest  # noqa: E402
from litmash.service import auth  # noqa: E402
from litmash.service.db import get_engine  # noqa: E402
from litmash.service.tables import jobs  # noqa: E402
from litmash.store import create_database, drop_database  # noqa: E402
from litmash.workflow.api import generate  # noqa: E402
from tests.service.harness import EXAMPLE, service_env, start_stack  # noqa: E402
from tests.support.model_server import ScriptedModelServer  # noqa: E402


def percentiles(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=100)
    return f"p50 {q[49] * 1000:.1f} ms, p95 {q[94] * 1000:.1f} ms ({len(samples)} requests)"


async def load(url: str, headers: dict, paths: list[str], clients: int = 50, total: int = 2000) -> list[float]:
    samples: list[float] = []
    queue = [paths[i % len(paths)] for i in range(total)]

    async def one(client: httpx.AsyncClient) -> None:
        while queue:
            path = queue.pop()
            t0 = time.perf_counter()
            resp = await client.get(path)
            samples.append(time.perf_counter() - t0)
            resp.raise_for_status()

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as client:
        await asyncio.gather(*(one(client) for _ in range(clients)))
    return samples


def seed(engine, user_id: int, template, n: int) -> list[str]:
    """``n`` stored jobs pointing at one completed run (each GET reads and validates a full mashup)."""
    ids = [uuid.uuid4() for _ in range(n)]
    with engine.begin() as conn:
        conn.execute(insert(jobs), [
            {"id": i, "user_id": user_id, "request": template.request, "request_sha256": template.request_sha256,
             "status": "completed", "session_id": template.session_id, "attempts": 1, "seconds": template.seconds}
            for i in ids])
    return [str(i) for i in ids]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--jobs", type=int, default=40, help="jobs for the dispatch figure")
    args = parser.parse_args()
    model = ScriptedModelServer()
    url = create_database(args.server_url, f"litmash_bench_{uuid.uuid4().hex[:8]}")
    folder = Path(tempfile.mkdtemp(prefix="litmash-bench-"))
    folder.chmod(0o755)
    env = service_env(url, model.url, folder, LITMASH_SERVICE_QUOTA="100000")
    stack = start_stack(env, folder, workers=2)
    try:
        engine = get_engine(Settings(database_url=url))
        auth.add_user(engine, "bench")
        headers = {"Authorization": f"Bearer {auth.create_key(engine, 'bench')}"}
        client = httpx.Client(base_url=stack.url, headers=headers, timeout=120)

        settings = Settings(database_url=url, backend="openai", openai_base_url=model.url, openai_model="scripted",
                            data_dir=folder)
        request = MashupRequest(**EXAMPLE)
        generate(request, settings)  # warm caches (music, knowledge) in this process
        direct = []
        for _ in range(5):
            t0 = time.perf_counter()
            generate(request, settings)
            direct.append(time.perf_counter() - t0)
        served = []
        for _ in range(5):
            t0 = time.perf_counter()
            body = client.post("/api/v1/mashup/generate", params={"wait": 120}, json=EXAMPLE).json()
            served.append(time.perf_counter() - t0)
            assert body["status"] == "completed", body
        d, s = statistics.median(direct), statistics.median(served)
        print(f"direct generate(): median {d:.2f} s; POST ?wait through queue + worker: median {s:.2f} s; "
              f"overhead {s - d:+.2f} s ({(s / d - 1) * 100:+.0f} %)")

        t0 = time.perf_counter()
        ids = [client.post("/api/v1/mashup/generate", json=EXAMPLE).json()["id"] for _ in range(args.jobs)]
        while client.get("/api/v1/stats").json()["open"]:
            time.sleep(0.2)
        took = time.perf_counter() - t0
        print(f"queue: {len(ids)} jobs through 2 workers (scripted model, no delay) in {took:.1f} s = "
              f"{len(ids) / took:.2f} jobs/s")

        with engine.connect() as conn:
            template = conn.execute(select(jobs).where(jobs.c.status == "completed").limit(1)).one()
        user_id = auth.verify(engine, headers["Authorization"]).user_id
        existing = client.get("/api/v1/stats").json()["jobs"]
        stored = seed(engine, user_id, template, 1000 - existing) + ids
        print(f"stored jobs for the user: {client.get('/api/v1/stats').json()['jobs']}")
        by_id = asyncio.run(load(stack.url, headers, [f"/api/v1/mashup/{i}" for i in stored]))
        print(f"GET /api/v1/mashup/{{id}}, 50 clients: {percentiles(by_id)}")
        listing = asyncio.run(load(stack.url, headers, ["/api/v1/mashups?limit=20", "/api/v1/mashups?limit=100",
                                                        "/api/v1/mashups?level=intermediate"]))
        print(f"GET /api/v1/mashups, 50 clients: {percentiles(listing)}")
    finally:
        stack.stop()
        model.close()
        drop_database(url)


if __name__ == "__main__":
    main()
