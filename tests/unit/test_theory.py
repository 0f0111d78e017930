"""Roman numerals -> chords with music21 (never trusted to the model)."""

from __future__ import annotations

import pytest

from litmash.models import ROMAN_NUMERALS
from litmash.music.theory import chord, progression


@pytest.mark.parametrize(("roman", "key", "symbol", "pitches"), [
    ("V7", "C major", "G7", ["G", "B", "D", "F"]),
    ("ii7", "Bb major", "Cm7", ["C", "Eb", "G", "Bb"]),
    ("viio", "F# major", "E#dim", ["E#", "G#", "B"]),
    ("viiø7", "C major", "Bø7", ["B", "D", "F", "A"]),
    ("V/V", "C major", "D", ["D", "F#", "A"]),
    ("V7/IV", "G major", "G7", ["G", "B", "D", "F"]),
    ("bVII", "C major", "Bb", ["Bb", "D", "F"]),
    ("iv", "Eb minor", "Abm", ["Ab", "Cb", "Eb"]),
    ("V7", "Eb minor", "Bb7", ["Bb", "D", "F", "Ab"]),
])
def test_chord_symbol_and_pitches(roman, key, symbol, pitches):
    c = chord(roman, key)
    assert (c.roman, c.symbol, c.pitches) == (roman, symbol, pitches)


def test_progression_in_a_minor():
    assert [c.symbol for c in progression(["i", "iv", "V7"], "A minor")] == ["Am", "Dm", "E7"]


@pytest.mark.parametrize("key", ["C major", "A minor", "F# major", "Eb minor"])
def test_every_allowed_numeral_gives_a_named_chord(key):
    for roman in ROMAN_NUMERALS:
        c = chord(roman, key)
        assert c.symbol and "annot" not in c.symbol and "-" not in c.symbol, (roman, c.symbol)
        assert 3 <= len(c.pitches) <= 4, (roman, c.pitches)


@pytest.mark.xfail(strict=True, reason="BUG: in minor keys 'Imaj7'/'IVmaj7' come out as dominant sevenths (A7, D7)")
def test_major_seventh_in_a_minor_key():
    assert chord("Imaj7", "A minor").pitches == ["A", "C#", "E", "G#"]
    assert chord("IVmaj7", "A minor").symbol == "Dmaj7"


@pytest.mark.xfail(strict=True, reason="BUG: in minor keys bIII/bVI/bVII are lowered twice (Cb, Fb, Gb in A minor)")
def test_flat_degrees_in_a_minor_key():
    assert [c.symbol for c in progression(["bIII", "bVI", "bVII"], "A minor")] == ["C", "F", "G"]
