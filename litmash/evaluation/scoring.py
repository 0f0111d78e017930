"""The one scoring path: a generated case's scores, success and result row, and a run's verdict.

The eval runner (``run_eval`` and ``rescore``) and the service's evaluations both score cases and
judge runs through here, so a case scores the same way whichever of them ran it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from litmash.config import Settings
from litmash.domain.mashup import Mashup
from litmash.evaluation.datasets import Case
from litmash.evaluation.scorers import RunInfo, Score, is_success, required_scorers, score_mashup
from litmash.evaluation.storage import ResultRecord
from litmash.evaluation.verdict import Aggregates, Thresholds, Verdict, aggregate, verdict


@dataclass(frozen=True)
class CaseScore:
    """One case scored: what its result row records."""

    case_id: str
    completed: bool  # the generation produced a mashup (a failed one scores nothing)
    scores: dict[str, Score]
    success: bool
    seconds: float
    llm_calls: int = 0
    cache_hits: int = 0

    def record(self, *, config_key: str, repeat: int, session_id: Any, error: str | None) -> ResultRecord:
        """The case's result row for ``eval_results``."""
        return ResultRecord(
            case_id=self.case_id, config_key=config_key, repeat=repeat, session_id=session_id,
            status="completed" if self.completed else "failed", error=error,
            scores={n: s.model_dump(exclude={"name"}) for n, s in self.scores.items()},
            success=self.success, seconds=round(self.seconds, 3), llm_calls=self.llm_calls,
            cache_hits=self.cache_hits,
        )


def generation_seconds(mashup: Mashup | None, elapsed: float) -> float:
    """How long the generation took: the mashup's own total, else ``elapsed`` (it failed)."""
    return mashup.metadata.total_seconds if mashup is not None else elapsed


def score_case(
    case: Case,
    mashup: Mashup | None,
    names: Sequence[str],
    *,
    seconds: float,
    time_limit: float,
    required: Iterable[str] | None = None,
    llm_calls: int = 0,
    cache_hits: int = 0,
    judge: Settings | None = None,
    backend: str | None = None,
    model: str | None = None,
) -> CaseScore:
    """Score ``mashup`` (None: the generation failed, nothing is scored) with the scorers ``names``.

    ``seconds``, ``time_limit``, ``llm_calls`` and ``cache_hits`` are what the scorers learn of the
    run (``RunInfo``); ``backend`` and ``model`` default to the mashup's metadata. ``judge`` is the
    Settings for the optional LLM judge, used only when they name a judge backend. The case
    succeeds when it completed and every ``required`` scorer (default: the required ones among
    ``names``) passed.
    """
    scores: dict[str, Score] = {}
    if mashup is not None:
        info = RunInfo(
            seconds=seconds, time_limit=time_limit,
            backend=mashup.metadata.backend if backend is None else backend,
            model=mashup.metadata.model if model is None else model,
            llm_calls=llm_calls, cache_hits=cache_hits,
            judge=judge if judge is not None and judge.judge_backend else None,
        )
        scores = score_mashup(case, mashup, info, names)
    required = required_scorers(names) if required is None else required
    return CaseScore(case_id=case.id, completed=mashup is not None, scores=scores,
                     success=is_success(mashup is not None, scores, required), seconds=seconds,
                     llm_calls=llm_calls, cache_hits=cache_hits)


@dataclass(frozen=True)
class RunSummary:
    """A run's figures over its results, per configuration and overall, and the verdict on them."""

    overall: Aggregates
    by_config: dict[str, Aggregates]
    verdict: Verdict

    @property
    def aggregates(self) -> dict[str, Any]:
        """The figures and checks as stored with the run (``eval_runs.aggregates``)."""
        return {
            "overall": self.overall.model_dump(),
            "by_config": {k: a.model_dump() for k, a in self.by_config.items()},
            "checks": [c.model_dump() for c in self.verdict.checks],
        }


def summarise(rows: list[dict[str, Any]], limits: Thresholds) -> RunSummary:
    """Aggregate result rows per configuration and overall, and judge them against ``limits``."""
    by_config = {key: aggregate([r for r in rows if r["config_key"] == key])
                 for key in sorted({r["config_key"] for r in rows})}
    return RunSummary(overall=aggregate(rows), by_config=by_config, verdict=verdict(by_config, limits))
