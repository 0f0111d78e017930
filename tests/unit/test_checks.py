"""checks.py on hand-made good and bad drafts."""

from __future__ import annotations

import pytest

from litmash.domain.song import Hook, HookSet, Lyrics, LyricSection
from litmash.knowledge import knowledge, mentioned
from litmash.workflow import api, checks

from ..support.fakes import GENRE_ANALYSIS, LYRICS, default_request, draft_state, duplicate_hooks


def problems(**changes):
    """find_problems on the default draft with some sections replaced."""
    s = draft_state(changes.pop("request", None)) | changes
    return [(p.section, p.message) for p in checks.find_problems(
        s["request"], s["educational"], s["genres"], s["hooks"], s["lyrics"], s["theory"], s["teaching"])]


def test_default_draft_has_no_problems():
    assert problems() == []


@pytest.mark.parametrize("text", [
    "Lorem ipsum dolor sit amet", "TODO: write the hook", "Genre 1", "artist2", "<your hook here>",
    "[insert title]", "string", "  N/A ", "...", "TBD",
])
def test_placeholder_texts_are_found(text):
    assert checks.placeholder_texts({"a": ["fine words", text]}) == [text]


@pytest.mark.parametrize("text", ["Swing it low, let the bassline flow", "A to-do list for the band",
                                  "The string section swells", "Hook it up (jazz!)"])
def test_real_content_is_not_a_placeholder(text):
    assert checks.placeholder_texts(text) == []


def test_placeholder_in_a_section_is_reported_there():
    hooks = HookSet(title="Placeholder title", hooks=duplicate_hooks().hooks[1:] + [Hook(text="hook 3", technique="rhyme")])
    found = problems(hooks=hooks)
    assert ("hooks", "placeholder text instead of content: 'Placeholder title'") in found
    assert ("hooks", "placeholder text instead of content: 'hook 3'") in found


def test_classroom_unsafe_word_is_reported():
    lyrics = LYRICS.model_copy(update={"sections": [
        *LYRICS.sections[:2], LyricSection(label="chorus", lines=["Jazz and hip hop", "What the hell is that beat"])]})
    assert problems(lyrics=lyrics) == [("lyrics", "language not safe for a classroom: 'What the hell is that beat'")]
    assert checks.unsafe_texts(["Swing it low", "Count Basie"]) == []


@pytest.mark.parametrize(("text", "unsafe"), [
    ("sh1t happens", True), ("d@mn", True), ("f*ck", True), ("Count Basie", False),
    ("class assessment", False), ("Scunthorpe", False), ("Hell's Kitchen blues", False),
])
def test_word_list_catches_leetspeak_and_spares_innocent_words(text, unsafe):
    assert checks.is_unsafe(text) is unsafe


def test_requested_genre_missing_from_blend():
    req = default_request(user_prompt="Blend jazz and reggae for a high-school class")
    assert problems(request=req) == [("genre_blend", "the requested genre 'Reggae' is missing from the blend")]


def test_genre_hint_counts_as_requested():
    req = default_request(genres=["Hip-Hop", "Blues"])
    assert checks.requested_genres(req) == ["hip_hop", "blues", "jazz"]
    assert ("genre_blend", "the requested genre 'Blues' is missing from the blend") in problems(request=req)


def test_requested_genre_missing_from_lyrics():
    lyrics = Lyrics(sections=[LyricSection(label=s.label, lines=[ln.replace("Jazz", "Brass").replace("jazz", "brass")
                                                                  for ln in s.lines]) for s in LYRICS.sections])
    assert problems(lyrics=lyrics) == [("lyrics", "the lyrics never mention 'Jazz', a requested genre")]


def test_same_genre_twice_in_blend():
    genres = GENRE_ANALYSIS.model_copy(update={"genres": [
        GENRE_ANALYSIS.genres[0], GENRE_ANALYSIS.genres[1], GENRE_ANALYSIS.genres[1].model_copy(update={"name": "Hip-Hop"})]})
    assert problems(genres=genres) == [
        ("genre_blend", "genres 'hip_hop' and 'hip_hop' are the same; blend different genres")]


def test_a_fact_the_base_does_not_back_goes_back_to_the_section_that_named_it():
    s = draft_state()
    teaching = s["teaching"].model_copy(update={"discussion_questions": [
        *s["teaching"].discussion_questions[:2], "Why did jazz begin in Chicago in 1850?"]})
    found = problems(teaching=teaching)
    assert [sec for sec, _ in found] == ["teaching_guide", "teaching_guide"]
    assert found[0][1].startswith("names the date '1850', but the genre base dates Jazz to the 1890s")
    assert found[1][1].startswith("names the place 'chicago', but the genre base gives New Orleans")


def test_duplicate_hooks():
    found = problems(hooks=duplicate_hooks())
    assert [s for s, _ in found] == ["hooks"]
    assert "make every hook distinct" in found[0][1]


