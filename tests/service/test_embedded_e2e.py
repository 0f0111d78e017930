"""End to end on the real embedded model: `litmash serve` and `litmash worker` as a new user runs
them, the design document's example request, its progress as Server-Sent Events, the mashup."""

from __future__ import annotations

import uuid

import pytest

from litmash.config import Settings
from litmash.domain.mashup import Mashup
from litmash.domain.request import MashupRequest
from litmash.evaluation import Case, RunInfo, score_mashup
from litmash.evaluation.scorers.lyrics import LYRIC_SCORERS
from litmash.service.db import get_engine
from litmash.store import create_database, drop_database

from .conftest import new_client
from .harness import EXAMPLE, service_env, start_stack
from .test_api import _done
from .test_jobs import _sse

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def embedded_db(pg_server):
    """A database of its own: the scripted stack's worker must not take this test's job."""
    url = create_database(pg_server, f"litmash_svc_emb_{uuid.uuid4().hex[:10]}")
    yield url
    drop_database(url)


@pytest.fixture(scope="module")
def embedded_stack(embedded_db, tmp_path_factory):
    """API and one worker on the embedded llama.cpp model (no model server, no network)."""
    folder = tmp_path_factory.mktemp("embedded-stack")
    env = service_env(embedded_db, "", folder, LITMASH_BACKEND="embedded", LITMASH_REQUEST_TIMEOUT="600")
    for key in ("LITMASH_OPENAI_BASE_URL", "LITMASH_OPENAI_MODEL"):
        env.pop(key)
    running = start_stack(env, folder, workers=1)
    yield running
    running.stop()


def test_the_example_request_on_the_embedded_model(embedded_stack, embedded_db):
    engine = get_engine(Settings(database_url=embedded_db))
    with new_client(embedded_stack, engine) as client:
        job = client.post("/api/v1/mashup/generate", json=EXAMPLE)
        assert job.status_code == 202, job.text
        job_id = job.json()["id"]
        events = _sse(client, job_id)
        done = _done(client, job_id, timeout=600)

    assert done["status"] == "completed", done["error"]
    finished = [e[2]["agent"] for e in events if e[1] == "finished"]
    assert {"educational_context", "genre_analyzer", "theory_integrator", "hook_generator", "lyrics_composer",
            "teaching_guide", "content_validator"} <= set(finished)
    assert events[-1][1] == "status" and events[-1][2]["status"] == "completed"
    m = Mashup.model_validate(done["mashup"])
    assert m.request == MashupRequest.model_validate(EXAMPLE)
    assert m.metadata.backend == "embedded" and m.metadata.model.endswith(".gguf")
    assert [g.genre_id for g in m.genre_blend] == ["jazz", "hip_hop"]
    assert sum(s.minutes for s in m.teaching_guide.lesson_plan) == 45
    scores = score_mashup(Case(id="e2e", request=m.request), m, RunInfo(seconds=done["seconds"]), list(LYRIC_SCORERS))
    assert {n: s.detail for n, s in scores.items() if not s.passed} == {}
