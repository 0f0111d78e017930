"""Aggregates and the verdict, exactly at and just past each threshold."""

from __future__ import annotations

import pytest

from litmash.evaluation import Thresholds, aggregate, load_thresholds, verdict
from litmash.evaluation.verdict import EVALS_DIR, judge, merge_limits


def row(success=True, seconds=60.0, status="completed", scores=None, calls=7, hits=0):
    return {"status": status, "success": success, "seconds": seconds, "llm_calls": calls, "cache_hits": hits,
            "scores": scores if scores is not None else {"structure": {"value": 1.0, "passed": success}}}


def rows(successes: int, total: int, seconds: float = 60.0) -> list[dict]:
    return [row(success=i < successes, seconds=seconds) for i in range(total)]


LIMITS = Thresholds(success_rate=0.85, p95_seconds=120.0)


def passed(results, limits=LIMITS) -> dict[str, bool]:
    return {c.name: c.passed for c in judge(aggregate(results), limits)}


def test_success_rate_exactly_at_the_threshold_passes():
    assert passed(rows(17, 20)) == {"success_rate": True, "p95_seconds": True}  # 0.85


def test_success_rate_just_below_the_threshold_fails():
    assert passed(rows(33, 39))["success_rate"] is False  # 0.846


def test_p95_exactly_at_the_limit_passes_and_just_above_fails():
    assert passed(rows(20, 20, seconds=120.0))["p95_seconds"] is True
    assert passed(rows(20, 20, seconds=120.01))["p95_seconds"] is False


def test_p95_is_interpolated_over_completed_generations_only():
    results = [row(seconds=s) for s in range(1, 101)] + [row(success=False, status="failed", seconds=900.0)]
    agg = aggregate(results)
    assert agg.p95_seconds == pytest.approx(95.05)
    assert (agg.cases, agg.completed, agg.successes) == (101, 100, 100)
    assert agg.max_seconds == 100


def test_no_completed_generation_fails_on_time_and_an_empty_run_fails_outright():
    failed = [row(success=False, status="failed", scores={}) for _ in range(3)]
    assert passed(failed) == {"success_rate": False, "p95_seconds": False}
    assert aggregate([]).success_rate == 0.0
    assert not verdict({}, LIMITS).passed
    assert passed([], Thresholds(success_rate=0.0)) == {"success_rate": False, "p95_seconds": False}


def test_every_configuration_must_pass():
    good, slow = aggregate(rows(10, 10)), aggregate(rows(10, 10, seconds=200))
    v = verdict({"a": good, "b": slow}, LIMITS)
    assert not v.passed and v.label == "fail"
    assert [c.name for c in v.failures()] == ["b: p95_seconds"]
    assert verdict({"a": good}, LIMITS).passed


def test_pass_rates_and_mean_scores_per_scorer():
    results = [row(scores={"s": {"value": 1.0, "passed": True}}), row(scores={"s": {"value": 0.5, "passed": False}})]
    agg = aggregate(results)
    assert agg.pass_rates == {"s": 0.5} and agg.mean_scores == {"s": 0.75}
    assert agg.llm_calls == 14


def test_benchmark_thresholds_come_from_evals_and_can_be_overridden():
    assert (EVALS_DIR / "thresholds.yaml").is_file()
    shipped = load_thresholds()
    assert (shipped.success_rate, shipped.p95_seconds, shipped.case_seconds) == (0.85, 120, 120)
    assert set(shipped.scorers.values()) == {0.9}
    assert load_thresholds(success_rate=0.5, p95_seconds=None).success_rate == 0.5
    with pytest.raises(ValueError):
        Thresholds(success_rate=1.5)


def test_each_scorer_is_judged_against_its_own_bar():
    scored = [row(scores={"lyric_form": {"value": 1.0, "passed": i < 9}, "singable": {"value": 1.0, "passed": True}})
              for i in range(10)]
    limits = Thresholds(success_rate=0.0, p95_seconds=120.0, scorers={"lyric_form": 0.9, "singable": 0.95,
                                                                      "rhyme_scheme": 0.9})
    checks = {c.name: c for c in judge(aggregate(scored), limits)}
    assert checks["pass_rate lyric_form"].passed and checks["pass_rate lyric_form"].value == 0.9  # exactly at
    assert checks["pass_rate singable"].passed
    assert "pass_rate rhyme_scheme" not in checks  # not scored in this run (a rescore of some scorers)
    below = [row(scores={"lyric_form": {"value": 0.0, "passed": i < 8}}) for i in range(10)]
    failed = verdict({"a": aggregate(below)}, limits)
    assert not failed.passed and [str(c) for c in failed.failures()] == ["FAIL pass_rate lyric_form 0.8 (needs >= 0.9)"]


def test_the_shipped_thresholds_give_every_required_scorer_a_bar():
    from litmash.evaluation import required_scorers

    assert set(load_thresholds().scorers) == set(required_scorers())


def test_scorer_bar_overrides_merge_bar_by_bar_and_all_sets_every_bar():
    shipped = load_thresholds()
    lowered = load_thresholds(scorers={"all": 0.0, "schema": 1.0})
    assert lowered.scorers["schema"] == 1.0 and lowered.scorers["lyric_form"] == 0.0
    assert set(lowered.scorers) == set(shipped.scorers) and lowered.success_rate == shipped.success_rate
    one = load_thresholds(scorers={"singable": 0.5})
    assert one.scorers["singable"] == 0.5 and one.scorers["lyric_form"] == shipped.scorers["lyric_form"]
    assert merge_limits({"success_rate": 0.85}, None, {"success_rate": None}) == {"success_rate": 0.85}
    with pytest.raises(ValueError):
        load_thresholds(scorers={"singable": 1.5})


def test_an_unknown_scorer_in_the_thresholds_file_is_one_line(tmp_path):
    from litmash.errors import ConfigError

    path = tmp_path / "t.yaml"
    path.write_text("success_rate: 0.85\nscorers:\n  lyric_fom: 0.9\n")
    with pytest.raises(ConfigError, match=r"scorers: unknown lyric_fom; allowed: .*lyric_form"):
        load_thresholds(path)
