"""The generation API against a real uvicorn, a real worker process and a real PostgreSQL."""

from __future__ import annotations

import uuid

import httpx

from litmash.service import auth

from .conftest import new_client
from .harness import EXAMPLE, wait_for

PROBLEM = "application/problem+json"


def _done(client: httpx.Client, job_id: str, timeout: float = 60) -> dict:
    def finished():
        body = client.get(f"/api/v1/mashup/{job_id}").json()
        return body if body["status"] in ("completed", "failed", "cancelled") else None

    return wait_for(finished, timeout, what=f"job {job_id} to finish")


def _problem(resp: httpx.Response, status: int, field: str) -> str:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    body = resp.json()
    assert body["status"] == status and body["title"]
    assert "\n" not in body["detail"] and field in body["detail"], body["detail"]
    return body["detail"]


def test_generate_answers_202_with_location_and_the_job_completes(client, direct):
    resp = client.post("/api/v1/mashup/generate", json=EXAMPLE)
    assert resp.status_code == 202, resp.text
    job = resp.json()
    assert resp.headers["location"] == f"/api/v1/mashup/{job['id']}" == job["links"]["self"]
    assert job["status"] in ("queued", "running")
    done = _done(client, job["id"])
    assert done["status"] == "completed", done["error"]
    assert done["mashup"]["title"] == direct.title
    assert {s["agent"] for s in done["steps"]} >= {"educational_context", "genre_analyzer", "lyrics_composer"}
    assert done["attempts"] == 1 and done["error"] is None and done["seconds"] > 0
    # The stored session's id finds the same job.
    assert client.get(f"/api/v1/mashup/{done['session_id']}").json()["id"] == job["id"]


def test_wait_returns_200_with_the_mashup(client):
    resp = client.post("/api/v1/mashup/generate", params={"wait": 60}, json=EXAMPLE)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == "completed" and body["mashup"]["hooks"]
    assert resp.headers["location"].endswith(body["id"])


def test_wait_too_short_answers_202(client, model):
    model.delay = 0.5
    resp = client.post("/api/v1/mashup/generate", params={"wait": 0.3}, json=EXAMPLE)
    assert resp.status_code == 202 and resp.json()["mashup"] is None
    client.post(f"/api/v1/mashup/{resp.json()['id']}/cancel")
    assert _done(client, resp.json()["id"])["status"] == "cancelled"


def test_unknown_and_malformed_ids_are_404(client):
    _problem(client.get(f"/api/v1/mashup/{uuid.uuid4()}"), 404, "id")
    _problem(client.get("/api/v1/mashup/not-a-uuid"), 404, "id")
    _problem(client.get("/api/v1/nothing-here"), 404, "path")


def test_bad_bodies_get_a_one_line_problem_naming_the_field(client):
    url = "/api/v1/mashup/generate"
    plain = {"Content-Type": "application/json"}
    assert "malformed JSON" in _problem(client.post(url, content=b'{"user_prompt": ', headers=plain), 400, "body")
    _problem(client.post(url, json={**EXAMPLE, "skill_level": 7}), 422, "skill_level")
    _problem(client.post(url, json={**EXAMPLE, "colour": "blue"}), 422, "colour")
    _problem(client.post(url, json={"user_prompt": "hi"}), 422, "user_prompt")
    _problem(client.post(url, json=[1, 2]), 422, "body")
    big = {**EXAMPLE, "learning_objectives": ["x" * 1000] * 1100}
    _problem(client.post(url, json=big), 413, "body")
    chunks = (b'{"user_prompt": "' + b"a" * 100_000 for _ in range(12))
    _problem(client.post(url, content=chunks, headers=plain), 413, "body")
    _problem(client.post(url, content=b"user_prompt=x", headers={"Content-Type": "text/plain"}), 415,
             "Content-Type")
    _problem(client.post(url, params={"wait": 10_000}, json=EXAMPLE), 400, "wait")
    _problem(client.post(url, params={"wait": "soon"}, json=EXAMPLE), 422, "wait")
    _problem(client.post(url, json=EXAMPLE, headers={"Idempotency-Key": "k" * 201}), 422, "Idempotency-Key")


def test_every_api_route_needs_a_valid_key(stack, engine):
    routes = [("GET", f"/api/v1/mashup/{uuid.uuid4()}"), ("GET", "/api/v1/mashups"), ("GET", "/api/v1/stats"),
              ("POST", "/api/v1/mashup/generate")]
    for method, path in routes:
        resp = httpx.request(method, stack.url + path, json=EXAMPLE)
        _problem(resp, 401, "Authorization")
        assert resp.headers["www-authenticate"] == "Bearer"
        bad = httpx.request(method, stack.url + path, json=EXAMPLE, headers={"Authorization": "Bearer lmk_nope"})
        assert "unknown or revoked" in _problem(bad, 401, "Authorization")
    _problem(httpx.get(stack.url + "/api/v1/mashups", headers={"Authorization": "Basic abc"}), 401, "Bearer")
    name = f"revoked-{uuid.uuid4().hex[:6]}"
    auth.add_user(engine, name)
    key = auth.create_key(engine, name)
    headers = {"Authorization": f"Bearer {key}"}
    assert httpx.get(stack.url + "/api/v1/mashups", headers=headers).status_code == 200
    assert auth.revoke_key(engine, key[:12]) == 1
    _problem(httpx.get(stack.url + "/api/v1/mashups", headers=headers), 401, "Authorization")


