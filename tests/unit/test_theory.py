"""Roman numerals -> chords with music21 (never trusted to the model)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from litmash.knowledge import knowledge
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
    # Lead-sheet reading: '7' on an upper-case numeral is a dominant seventh, 'maj7' a major one.
    ("I7", "C major", "C7", ["C", "E", "G", "Bb"]),
    ("IV7", "C major", "F7", ["F", "A", "C", "Eb"]),
    ("IVmaj7", "C major", "Fmaj7", ["F", "A", "C", "E"]),
    # In minor, upper-case III/VI/VII are natural minor; lower-case iii/vi/viio are raised.
    ("III", "A minor", "C", ["C", "E", "G"]),
    ("iii", "A minor", "C#m", ["C#", "E", "G#"]),
    ("vi7", "A minor", "F#m7", ["F#", "A", "C#", "E"]),
    ("viio", "A minor", "G#dim", ["G#", "B", "D"]),
    ("bVI", "Eb minor", "Cb", ["Cb", "Eb", "Gb"]),
])
def test_chord_symbol_and_pitches(roman, key, symbol, pitches):
    c = chord(roman, key)
    assert (c.roman, c.symbol, c.pitches) == (roman, symbol, pitches)


def test_progression_in_a_minor():
    assert [c.symbol for c in progression(["i", "iv", "V7"], "A minor")] == ["Am", "Dm", "E7"]


@pytest.mark.parametrize("key", ["C major", "A minor", "F# major", "Eb minor"])
def test_every_numeral_of_the_base_gives_a_named_chord(key):
    romans = {r for g in knowledge().genres.values() for p in g.progressions for r in p.roman}
    for roman in sorted(romans | {"viio", "iio", "bIII", "bVI", "bVII", "V/V", "V7/IV", "viiø7"}):
        c = chord(roman, key)
        assert c.symbol and "annot" not in c.symbol and "-" not in c.symbol, (roman, c.symbol)
        assert 3 <= len(c.pitches) <= 4, (roman, c.pitches)


def test_major_seventh_in_a_minor_key():
    assert chord("Imaj7", "A minor").pitches == ["A", "C#", "E", "G#"]
    assert chord("IVmaj7", "A minor").symbol == "Dmaj7"


def test_flat_degrees_in_a_minor_key():
    assert [c.symbol for c in progression(["bIII", "bVI", "bVII"], "A minor")] == ["C", "F", "G"]


@pytest.mark.parametrize(("key", "flat_seven"), [
    ("C major", "Bb"), ("A minor", "G"), ("F# major", "E"), ("Eb minor", "Db"), ("Gb major", "Fb"),
])
def test_flat_seven_is_the_major_triad_a_whole_step_below_the_tonic(key, flat_seven):
    c = chord("bVII", key)
    assert (c.symbol, c.pitches[0]) == (flat_seven, flat_seven)


def test_an_explanation_that_rewords_the_definition_gives_way_to_the_definition():
    from litmash.music.compose import compose
    from litmash.workflow.agents.theory_integrator import explanations_schema

    schema = explanations_schema(["syncopation"], compose(["jazz", "hip_hop"], "intermediate", 0), ["jazz", "hip_hop"])
    flipped = {"syncopation": "Accents placed on main beats, so rhythm pulls against the pulse."}
    with pytest.raises(ValidationError, match="in your own words"):
        schema.model_validate(flipped)
    own = {"syncopation": "In the chorus the snare lands just before the beat, so clap between the counts."}
    assert schema.model_validate(own).syncopation == own["syncopation"]
