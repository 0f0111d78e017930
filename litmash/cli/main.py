"""The ``litmash`` command: generate, browse and export mashups."""

from __future__ import annotations

import json
from itertools import chain
from pathlib import Path
from typing import Annotated

import typer
from rich.live import Live
from rich.markdown import Markdown
from rich.table import Table

from litmash.cli.common import Column, Debug, Plain, err, errors_as_lines, out, print_rows
from litmash.cli.eval import eval_app
from litmash.cli.export import export, write_music_folder
from litmash.cli.genres import genres_app
from litmash.cli.lab import lab
from litmash.cli.models import models_app, pull_bars
from litmash.cli.service import keys_app, serve, users_app, worker
from litmash.config import Settings

app = typer.Typer(
    help="Educational music mashups from local LLMs.", no_args_is_help=True, add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The PostgreSQL database.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.command()(lab)
app.command()(export)
app.add_typer(eval_app, name="eval")
app.add_typer(genres_app, name="genres")
app.add_typer(models_app, name="models")
app.command()(serve)
app.command()(worker)
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")


def _settings(**overrides) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


@app.command()
def generate(
    prompt: Annotated[str, typer.Argument(help="What the mashup should be, e.g. 'Blend jazz and hip-hop'.")],
    level: Annotated[str, typer.Option(help="beginner | intermediate | advanced")] = "intermediate",
    context: Annotated[str, typer.Option(help="classroom | workshop | individual_study | online")] = "classroom",
    objective: Annotated[list[str] | None, typer.Option(help="A learning objective (repeatable).")] = None,
    genre: Annotated[list[str] | None, typer.Option(help="A genre to include (repeatable, up to 3).")] = None,
    grade: Annotated[str | None, typer.Option(help="Grade or age of the learners.")] = None,
    minutes: Annotated[int | None, typer.Option(help="Lesson length in minutes.")] = None,
    backend: Annotated[str | None, typer.Option(help="auto | ollama | openai | embedded")] = None,
    model: Annotated[str | None, typer.Option(help="Model name for the backend.")] = None,
    seed: Annotated[int | None, typer.Option(help="Sampling seed.")] = None,
    json_file: Annotated[Path | None, typer.Option(
        "--json", help="Write the full result as JSON here, with the stored session's id as `id`.")] = None,
    music: Annotated[Path | None, typer.Option(
        "--music", help="Write the lead sheet (SVG), MIDI, MusicXML and audio (OGG) into this folder.")] = None,
    store: Annotated[bool, typer.Option("--store/--no-store", help="Store the run in PostgreSQL.")] = True,
    debug: Debug = False,
) -> None:
    """Generate an educational mashup, showing each agent's progress, then print it."""
    from litmash.domain.request import MashupRequest
    from litmash.present.markdown import to_json, to_markdown
    from litmash.workflow.api import stream

    with errors_as_lines(debug):
        request = MashupRequest(
            user_prompt=prompt, skill_level=level, educational_context=context,
            learning_objectives=objective or [], genres=genre or [], grade_or_age=grade,
            lesson_minutes=minutes,
        )
        settings = _settings(backend=backend, model=model, seed=seed)
        mashup, session = _consume(stream(request, settings, persist=store))
        out.print(Markdown(to_markdown(mashup)))
        if json_file is not None:
            # The stored session's id first (null with --no-store), so a script finds the run again;
            # Mashup ignores unknown keys, so the file still loads as a Mashup.
            found = {"id": str(session) if session else None, **json.loads(to_json(mashup))}
            json_file.write_text(json.dumps(found, indent=2, ensure_ascii=False), encoding="utf-8")
            err.print(f"wrote {json_file}")
        if music is not None:
            for path in write_music_folder(mashup, music, settings):
                err.print(f"wrote {path}")
        if session is not None:
            err.print(f"stored as session [bold]{session}[/]  (litmash show {str(session)[:8]})", highlight=False)


def _consume(events):
    """Drive an event stream under a live progress table; return (mashup, session id)."""
    from litmash.cli.progress import ProgressView
    from litmash.llm.backends import reporting_pulls

    view, mashup, session = ProgressView(), None, None
    # The first event comes once the backend is built, which may pull a missing Ollama model
    # (LITMASH_OLLAMA_AUTO_PULL): its bars run before the live table, as rich shows one at a time.
    with pull_bars(err) as report, reporting_pulls(report):
        first = next(events, None)
    if first is None:
        return mashup, session
    try:
        with Live(view, console=err, refresh_per_second=8, transient=False):
            for event in chain([first], events):
                view.update(event)
                session = event.session_id or session
                mashup = event.mashup or mashup
    finally:
        err.print()  # the table's last line has no newline; keep what follows on its own line
    return mashup, session


@app.command()
def resume(
    session_id: Annotated[str, typer.Argument(help="Session id (or its first 8+ hex digits).")],
    backend: Annotated[str | None, typer.Option(help="auto | ollama | openai | embedded")] = None,
    model: Annotated[str | None, typer.Option(help="Model name for the backend.")] = None,
    debug: Debug = False,
) -> None:
    """Continue a failed or interrupted run from its last finished agent."""
    from litmash.present.markdown import to_markdown
    from litmash.workflow.api import resume as resume_run

    with errors_as_lines(debug):
        mashup, session = _consume(resume_run(session_id, _settings(backend=backend, model=model)))
        out.print(Markdown(to_markdown(mashup)))
        err.print(f"session [bold]{session}[/] completed", highlight=False)


@app.command("list")
def list_(
    genre: Annotated[str | None, typer.Option(help="Only mashups blending this genre.")] = None,
    level: Annotated[str | None, typer.Option(help="beginner | intermediate | advanced")] = None,
    context: Annotated[str | None, typer.Option(help="classroom | workshop | individual_study | online")] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Full-text search in titles and lyrics.")] = None,
    status: Annotated[str | None, typer.Option(help="running | completed | failed | interrupted")] = None,
    limit: Annotated[int, typer.Option(help="How many rows.")] = 20,
    plain: Plain = False,
    debug: Debug = False,
) -> None:
    """Stored runs, most recent first; the id column is what `show`, `export` and `resume` take.

    In a terminal the table fits its width (the id is never cut; titles wrap, less important
    columns are dropped); --plain or a pipe gives tab-separated rows with full ids.
    """
    from litmash.store import Store

    with errors_as_lines(debug):
        settings = Settings()
        rows = Store(settings, stale_after=settings.stale_after).list_sessions(
            limit=limit, genre=genre, level=level, context=context, text=search, status=status
        )
        if not rows:
            err.print("no stored runs match")
            return
        colour = {"completed": "green", "failed": "red", "interrupted": "yellow", "running": "cyan"}
        # priority: 0 is always shown; the highest numbers are dropped first on a narrow terminal
        columns = [Column("id"), Column("started", 2), Column("status", 1, style=colour.get),
                   Column("title", 0, wrap=True), Column("genres", 3, wrap=True), Column("level", 6),
                   Column("context", 7), Column("s", 5, justify="right"), Column("model", 4, wrap=True)]
        cells = [[f"{r.started_at:%Y-%m-%d %H:%M}", r.status, r.title or "", ", ".join(r.genres), r.skill_level or "",
                  r.context or "", f"{r.total_seconds:.0f}" if r.total_seconds is not None else "", r.model or ""]
                 for r in rows]
        print_rows(columns, [[r.short_id, *c] for r, c in zip(rows, cells, strict=True)], plain,
                   [[str(r.id), *c] for r, c in zip(rows, cells, strict=True)])


@app.command()
def show(
    session_id: Annotated[str, typer.Argument(help="Session id (or its first 8+ hex digits).")],
    debug: Debug = False,
) -> None:
    """Print a stored mashup."""
    from litmash.present.markdown import to_markdown
    from litmash.store import Store

    with errors_as_lines(debug):
        out.print(Markdown(to_markdown(Store(Settings()).get_mashup(session_id))))


@db_app.command("upgrade")
def db_upgrade(debug: Debug = False) -> None:
    """Apply schema migrations up to the newest revision."""
    from litmash.store import database_url, redact, upgrade

    with errors_as_lines(debug):
        url = database_url(Settings())
        upgrade(url)
        err.print(f"schema at head on {redact(url)}")


@db_app.command("info")
def db_info(debug: Debug = False) -> None:
    """Which server, which schema revision, how many rows."""
    from litmash.store import Store

    with errors_as_lines(debug):
        info = Store(Settings()).info()
        table = Table(show_header=False, box=None)
        table.add_row("server", f"{info['server']} (PostgreSQL {info['server_version']})")
        table.add_row("url", info["url"])
        table.add_row("revision", f"{info['revision']} (head {info['head']})")
        for name, count in info["tables"].items():
            table.add_row(f"rows in {name}", str(count))
        out.print(table)


if __name__ == "__main__":
    app()
