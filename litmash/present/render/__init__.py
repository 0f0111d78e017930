"""Music renderers, one module per format, registered on import (``registry`` holds the seam)."""

from litmash.present.render import audio, midi, musicxml, svg  # noqa: F401 - registers the formats
from litmash.present.render.registry import Renderer, RenderError, ScoreKind, register, render, renderers

__all__ = ["RenderError", "Renderer", "ScoreKind", "register", "render", "renderers"]
