"""Faults with real processes: a worker killed mid-generation, two workers sharing a queue, a database restart."""

from __future__ import annotations

import time
import uuid
from collections import Counter

import pytest
from sqlalchemy import select, text

from litmash.config import Settings
from litmash.service.db import get_engine
from litmash.service.tables import job_events, jobs
from litmash.store import create_database, drop_database
from litmash.store import engine as eng

from ..conftest import server_data_dir
from .conftest import new_client
from .harness import EXAMPLE, service_env, start_stack, wait_for
from .test_api import _done

pytestmark = pytest.mark.slow


@pytest.fixture
def private(pg_server, model, tmp_path):
    """A database of its own, with the API running and no worker yet."""
    url = create_database(pg_server, f"litmash_fault_{uuid.uuid4().hex[:10]}")
    tmp_path.chmod(0o755)
    stack = start_stack(service_env(url, model.url, tmp_path, LITMASH_SERVICE_QUOTA="20"), tmp_path, workers=0)
    yield stack, get_engine(Settings(database_url=url))
    stack.stop()
    drop_database(url)


def test_a_killed_worker_s_job_finishes_on_another_worker_from_its_checkpoint(private, model):
    stack, engine = private
    model.delay = 0.4
    first = stack.add_worker()
    with new_client(stack, engine) as client:
        job = client.post("/api/v1/mashup/generate", json=EXAMPLE).json()
        wait_for(lambda: len(client.get(f"/api/v1/mashup/{job['id']}").json()["steps"]) >= 2, 60,
                 what="two finished agents")
        first.kill()
        before = {s["agent"] for s in client.get(f"/api/v1/mashup/{job['id']}").json()["steps"]}
        stack.add_worker()
        done = _done(client, job["id"], timeout=90)
    assert done["status"] == "completed", done["error"]
    assert done["attempts"] == 2
    runs = Counter(s["agent"] for s in done["steps"])
    assert all(runs[agent] == 1 for agent in before), runs  # finished agents were not run again
    assert len(runs) >= 6 and done["mashup"]["title"]
    with engine.connect() as conn:
        statuses = [r.data.get("status") for r in conn.execute(
            select(job_events).where(job_events.c.job_id == uuid.UUID(job["id"]), job_events.c.kind == "status"))]
    assert "interrupted" in statuses and statuses[-1] == "completed"


def test_two_workers_never_run_the_same_job(private, model):
    stack, engine = private
    model.delay = 0.1
    stack.add_worker()
    stack.add_worker()
    before = model.calls["educational_context"]
    with new_client(stack, engine) as client:
        ids = [client.post("/api/v1/mashup/generate", json=EXAMPLE).json()["id"] for _ in range(8)]
        results = [_done(client, job_id, timeout=120) for job_id in ids]
    assert all(r["status"] == "completed" and r["attempts"] == 1 for r in results)
    assert model.calls["educational_context"] - before == 8  # one first agent call per job, none twice
    assert all(Counter(s["agent"] for s in r["steps"])["educational_context"] == 1 for r in results)
    with engine.connect() as conn:
        workers = set(conn.execute(select(jobs.c.worker).where(jobs.c.id.in_([uuid.UUID(i) for i in ids]))).scalars())
    assert len(workers) == 2  # both took jobs


def test_a_database_restarted_mid_run_leaves_no_half_written_mashup(model, tmp_path):
    # The machine's PostgreSQL cannot be restarted by a test; an embedded server this test owns can.
    tmp_path.chmod(0o755)
    with server_data_dir("litmash-restart-") as data_dir:
        url = eng.embedded_url(data_dir)
        stack = start_stack(service_env(url, model.url, tmp_path), tmp_path, workers=1)
        try:
            model.delay = 0.3
            with new_client(stack, get_engine(Settings(database_url=url))) as client:
                job = client.post("/api/v1/mashup/generate", json=EXAMPLE).json()
                wait_for(lambda: len(client.get(f"/api/v1/mashup/{job['id']}").json()["steps"]) >= 2, 60,
                         what="two finished agents")
                eng.stop_embedded(data_dir)  # a fast shutdown: every session is cut off mid-run
                time.sleep(2)  # long enough for the worker's next write to find no database
                url_again = eng.embedded_url(data_dir)
                model.delay = 0
                done = _done(client, job["id"], timeout=90)
            assert url_again == url  # the same socket: every process reconnects to the restarted server
            assert done["status"] in ("completed", "failed"), done
            if done["status"] == "completed":
                assert done["mashup"]["title"] and done["attempts"] >= 2
                runs = Counter(s["agent"] for s in done["steps"])
                assert runs["educational_context"] == 1, runs  # resumed from the checkpoint, not restarted
            else:
                assert done["error"] and "\n" not in done["error"] and done["mashup"] is None
            with get_engine(Settings(database_url=url)).connect() as conn:
                sessions = conn.execute(text(
                    "SELECT s.status, count(m.session_id) AS mashups FROM sessions s "
                    "LEFT JOIN mashups m ON m.session_id = s.id GROUP BY s.id, s.status")).all()
            # A mashup row exists exactly for the completed session: nothing half-written.
            assert sessions and all((r.status == "completed") == (r.mashups == 1) for r in sessions), sessions
        finally:
            stack.stop()
            eng.stop_embedded(data_dir)
