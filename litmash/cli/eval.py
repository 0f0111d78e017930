"""``litmash eval``: run an eval dataset, list stored eval runs, write a run's report.

``litmash eval DATASET`` runs (the ``run`` command is the default), ``litmash eval list`` and
``litmash eval report RUN --html FILE`` browse. ``litmash.cli.main`` mounts this app as ``eval``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from litmash.cli.common import default_command, errors_as_lines
from litmash.config import Settings

out = Console()
err = Console(stderr=True)


eval_app = typer.Typer(
    cls=default_command("run"), no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="Evaluate litmash on a dataset against the success-rate and timing benchmarks. "
    "`litmash eval DATASET [OPTIONS]` is short for `litmash eval run DATASET [OPTIONS]`.",
)

Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks and backend logs.")]


def _errors(debug: bool):
    return errors_as_lines(debug)


@eval_app.command()
def run(
    dataset: Annotated[str, typer.Argument(help="A dataset YAML file, or a name in evals/datasets (smoke, core, classroom).")],
    baseline: Annotated[str | None, typer.Option(help="A run (id, prefix or name) to compare with.")] = None,
    repeats: Annotated[int, typer.Option(min=1, help="Generations per case and configuration.")] = 1,
    backend: Annotated[list[str] | None, typer.Option(help="Backend(s) to evaluate (repeatable).")] = None,
    model: Annotated[list[str] | None, typer.Option(help="Model(s) to evaluate (repeatable).")] = None,
    seed: Annotated[list[int] | None, typer.Option(help="Seed(s) (repeatable); repeat r uses seed + r.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Cases generated at once.")] = 1,
    name: Annotated[str | None, typer.Option(help="Run name; an existing run of this name is continued.")] = None,
    resume: Annotated[str | None, typer.Option(help="Continue this run (id, prefix or name), skipping done cases.")] = None,
    min_success_rate: Annotated[float | None, typer.Option(help="Override the success-rate threshold (0-1).")] = None,
    max_p95_seconds: Annotated[float | None, typer.Option(help="Override the p95-time threshold (seconds).")] = None,
    min_pass_rate: Annotated[list[str] | None, typer.Option(
        help="Override a scorer's pass-rate bar, NAME=RATE (repeatable); all=RATE sets every bar.")] = None,
    max_repair_rounds: Annotated[int | None, typer.Option(help="Validator repair rounds per mashup.")] = None,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse cached LLM replies.")] = True,
    html: Annotated[Path | None, typer.Option(help="Also write the HTML report here.")] = None,
    debug: Debug = False,
) -> None:
    """Run DATASET under each configuration, store and score every case, print the verdict.

    Exits 1 when the run misses its thresholds (the run is stored either way).
    """
    from litmash.evaluation import Grid, run_eval
    from litmash.evaluation.report import write_html

    with _errors(debug):
        settings = Settings(**({} if max_repair_rounds is None else {"max_repair_rounds": max_repair_rounds}))
        grid = Grid(backends=backend or [settings.backend], models=model or [settings.model],
                    seeds=seed or [settings.seed], repeats=repeats)
        limits = {k: v for k, v in {"success_rate": min_success_rate, "p95_seconds": max_p95_seconds,
                                    "scorers": _bars(min_pass_rate) or None}.items() if v is not None}
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as bar:
            task = bar.add_task("eval", total=None)

            def progress(done: int, total: int, result) -> None:
                mark = "[green]ok[/]" if result.success else "[red]fail[/]"
                bar.update(task, completed=done, total=total, description=f"{result.case_id} {mark}")

            outcome = run_eval(dataset, grid, thresholds=limits, settings=settings, concurrency=concurrency,
                               name=name, resume=resume, baseline=baseline, cache=cache, on_result=progress)
        _print_outcome(outcome)
        if html is not None:
            err.print(f"wrote {write_html(outcome.run.id, html, settings)}")
        if baseline:
            _print_comparison(outcome.run.id, baseline, settings)
    if not outcome.verdict.passed:
        raise typer.Exit(1)


def _bars(given: list[str] | None) -> dict[str, float]:
    """``NAME=RATE`` options as scorer bars; a malformed one is a one-line error naming the form."""
    from litmash.errors import ConfigError
    from litmash.evaluation import registry

    bars = {}
    for item in given or []:
        name, _, rate = item.partition("=")
        try:
            value = float(rate)
        except ValueError:
            value = -1.0
        if not 0.0 <= value <= 1.0 or name not in {*registry, "all"}:
            raise ConfigError(f"--min-pass-rate {item!r}: expected NAME=RATE with RATE in 0-1 and NAME one of "
                              f"all, {', '.join(sorted(registry))}")
        bars[name] = value
    return bars


def _print_outcome(outcome) -> None:
    table = Table("configuration", "cases", "success", "p50 s", "p95 s", "LLM calls", "cached")
    for key, a in {"overall": outcome.overall, **outcome.by_config}.items():
        if key == "overall" and len(outcome.by_config) == 1:
            continue
        table.add_row(key, str(a.cases), f"{a.success_rate:.0%}", _s(a.p50_seconds), _s(a.p95_seconds),
                      str(a.llm_calls), str(a.cache_hits))
    out.print(table)
    scorers = Table("scorer", "pass rate", "mean")
    for n, rate in outcome.overall.pass_rates.items():
        scorers.add_row(n, f"{rate:.0%}", f"{outcome.overall.mean_scores[n]:.2f}")
    out.print(scorers)
    for check in outcome.verdict.checks:
        out.print(f"{'[green]' if check.passed else '[red]'}{check}[/]", highlight=False)
    colour = "green" if outcome.verdict.passed else "red"
    out.print(f"verdict: [bold {colour}]{outcome.verdict.label.upper()}[/]  run [bold]{outcome.run.name}[/] "
              f"({outcome.run.short_id}); {outcome.executed} generated, {outcome.skipped} already done, "
              f"{outcome.cases_per_minute:.2f} cases/min", highlight=False, soft_wrap=True)


def _print_comparison(run_id, baseline: str, settings: Settings) -> None:
    from litmash.evaluation import compare, results

    c = compare(results(run_id, settings), results(baseline, settings))
    out.print(f"against {baseline}: {c.summary()}", highlight=False, soft_wrap=True)


def _s(x: float | None) -> str:
    return "" if x is None else f"{x:.1f}"


@eval_app.command("list")
def list_(
    dataset: Annotated[str | None, typer.Option(help="Only runs of this dataset.")] = None,
    limit: Annotated[int, typer.Option(help="How many rows.")] = 20,
    debug: Debug = False,
) -> None:
    """Stored eval runs, most recent first."""
    from litmash.evaluation import runs

    with _errors(debug):
        rows = runs(Settings(), dataset=dataset, limit=limit)
        table = Table("id", "name", "dataset", "started", "status", "verdict", "cases", "success", "p95 s")
        for r in rows:
            agg = (r.aggregates or {}).get("overall", {})
            verdict = {"pass": "[green]pass[/]", "fail": "[red]fail[/]"}.get(r.verdict or "", "")
            table.add_row(r.short_id, r.name, r.dataset, f"{r.started_at:%Y-%m-%d %H:%M}", r.status, verdict,
                          f"{agg.get('cases', 0)}/{r.planned}",
                          f"{agg['success_rate']:.0%}" if "success_rate" in agg else "", _s(agg.get("p95_seconds")))
        out.print(table if rows else "no eval runs stored")


@eval_app.command()
def report(
    run_ref: Annotated[str, typer.Argument(metavar="RUN", help="Run id, id prefix or name.")],
    html: Annotated[Path | None, typer.Option(help="Write a static, offline HTML report here.")] = None,
    baseline: Annotated[str | None, typer.Option(help="Compare with this run (default: the run's own baseline).")] = None,
    debug: Debug = False,
) -> None:
    """Summarise a stored run; with --html, write its full report (plots, cases, baseline comparison)."""
    from litmash.evaluation import EvalStore
    from litmash.evaluation.report import scorer_table, summary_table, write_html

    with _errors(debug):
        settings = Settings()
        rec = EvalStore(settings).get_run(run_ref)
        out.print(f"run [bold]{rec.name}[/] ({rec.id}) on {rec.dataset}: {rec.status}, "
                  f"verdict {rec.verdict or 'none'}", highlight=False, soft_wrap=True)
        out.print(summary_table(rec).to_string(index=False))
        out.print(scorer_table(rec).to_string(index=False))
        if html is not None:
            err.print(f"wrote {write_html(rec.id, html, settings, baseline)}")
