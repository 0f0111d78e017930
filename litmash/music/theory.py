"""Roman numerals to chords, computed with music21 rather than trusted to the model.

The numerals follow the lead-sheet (pop/jazz) reading, which is the one the prompts'
closed set implies by listing both ``I7`` and ``Imaj7``:

- the case names the triad (upper major, lower minor), ``o`` diminished, ``ø7``
  half-diminished seventh, ``+`` augmented;
- ``7`` adds a minor seventh (``V7``, ``I7`` dominant; ``ii7`` minor seventh) and
  ``maj7`` a major seventh, whatever the key's own scale would give;
- a ``b``/``#`` prefix alters the degree of the tonic's *major* scale, so ``bVII`` is the
  major triad a whole step below the tonic in every key (G in A minor, Bb in C major);
- in a minor key, degrees 3, 6 and 7 are the natural-minor ones for upper-case numerals
  (``III``, ``VI``, ``VII``: C, F, G in A minor) and the raised ones for lower-case
  numerals (``iii``, ``vi``, ``viio``: C#m, F#m, G#dim), so every chord is one of the
  minor key's own or borrowed from its parallel major;
- ``X/Y`` is chord X in the major key on Y's root (``V7/IV`` in C major is C7).

music21 only spells intervals here: its ``RomanNumeral`` reads the figures as diatonic
(``IV7`` = Fmaj7 in C, ``Imaj7`` = A7 in A minor) and applies ``b`` to the minor scale.
"""

from __future__ import annotations

import re
from functools import lru_cache

from litmash.domain.mashup import Chord
from litmash.knowledge.numerals import match as _parse

_DEGREES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7}
# Interval from the tonic to each degree of its major scale.
_MAJOR_STEPS = {1: "P1", 2: "M2", 3: "M3", 4: "P4", 5: "P5", 6: "M6", 7: "M7"}
# Degrees whose natural-minor interval differs from the major one.
_MINOR_STEPS = {3: "m3", 6: "m6", 7: "m7"}
_LOWERED = {1: "d1", 2: "m2", 3: "m3", 4: "d4", 5: "d5", 6: "m6", 7: "m7"}
_RAISED = {1: "A1", 2: "A2", 3: "A3", 4: "A4", 5: "A5", 6: "A6", 7: "A7"}

# Chord quality -> (intervals above the root, lead-sheet suffix).
_QUALITIES: dict[str, tuple[tuple[str, ...], str]] = {
    "major": (("P1", "M3", "P5"), ""),
    "minor": (("P1", "m3", "P5"), "m"),
    "diminished": (("P1", "m3", "d5"), "dim"),
    "augmented": (("P1", "M3", "A5"), "+"),
    "dominant7": (("P1", "M3", "P5", "m7"), "7"),
    "major7": (("P1", "M3", "P5", "M7"), "maj7"),
    "minor7": (("P1", "m3", "P5", "m7"), "m7"),
    "minor-major7": (("P1", "m3", "P5", "M7"), "mM7"),
    "half-diminished7": (("P1", "m3", "d5", "m7"), "ø7"),
    "diminished7": (("P1", "m3", "d5", "d7"), "dim7"),
    "augmented7": (("P1", "M3", "A5", "m7"), "+7"),
}


def _m21_key(key: str) -> tuple[str, str]:
    """'Bb major' -> ('B-', 'major'): music21's pitch name and the mode."""
    tonic, mode = key.split()
    return tonic[0] + tonic[1:].replace("b", "-"), mode


def _name(pitch) -> str:
    """A music21 pitch name in lead-sheet spelling ('B-' -> 'Bb')."""
    return pitch.name.replace("-", "b")


def _quality(upper: bool, qual: str, fig: str | None) -> str:
    if qual == "ø":
        return "half-diminished7"
    if qual == "o":
        return "diminished7" if fig else "diminished"
    if qual == "+":
        return "augmented7" if fig else "augmented"
    if fig == "maj7":
        return "major7" if upper else "minor-major7"
    if fig == "7":
        return "dominant7" if upper else "minor7"
    return "major" if upper else "minor"


def _root(m: re.Match, tonic, mode: str):
    """The music21 pitch a parsed numeral's root is in the key ``tonic`` ``mode``."""
    deg_text, acc = m["deg"], m["acc"]
    degree = _DEGREES[deg_text.lower()]
    if acc == "b":
        step = _LOWERED[degree]
    elif acc == "#":
        step = _RAISED[degree]
    elif mode == "minor" and deg_text.isupper():
        step = _MINOR_STEPS.get(degree, _MAJOR_STEPS[degree])
    else:
        step = _MAJOR_STEPS[degree]
    return tonic.transpose(step)


@lru_cache(maxsize=512)
def chord(roman: str, key: str) -> Chord:
    """The chord a Roman numeral names in ``key``, with its lead-sheet symbol and pitches."""
    from music21 import pitch

    tonic_name, mode = _m21_key(key)
    tonic = pitch.Pitch(tonic_name)
    primary, _, target = roman.partition("/")
    if target:
        # A secondary chord is read in the major key on its target's root.
        tonic, mode = _root(_parse(target), tonic, mode), "major"
    m = _parse(primary)
    root = _root(m, tonic, mode)
    intervals, suffix = _QUALITIES[_quality(m["deg"].isupper(), m["qual"], m["fig"])]
    pitches = [_name(root.transpose(i)) for i in intervals]
    return Chord(roman=roman, symbol=pitches[0] + suffix, pitches=pitches)


def progression(romans: list[str], key: str) -> list[Chord]:
    """Every Roman numeral of a progression as a Chord."""
    return [chord(r, key) for r in romans]
