"""Every scorer on a hand-made good mashup and on bad ones built to fail it."""

from __future__ import annotations

import re

import pytest

import litmash.evaluation.scorers as sc
from litmash.domain.song import Hook
from litmash.evaluation import Case, RunInfo, Score, registry, score_mashup
from litmash.language.readability import reading_grade

from ..support.fakes import default_request
from .conftest import build_mashup

INFO = RunInfo(seconds=60.0, time_limit=120.0)


def case(**expect) -> Case:
    return Case(id="jazz-hiphop", request=default_request(), expect=expect)


@pytest.fixture
def good():
    return build_mashup()


def test_good_mashup_passes_every_scorer(good):
    names = [n for n in registry if n != "lesson_judge"]  # the optional judge needs a judge backend
    scores = score_mashup(case(), good, INFO, names)
    assert set(scores) == set(names)
    failed = {n: s.detail for n, s in scores.items() if not s.passed}
    assert failed == {}
    assert all(s.value == 1.0 for s in scores.values())


def _fails(name, mashup, info=INFO, **expect) -> Score:
    s = score_mashup(case(**expect), mashup, info, [name])[name]
    assert not s.passed, s
    assert 0.0 <= s.value < 1.0
    return s


def test_structure_flags_placeholder_text(good):
    s = _fails("structure", good.model_copy(update={"title": "TODO"}))
    assert "placeholder" in s.detail


def test_structure_flags_a_missing_section(good):
    s = _fails("structure", good.model_copy(update={"cultural_context": good.cultural_context[:1]}))
    assert "cultural context" in s.detail


def test_schema_flags_text_beyond_the_agent_bounds(good):
    long_hook = Hook.model_construct(text="la " * 60, technique="repetition")
    s = _fails("schema", good.model_copy(update={"hooks": [long_hook, *good.hooks[1:]]}))
    assert "hooks: hooks.0.text String should have at most 100 characters" in s.detail


def test_genre_coverage_needs_every_requested_genre_in_the_blend(good):
    s = _fails("genre_coverage", good, genres=["jazz", "reggae"])
    assert s.detail == "'reggae' not in the blend"
    assert s.value == 0.5


def test_lyrics_name_genres_needs_every_requested_genre_in_the_lyrics(good):
    quiet = [x.model_copy(update={"lines": [re.sub(r"(?i)hip[- ]hop", "it", ln) for ln in x.lines]}) for x in good.lyrics]
    s = _fails("lyrics_name_genres", good.model_copy(update={"lyrics": quiet}))
    assert s.detail == "'hip_hop' not named in the lyrics"


def test_grounded_facts_counts_what_the_base_backs_and_names_the_rest(good):
    verse = next(s for s in good.lyrics if s.label == "verse")
    good = _swap(good, "verse", 1, ["From New Orleans brass to the Bronx on the beat", *verse.lines[1:]])
    ok = score_mashup(case(), good, INFO, ["grounded_facts"])["grounded_facts"]
    assert ok.passed and ok.detail.endswith("consistent")  # the lyrics name New Orleans and the Bronx
    wrong = good.genre_blend[0].model_copy(update={"role_in_blend": "Jazz was born in Chicago in 1850."})
    s = _fails("grounded_facts", good.model_copy(update={"genre_blend": [wrong, good.genre_blend[1]]}))
    assert "genre_blend: date '1850'" in s.detail and "genre_blend: place 'chicago'" in s.detail
    consistent, total = (int(x) for x in s.detail.split(" ")[0].split("/"))
    assert s.value == pytest.approx(consistent / total) and total - consistent == 2


def _swap(m, label: str, number: int, lines: list[str]):
    """The mashup with the ``number``-th section of ``label`` sung with other lines."""
    out, seen = [], 0
    for s in m.lyrics:
        seen += s.label == label
        out.append(s.model_copy(update={"lines": lines}) if s.label == label and seen == number else s)
    return m.model_copy(update={"lyrics": out})


