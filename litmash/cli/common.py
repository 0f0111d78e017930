"""What every `litmash` sub-command shares: the consoles and errors as one line."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

import click
import typer
from pydantic import ValidationError
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from typer.core import TyperGroup

from litmash.errors import LitmashError, one_line

out = Console()
err = Console(stderr=True)

Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks and backend logs.")]
Plain = Annotated[bool, typer.Option(
    "--plain", help="Tab-separated rows with a header line, for scripts (the default when not a terminal).")]


@contextmanager
def errors_as_lines(debug: bool) -> Iterator[None]:
    """Turn litmash and validation errors into one red line and a non-zero exit."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(name)s: %(message)s")
    if not debug:
        logging.getLogger("litmash.llm.backends").setLevel(logging.INFO)
    try:
        yield
    except ValidationError as exc:
        if debug:
            raise
        err.print(f"[red]error:[/] {one_line(exc)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except (LitmashError, ValueError, LookupError) as exc:
        if debug:
            raise
        err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except Exception as exc:  # noqa: BLE001 - anything unforeseen still ends as one line
        if debug:
            raise
        err.print(f"[red]error:[/] {type(exc).__name__}: {exc} (rerun with --debug for details)",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/]; `litmash resume ID` continues the run")
        raise typer.Exit(130) from None


def default_command(name: str, when_empty: bool = False) -> type[TyperGroup]:
    """A command group whose first argument, when it names no command, goes to command ``name``
    (and, with ``when_empty``, so does a call with no arguments)."""

    class _Default(TyperGroup):
        def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
            if not args and when_empty:
                args = [name]
            elif args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
                args = [name, *args]
            return super().parse_args(ctx, args)

    return _Default


# --------------------------------------------------------------------------- tables that fit

WRAP_MIN = 16  # a wrapping column keeps at least this many characters a line, or it is dropped


@dataclass
class Column:
    """One column of a CLI table: ``priority`` 0 is never dropped; higher numbers go first."""

    header: str
    priority: int = 0
    wrap: bool = False  # long text wraps; otherwise each cell stays whole on one line
    justify: str = "left"
    style: Callable[[str], str] | None = None  # a rich style for a cell's value (colours a status)


def fitted_table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> Table:
    """A table no wider than ``width``: columns dropped by priority until every kept one fits.

    A column that does not wrap is never narrower than its longest cell, so ids and dates are
    printed whole; wrapping columns (titles) fold onto more lines instead of being cut.
    """
    # rich measures a cell's minimum as its longest word, but a folded cell can go narrower: a
    # probe table with each wrapping cell cut to its minimum measures what the real one needs
    probe = [[v[:WRAP_MIN] if c.wrap else v for c, v in zip(columns, row, strict=True)] for row in rows]
    keep = list(range(len(columns)))
    while len(keep) > 1:
        needed = _table([columns[i] for i in keep], [[row[i] for i in keep] for row in probe])
        if Measurement.get(_measure_console, _measure_console.options, needed).minimum <= width:
            break
        keep.remove(max(keep, key=lambda i: (columns[i].priority, i)))
    return _table([columns[i] for i in keep], [[row[i] for i in keep] for row in rows])


_measure_console = Console(width=10_000)


def _table(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for n, c in enumerate(columns):
        longest = max([len(c.header), *(len(row[n]) for row in rows)])
        table.add_column(c.header, justify=c.justify, no_wrap=not c.wrap, overflow="fold",
                         min_width=min(longest, WRAP_MIN) if c.wrap else longest)
    for row in rows:
        table.add_row(*(f"[{c.style(v)}]{escape(v)}[/]" if c.style and c.style(v) else escape(v)
                        for c, v in zip(columns, row, strict=True)))
    return table


def print_rows(columns: Sequence[Column], rows: Sequence[Sequence[str]], plain: bool,
               plain_rows: Sequence[Sequence[str]] | None = None) -> None:
    """Rows as a table that fits the terminal, or tab-separated (``plain`` or output not a terminal).

    ``plain_rows`` replaces ``rows`` in the tab-separated form (e.g. full ids instead of short ones).
    """
    if plain or not out.is_terminal:
        for row in [[c.header for c in columns], *(plain_rows or rows)]:
            # a tab or newline inside a value would shift the columns a script reads
            out.file.write("\t".join(" ".join(v.split()) for v in row) + "\n")
        out.file.flush()
        return
    out.print(fitted_table(columns, rows, out.width))
