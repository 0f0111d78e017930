"""The Roman numerals the genre files write (lead-sheet reading; ``litmash.music.theory`` spells them as chords)."""

from __future__ import annotations

import re

_NUMERAL = re.compile(r"(?P<acc>[b#]?)(?P<deg>VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)(?P<qual>[oø+]?)(?P<fig>maj7|7)?")


def match(numeral: str) -> re.Match:
    """The numeral's parts (accidental, degree, quality, figure), or ValueError."""
    m = _NUMERAL.fullmatch(numeral)
    if m is None:
        raise ValueError(f"not a Roman numeral litmash can read: {numeral!r}")
    return m


def parse_numeral(roman: str) -> None:
    """Raise ValueError unless litmash can read ``roman`` (a numeral, optionally '/' a numeral)."""
    primary, _, target = roman.partition("/")
    match(primary)
    if target:
        match(target)
