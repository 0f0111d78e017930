"""Baseline comparison (pure), the HTML report and the ``litmash eval`` commands (fake model, real PostgreSQL)."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from litmash.cli.eval import eval_app
from litmash.evaluation import EvalStore, compare, run_eval
from litmash.evaluation.report import write_html

from ..support.fakes import fake_backend
from .test_runner import LOW, dataset


def frame(rows: list[tuple[str, bool, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"case_id": c, "success": s, "structure": v, "structure.passed": s} for c, s, v in rows])


def test_compare_names_flipped_cases_and_tests_the_paired_change():
    base = frame([(f"c{i}", i < 5, 0.5) for i in range(12)])
    run = frame([(f"c{i}", i >= 2, 0.9 if i >= 2 else 0.4) for i in range(12)])
    c = compare(run, base)
    assert c.fixed == sorted(f"c{i}" for i in range(5, 12)) and c.broken == ["c0", "c1"]
    assert c.pairs == 12
    assert c.wilcoxon_p < 0.05  # ten cases up by 0.4, two down by 0.1
    assert c.mcnemar_p == pytest.approx(2 * sum(math.comb(9, k) for k in range(3)) / 2 ** 9)  # 7 vs 2 flips
    assert "7 fixed, 2 broken" in c.summary()


def test_compare_of_identical_runs_finds_nothing():
    f = frame([("a", True, 1.0), ("b", False, 0.2)])
    c = compare(f, f)
    assert (c.fixed, c.broken, c.wilcoxon_p, c.mcnemar_p) == ([], [], 1.0, 1.0)


def test_compare_pairs_only_shared_cases_and_averages_repeats():
    base = frame([("a", True, 1.0), ("a", False, 0.0), ("b", True, 1.0)])
    run = frame([("a", True, 1.0), ("c", True, 1.0)])
    c = compare(run, base)
    assert c.pairs == 1 and c.table.loc[0, "score_baseline"] == 0.5 and c.fixed == ["a"]


def test_html_report_is_static_and_complete(settings, factory, tmp_path):
    base = run_eval(dataset(), thresholds=LOW, settings=settings, backend_factory=factory, name="base")
    out = run_eval(dataset(), thresholds=LOW, settings=settings, backend_factory=factory, baseline="base")
    path = write_html(out.run.id, tmp_path / "r" / "report.html", settings)
    text = path.read_text()
    assert "Verdict" in text and "PASS" in text and out.run.name in text
    assert text.count("data:image/png;base64,") == 3
    assert "Against baseline base" in text and "0 fixed, 0 broken" in text and "Flipped cases" in text
    assert "Why cases fail" in text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)  # nothing fetched when opened
    assert str(base.run.id) == out.run.config["baseline"]


@pytest.fixture
def cli(settings, monkeypatch, fake):
    """The eval commands as a user runs them, on the test database, with the fake model as backend."""
    monkeypatch.setenv("LITMASH_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LITMASH_DATA_DIR", str(settings.data_dir))
    monkeypatch.setattr("litmash.evaluation.runner.create_backend", lambda s: fake_backend(fake))
    runner = CliRunner()
    return lambda *args: runner.invoke(eval_app, list(args), catch_exceptions=False)


def test_cli_runs_lists_and_reports(cli, tmp_path, fake):
    path = tmp_path / "tiny.yaml"
    path.write_text("name: tiny\ncases:\n  - {id: a, request: {user_prompt: Blend jazz and hip-hop}}\n")
    done = cli(str(path), "--name", "first", "--min-success-rate", "0", "--max-p95-seconds", "600",
               "--min-pass-rate", "all=0")
    assert done.exit_code == 0, done.output
    assert "verdict: PASS" in done.output and "run first" in done.output
    calls = len(fake.history)
    again = cli(str(path), "--name", "second", "--baseline", "first", "--min-success-rate", "0",
                "--min-pass-rate", "all=0")
    assert again.exit_code == 0 and len(fake.history) == calls  # served from the cache
    assert "against first: 1 shared case(s): 0 fixed, 0 broken" in again.output

    strict = cli(str(path), "--name", "strict", "--max-p95-seconds", "0.0001")
    assert strict.exit_code == 1 and "verdict: FAIL" in strict.output and "FAIL p95_seconds" in strict.output

    listed = cli("list")
    assert listed.exit_code == 0 and all(n in listed.output for n in ("first", "second", "strict", "tiny"))
    report = cli("report", "second", "--html", str(tmp_path / "second.html"))
    assert report.exit_code == 0 and "verdict pass" in report.output
    assert "Against baseline first" in (tmp_path / "second.html").read_text()


def test_cli_errors_are_one_line(cli):
    bad = cli("no-such-dataset")
    assert bad.exit_code == 1 and "error: no dataset file no-such-dataset" in bad.output
    assert cli("report", "nope").exit_code == 1
    for given in ("lyric_fom=0.9", "lyric_form=2", "lyric_form"):
        wrong = cli("smoke", "--min-pass-rate", given)
        assert wrong.exit_code == 1 and "--min-pass-rate" in wrong.output and "lyric_form" in wrong.output
        assert len(wrong.output.strip().splitlines()) == 1, wrong.output


def test_cli_scorer_bar_overrides_reach_the_stored_run(cli, settings, tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text("name: tiny\ncases:\n  - {id: a, request: {user_prompt: Blend jazz and hip-hop}}\n")
    done = cli(str(path), "--name", "bars", "--min-success-rate", "0", "--max-p95-seconds", "600",
               "--min-pass-rate", "all=0", "--min-pass-rate", "schema=1")
    run = EvalStore(settings).get_run("bars")
    assert "pass_rate schema" in done.output and "(needs >= 1)" in done.output
    assert "pass_rate lyric_form" in done.output and "(needs >= 0)" in done.output
    assert run.thresholds["scorers"]["schema"] == 1.0 and run.thresholds["scorers"]["lyric_form"] == 0.0
