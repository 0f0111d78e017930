"""Renderers of music in a registry, one module per format: a music21 score in, file bytes out.

Nothing here reaches the network: verovio engraves offline and fluidsynth plays a SoundFont from a
Debian package (music21's ``.show()`` would load JavaScript from a CDN, so it is never used).
music21 and verovio are imported inside the renderers: importing the registry stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from litmash.errors import LitmashError

if TYPE_CHECKING:
    from music21 import stream

ScoreKind = Literal["lead_sheet", "arrangement"]


class RenderError(LitmashError):
    """A format cannot be made here; the message is one line naming the cause and the fix."""


@dataclass(frozen=True)
class Renderer:
    """A registered format: its file extension, media type and which score it draws."""

    name: str
    extension: str
    media_type: str
    score: ScoreKind
    func: Callable[[stream.Score], bytes]


_REGISTRY: dict[str, Renderer] = {}


def register(name: str, *, extension: str, media_type: str, score: ScoreKind):
    """Decorator: register the function that renders format ``name``."""

    def deco(func: Callable[[stream.Score], bytes]) -> Callable[[stream.Score], bytes]:
        _REGISTRY[name] = Renderer(name, extension, media_type, score, func)
        return func

    return deco


def renderers() -> dict[str, Renderer]:
    """Every registered format by name."""
    return dict(_REGISTRY)


def render(score: stream.Score, fmt: str) -> bytes:
    """``score`` (a music21 Score) as the bytes of format ``fmt``."""
    if fmt not in _REGISTRY:
        raise RenderError(f"format: unknown {fmt!r}; allowed: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[fmt].func(score)

