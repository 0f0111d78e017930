"""`litmash genres [QUERY]` lists the genre base; `litmash genres show ID` shows one entry."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from litmash.cli.common import Debug, default_command, errors_as_lines, out

genres_app = typer.Typer(
    cls=default_command("list", when_empty=True), add_completion=False, pretty_exceptions_enable=False,
    help="The genre knowledge base: sourced facts about every genre litmash can blend. "
    "`litmash genres QUERY` is short for `litmash genres list QUERY`.",
)


@genres_app.command("list")
def list_genres(
    query: Annotated[str, typer.Argument(help="Words to look for in names, aliases, places, instruments.")] = "",
    family: Annotated[str | None, typer.Option(help="Only this family, e.g. 'caribbean'.")] = None,
    debug: Debug = False,
) -> None:
    """List the genres that match QUERY (all of them without one)."""
    from litmash.knowledge import closest, search
    from litmash.knowledge.context import decades_text

    with errors_as_lines(debug):
        found = search(query, family)
        if not found:
            near = closest(query)
            raise LookupError(f"no genre matches {query!r}" + (f"; closest: {', '.join(near)}" if near else ""))
        table = Table("id", "genre", "family", "origin", "era", "also called", box=None, pad_edge=False)
        for g in found:
            table.add_row(g.id, g.name, g.family.replace("_", " "), g.origin.places[-1], decades_text(g),
                          ", ".join(g.aliases[:3]))
        out.print(table)
        out.print(f"{len(found)} genre(s); `litmash genres show ID` for one entry", style="dim")


@genres_app.command()
def show(
    genre: Annotated[str, typer.Argument(help="A genre id, name or alias, e.g. 'hip_hop' or 'Hip-Hop'.")],
    debug: Debug = False,
) -> None:
    """Show one genre: origins, music, artists, listening, respectful use and sources."""
    from rich.markdown import Markdown

    from litmash.knowledge import closest, knowledge
    from litmash.present.genre_card import genre_markdown

    with errors_as_lines(debug):
        g = knowledge().find(genre)
        if g is None:
            near = closest(genre)
            raise LookupError(f"unknown genre {genre!r}" + (f"; closest: {', '.join(near)}" if near else "")
                              + "; `litmash genres` lists them all")
        out.print(Markdown(genre_markdown(g)))
