"""The eval notebook run by papermill on the smoke set with the real embedded model, then the CLI.

The second notebook run and the CLI run reuse the first run's configuration, so they are served
from the LLM cache in PostgreSQL (across processes: the embedded server's port differs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import papermill as pm
import pytest

from litmash.evaluation import EvalStore
from litmash.evaluation.datasets import EVALS_DIR
from litmash.store import create_database, drop_database

# A notebook run generates three real mashups: allow it more than the suite's per-test default.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(2400)]

NOTEBOOK = EVALS_DIR / "eval.ipynb"
# Cheap but real: the embedded model, no repair round, one case at a time (its two parallel
# branches already fill the two decoding slots). A generous per-call timeout: on a loaded
# machine a slow reply should make the run slow, not fail it.
BASE = {"dataset": "smoke", "backend": "embedded", "max_repair_rounds": 0, "concurrency": 1,
        "request_timeout": 600}
LOW = {"success_rate": 0.0, "p95_seconds": 600, "scorers": {"all": 0.0}}


@pytest.fixture(scope="module")
def url(server_url):
    u = create_database(server_url, f"litmash_evalnb_{uuid.uuid4().hex[:12]}")
    yield u
    drop_database(u)


def execute(tmp_path: Path, url: str, **params) -> Path:
    """Run the notebook from an unrelated working directory; return the executed copy."""
    out = tmp_path / f"{params['run_name']}.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters={**BASE, "database_url": url, **params},
                        kernel_name="python3", cwd=str(tmp_path), progress_bar=False)
    return out


def outputs(path: Path) -> tuple[str, int]:
    """The executed notebook's outputs as text, and how many of them are images."""
    cells = json.loads(path.read_text())["cells"]
    outs = [o for c in cells for o in c.get("outputs", [])]
    return "\n".join(json.dumps(o) for o in outs), sum("image/png" in o.get("data", {}) for o in outs)


def test_notebook_stores_a_run_with_a_verdict(tmp_path, url):
    text, images = outputs(execute(tmp_path, url, run_name="nb-smoke", thresholds=LOW))
    run = EvalStore(url).get_run("nb-smoke")
    assert (run.status, run.verdict, run.planned) == ("completed", "pass", 3)
    assert run.thresholds["success_rate"] == 0.0 and run.config["settings"]["max_repair_rounds"] == 0
    assert "all thresholds met" in text and "PASS" in text and images == 3
    assert run.aggregates["overall"]["completed"] >= 1  # the model produced at least one mashup


def test_notebook_fails_when_a_threshold_is_above_what_the_run_achieves(tmp_path, url):
    achieved = EvalStore(url).get_run("nb-smoke").aggregates["overall"]["success_rate"]
    # Same configuration as the first run: every reply comes from the cache, the scores repeat.
    strict = {"success_rate": min(1.0, achieved + 0.01)} if achieved < 1 else {"p95_seconds": 0.0001}
    with pytest.raises(pm.PapermillExecutionError) as err:
        execute(tmp_path, url, run_name="nb-strict", thresholds=LOW | strict)
    assert err.value.ename == "ThresholdsNotMet"
    run = EvalStore(url).get_run("nb-strict")
    assert (run.status, run.verdict) == ("completed", "fail")
    assert run.aggregates["overall"]["cache_hits"] > 0


def test_cli_runs_the_smoke_set(tmp_path, url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITMASH_")}
    # Same settings as the notebook runs (the timeout is not part of the cache key, the seed is).
    env.update(LITMASH_DATABASE_URL=url, LITMASH_DATA_DIR=str(tmp_path / "data"), LITMASH_REQUEST_TIMEOUT="600",
               COLUMNS="150")
    done = subprocess.run(
        [sys.executable, "-m", "typer", "litmash.cli.eval", "run", str(EVALS_DIR / "datasets" / "smoke.yaml"),
         "--backend", "embedded", "--max-repair-rounds", "0", "--name", "cli-smoke",
         "--min-success-rate", "0", "--max-p95-seconds", "600", "--min-pass-rate", "all=0", "--baseline", "nb-smoke",
         "--html", str(tmp_path / "cli.html")],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert "verdict: PASS" in done.stdout and "against nb-smoke: 3 shared case(s)" in done.stdout
    assert EvalStore(url).get_run("cli-smoke").verdict == "pass"
    assert (tmp_path / "cli.html").stat().st_size > 10_000
