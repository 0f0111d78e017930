"""How a line is sung: syllable count and stress pattern (CMUdict, vowel groups for unknown words)."""

from __future__ import annotations

from ..music.melody import syllables
from .words import sung_words


def line_syllables(line: str) -> int:
    """Sung syllables of a lyric line (numbers as said: '42' is 'forty two', three syllables)."""
    return len(syllables(" ".join(sung_words(line))))


def stress_pattern(line: str) -> str:
    """The line's stresses, '/' stressed and 'x' unstressed, one mark per syllable."""
    return "".join("/" if s.stressed else "x" for s in syllables(" ".join(sung_words(line))))
