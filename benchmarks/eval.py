"""Eval benchmark: cases per minute for a fresh and a fully cached run of a dataset, and
(with --core) the embedded model's success rate and p95 time on the core set.

    python benchmarks/eval.py                                   # smoke: fresh, then cached
    python benchmarks/eval.py --core                            # also the core set (~45 min)
    python benchmarks/eval.py --server-url postgresql://postgres@127.0.0.1:5432/test

Runs go to a throwaway database created on --server-url (default: LITMASH_DATABASE_URL's
server, else an embedded PostgreSQL in a temporary folder), so the "fresh" run really starts
with an empty LLM cache; --keep keeps that database for inspection.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from litmash import Settings
from litmash.evaluation import Grid, Outcome, load_thresholds, run_eval, verdict
from litmash.store import create_database, drop_database
from litmash.store import engine as eng

out = Console()


def _run(label: str, dataset: str, settings: Settings, grid: Grid, concurrency: int) -> Outcome:
    def progress(done: int, total: int, result) -> None:
        out.print(f"  {label}: {done}/{total} {result.case_id} {'ok' if result.success else 'fail'} "
                  f"{result.seconds:.1f}s, {result.llm_calls} LLM calls", highlight=False)

    # Thresholds low: this measures, it does not judge (the figures are printed either way).
    low = {"success_rate": 0.0, "p95_seconds": 1e6, "scorers": {"all": 0.0}}
    return run_eval(dataset, grid, thresholds=low, settings=settings, concurrency=concurrency, on_result=progress)


def main(
    dataset: str = typer.Option("smoke", help="Dataset for the fresh/cached figures."),
    core: bool = typer.Option(False, help="Also run the core set once and print its success rate."),
    backend: str = typer.Option("embedded", help="Backend to evaluate."),
    concurrency: int = typer.Option(1, help="Cases generated at once (each already runs two agents at once)."),
    repairs: int = typer.Option(None, help="Override LITMASH_MAX_REPAIR_ROUNDS."),
    server_url: str = typer.Option(None, help="PostgreSQL server for the throwaway database."),
    keep: bool = typer.Option(False, help="Keep the throwaway database."),
) -> None:
    """Run the benchmark and print its figures."""
    tmp = None
    server = server_url or os.environ.get("LITMASH_DATABASE_URL")
    if server is None:
        tmp = Path(tempfile.mkdtemp(prefix="litmash-evalbench-"))
        tmp.chmod(0o755)  # pgserver runs postgres as its own user when we are root
        server = eng.embedded_url(tmp)
    url = create_database(server)
    out.print(f"database {eng.redact(url)}")
    overrides = {"database_url": url, "max_repair_rounds": repairs}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    grid = Grid(backends=[backend])
    try:
        fresh = _run("fresh", dataset, settings, grid, concurrency)
        cached = _run("cached", dataset, settings, grid, concurrency)
        table = Table("run", "cases", "success", "p95 s", "LLM calls", "cache hits", "wall s", "cases/min")
        outcomes = {f"{dataset} fresh": fresh, f"{dataset} cached": cached}
        if core:
            outcomes["core"] = _run("core", "core", settings, grid, concurrency)
        for label, o in outcomes.items():
            a = o.overall
            table.add_row(label, str(a.cases), f"{a.success_rate:.1%}", f"{a.p95_seconds or 0:.1f}", str(a.llm_calls),
                          str(a.cache_hits), f"{o.wall_seconds:.1f}", f"{o.cases_per_minute:.2f}")
        out.print(table)
        if core:
            c = outcomes["core"]
            bench = verdict(c.by_config, load_thresholds())
            out.print(f"core: run {c.run.name}; against the benchmarks: {bench.label.upper()} "
                      f"({'; '.join(map(str, bench.checks))})", highlight=False)
            rates = Table("scorer", "pass rate", "mean value")
            for n, r in c.overall.pass_rates.items():
                rates.add_row(n, f"{r:.0%}", f"{c.overall.mean_scores[n]:.2f}")
            out.print(rates)
            for key, agg in c.by_config.items():
                out.print(f"{key}: {agg.completed}/{agg.cases} completed, p50 {agg.p50_seconds}s, "
                          f"max {agg.max_seconds}s", highlight=False)
    finally:
        eng.dispose_engines()
        if not keep:
            drop_database(url)
        if tmp is not None:
            eng.stop_embedded(tmp)
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    typer.run(main)