def test_the_good_song_follows_the_music_form_with_the_hook_in_every_chorus(good):
    labels = [s.label for s in good.lyrics]
    assert labels == ["verse", "chorus", "verse", "chorus", "bridge", "chorus"]
    choruses = [s.lines for s in good.lyrics if s.label == "chorus"]
    assert choruses[0][0] == choruses[0][-1] == good.hooks[0].text and choruses.count(choruses[0]) == 3


def test_hooks_distinct_flags_near_duplicates_and_too_few(good):
    dup = Hook(text=good.hooks[0].text.replace(",", ";") + "!", technique="repetition")
    s = _fails("hooks_distinct", good.model_copy(update={"hooks": [good.hooks[0], dup, *good.hooks[2:]]}))
    assert good.hooks[0].text[:12] in s.detail
    assert "2 hook(s), want 3 to 5" in _fails("hooks_distinct", good.model_copy(update={"hooks": good.hooks[:2]})).detail


def test_lyrics_real_words_counts_words_not_in_the_dictionary(good):
    verse = next(s for s in good.lyrics if s.label == "verse")
    junk = [*verse.lines[:2], "Ba ba oshun ghiyabagor zemba kokoa", "Ezro amenu bambo kokoa ezro"]
    s = _fails("lyrics_real_words", _swap(good, "verse", 1, junk))
    assert "not words: oshun, ghiyabagor, kokoa, ezro, amenu, bambo" in s.detail  # 'zemba' is in CMUdict


def test_lyric_form_needs_the_form_the_hook_and_a_chorus_that_comes_back(good):
    once = [s for i, s in enumerate(good.lyrics) if not (s.label == "chorus" and i > 2)]
    s = _fails("lyric_form", good.model_copy(update={"lyrics": once}))
    assert "the form asks for" in s.detail
    chorus = next(s for s in good.lyrics if s.label == "chorus")
    changed = _swap(good, "chorus", 2, [*chorus.lines[:-1], "We sing along with all our friends"])
    assert "the chorus changes when it comes back" in _fails("lyric_form", changed).detail
    no_hook = [s.model_copy(update={"lines": s.lines[1:-1] * 2}) if s.label == "chorus" else s for s in good.lyrics]
    assert "the chorus does not sing the hook" in _fails("lyric_form", good.model_copy(update={"lyrics": no_hook})).detail
    verse = next(s for s in good.lyrics if s.label == "verse")
    echo = _swap(good, "verse", 2, verse.lines[:3] + [verse.lines[0]])
    assert "verse sings" in _fails("lyric_form", echo).detail


def test_lyric_form_finds_a_short_hook_the_melody_chants_twice(good):
    hook = good.hooks[0].model_copy(update={"text": "Improvisation"})
    chorus = [s.model_copy(update={"lines": ["Improvisation", *s.lines[1:-1], "Improvisation"]})
              if s.label == "chorus" else s for s in good.lyrics]
    music = good.music.model_copy(update={"hook_melody": good.music.hook_melody.model_copy(
        update={"text": "Improvisation, improvisation"})})
    m = good.model_copy(update={"hooks": [hook, *good.hooks[1:]], "lyrics": chorus, "music": music})
    assert score_mashup(case(), m, INFO, ["lyric_form"])["lyric_form"].passed


def test_singable_names_the_lines_off_their_syllable_target(good):
    verse = next(s for s in good.lyrics if s.label == "verse")
    long = "We sing and we clap and we dance all the way home from the school every single day"
    s = _fails("singable", _swap(good, "verse", 1, [*verse.lines[:3], long]))
    assert "(target 8)" in s.detail and "'We sing and we clap and we dan'" in s.detail


def test_rhyme_scheme_counts_perfect_slant_and_missing_rhymes(good):
    ok = score_mashup(case(), good, INFO, ["rhyme_scheme"])["rhyme_scheme"]
    assert ok.passed and "perfect" in ok.detail
    unrhymed = ["The jazz band plays a swinging beat", "The city sleeps beneath the snow",
                "Hip hop takes the break and spins it round", "We like the colour of the sky"]
    s = score_mashup(case(), _swap(_swap(good, "verse", 1, unrhymed), "verse", 2, unrhymed), INFO,
                     ["rhyme_scheme"])["rhyme_scheme"]
    assert "none" in s.detail and s.value < ok.value


