"""Every built-in scorer, registered on import, and the one function that scores a mashup with them."""

from __future__ import annotations

from collections.abc import Iterable

from litmash.domain.mashup import Mashup
from litmash.evaluation import judge  # noqa: F401 - registers the optional LLM judge
from litmash.evaluation.datasets import Case
from litmash.evaluation.registry import (
    RunInfo,
    Score,
    Scorer,
    ScorerSpec,
    from_checks,
    is_success,
    register,
    registry,
    required_scorers,
)
from litmash.evaluation.scorers import core, lesson, lyrics  # noqa: F401 - registers the built-ins

__all__ = [
    "RunInfo", "Score", "Scorer", "ScorerSpec", "from_checks", "is_success", "register", "registry",
    "required_scorers", "score_mashup",
]


def score_mashup(case: Case, mashup: Mashup, info: RunInfo, names: Iterable[str] | None = None) -> dict[str, Score]:
    """Every named scorer's Score (default: all registered), keyed by name.

    A scorer that raises fails with the exception as its detail rather than ending the run:
    one bad mashup shape must not lose the other cases' results.
    """
    out: dict[str, Score] = {}
    for name in names or list(registry):
        spec = registry[name]
        try:
            s = spec.fn(case, mashup, info)
        except Exception as exc:  # noqa: BLE001 - recorded, visible in the results
            s = Score(value=0.0, passed=False, detail=f"scorer raised {type(exc).__name__}: {exc}")
        out[name] = s.model_copy(update={"name": name})
    return out
