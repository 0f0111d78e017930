"""Following, cancelling, resuming, listing and exporting jobs; Idempotency-Key."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from .harness import EXAMPLE, wait_for
from .test_api import _done, _problem


def _sse(client: httpx.Client, job_id: str, last: str | None = None) -> list[tuple[int, str, dict]]:
    """Every event of a job's stream until the server ends it: (id, event, data)."""
    headers = {"Last-Event-ID": last} if last is not None else {}
    events, current = [], {}
    with client.stream("GET", f"/api/v1/mashup/{job_id}/events", headers=headers, timeout=60) as resp:
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
        for line in resp.iter_lines():
            if line.startswith(("id:", "event:", "data:")):
                key, _, value = line.partition(": ")
                current[key] = value
            elif not line and current:
                events.append((int(current["id"]), current["event"], json.loads(current["data"])))
                current = {}
    return events


def test_events_stream_agent_progress_and_resume_after_last_event_id(client):
    job = client.post("/api/v1/mashup/generate", json=EXAMPLE).json()
    events = _sse(client, job["id"])
    kinds = [e[1] for e in events]
    assert kinds[-1] == "status" and events[-1][2]["status"] == "completed"
    assert "session" in kinds and "completed" in kinds
    finished = {e[2]["agent"] for e in events if e[1] == "finished"}
    assert {"educational_context", "genre_analyzer", "hook_generator", "lyrics_composer"} <= finished
    ids = [e[0] for e in events]
    assert ids == sorted(ids)
    later = _sse(client, job["id"], last=str(ids[4]))
    assert [e[0] for e in later] == ids[5:]
    _problem(client.get(f"/api/v1/mashup/{job['id']}/events", headers={"Last-Event-ID": "abc"}), 400,
             "Last-Event-ID")


def test_cancel_a_running_job_then_resume_it_from_its_checkpoint(client, model, engine):
    model.delay = 0.4
    job = client.post("/api/v1/mashup/generate", json=EXAMPLE).json()
    wait_for(lambda: client.get(f"/api/v1/mashup/{job['id']}").json()["steps"], 60, what="a finished agent")
    resp = client.post(f"/api/v1/mashup/{job['id']}/cancel")
    assert resp.status_code in (200, 202)
    cancelled = _done(client, job["id"])
    assert cancelled["status"] == "cancelled" and cancelled["error"] == "cancelled on request"
    done_before = {s["agent"] for s in cancelled["steps"]}
    _problem(client.post(f"/api/v1/mashup/{job['id']}/cancel"), 409, "status")
    model.delay = 0
    resumed = client.post(f"/api/v1/mashup/{job['id']}/resume")
    assert resumed.status_code == 202, resumed.text
    done = _done(client, job["id"])
    assert done["status"] == "completed" and done["attempts"] == 2
    runs = [s["agent"] for s in done["steps"]]
    # The agents that had finished before the cancel are not run again.
    assert all(runs.count(agent) == 1 for agent in done_before), runs
    _problem(client.post(f"/api/v1/mashup/{job['id']}/resume"), 409, "status")


def test_idempotency_key_returns_the_same_job_and_409_for_another_body(client):
    headers = {"Idempotency-Key": "lesson-42"}
    first = client.post("/api/v1/mashup/generate", json=EXAMPLE, headers=headers)
    again = client.post("/api/v1/mashup/generate", json=dict(reversed(EXAMPLE.items())), headers=headers)
    assert first.status_code == 202 and again.status_code in (200, 202)
    assert again.json()["id"] == first.json()["id"]
    other = client.post("/api/v1/mashup/generate", json={**EXAMPLE, "skill_level": "beginner"}, headers=headers)
    _problem(other, 409, "Idempotency-Key")
    _done(client, first.json()["id"])
    assert client.get("/api/v1/stats").json()["jobs"] == 1


def test_list_paginates_and_filters(client, direct):
    ids = [client.post("/api/v1/mashup/generate", json={**EXAMPLE, "skill_level": level}).json()["id"]
           for level in ("beginner", "advanced", "beginner")]
    for job_id in ids:
        _done(client, job_id)
    first = client.get("/api/v1/mashups", params={"limit": 2}).json()
    assert [i["id"] for i in first["items"]] == ids[::-1][:2]
    second = httpx.get(first["next"], headers=client.headers).json()
    assert [i["id"] for i in second["items"]] == [ids[0]] and second["next"] is None
    beginners = client.get("/api/v1/mashups", params={"level": "beginner"}).json()["items"]
    assert {i["id"] for i in beginners} == {ids[0], ids[2]}
    assert client.get("/api/v1/mashups", params={"genre": "hip-hop"}).json()["items"][0]["genres"] == ["jazz", "hip hop"]
    word = max(re.findall(r"[A-Za-z]+", direct.title), key=len)  # a word of the title the jobs share
    assert len(client.get("/api/v1/mashups", params={"search": word}).json()["items"]) == 3
    assert client.get("/api/v1/mashups", params={"search": "polka"}).json()["items"] == []
    assert len(client.get("/api/v1/mashups", params={"status": "completed"}).json()["items"]) == 3
    _problem(client.get("/api/v1/mashups", params={"level": "expert"}), 400, "level")
    _problem(client.get("/api/v1/mashups", params={"status": "done"}), 400, "status")
    _problem(client.get("/api/v1/mashups", params={"cursor": "!!"}), 400, "cursor")
    _problem(client.get("/api/v1/mashups", params={"limit": 0}), 422, "limit")
    _problem(client.get("/api/v1/mashups", params={"limit": 500}), 400, "limit")


@pytest.mark.parametrize("fmt,media,magic", [
    ("md", "text/markdown", None),  # the title of the direct call's mashup
    ("json", "application/json", b"{"),
    ("midi", "audio/midi", b"MThd"),
    ("musicxml", "xml", b"<?xml"),
    ("svg", "image/svg+xml", b"<"),
])
def test_export_formats(client, direct, fmt, media, magic):
    magic = magic or f"# {direct.title}".encode()
    job = client.post("/api/v1/mashup/generate", params={"wait": 60}, json=EXAMPLE).json()
    resp = client.get(f"/api/v1/mashup/{job['id']}/export", params={"format": fmt})
    assert resp.status_code == 200, resp.text
    assert media in resp.headers["content-type"] and resp.content.lstrip().startswith(magic)


def test_export_refuses_unknown_formats_and_unfinished_jobs(client, model):
    job = client.post("/api/v1/mashup/generate", params={"wait": 60}, json=EXAMPLE).json()
    _problem(client.get(f"/api/v1/mashup/{job['id']}/export", params={"format": "pdf"}), 400, "format")
    model.delay = 0.5
    slow = client.post("/api/v1/mashup/generate", json=EXAMPLE).json()
    _problem(client.get(f"/api/v1/mashup/{slow['id']}/export"), 409, "status")
    client.post(f"/api/v1/mashup/{slow['id']}/cancel")
    _done(client, slow["id"])
