"""Aggregates and the verdict, exactly at and just past each threshold."""

from __future__ import annotations

import pytest

from litmash.evaluation import Thresholds, aggregate, load_thresholds, verdict
from litmash.evaluation.verdict import EVALS_DIR, judge


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
    assert load_thresholds() == Thresholds(success_rate=0.85, p95_seconds=120, case_seconds=120)
    assert load_thresholds(success_rate=0.5, p95_seconds=None).success_rate == 0.5
    with pytest.raises(ValueError):
        Thresholds(success_rate=1.5)
