"""Evaluations over HTTP: cases fan out as jobs on real workers, scored and judged like `litmash eval`."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import text

from litmash.config import Settings
from litmash.evaluation import EvalStore, rescore
from litmash.evaluation.datasets import load_dataset
from litmash.service.db import get_engine
from litmash.store import create_database, drop_database

from .conftest import new_client
from .harness import EXAMPLE, service_env, start_stack, wait_for
from .test_api import _problem

CASE = {"id": "jazz-hiphop", "request": EXAMPLE, "expect": {"genres": ["jazz", "hip hop"]}}
# The scripted model blends jazz and hip hop whatever is asked: a case expecting polka fails genre_coverage.
POLKA = {"id": "polka", "request": EXAMPLE, "expect": {"genres": ["polka"]}}


def _finished(client: httpx.Client, location: str, timeout: float = 90) -> dict:
    def done():
        body = client.get(location).json()
        return body if body["status"] != "running" else None

    return wait_for(done, timeout, what=f"evaluation {location} to finish")


def test_a_dataset_fans_out_as_jobs_and_ends_with_the_runner_s_verdict(client, engine):
    resp = client.post("/api/v1/evaluations", json={"dataset": "smoke"})
    assert resp.status_code == 202, resp.text
    started = resp.json()
    assert resp.headers["location"] == f"/api/v1/evaluations/{started['id']}" == started["links"]["self"]
    smoke = [c.id for c in load_dataset("smoke").cases]
    assert started["status"] == "running" and started["progress"] == {"done": 0, "total": len(smoke)}
    assert started["verdict"] is None and sorted(c["id"] for c in started["cases"]) == sorted(smoke)
    body = _finished(client, resp.headers["location"])
    assert body["status"] == "completed" and body["progress"] == {"done": 3, "total": 3}
    names = {c["name"] for c in body["checks"]}  # and each scored scorer's bar from evals/thresholds.yaml
    assert body["verdict"] in ("pass", "fail") and {"success_rate", "p95_seconds"} <= names
    assert {n.removeprefix("pass_rate ") for n in names - {"success_rate", "p95_seconds"}} <= set(body["pass_rates"])
    assert "pass_rate structure" in names
    assert body["verdict"] == ("pass" if all(c["passed"] for c in body["checks"]) else "fail")
    assert {"structure", "genre_coverage", "schema"} <= set(body["pass_rates"])
    for case in body["cases"]:  # each case is an ordinary job of the caller's
        job = client.get(case["job"]).json()
        assert job["status"] == "completed" and job["mashup"]["title"], job["error"]
    # Stored as an eval run: the eval tools read it, and rescoring its mashups gives the same figures.
    run = EvalStore(engine).get_run(body["name"])
    assert run.id == uuid.UUID(body["id"]) and run.status == "completed" and run.verdict == body["verdict"]
    again = rescore(run.id, settings=Settings(database_url=engine.url.render_as_string(hide_password=False)))
    assert again.overall.pass_rates == body["pass_rates"] and again.verdict.label == body["verdict"]
    assert again.overall.success_rate == body["success_rate"]


def test_inline_cases_are_scored_each_against_its_own_expectations(client):
    resp = client.post("/api/v1/evaluations", json={"cases": [CASE, POLKA], "name": f"inline-{uuid.uuid4().hex[:6]}"})
    assert resp.status_code == 202, resp.text
    body = _finished(client, resp.headers["location"])
    cases = {c["id"]: c for c in body["cases"]}
    assert body["dataset"] == body["name"] and body["progress"] == {"done": 2, "total": 2}
    assert "genre_coverage" in cases["polka"]["failed_scorers"] and cases["polka"]["success"] is False
    assert "genre_coverage" not in cases["jazz-hiphop"]["failed_scorers"]
    assert body["pass_rates"]["genre_coverage"] == 0.5
    assert body["success_rate"] <= 0.5 and body["verdict"] == "fail"  # below the 0.85 success rate
    _problem(client.post("/api/v1/evaluations", json={"cases": [CASE], "name": body["name"]}), 409, "name")


def test_a_case_cancelled_while_queued_counts_as_failed(client, model):
    model.delay = 0.3  # the first case keeps the only worker busy, so the second is still queued
    resp = client.post("/api/v1/evaluations", json={"cases": [CASE, {**CASE, "id": "second"}]})
    second = next(c for c in resp.json()["cases"] if c["id"] == "second")
    cancelled = client.post(f"{second['job']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    model.delay = 0
    body = _finished(client, resp.headers["location"])
    outcome = {c["id"]: c for c in body["cases"]}
    assert outcome["second"]["success"] is False and outcome["second"]["error"] == "cancelled on request"
    assert outcome["jazz-hiphop"]["status"] == "completed" and body["success_rate"] <= 0.5


@pytest.mark.parametrize("body,status,field", [
    ({"dataset": "nope"}, 422, "smoke"),  # the allowed names are listed
    ({"dataset": "../../etc/passwd"}, 422, "dataset"),  # a name, never a path on the server
    ({}, 422, "dataset"),
    ({"dataset": "smoke", "cases": [CASE]}, 422, "dataset"),
    ({"cases": []}, 422, "cases"),
    ({"cases": [{**CASE, "request": {**EXAMPLE, "user_prompt": "hi"}}]}, 422, "cases.0.request.user_prompt"),
    ({"cases": [{**CASE, "id": "Not An Id"}]}, 422, "cases.0.id"),
    ({"cases": [{**CASE, "expect": {"min_hooks": 9}}]}, 422, "cases.0.expect.min_hooks"),
    ({"cases": [{**CASE, "colour": "red"}]}, 422, "cases.0.colour"),
    ({"cases": [CASE, CASE]}, 422, "duplicate case ids: jazz-hiphop"),
    ({"cases": [CASE] * 101}, 422, "cases"),
    ({"dataset": "smoke", "name": "bad name!"}, 422, "name"),
    ({"dataset": "smoke", "extra": 1}, 422, "extra"),
])
def test_malformed_evaluations_are_refused_with_one_line_naming_the_field(client, body, status, field):
    _problem(client.post("/api/v1/evaluations", json=body), status, field)


def test_unknown_invalid_foreign_and_unauthenticated_ids(client, stack, engine):
    _problem(client.get(f"/api/v1/evaluations/{uuid.uuid4()}"), 404, "id")
    assert "not an evaluation id" in _problem(client.get("/api/v1/evaluations/123"), 404, "id")
    mine = client.post("/api/v1/evaluations", json={"cases": [CASE]})
    with new_client(stack, engine) as other:
        _problem(other.get(mine.headers["location"]), 404, "id")
    _problem(httpx.get(stack.url + mine.headers["location"]), 401, "Authorization")
    _problem(httpx.post(stack.url + "/api/v1/evaluations", json={"dataset": "smoke"}), 401, "Authorization")
    _finished(client, mine.headers["location"])


def test_a_queue_that_refuses_the_cases_fails_the_evaluation(pg_server, model, tmp_path):
    url = create_database(pg_server, f"litmash_evq_{uuid.uuid4().hex[:10]}")
    tmp_path.chmod(0o755)
    stack = start_stack(service_env(url, model.url, tmp_path), tmp_path, workers=0)
    engine = get_engine(Settings(database_url=url))
    try:
        with engine.begin() as conn:  # the queue's insert function gone: every defer fails in PostgreSQL
            conn.execute(text("ALTER FUNCTION procrastinate.procrastinate_defer_jobs_v1 RENAME TO defer_off"))
        with new_client(stack, engine) as client:
            resp = client.post("/api/v1/evaluations", json={"cases": [CASE, POLKA]})
            _problem(resp, 503, "queue")
            with engine.connect() as conn:
                [row] = conn.execute(text("SELECT id FROM litmash_service.evaluations")).all()
            body = client.get(f"/api/v1/evaluations/{row.id}").json()
        assert body["status"] == "failed" and body["progress"] == {"done": 2, "total": 2}
        assert all(c["status"] == "failed" and c["error"].startswith("queue:") for c in body["cases"])
        assert body["verdict"] == "fail" and EvalStore(engine).get_run(row.id).status == "failed"
    finally:
        stack.stop()
        engine.dispose()
        drop_database(url)
