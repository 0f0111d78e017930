"""A static, offline HTML report of a run: verdict, figures, per-case table, baseline comparison."""

from __future__ import annotations

import base64
import io
import uuid
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from matplotlib.figure import Figure

from litmash.config import Settings
from litmash.evaluation import plots
from litmash.evaluation.compare import Comparison, compare
from litmash.evaluation.failures import failures_table, flipped_table
from litmash.evaluation.storage import EvalStore, RunRecord, results_frame
from litmash.evaluation.verdict import Thresholds

_env = Environment(loader=PackageLoader("litmash.evaluation", "templates"), autoescape=select_autoescape())


def _png(fig: Figure) -> str:
    """The figure as a data: URI (no files beside the report, nothing fetched when it opens)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, na_rep="", float_format=lambda x: f"{x:.3g}", border=0, classes="t",
                         escape=True)


def summary_table(run: RunRecord) -> pd.DataFrame:
    """One row per configuration (and 'overall'): cases, success, times, LLM calls."""
    agg = run.aggregates or {}
    rows = {"overall": agg.get("overall", {})} | agg.get("by_config", {})
    cols = ["cases", "completed", "successes", "success_rate", "p50_seconds", "p95_seconds", "max_seconds",
            "llm_calls", "cache_hits"]
    return pd.DataFrame([{"configuration": k, **{c: v.get(c) for c in cols}} for k, v in rows.items()])


def render_html(run: str | uuid.UUID, settings: Settings | None = None, baseline: str | None = None) -> str:
    """The report of ``run`` as one self-contained HTML page (baseline: the run's own, if it has one)."""
    store = EvalStore(settings)
    rec = store.get_run(run)
    rows = store.result_rows(rec.id)
    frame = results_frame(rows)
    limits = Thresholds.model_validate(rec.thresholds)
    baseline = baseline or rec.config.get("baseline")
    comparison: Comparison | None = None
    base_rec = None
    required = rec.config.get("required", [])
    flips = ""
    if baseline:
        base_rec = store.get_run(baseline)
        base_rows = store.result_rows(base_rec.id)
        comparison = compare(frame, results_frame(base_rows))
        changed = dict.fromkeys(comparison.fixed, "fixed") | dict.fromkeys(comparison.broken, "broken")
        flips = _table(flipped_table(rows, base_rows, required, changed))
    per_case = frame[["case_id", "config_key", "repeat", "status", "success", "seconds", "llm_calls", "error"]
                     + [c for c in frame.columns if c.endswith(".passed")]]
    figures = {
        "Success per scorer": plots.success_per_scorer(frame),
        "Time per agent": plots.time_per_agent(store.agent_times(rec.id)),
        "Generation time": plots.time_distribution(frame, limits.case_seconds),
    }
    return _env.get_template("report.html.j2").render(
        run=rec, checks=(rec.aggregates or {}).get("checks", []), limits=limits,
        summary=_table(summary_table(rec)),
        scorers=_table(scorer_table(rec)),
        figures={k: _png(f) for k, f in figures.items()},
        cases=_table(per_case),
        comparison=comparison, baseline=base_rec,
        comparison_table=_table(comparison.table) if comparison else "", flipped_table=flips,
        failures=_table(failures_table(rows, required)),
    )


def scorer_table(run: RunRecord) -> pd.DataFrame:
    """Pass rate and mean value per scorer over the whole run, and whether it is required."""
    overall = (run.aggregates or {}).get("overall", {})
    required = set(run.config.get("required", []))
    return pd.DataFrame([
        {"scorer": n, "required": n in required, "pass_rate": r, "mean_value": overall.get("mean_scores", {}).get(n)}
        for n, r in overall.get("pass_rates", {}).items()
    ])


def write_html(run: str | uuid.UUID, path: Path, settings: Settings | None = None, baseline: str | None = None) -> Path:
    """Write the report of ``run`` to ``path``; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(run, settings, baseline), encoding="utf-8")
    return path
