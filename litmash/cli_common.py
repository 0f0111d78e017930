"""What every `litmash` sub-command shares: the consoles and errors as one line."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import click
import typer
from pydantic import ValidationError
from rich.console import Console
from typer.core import TyperGroup

from .errors import LitmashError, one_line

out = Console()
err = Console(stderr=True)

Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks and backend logs.")]


@contextmanager
def errors_as_lines(debug: bool) -> Iterator[None]:
    """Turn litmash and validation errors into one red line and a non-zero exit."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(name)s: %(message)s")
    if not debug:
        logging.getLogger("litmash.llm").setLevel(logging.INFO)
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
