"""Evaluation: datasets of cases, scorers in a registry, a cached and resumable runner, reports.

Typical use::

    from litmash.evaluation import Grid, run_eval, results
    outcome = run_eval("smoke", Grid(backends=["embedded"]), concurrency=2)
    outcome.verdict.passed, outcome.overall.success_rate, outcome.overall.p95_seconds
    results(outcome.run.id)            # pandas DataFrame, one row per case
"""

from litmash.evaluation.cache import CallCounter, PostgresLLMCache
from litmash.evaluation.compare import Comparison, compare
from litmash.evaluation.datasets import Case, Dataset, Expectations, load_dataset
from litmash.evaluation.runner import Configuration, Grid, Outcome, rescore, results, run_eval, runs
from litmash.evaluation.scorers import RunInfo, Score, register, registry, required_scorers, score_mashup
from litmash.evaluation.storage import EvalStore, ResultRecord, RunRecord
from litmash.evaluation.verdict import Aggregates, Thresholds, Verdict, aggregate, load_thresholds, verdict


class ThresholdsNotMet(AssertionError):
    """A run fell below its thresholds (raised by the eval notebook so papermill and CI fail)."""


__all__ = [
    "Aggregates", "CallCounter", "Case", "Comparison", "Configuration", "Dataset", "EvalStore", "Expectations",
    "Grid", "Outcome", "PostgresLLMCache", "ResultRecord", "RunInfo", "RunRecord", "Score", "Thresholds",
    "ThresholdsNotMet", "Verdict", "aggregate", "compare", "load_dataset", "load_thresholds", "register",
    "registry", "required_scorers", "rescore", "results", "run_eval", "runs", "score_mashup", "verdict",
]
