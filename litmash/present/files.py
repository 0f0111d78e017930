"""Music files of a mashup (lead-sheet SVG, MusicXML, MIDI, WAV, OGG): made on demand from the
stored music block and cached by content hash, so a second request costs a file read."""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from litmash.domain.music import MusicBlock

# Raised whenever the scores or the renderers change what they write, so old cached files are not reused.
RENDER_VERSION = "1"
# Formats played back (swung timing); the others are notation.
PERFORMED = {"midi", "wav", "ogg"}


def formats() -> list[str]:
    """The music formats the renderers registry offers."""
    from litmash.present.render import renderers

    return sorted(renderers())


def score_for(music: MusicBlock, fmt: str, title: str):
    """The music21 score a format is made from: the lead sheet or the whole arrangement."""
    from litmash.music.score import arrangement, lead_sheet
    from litmash.present.render import renderers

    kind = renderers()[fmt].score
    if kind == "lead_sheet":
        return lead_sheet(music, title)
    return arrangement(music, title, performance=fmt in PERFORMED)


def _cached(music: MusicBlock, fmt: str, title: str, cache_dir: Path) -> Path:
    from litmash.present.render import renderers

    digest = hashlib.sha256(f"{RENDER_VERSION}\n{fmt}\n{title}\n{music.model_dump_json()}".encode()).hexdigest()[:20]
    return cache_dir / f"{digest}.{renderers()[fmt].extension}"


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a reader never sees half a file
    return path


def music_file(music: MusicBlock, fmt: str, title: str, cache_dir: Path) -> Path:
    """The file of one format for ``music`` (rendered once, then read from ``cache_dir``)."""
    from litmash.present.render import RenderError, render, renderers

    found = renderers()
    if fmt not in found:
        raise RenderError(f"format: unknown {fmt!r}; allowed: {', '.join(sorted(found))}")
    path = _cached(music, fmt, title, cache_dir)
    if path.exists():
        return path
    return _write(path, render(score_for(music, fmt, title), fmt))


def music_files(music: MusicBlock, title: str, cache_dir: Path, wanted: list[str] | None = None) -> dict[str, Path]:
    """Several formats at once. music21 and verovio are not thread-safe, so Python renders in this
    thread; the audio (fluidsynth subprocesses, from the MIDI file) renders meanwhile in others."""
    from litmash.present.render.audio import from_midi

    wanted = list(wanted or formats())
    done: dict[str, Path] = {}
    audio = [f for f in wanted if f in ("wav", "ogg") and not _cached(music, f, title, cache_dir).exists()]
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {}
        if audio:
            midi = music_file(music, "midi", title, cache_dir).read_bytes()
            futures = {f: pool.submit(lambda f=f: _write(_cached(music, f, title, cache_dir), from_midi(midi, f)))
                       for f in audio}
        for fmt in wanted:
            if fmt not in futures:
                done[fmt] = music_file(music, fmt, title, cache_dir)
        done |= {f: fut.result() for f, fut in futures.items()}
    return {fmt: done[fmt] for fmt in wanted}
