"""Request understanding by code: aliases, spellings, languages, joins, everyday words, unknown names."""

from __future__ import annotations

import subprocess
import sys

import pytest

from litmash.knowledge import closest, mentioned, resolve, search


@pytest.mark.parametrize(("text", "ids"), [
    ("Blend jazz and hip-hop for a high-school class", ["jazz", "hip_hop"]),
    ("Blend JAZZ and Hip Hop", ["jazz", "hip_hop"]),
    ("a rap and jazz lesson", ["hip_hop", "jazz"]),
    ("R&B meets gospel", ["rhythm_and_blues", "gospel"]),
    ("Mix bhangra with reggae for an online music lesson", ["bhangra", "reggae"]),
    ("jazz x k-pop for a class", ["jazz", "k_pop"]),
    ("jazz + k-pop", ["jazz", "k_pop"]),
    ("salsa meets techno", ["salsa", "techno"]),
    ("Música norteña y cumbia para la clase", ["norteno", "cumbia"]),
    ("Le jazz et le rap pour une classe de lycée", ["jazz", "hip_hop"]),
    ("Combine forro and rai", ["forro", "rai"]),  # no accents typed
    ("delta blues and drum and bass", ["delta_blues", "drum_and_bass"]),  # longest name wins
    ("Combine punk and folk, then soul, funk and jazz", ["punk", "folk", "soul", "funk", "jazz"]),
])
def test_names_in_any_case_spelling_language_and_join_resolve_in_order(text, ids):
    assert mentioned(text) == ids


@pytest.mark.parametrize("text", [
    "A pop quiz at a country school",
    "Write a rock-solid lesson plan with a fire drill",
    "Students swing their arms and feel the soul of the house",
])
def test_everyday_words_alone_name_no_genre(text):
    assert mentioned(text) == []


@pytest.mark.parametrize(("text", "ids"), [
    ("pop songs for a class", ["pop"]),
    ("house music for beginners", ["house"]),
    ("jazz and pop", ["jazz", "pop"]),        # joined to a genre that counts
    ("country, jazz and pop", ["country", "jazz", "pop"]),
])
def test_everyday_words_count_next_to_a_music_word_or_joined_to_a_genre(text, ids):
    assert mentioned(text) == ids


def test_hints_come_first_then_the_prompt_and_a_blend_holds_three():
    r = resolve("Blend jazz, hip hop and funk with salsa", ["Reggae"])
    assert r.ids == ("reggae", "jazz", "hip_hop")
    assert r.notices == ("a blend holds at most 3 genres; leaving out Funk, Salsa",)


def test_an_unknown_hint_gets_a_notice_naming_the_closest_genres():
    r = resolve("A lesson for year 9", ["hip hopp"])
    assert r.ids == ()
    (notice,) = r.notices
    assert notice.startswith("unknown genre 'hip hopp'; closest known: Hip hop")
    assert "completed from the genre base" in notice


def test_an_unknown_word_beside_meets_or_x_is_named():
    r = resolve("Hip hop meets vaporwave for a class")
    assert r.ids == ("hip_hop",)
    assert [n.split(";")[0] for n in r.notices] == ["unknown genre 'vaporwave'"]


def test_misspellings_find_their_genre_among_the_closest():
    assert closest("reggea")[0] == "Reggae"
    assert "Flamenco" in closest("flamenko")
    assert closest("zzzzqqq") == []


def test_resolution_is_the_same_in_every_process():
    code = "from litmash.knowledge import mentioned; print(mentioned('Combine punk and folk, then soul, funk and jazz'))"
    outs = {
        subprocess.run([sys.executable, "-c", code], env={"PYTHONHASHSEED": seed, "PATH": ""},
                       capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1


def test_search_finds_by_name_place_and_instrument_exact_match_first():
    assert search("hip hop")[0].id == "hip_hop"
    assert "reggae" in [g.id for g in search("jamaica")]
    assert "bhangra" in [g.id for g in search("dhol")]
    assert search("zzzzqqq") == []
