"""Music files of a mashup (lead-sheet SVG, MusicXML, MIDI, WAV, OGG): made on demand from the
stored music block and cached by content hash, so a second request costs a file read."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .block import MusicBlock

# Raised whenever the scores or the renderers change what they write, so old cached files are not reused.
RENDER_VERSION = "1"
# Formats played back (swung timing); the others are notation.
PERFORMED = {"midi", "wav", "ogg"}


def formats() -> list[str]:
    """The music formats the renderers registry offers."""
    from ..render import renderers

    return sorted(renderers())


def score_for(music: MusicBlock, fmt: str, title: str):
    """The music21 score a format is made from: the lead sheet or the whole arrangement."""
    from ..render import renderers
    from .score import arrangement, lead_sheet

    kind = renderers()[fmt].score
    if kind == "lead_sheet":
        return lead_sheet(music, title)
    return arrangement(music, title, performance=fmt in PERFORMED)


def music_file(music: MusicBlock, fmt: str, title: str, cache_dir: Path) -> Path:
    """The file of one format for ``music`` (rendered once, then read from ``cache_dir``)."""
    from ..render import RenderError, render, renderers

    found = renderers()
    if fmt not in found:
        raise RenderError(f"format: unknown {fmt!r}; allowed: {', '.join(sorted(found))}")
    digest = hashlib.sha256(f"{RENDER_VERSION}\n{fmt}\n{title}\n{music.model_dump_json()}".encode()).hexdigest()[:20]
    path = cache_dir / f"{digest}.{found[fmt].extension}"
    if path.exists():
        return path
    data = render(score_for(music, fmt, title), fmt)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a reader never sees half a file
    return path
