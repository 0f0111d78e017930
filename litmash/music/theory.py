"""Roman numerals to chords, computed with music21 rather than trusted to the model."""

from __future__ import annotations

from functools import lru_cache

from ..models import Chord


def _m21_key(key: str) -> str:
    """'Bb major' -> 'B-', 'F# minor' -> 'f#' (music21's key names)."""
    tonic, mode = key.split()
    tonic = tonic[0] + tonic[1:].replace("b", "-")
    return tonic.lower() if mode == "minor" else tonic


@lru_cache(maxsize=512)
def chord(roman: str, key: str) -> Chord:
    """The chord a Roman numeral names in ``key``, with its lead-sheet symbol and pitches."""
    from music21 import harmony, roman as m21roman

    rn = m21roman.RomanNumeral(roman, _m21_key(key))
    symbol = harmony.chordSymbolFigureFromChord(rn).replace("-", "b")
    return Chord(roman=roman, symbol=symbol, pitches=[p.name.replace("-", "b") for p in rn.pitches])


def progression(romans: list[str], key: str) -> list[Chord]:
    """Every Roman numeral of a progression as a Chord."""
    return [chord(r, key) for r in romans]