def test_classroom_safety_flags_profanity(good):
    bad = Hook(text="This shit is a hook", technique="shock")
    s = _fails("classroom_safety", good.model_copy(update={"hooks": [bad, *good.hooks[1:]]}))
    assert "shit" in s.detail


def test_reading_level_against_the_band_of_the_level(good):
    s = score_mashup(case(), good, INFO, ["reading_level"])["reading_level"]
    assert "band 3-9 for intermediate" in s.detail and s.passed
    dense = good.teaching_guide.model_copy(update={"discussion_questions": [
        "Consequently, how might interdisciplinary musicological considerations problematise authenticity "
        "characterisations?" for _ in range(3)]})
    s = _fails("reading_level", good.model_copy(update={"teaching_guide": dense}), level="beginner")
    assert "band 0-6 for beginner" in s.detail
    assert reading_grade("The cat sat. The dog ran. We sang.") < 2


def test_lesson_timing_must_add_up(good):
    plan = [*good.teaching_guide.lesson_plan[:-1]]
    short = good.teaching_guide.model_copy(update={"lesson_plan": plan})
    s = _fails("lesson_timing", good.model_copy(update={"teaching_guide": short}))
    total, last = 45, good.teaching_guide.lesson_plan[-1].minutes
    assert s.detail == f"steps add up to {total - last} min; lesson 45 min; requested 45 min"
    assert s.value == pytest.approx(1 - last / 45, abs=1e-4)


def test_generation_time_against_the_limit(good):
    s = _fails("generation_time", good, RunInfo(seconds=150.0, time_limit=120.0))
    assert s.value == 0.8
    assert score_mashup(case(), good, RunInfo(seconds=120.0), ["generation_time"])["generation_time"].passed


def test_required_scorers_decide_success():
    assert "generation_time" not in sc.required_scorers() and "structure" in sc.required_scorers()
    assert {"reading_level", "lesson_timing", "standards_valid", "objectives_bloom", "guide_real_words"} <= set(
        sc.required_scorers())
    ok, bad = Score(value=1, passed=True), Score(value=0, passed=False)
    assert sc.is_success(True, {"structure": ok, "reading_level": bad}, ["structure"])
    assert not sc.is_success(True, {"structure": bad}, ["structure"])
    assert not sc.is_success(True, {}, ["structure"])  # a required scorer that did not run
    assert not sc.is_success(False, {"structure": ok}, ["structure"])


@pytest.fixture
def scratch_registry():
    """The registry as it was once the test ends (a test's own scorers are dropped)."""
    saved = dict(sc.registry)
    yield sc.registry
    sc.registry.clear()
    sc.registry.update(saved)


def test_a_registered_scorer_plugs_in_by_name(good, scratch_registry):

    @sc.register("title_length", required=False)
    def title_length(case, m, info):
        """Short titles."""
        return Score(value=1.0 if len(m.title) < 60 else 0.0, passed=len(m.title) < 60)

    scores = score_mashup(case(), good, INFO)
    assert scores["title_length"] == Score(name="title_length", value=1.0, passed=True)
    assert sc.registry["title_length"].description == "Short titles."


def test_a_scorer_that_raises_fails_with_the_error(good, scratch_registry):
    sc.register("broken")(lambda case, m, info: 1 / 0)
    s = score_mashup(case(), good, INFO, ["broken"])["broken"]
    assert not s.passed and "ZeroDivisionError" in s.detail


# --------------------------------------------------------------------------- the teaching guide


def _guide(good, **updates):
    return good.model_copy(update={"teaching_guide": good.teaching_guide.model_copy(update=updates)})


def test_standards_valid_refuses_an_invented_code(good):
    ref = good.teaching_guide.standards[0].model_copy(update={"code": "MU:Cr9.9.5z"})
    s = _fails("standards_valid", _guide(good, standards=[ref, *good.teaching_guide.standards[1:]]))
    assert "MU:Cr9.9.5z is a real NCAS music code" in s.detail


