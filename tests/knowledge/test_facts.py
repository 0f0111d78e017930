"""The fact check: what the model's text names, compared with the base for this blend."""

from __future__ import annotations

import pytest

from litmash.knowledge.facts import claims, fact_problems

BLEND = ["jazz", "hip_hop"]


def bad(text: str) -> list[tuple[str, str]]:
    return [(c.kind, c.text) for c in claims(text, BLEND) if not c.ok]


def test_facts_from_the_base_are_consistent():
    text = ("Jazz began in New Orleans in the 1910s and hip hop in the Bronx in the 1970s. "
            "Listen to Louis Armstrong, then to Public Enemy's Fight the Power from 1989. "
            "Jazz adds the trumpet and hip hop the turntables.")
    found = claims(text, BLEND)
    assert {c.kind for c in found} == {"date", "place", "artist", "instrument"}
    assert all(c.ok for c in found), [c for c in found if not c.ok]


@pytest.mark.parametrize(("text", "expected"), [
    ("Hip hop began in 1980-24-30.", [("date", "1980-24-30")]),
    ("Jazz was born in 1850.", [("date", "1850")]),
    ("Hip hop grew up in the '30s.", [("date", "'30s")]),
    ("Jazz artists like Bob Marley shaped it.", [("artist", "bob marley")]),
    ("Hip hop pioneers such as Bop-Lahk Tawit rapped first.", [("artist", "Bop-Lahk Tawit")]),
    ("Hip hop began in Kingston, Jamaica.", [("place", "kingston")]),
    ("Jazz bands use the sitar.", [("instrument", "sitar")]),
])
def test_a_fact_the_base_contradicts_or_lacks_is_named(text, expected):
    assert set(expected) <= set(bad(text)), bad(text)


@pytest.mark.parametrize("text", [
    "Clap the backbeat for 2 minutes, then write 120 words.",
    "Students like Maya can lead the call and response.",  # 'like' + a first name the class has
    "Play the chords on the piano and sing the hook.",     # a classroom instrument for any genre
    "The class compares the groove at 90 bpm.",
])
def test_ordinary_lesson_text_names_no_fact(text):
    assert bad(text) == []


def test_problems_read_as_repair_instructions():
    (message,) = fact_problems("Jazz was born in 1850.", BLEND)
    assert message.startswith("names the date '1850', but the genre base dates Jazz to the 1890s")
    assert message.endswith("use only facts from the genre base")


@pytest.mark.parametrize(("text", "expected"), [
    ("Jazz comes from New Orleans in the late 18th century.", [("date", "18th century")]),
    ("I played jazz (1935-1940) in a band.", [("date", "1935")]),
])
def test_centuries_and_year_ranges_are_checked_too(text, expected):
    assert set(expected) <= set(bad(text)), bad(text)


def test_a_century_of_the_bases_decades_is_consistent():
    assert bad("Jazz grew up at the turn of the 20th century.") == []
