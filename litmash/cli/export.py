"""``litmash export``: a stored mashup as Markdown or JSON, or its music as files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from litmash.cli.common import Debug, err, errors_as_lines
from litmash.config import Settings
from litmash.present.markdown import slug


def export(
    session_id: Annotated[str, typer.Argument(help="Session id (or its first 8+ hex digits).")],
    format: Annotated[str, typer.Option(
        "--format", "-f", help="md | json | midi | musicxml | svg | wav | ogg")] = "md",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File to write (default: stdout for md and json, exports/ for music).")] = None,
    debug: Debug = False,
) -> None:
    """Export a stored mashup as Markdown or JSON, or its music as a lead sheet, MIDI or audio.

    Markdown written to a file gets the music files beside it, linked from the document.
    """
    from litmash.present.files import formats
    from litmash.store import Store

    with errors_as_lines(debug):
        allowed = ["md", "json", *formats()]
        if format not in allowed:
            raise ValueError(f"format: unknown {format!r}; allowed: {', '.join(allowed)}")
        settings = Settings()
        m = Store(settings).get_mashup(session_id)
        if format in ("md", "json"):
            _export_text(m, format, output, settings)
        else:
            _export_music(m, format, output, settings)


def _export_text(m, format: str, output: Path | None, settings: Settings) -> None:
    from litmash.present.markdown import to_json, to_markdown

    if format == "json":
        text = to_json(m)
    elif output is not None and m.music is not None:
        files = {}
        for fmt in ("svg", "midi", "musicxml", "ogg"):
            target = output.with_name(f"{output.stem}.{_extension(fmt)}")
            write_music(m, fmt, target, settings)
            files[fmt] = target.name
        text = to_markdown(m, files)
    else:
        text = to_markdown(m)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")


def _extension(fmt: str) -> str:
    from litmash.present.render import renderers

    return renderers()[fmt].extension


def write_music(m, fmt: str, target: Path, settings: Settings) -> None:
    """Write one music format of ``m`` to ``target`` (from the render cache)."""
    from litmash.present.files import music_file

    if m.music is None:
        raise ValueError("this mashup was stored before litmash computed music; generate it again")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(music_file(m.music, fmt, m.title, settings.data_dir / "render").read_bytes())


def write_music_folder(m, folder: Path, settings: Settings) -> list[Path]:
    """The lead sheet, MIDI, MusicXML and audio of ``m`` in ``folder``, named after its title."""
    from litmash.present.files import music_files

    if m.music is None:
        raise ValueError("this mashup was stored before litmash computed music; generate it again")
    made = music_files(m.music, m.title, settings.data_dir / "render", ["svg", "midi", "musicxml", "ogg"])
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt, path in made.items():
        target = folder / f"{slug(m.title)}.{_extension(fmt)}"
        target.write_bytes(path.read_bytes())
        paths.append(target)
    return paths


def _export_music(m, format: str, output: Path | None, settings: Settings) -> None:
    target = output or Path("exports") / f"{slug(m.title)}.{_extension(format)}"
    write_music(m, format, target, settings)
    err.print(f"wrote {target}")
