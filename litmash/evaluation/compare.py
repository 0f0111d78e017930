"""Compare a run with a baseline run, case by case: which cases flipped, and is the change significant."""

from __future__ import annotations

import math

import pandas as pd
from pydantic import BaseModel, ConfigDict
from scipy import stats


class Comparison(BaseModel):
    """Per-case changes between a baseline and a run, and paired tests over the shared cases."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    table: pd.DataFrame  # case_id, success/score in both runs, delta, flip
    fixed: list[str]  # failed in the baseline, succeed now
    broken: list[str]  # succeeded in the baseline, fail now
    wilcoxon_p: float | None  # paired test on the per-case mean scores
    mcnemar_p: float | None  # exact McNemar test on the success flips
    pairs: int

    def summary(self) -> str:
        """One line for a report or a terminal."""
        def p(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.3g}"
        return (f"{self.pairs} shared case(s): {len(self.fixed)} fixed, {len(self.broken)} broken; "
                f"Wilcoxon p={p(self.wilcoxon_p)} (scores), McNemar p={p(self.mcnemar_p)} (success)")


def per_case(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per case: success rate and mean score over its configurations and repeats.

    A case's score is the mean of its scorers' values (0 for a failed generation).
    """
    values = [c for c in frame.columns if f"{c}.passed" in frame.columns]
    mean_score = frame[values].astype(float).mean(axis=1).fillna(0.0) if values else pd.Series(0.0, frame.index)
    return (frame.assign(score=mean_score, success=frame["success"].astype(float))
            .groupby("case_id")[["success", "score"]].mean())


def compare(run: pd.DataFrame, baseline: pd.DataFrame) -> Comparison:
    """Pair the cases both result frames (``litmash.evaluation.results``) have, and test the change."""
    new, old = per_case(run), per_case(baseline)
    table = old.add_suffix("_baseline").join(new.add_suffix("_run"), how="inner")
    table["delta"] = table["score_run"] - table["score_baseline"]
    # A case flips when its outcome over repeats and configurations changes: it succeeded when
    # most (more than half) of its generations did.
    was, now = table["success_baseline"] > 0.5, table["success_run"] > 0.5
    table["flip"] = ""
    table.loc[~was & now, "flip"] = "fixed"
    table.loc[was & ~now, "flip"] = "broken"
    fixed = sorted(table.index[table["flip"] == "fixed"])
    broken = sorted(table.index[table["flip"] == "broken"])
    return Comparison(
        table=table.reset_index(), fixed=fixed, broken=broken, pairs=len(table),
        wilcoxon_p=_wilcoxon(table["delta"]), mcnemar_p=_mcnemar(len(fixed), len(broken)),
    )


def _wilcoxon(delta: pd.Series) -> float | None:
    """Two-sided Wilcoxon signed-rank p-value; 1.0 when nothing changed, None with no pairs."""
    if delta.empty:
        return None
    if (delta.abs() < 1e-12).all():
        return 1.0
    p = stats.wilcoxon(delta.to_numpy(), zero_method="zsplit").pvalue
    return None if math.isnan(p) else float(p)


def _mcnemar(fixed: int, broken: int) -> float | None:
    """Exact McNemar p-value: a two-sided binomial test on the discordant pairs."""
    if fixed + broken == 0:
        return 1.0
    return float(stats.binomtest(fixed, fixed + broken, 0.5).pvalue)
