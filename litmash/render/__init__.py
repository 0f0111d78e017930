"""Renderers of music in a registry, one module per format: a music21 score in, file bytes out.

Nothing here reaches the network: verovio engraves offline and fluidsynth plays a SoundFont from a
Debian package (music21's ``.show()`` would load JavaScript from a CDN, so it is never used).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..errors import LitmashError


class RenderError(LitmashError):
    """A format cannot be made here; the message is one line naming the cause and the fix."""


@dataclass(frozen=True)
class Renderer:
    """A registered format: its file extension, media type and which score it draws."""

    name: str
    extension: str
    media_type: str
    score: Literal["lead_sheet", "arrangement"]
    func: Callable[[object], bytes]


_REGISTRY: dict[str, Renderer] = {}


def register(name: str, *, extension: str, media_type: str, score: Literal["lead_sheet", "arrangement"]):
    """Register the function that renders one format."""

    def deco(func: Callable[[object], bytes]) -> Callable[[object], bytes]:
        _REGISTRY[name] = Renderer(name, extension, media_type, score, func)
        return func

    return deco


def renderers() -> dict[str, Renderer]:
    """Every registered format by name."""
    return dict(_REGISTRY)


def render(score, fmt: str) -> bytes:
    """``score`` (a music21 Score) as the bytes of format ``fmt``."""
    if fmt not in _REGISTRY:
        raise RenderError(f"format: unknown {fmt!r}; allowed: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[fmt].func(score)


# Importing the modules registers them (they import ``register`` from this package).
from . import audio, midi, musicxml, svg  # noqa: E402,F401
