"""Thresholds, the aggregates of a run's results, and the verdict that compares the two."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field

from litmash.errors import ConfigError
from litmash.evaluation.datasets import EVALS_DIR
from litmash.evaluation.scorers import registry

THRESHOLDS_FILE = EVALS_DIR / "thresholds.yaml"


class Thresholds(BaseModel):
    """What a run must reach. Defaults are the design's benchmarks (§9.3).

    The design's "> 85 %" and "< 2 minutes" are applied as inclusive bounds (a run at exactly
    85 % passes): thresholds read as "at least" / "at most" everywhere in litmash.
    """

    model_config = ConfigDict(extra="forbid")

    success_rate: float = Field(0.85, ge=0.0, le=1.0, description="Lowest share of successful cases.")
    p95_seconds: float = Field(120.0, gt=0, description="Highest 95th-percentile generation time.")
    case_seconds: float = Field(120.0, gt=0, description="Time limit of the generation_time scorer.")
    scorers: dict[str, Annotated[float, Field(ge=0.0, le=1.0)]] = Field(
        default_factory=dict, description="Lowest pass rate per scorer, over the completed cases.")


ALL = "all"  # in a ``scorers`` override: every scorer's bar


def merge_limits(base: dict[str, Any], *overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Threshold mappings merged left to right; None values are skipped.

    ``scorers`` merges bar by bar, and its key ``all`` first sets every bar already there (so a
    smoke run can say ``{"success_rate": 0, "scorers": {"all": 0}}``).
    """
    merged = dict(base)
    for given in overrides:
        for key, value in (given or {}).items():
            if value is None:
                continue
            if key != "scorers":
                merged[key] = value
                continue
            bars = dict(merged.get("scorers") or {})
            if ALL in value:
                bars = dict.fromkeys(bars, value[ALL])
            merged["scorers"] = bars | {k: v for k, v in value.items() if k != ALL}
    return merged


def load_thresholds(path: Path | None = None, *layers: dict[str, Any] | None, **overrides: Any) -> Thresholds:
    """The benchmark thresholds (evals/thresholds.yaml when present), with each of ``layers`` (for
    example a dataset's thresholds, then the caller's) and then ``overrides`` merged on top.

    A scorer named in a bar that is not registered is a one-line ConfigError naming the allowed ones.
    """
    path = path or THRESHOLDS_FILE
    base = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    limits = Thresholds.model_validate(merge_limits(base or {}, *layers, overrides))
    if unknown := sorted(set(limits.scorers) - set(registry)):
        raise ConfigError(f"scorers: unknown {', '.join(unknown)}; allowed: {', '.join(sorted(registry))}, {ALL}")
    return limits


class Aggregates(BaseModel):
    """Figures over a set of results (a whole run or one configuration of it)."""

    cases: int
    completed: int
    successes: int
    success_rate: float
    p50_seconds: float | None
    p95_seconds: float | None
    max_seconds: float | None
    llm_calls: int
    cache_hits: int
    pass_rates: dict[str, float] = Field(default_factory=dict, description="Share passing, per scorer.")
    mean_scores: dict[str, float] = Field(default_factory=dict, description="Mean value, per scorer.")


def percentile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) with linear interpolation; None for no values."""
    if not values:
        return None
    return float(pd.Series(values, dtype=float).quantile(q))


def aggregate(results: list[dict]) -> Aggregates:
    """Aggregates of result rows (dicts with status, success, seconds, llm_calls, cache_hits, scores).

    Times are those of completed generations: a run that failed fast says nothing about speed.
    """
    done = [r for r in results if r["status"] == "completed"]
    times = [r["seconds"] for r in done]
    names = sorted({n for r in done for n in r["scores"]})
    per = {n: [r["scores"][n] for r in done if n in r["scores"]] for n in names}
    return Aggregates(
        cases=len(results),
        completed=len(done),
        successes=sum(bool(r["success"]) for r in results),
        success_rate=round(sum(bool(r["success"]) for r in results) / len(results), 4) if results else 0.0,
        p50_seconds=_round(percentile(times, 0.5)),
        p95_seconds=_round(percentile(times, 0.95)),
        max_seconds=_round(max(times) if times else None),
        llm_calls=sum(r["llm_calls"] for r in results),
        cache_hits=sum(r["cache_hits"] for r in results),
        pass_rates={n: round(sum(s["passed"] for s in v) / len(v), 4) for n, v in per.items()},
        mean_scores={n: round(sum(s["value"] for s in v) / len(v), 4) for n, v in per.items()},
    )


def _round(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(x, 3)


class Check(BaseModel):
    """One figure against one threshold."""

    name: str
    value: float | None
    threshold: float
    op: Literal[">=", "<="]
    passed: bool

    def __str__(self) -> str:
        shown = "n/a" if self.value is None else f"{self.value:g}"
        return f"{'PASS' if self.passed else 'FAIL'} {self.name} {shown} (needs {self.op} {self.threshold:g})"


class Verdict(BaseModel):
    """Whether a run met its thresholds, and each check that decided it."""

    passed: bool
    checks: list[Check]

    @property
    def label(self) -> str:
        """'pass' or 'fail', as stored with the run."""
        return "pass" if self.passed else "fail"

    def failures(self) -> list[Check]:
        """The checks that failed."""
        return [c for c in self.checks if not c.passed]


def judge(agg: Aggregates, thresholds: Thresholds, prefix: str = "") -> list[Check]:
    """The checks of one set of aggregates: success rate at least, p95 time at most, and each
    scorer's pass rate at least its bar (for the scorers the run scored: a rescore may score some).

    A run with no cases, or no completed generation (so no p95), fails.
    """
    p95 = agg.p95_seconds
    checks = [
        Check(name=f"{prefix}success_rate", value=agg.success_rate, threshold=thresholds.success_rate, op=">=",
              passed=agg.cases > 0 and agg.success_rate >= thresholds.success_rate),
        Check(name=f"{prefix}p95_seconds", value=p95, threshold=thresholds.p95_seconds, op="<=",
              passed=p95 is not None and p95 <= thresholds.p95_seconds),
    ]
    checks += [Check(name=f"{prefix}pass_rate {name}", value=agg.pass_rates[name], threshold=bar, op=">=",
                     passed=agg.pass_rates[name] >= bar)
               for name, bar in sorted(thresholds.scorers.items()) if name in agg.pass_rates]
    return checks


def verdict(by_config: dict[str, Aggregates], thresholds: Thresholds) -> Verdict:
    """The run passes when every configuration in it meets the thresholds (and there is one)."""
    many = len(by_config) > 1
    checks = [c for key, agg in by_config.items() for c in judge(agg, thresholds, f"{key}: " if many else "")]
    return Verdict(passed=bool(checks) and all(c.passed for c in checks), checks=checks)
