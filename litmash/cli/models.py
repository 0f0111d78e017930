"""``litmash models``: list the configured backend's models, pull Ollama models, check the backends.

``litmash models`` is short for ``litmash models list``. ``litmash.cli.main`` mounts this app as ``models``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text

from litmash.cli.common import Column, Debug, Plain, default_command, err, errors_as_lines, print_rows
from litmash.config import Settings
from litmash.llm.backends import PullProgress, PullReporter

models_app = typer.Typer(
    cls=default_command("list", when_empty=True), add_completion=False, pretty_exceptions_enable=False,
    help="The models of the LLM backends: list, pull (Ollama) and check. "
    "`litmash models` is short for `litmash models list`.",
)

Backend = Annotated[str | None, typer.Option(help="auto | ollama | openai | embedded (default: LITMASH_BACKEND)")]


def human_size(size: int | None) -> str:
    """Bytes as Ollama shows them (decimal units): ``4.9 GB``, ``91 MB``."""
    if size is None:
        return ""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{size} B"


@models_app.command("list")
def list_(backend: Backend = None, plain: Plain = False, debug: Debug = False) -> None:
    """The models of the configured backend: Ollama's pulled models, the OpenAI-compatible
    server's /v1/models, or the embedded GGUF file with its size and quantisation."""
    from litmash.llm.catalogue import configured_model, list_models

    with errors_as_lines(debug):
        settings = Settings()
        name, models = list_models(settings, backend)
        uses = configured_model(settings, name)
        present = any(m.name == uses or m.name == f"{uses}:latest" for m in models)
        hint = "" if present or name != "ollama" else f": run `litmash models pull {uses}`"
        err.print(f"{name}: {len(models)} model(s); litmash uses {uses} "
                  f"({'present' if present else 'not present'}{hint})", highlight=False, soft_wrap=True)
        columns = [Column("name"), Column("size", 1, justify="right"), Column("quant", 2), Column("params", 3),
                   Column("family", 5), Column("modified", 6), Column("detail", 4, wrap=True)]
        rows, plain_rows = [], []
        for m in models:
            cells = [m.quantization or "", m.parameters or "", m.family or ""]
            rows.append([m.name, human_size(m.size), *cells, f"{m.modified:%Y-%m-%d}" if m.modified else "",
                         m.detail])
            plain_rows.append([m.name, "" if m.size is None else str(m.size), *cells,
                               m.modified.isoformat(timespec="seconds") if m.modified else "", m.detail])
        print_rows(columns, rows, plain, plain_rows)


class _LayersOnly(ProgressColumn):
    """Bytes, speed and time left for a layer's row; nothing for a phase row (manifest, verify)."""

    def __init__(self, inner: ProgressColumn) -> None:
        super().__init__()
        self.inner = inner

    def render(self, task: Task) -> Text:
        """The inner column's cell for a layer, else an empty one."""
        return self.inner.render(task) if task.fields.get("layer") else Text("")


@contextmanager
def pull_bars(console: Console) -> Iterator[PullReporter]:
    """A reporter drawing one progress bar per layer of an Ollama pull (like `ollama pull`).

    The bars appear with the first event and are cleared when the block ends, so a failed pull
    leaves only its error line; a finished pull leaves one summary line. Output that is not a
    terminal (a log, a pipe) gets only that line: redrawn bars would be noise there.
    """
    progress = Progress(TextColumn("{task.description}"), BarColumn(), _LayersOnly(DownloadColumn()),
                        _LayersOnly(TransferSpeedColumn()), _LayersOnly(TimeRemainingColumn()),
                        console=console, transient=True)
    tasks: dict[str, int] = {}
    labels: dict[str, str] = {}
    t0 = time.perf_counter()

    def stop() -> None:
        if tasks:  # Progress.stop writes a blank line even when it never started
            progress.stop()
            tasks.clear()

    def report(p: PullProgress) -> None:
        if p.status == "success":
            stop()
            console.print(f"pulled {p.model} ({human_size(p.total)}) in {time.perf_counter() - t0:.1f} s",
                          highlight=False)
            return
        if not console.is_terminal:
            return
        if not tasks:
            progress.start()
        key = p.digest or "phase"
        label = f"{p.model}: {p.status}" if p.digest is None else f"{p.model} {p.digest.removeprefix('sha256:')[:12]}"
        new = key not in tasks
        if new:
            tasks[key] = progress.add_task(label, total=None, layer=p.digest is not None)
        if p.digest:
            progress.update(tasks[key], completed=p.layer_completed, total=p.layer_total or None)
        elif labels.get(key) != label:
            progress.update(tasks[key], description=label)
            new = True
        labels[key] = label
        if new:  # a new row or phase shows at once; bytes ride on the display's own refresh
            progress.refresh()

    try:
        yield report
    finally:
        stop()


@models_app.command()
def pull(
    name: Annotated[str, typer.Argument(help="An Ollama model tag, e.g. llama3.1:8b-instruct or qwen2.5:3b.")],
    debug: Debug = False,
) -> None:
    """Pull a model into Ollama (LITMASH_OLLAMA_BASE_URL), with a progress bar per layer."""
    from litmash.llm.catalogue import pull as pull_model

    with errors_as_lines(debug):
        settings = Settings()
        with pull_bars(err) as report:
            pull_model(settings, name, report)


@models_app.command()
def check(
    backend: Annotated[list[str] | None, typer.Option(
        help="A backend to check (repeatable; default: ollama, openai and embedded).")] = None,
    plain: Plain = False,
    debug: Debug = False,
) -> None:
    """For each backend: does it answer, is the model there, how long does a one-token reply take.

    Exits 1 when the backend litmash would use (or any one named with --backend) is not ready.
    """
    from litmash.llm.catalogue import check as check_backend
    from litmash.llm.catalogue import checkers, resolve_backend

    failing: list[str] = []
    with errors_as_lines(debug):
        settings = Settings()
        names = [resolve_backend(settings, b) for b in backend] if backend else list(checkers)
        results = []
        for name in names:
            with err.status(f"checking {name}…"):
                results.append(check_backend(settings, name))

        def yes_no(v: str) -> str:
            return {"yes": "green", "no": "red"}.get(v, "")

        columns = [Column("backend"), Column("up", style=yes_no), Column("model", 2, wrap=True),
                   Column("present", style=yes_no), Column("reply", justify="right"),
                   Column("where", 3, wrap=True), Column("detail", 1, wrap=True)]
        flag = {True: "yes", False: "no", None: "?"}
        rows = [[c.backend, flag[c.answers], c.model, flag[c.present],
                 f"{c.reply_seconds:.2f} s" if c.reply_seconds is not None else "", c.where, c.detail]
                for c in results]
        plain_rows = [[*r[:4], f"{c.reply_seconds:.3f}" if c.reply_seconds is not None else "", *r[5:]]
                      for r, c in zip(rows, results, strict=True)]
        print_rows(columns, rows, plain, plain_rows)
        if backend:
            failing = [c.backend for c in results if not c.ok]
        else:
            used = resolve_backend(settings)
            failing = [c.backend for c in results if c.backend == used and not c.ok]
            err.print(f"litmash uses {used}: {'not ready' if failing else 'ready'}", highlight=False)
    if failing:  # outside errors_as_lines, which would report the exit as an error
        raise typer.Exit(1)