def test_standards_valid_refuses_a_real_code_at_another_grade(good):
    grade = good.teaching_guide.grade
    other = "MU:Re7.2.2a" if grade != "2" else "MU:Re7.2.3a"
    ref = good.teaching_guide.standards[0].model_copy(update={"code": other})
    s = _fails("standards_valid", _guide(good, standards=[ref]))
    assert f"{other} is at the lesson's grade {grade}" in s.detail


def test_standards_valid_needs_a_standard(good):
    s = _fails("standards_valid", _guide(good, standards=[]))
    assert "cites at least one standard" in s.detail


def test_objectives_bloom_needs_bloom_verbs_and_one_at_apply(good):
    objs = [o.model_copy(update={"text": "Understand swing", "bloom": None}) for o in good.teaching_guide.objectives]
    s = _fails("objectives_bloom", _guide(good, objectives=objs))
    assert "'Understand swing' opens with a Bloom verb" in s.detail and "an objective at Apply or above" in s.detail


def test_objectives_bloom_needs_every_step_to_serve_an_objective(good):
    steps = [st.model_copy(update={"objective": None}) for st in good.teaching_guide.lesson_plan]
    s = _fails("objectives_bloom", _guide(good, lesson_plan=steps))
    assert "names the objective it serves" in s.detail


def test_guide_real_words_counts_invented_words(good):
    gibberish = "a_baba oshun ghiyabagor bambo kokoa ezro amenu zemba"
    steps = [st.model_copy(update={"description": gibberish}) for st in good.teaching_guide.lesson_plan]
    s = _fails("guide_real_words", _guide(good, lesson_plan=steps, discussion_questions=[gibberish] * 3,
                                          key_points=[gibberish] * 3))
    assert s.detail.endswith("real words")


def test_approach_prose_flags_a_template_echo_and_passes_the_lesson_template(good):
    from litmash.pedagogy.approach import template_approach

    echo = "[Your teaching style, which includes using dates from the genre base such as 18th century."
    bad = good.model_copy(update={"educational_content": good.educational_content.model_copy(
        update={"teaching_approach": echo})})
    s = _fails("approach_prose", bad)
    assert "18th century" in s.detail or "bracket" in s.detail
    fixed = bad.model_copy(update={"educational_content": bad.educational_content.model_copy(
        update={"teaching_approach": template_approach("classroom", ["jazz", "hip_hop"]), "approach_source": "data"})})
    ok = score_mashup(case(), fixed, INFO, ["approach_prose"])["approach_prose"]
    assert ok.passed and ok.detail == "the lesson template's approach"


def test_schema_checks_only_the_educational_agent_s_own_part(good):
    # the guide's objectives and keywords replace the agent's goals and vocabulary: the teacher's
    # five objectives stay five, two keywords stay two
    edu = good.educational_content.model_copy(update={
        "learning_goals": [f"Objective {i}" for i in range(5)], "vocabulary": ["beat", "hook"]})
    ok = score_mashup(case(), good.model_copy(update={"educational_content": edu}), INFO, ["schema"])["schema"]
    assert ok.passed, ok.detail
    long = edu.model_copy(update={"teaching_approach": "Learners clap and sing. " * 20})
    s = _fails("schema", good.model_copy(update={"educational_content": long}))
    assert s.detail.startswith("educational_content: teaching_approach")


def test_the_teacher_s_own_objective_is_not_the_model_s_language(good):
    from litmash.domain.request import MashupRequest

    request = MashupRequest(user_prompt="Teach my class about reggae", learning_objectives=["Clap the offbeat skank"])
    edu = good.educational_content.model_copy(update={"learning_goals": ["Clap the offbeat skank", "Sing along"]})
    m = good.model_copy(update={"request": request, "educational_content": edu})
    assert score_mashup(case(), m, INFO, ["classroom_safety"])["classroom_safety"].passed
    hooks = [good.hooks[0].model_copy(update={"text": "Clap the offbeat skank"}), *good.hooks[1:]]
    assert "skank" in _fails("classroom_safety", good.model_copy(update={"hooks": hooks})).detail
