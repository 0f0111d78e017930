"""Several OS processes on one database, and on one new embedded data folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from litmash.store import Store
from litmash.store import engine as eng

from ..conftest import server_data_dir

WORKER = Path(__file__).with_name("worker.py")
ROOT = Path(__file__).resolve().parents[2]


def _spawn(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(procs: list[subprocess.Popen]) -> list[list[str]]:
    outputs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        outputs.append(out.split())
    return outputs


def test_two_processes_write_50_sessions_each_none_lost(db_url):
    out_a, out_b = _finish([_spawn("write", db_url, "alice", "50"), _spawn("write", db_url, "bob", "50")])
    assert len(out_a) == len(out_b) == 50
    store = Store(db_url)
    rows = store.list_sessions(limit=None)
    assert len(rows) == 100
    assert {str(r.id) for r in rows} == set(out_a) | set(out_b)
    assert all(r.status == "completed" for r in rows)
    assert sorted(r.user for r in rows) == ["alice"] * 50 + ["bob"] * 50
    assert store.info()["tables"] == {
        "users": 2,
        "sessions": 100,
        "mashups": 100,
        "agent_runs": 100,
        "prompt_versions": 1,
        "eval_runs": 0,
        "eval_results": 0,
        "llm_cache": 0,
    }
    assert store.get_mashup(out_b[-1]).title == "bob song 49"


def test_two_processes_start_a_new_embedded_server_at_once():
    with server_data_dir("litmash-race-") as root:
        _race(root / "data", root / "barrier")


def _race(data_dir, barrier):
    barrier.mkdir()
    procs = [_spawn("start", str(data_dir), str(barrier), str(i)) for i in range(2)]
    try:
        deadline = time.monotonic() + 120
        while not all((barrier / f"ready-{i}").exists() for i in range(2)):
            assert all(p.poll() is None for p in procs), "a worker died before the barrier"
            assert time.monotonic() < deadline, "workers never became ready"
            time.sleep(0.01)
        (barrier / "go").touch()
        first, second = _finish(procs)
        assert first == second  # one server, started once, shared by both
    finally:
        eng.stop_embedded(data_dir)
    assert not (data_dir / "pg" / "postmaster.pid").exists()
