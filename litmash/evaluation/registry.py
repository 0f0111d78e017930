"""The scorer registry: a Score, what a scorer may know of the run, and ``register``.

Scorers are small pure functions (case, mashup, run info) -> Score registered by name; the built-ins in
``litmash.evaluation.scorers`` use the same seam a user's scorer does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from litmash.domain.mashup import Mashup
from litmash.evaluation.datasets import Case


class Score(BaseModel):
    """One scorer's judgement of one mashup."""

    model_config = ConfigDict(frozen=True)

    name: str = ""
    value: float = Field(ge=0.0, le=1.0)
    passed: bool
    detail: str = ""
    meta: dict[str, Any] = Field(default_factory=dict, description="How the score was made (e.g. the judge model).")


class RunInfo(BaseModel):
    """What a scorer may know about how the mashup was made."""

    seconds: float = Field(ge=0.0, description="Wall time of the generation.")
    time_limit: float = Field(120.0, gt=0, description="Seconds one mashup may take.")
    backend: str = ""
    model: str = ""
    llm_calls: int = 0
    cache_hits: int = 0
    judge: Any = Field(None, description="Settings with a judge backend, for the optional LLM judge.")


Scorer = Callable[[Case, Mashup, RunInfo], Score]


@dataclass(frozen=True)
class ScorerSpec:
    """A registered scorer: ``required`` ones decide whether a case succeeds."""

    name: str
    fn: Scorer
    required: bool
    description: str


registry: dict[str, ScorerSpec] = {}


def register(name: str, *, required: bool = True) -> Callable[[Scorer], Scorer]:
    """Register a scorer under ``name`` (its docstring's first line is its description)."""

    def deco(fn: Scorer) -> Scorer:
        doc = (fn.__doc__ or name).strip().splitlines()[0]
        registry[name] = ScorerSpec(name, fn, required, doc)
        return fn

    return deco


def required_scorers(names: Iterable[str] | None = None) -> list[str]:
    """The names among ``names`` (default: all registered) whose failure fails a case."""
    return [n for n in (names or registry) if registry[n].required]


def is_success(completed: bool, scores: dict[str, Score], required: Iterable[str]) -> bool:
    """A case succeeds when its generation completed and every required scorer passed."""
    return completed and all(n in scores and scores[n].passed for n in required)


def from_checks(checks: list[tuple[bool, str]]) -> Score:
    """A Score from (ok, what) checks: value = share that hold, detail = the ones that do not."""
    if not checks:
        return Score(value=1.0, passed=True, detail="nothing to check")
    failed = [what for ok, what in checks if not ok]
    return Score(
        value=round(1 - len(failed) / len(checks), 4), passed=not failed,
        detail="; ".join(failed)[:500] if failed else f"{len(checks)} check(s) hold",
    )