def test_a_user_sees_only_their_own_mashups(client, stack, engine):
    job = client.post("/api/v1/mashup/generate", params={"wait": 60}, json=EXAMPLE).json()
    with new_client(stack, engine) as other:
        _problem(other.get(f"/api/v1/mashup/{job['id']}"), 404, "id")
        _problem(other.get(f"/api/v1/mashup/{job['session_id']}"), 404, "id")
        _problem(other.post(f"/api/v1/mashup/{job['id']}/cancel"), 404, "id")
        _problem(other.get(f"/api/v1/mashup/{job['id']}/events"), 404, "id")
        _problem(other.get(f"/api/v1/mashup/{job['id']}/export"), 404, "id")
        assert other.get("/api/v1/mashups").json()["items"] == []
        assert other.get("/api/v1/stats").json()["jobs"] == 0
    assert [i["id"] for i in client.get("/api/v1/mashups").json()["items"]] == [job["id"]]


def test_quota_of_queued_and_running_jobs_answers_429_with_retry_after(client, model):
    model.delay = 0.5  # keeps the first jobs open while the next ones arrive
    ids = [client.post("/api/v1/mashup/generate", json=EXAMPLE).json()["id"] for _ in range(3)]
    resp = client.post("/api/v1/mashup/generate", json=EXAMPLE)
    assert "quota" in _problem(resp, 429, "quota")
    assert int(resp.headers["retry-after"]) >= 1
    for job_id in ids:
        assert client.post(f"/api/v1/mashup/{job_id}/cancel").status_code in (200, 202)
    for job_id in ids:
        assert _done(client, job_id)["status"] == "cancelled"
    again = client.post("/api/v1/mashup/generate", json=EXAMPLE)
    assert again.status_code == 202  # room again
    client.post(f"/api/v1/mashup/{again.json()['id']}/cancel")
    assert _done(client, again.json()["id"])["status"] == "cancelled"


def test_a_transient_model_error_is_retried_and_resumes(client, model):
    model.failures = 1  # the first call answers HTTP 500
    job = client.post("/api/v1/mashup/generate", json=EXAMPLE).json()
    done = _done(client, job["id"])
    assert done["status"] == "completed", done["error"]
    assert done["attempts"] == 2


def test_a_permanent_error_fails_the_job_without_retry(client, model):
    model.missing = 100  # the model is not on the server: no retry can mend that
    job = client.post("/api/v1/mashup/generate", json=EXAMPLE).json()
    done = _done(client, job["id"])
    assert done["status"] == "failed" and done["attempts"] == 1
    assert done["error"].startswith("ModelNotFound") and "\n" not in done["error"]
    model.missing = 0


def test_replies_that_stay_invalid_fall_back_and_the_job_completes(client, model):
    model.invalid = 100  # every reply is not JSON: each section falls back to code and data
    job = client.post("/api/v1/mashup/generate", json=EXAMPLE).json()
    done = _done(client, job["id"])
    model.invalid = 0
    assert done["status"] == "completed", done["error"]
    sections = {p["section"] for p in done["mashup"]["validation"]}
    assert {"educational_content", "hooks"} <= sections


def test_health_and_readiness(stack):
    assert httpx.get(stack.url + "/health").json() == {"status": "ok", "checks": {}}
    ready = httpx.get(stack.url + "/health/ready")
    assert ready.status_code == 200
    assert set(ready.json()["checks"]) == {"database", "migrations", "worker", "llm"}
    assert all(c["ok"] for c in ready.json()["checks"].values())


def test_stats_count_errors_and_average_time(client):
    client.post("/api/v1/mashup/generate", params={"wait": 60}, json=EXAMPLE)
    stats = client.get("/api/v1/stats").json()
    assert stats["jobs"] == stats["completed"] == 1 and stats["failed"] == 0
    assert stats["average_seconds"] > 0 and stats["error_rate"] == 0


def test_docs_work_offline(stack):
    page = httpx.get(stack.url + "/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert httpx.get(stack.url + "/docs-assets/swagger-ui-bundle.js").status_code == 200
    spec = httpx.get(stack.url + "/openapi.json").json()
    assert {"/api/v1/mashup/generate", "/api/v1/mashup/{id}", "/api/v1/mashups", "/health/ready"} <= set(spec["paths"])