@pytest.mark.parametrize(("a", "b", "dup"), [
    ("Call it out", "call it out!", True),
    ("Swing it low, let the bassline flow", "Swing it low, let the bass line flow", True),
    ("Swing it low", "Clap on the backbeat", False),
])
def test_duplicates_ignores_case_and_punctuation(a, b, dup):
    assert bool(checks.duplicates([a, b])) is dup


def test_missing_chorus():
    lyrics = Lyrics(sections=[s for s in LYRICS.sections if s.label != "chorus"])
    assert problems(lyrics=lyrics) == [("lyrics", "no chorus section; label one section 'chorus'")]


def test_lesson_minutes_must_add_up():
    teaching = draft_state()["teaching"].model_copy(update={"lesson_minutes": 60})
    assert problems(teaching=teaching) == [
        ("teaching_guide", "lesson steps add up to 45 minutes, not the 60-minute lesson")]


def test_repeated_question_and_goal_and_concept():
    s = draft_state()
    teaching = s["teaching"].model_copy(update={"discussion_questions": [*s["teaching"].discussion_questions[:2],
                                                                         s["teaching"].discussion_questions[0]]})
    edu = s["educational"].model_copy(update={"learning_goals": [s["educational"].learning_goals[0]] * 2})
    theory = s["theory"].model_copy(update={"concepts": [s["theory"].concepts[0]] * 2})
    assert [sec for sec, _ in problems(teaching=teaching, educational=edu, theory=theory)] == [
        "theory_analysis", "teaching_guide", "educational_content"]


def test_every_section_maps_to_an_agent():
    from litmash.domain.mashup import SECTIONS
    from litmash.workflow.graph import AGENTS

    assert set(checks.SECTION_AGENT) == set(SECTIONS)
    assert set(checks.SECTION_AGENT.values()) <= set(AGENTS)


def test_common_words_are_not_requested_genres():
    req = default_request(user_prompt="Blend jazz and hip-hop for a small country school and end with a pop quiz")
    assert checks.requested_genres(req) == ["jazz", "hip_hop"]


@pytest.mark.parametrize(("text", "genres"), [
    ("Mix rock and jazz", ["rock", "jazz"]),
    ("Blend Hip-Hop and Pop", ["hip_hop", "pop"]),
    ("jazz & pop for grade 7", ["jazz", "pop"]),
    ("Blend jazz, soul and funk", ["jazz", "soul", "funk"]),
    ("pop music meets reggae", ["pop", "reggae"]),
    ("trap beats over a swing groove", ["trap", "swing"]),
    ("rock and pop songs", ["rock", "pop"]),  # 'rock' is vouched for through 'pop songs'
    ("After the fire drill, a rock climbing trip and a house party", []),
    ("soul searching on the swing set at the country fair", []),
    ("swing and rock on the chairs", []),  # two everyday words joined are still everyday words
    ("a field trip to the opera house", ["opera"]),
])
def test_everyday_word_genres_count_only_in_a_music_context(text, genres):
    assert mentioned(text) == genres


def test_genre_hints_always_count_even_if_everyday_words():
    req = default_request(user_prompt="Jazz for a pop quiz", genres=["pop"])
    assert checks.requested_genres(req) == ["pop", "jazz"]


def test_everyday_words_are_marked_in_the_genre_base():
    kb = knowledge()
    marked = {w.lower() for g in kb.genres.values() for w in g.everyday_words}
    assert {"pop", "country", "rock", "drill", "house"} <= marked
    assert not kb.get("jazz").everyday_words


def test_mashup_problems_rechecks_a_finished_mashup(backend, settings):
    m = api.generate(default_request(), settings, backend=backend, persist=False)
    assert checks.find_problems(m.request, *checks.mashup_sections(m).values()) == []
    broken = m.model_copy(update={"hooks": duplicate_hooks().hooks, "lyrics": LYRICS.sections[:2]})
    assert sorted({p.section for p in checks.find_problems(broken.request, *checks.mashup_sections(broken).values())}) == ["hooks", "lyrics"]


@pytest.mark.parametrize("text", [
    "Piano and Hammond organ accompaniment", "The funde's two-stroke heartbeat pulse",
    "A meter that groups beats unevenly, such as 5/4 or 7/8.", "Songs of love and longing for God",
    "Phasing, as in Steve Reich's music", "Doo-wop harmonies and a honky-tonk piano",
])
def test_music_words_are_not_flagged_by_the_classroom_word_list(text):
    assert not checks.is_unsafe(text)


@pytest.mark.parametrize("text", ["you're just another fuck-up on top", "Barefoot bitch", "the Sex Pistols",
                                  "organ shit"])
def test_the_classroom_word_list_still_flags_what_it_should(text):
    assert checks.is_unsafe(text)


def test_only_the_words_the_model_wrote_in_the_guide_count_as_model_strings():
    from ..support.fakes import draft_state

    guide = draft_state()["teaching"]
    strings_ = checks.section_strings(guide)
    assert guide.discussion_questions[0] in strings_
    assert not any(m in strings_ for m in guide.materials)  # code's, from the genre base
    listen = next(s for s in guide.lesson_plan if s.phase == "listen")
    assert listen.description_source == "template" and listen.description not in strings_
