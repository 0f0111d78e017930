"""Nothing lost: a killed run resumes without repeating agents; two processes generate at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from litmash import Settings
from litmash.store import Store, create_database, drop_database
from litmash.workflow.graph import AGENTS

from .conftest import PROMPT, cli_env, litmash

# on the embedded model the templates word the lesson: teaching_guide makes no model call
LLM_AGENTS = set(AGENTS) - {"content_validator", "teaching_guide"}


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while (value := predicate()) is None:
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
    return value


def test_killed_run_is_interrupted_then_resumes_from_the_last_agent(data_dir, store):
    env = cli_env(data_dir, LITMASH_MAX_REPAIR_ROUNDS="0")
    known = {s.id for s in store.list_sessions(limit=None)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "litmash.cli.main", "generate", PROMPT, "--seed", "11"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        sid = _wait_for(
            lambda: next((s.id for s in store.list_sessions(limit=None) if s.id not in known), None),
            120, "the session row",
        )
        _wait_for(lambda: True if len(store.agent_runs(sid)) >= 2 else None, 300, "two finished agents")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    before = store.agent_runs(sid)
    assert store.get_session(sid).status == "running"  # nobody could mark it: the process died
    time.sleep(1.0)
    stale = litmash("list", "--status", "interrupted", env=cli_env(data_dir, LITMASH_STALE_AFTER="0.5"))
    assert sid.hex[:8] in stale.stdout.replace("-", "")

    resumed = litmash("resume", str(sid)[:8], env=env)
    assert resumed.returncode == 0, resumed.stderr
    after = store.agent_runs(sid)
    agents = [r.agent for r in after]
    assert set(agents) == LLM_AGENTS
    assert after[: len(before)] == before
    # none repeated: an agent that had finished before the kill has no run after the resume (the
    # song agents store several calls, all when their node finishes)
    assert not {r.agent for r in before} & {r.agent for r in after[len(before):]}
    assert all(agents.count(a) == 1 for a in LLM_AGENTS - {"hook_generator", "lyrics_composer"})
    assert store.get_session(sid).status == "completed"
    mashup = store.get_mashup(sid)
    assert {(r.agent, r.started_at) for r in mashup.metadata.agent_runs} == {(r.agent, r.started_at) for r in after}


def test_resume_refuses_a_completed_session(data_dir, store):
    done = store.list_sessions(limit=1, status="completed")
    if not done:
        pytest.skip("no completed session in this test session yet")
    proc = litmash("resume", str(done[0].id), env=cli_env(data_dir))
    assert proc.returncode == 1 and "already completed" in proc.stderr


@pytest.fixture
def shared_db(data_dir):
    """A fresh database on the external server when configured, else the embedded one."""
    external = os.environ.get("LITMASH_TEST_DATABASE_URL")
    if not external:
        yield None
        return
    url = create_database(external, f"litmash_it_{uuid.uuid4().hex[:10]}")
    yield url
    drop_database(url)


def test_two_processes_generate_at_once_and_lose_nothing(data_dir, shared_db):
    # one core each: two llama.cpp servers on two cores would otherwise fight over both
    extra = {"LITMASH_MAX_REPAIR_ROUNDS": "0", "LITMASH_EMBEDDED_THREADS": "1"}
    if shared_db:
        extra["LITMASH_DATABASE_URL"] = shared_db
    env = cli_env(data_dir, **extra)
    store = Store(shared_db) if shared_db else Store(Settings(data_dir=data_dir))
    before = {s.id for s in store.list_sessions(limit=None)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "litmash.cli.main", "generate", PROMPT, "--seed", str(seed), "--genre", genre],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for seed, genre in ((21, "jazz"), (22, "reggae"))
    ]
    results = [p.communicate(timeout=900) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-500:] for _, err in results]
    new = [s for s in store.list_sessions(limit=None) if s.id not in before]
    assert len(new) == 2 and {s.status for s in new} == {"completed"}
    for s in new:
        mashup = store.get_mashup(s.id)
        assert len(store.agent_runs(s.id)) == len(mashup.metadata.agent_runs)
    assert {store.get_mashup(s.id).request.genres[0] for s in new} == {"jazz", "reggae"}
