"""The lesson skeleton by code: minutes, objectives, standards, grade bands, text checks and quiz rules."""

from __future__ import annotations

import re

import pytest

from litmash.domain.request import MashupRequest
from litmash.pedagogy import quiz
from litmash.pedagogy.bloom import at_least, level_of, measurable
from litmash.pedagogy.data import Template, lessons
from litmash.pedagogy.grade import grade_band, stated_grade
from litmash.pedagogy.lesson import assemble, build
from litmash.pedagogy.standards import catalogue, code_for, grade_of, select, valid, well_formed
from litmash.pedagogy.text import READING_BANDS, allowed_words, problems, real_word_share
from litmash.pedagogy.timing import allocate
from litmash.present.lesson import lesson_markdown

from ..support.fakes import default_request, draft_music

TEMPLATES = sorted(lessons().templates)
BLEND = ["jazz", "hip_hop"]


# --------------------------------------------------------------------------- minutes


@pytest.mark.parametrize("context", TEMPLATES)
def test_minutes_add_up_exactly_for_every_length_and_template(context):
    template = lessons().templates[context]
    for minutes in range(10, 241):
        plan = allocate(template, minutes)
        assert sum(m for _, m in plan) == minutes, (context, minutes)
        assert all(m >= p.min for p, m in plan)
        kept = {p.id for p, _ in plan}
        assert {p.id for p in template.phases if p.priority == 1} <= kept  # the essentials always stay
        order = [p.id for p in template.phases if p.id in kept]
        assert [p.id for p, _ in plan] == order  # phases keep the template's order


@pytest.mark.parametrize("context", TEMPLATES)
def test_short_lessons_drop_the_least_essential_phases_first(context):
    template = lessons().templates[context]
    full = {p.id for p, _ in allocate(template, 240)}
    short = {p.id for p, _ in allocate(template, 10)}
    assert full == {p.id for p in template.phases}
    dropped = [p for p in template.phases if p.id not in short]
    assert dropped and all(p.priority > 1 for p in dropped)


@pytest.mark.parametrize("minutes", [9, 241])
def test_a_length_out_of_range_names_the_field(minutes):
    with pytest.raises(ValueError, match=f"lesson_minutes must be 10-240, got {minutes}"):
        allocate(lessons().templates["classroom"], minutes)


def test_a_template_whose_essentials_do_not_fit_ten_minutes_is_refused():
    data = lessons().templates["classroom"].model_dump()
    for phase in data["phases"]:
        phase["priority"], phase["min"] = 1, 5
    with pytest.raises(ValueError, match="more than the 10-minute minimum"):
        Template.model_validate(data)


# --------------------------------------------------------------------------- Bloom


@pytest.mark.parametrize(("objective", "level"), [
    ("Identify the backbeat", "remember"), ("Explain swing", "understand"), ("Perform the chorus", "apply"),
    ("Analyse the groove", "analyse"), ("analyze the groove", "analyse"), ("Evaluate a performance", "evaluate"),
    ("Compose a hook", "create"), ("Understand syncopation", None), ("syncopation", None), ("", None),
])
def test_bloom_level_of_the_opening_verb(objective, level):
    assert level_of(objective) == level


@pytest.mark.parametrize(("teacher", "measurable_text"), [
    ("Understand syncopation", "Explain syncopation"),
    ("Students will be able to compose a hook", "Compose a hook"),
    ("Know the twelve-bar blues", "Identify the twelve-bar blues"),
    ("learn about swing", "Describe swing"),
    ("Respect cultural origins", "Describe cultural origins and how to use borrowed music respectfully"),
    ("Perform the chorus.", "Perform the chorus"),
    ("syncopation", "Explain syncopation"),
])
def test_vague_objectives_are_rewritten_with_a_bloom_verb(teacher, measurable_text):
    assert measurable(teacher) == measurable_text
    assert level_of(measurable(teacher)) is not None


def test_an_objective_at_apply_or_above_is_added_when_the_teacher_gave_none():
    req = default_request(learning_objectives=["Understand syncopation", "Respect cultural origins"])
    s = build(req, draft_music(req), BLEND, ["swing"])
    assert [o.source for o in s.objectives] == ["teacher", "teacher", "code"]
    assert [o.original for o in s.objectives[:2]] == ["Understand syncopation", "Respect cultural origins"]
    assert at_least(s.objectives[-1].bloom, "apply") and not at_least(s.objectives[0].bloom, "apply")


def test_code_writes_objectives_when_the_teacher_gave_none():
    req = default_request(learning_objectives=[], skill_level="advanced")
    objs = build(req, draft_music(req), BLEND, ["swing"]).objectives
    assert [o.bloom for o in objs] == ["understand", "analyse", "create"] and {o.source for o in objs} == {"code"}


# --------------------------------------------------------------------------- standards


def test_every_catalogue_code_matches_the_ncas_pattern():
    pattern = re.compile(r"^MU:(Cr|Pr|Re|Cn)\d{1,2}\.\d\.(K|[1-8]|E\.(5|8|I|II|III))[a-c]$")
    codes = list(catalogue())
    assert len(codes) > 200 and all(pattern.match(c) and well_formed(c) for c in codes)
    assert {"MU:Cr1.1.5a", "MU:Pr4.2.Ka", "MU:Re7.1.E.IIa", "MU:Cn11.0.8a"} <= set(codes)


@pytest.mark.parametrize("code", ["MU:Cr1.1.6b", "MU:Cn11.0.E.Ia", "MU:Cr9.9.5a", "MU:Cr1.1.9a", "VA:Cr1.1.5a",
                                  "MU:Cr1.1.5", "mu:cr1.1.5a"])
def test_invented_malformed_or_uncatalogued_codes_are_not_valid(code):
    assert not valid(code)


@pytest.mark.parametrize("grade", ["K", "1", "2", "3", "4", "5", "6", "7", "8", "E.I", "E.II", "E.III"])
def test_standards_are_selected_at_each_grade_band_in_process_order(grade):
    codes = select(["Re7.2", "Cr2.1", "Pr6.1", "Cn11.0", "Re7.2"], grade)
    assert all(valid(c) and grade_of(c) == grade for c in codes)
    assert [c.split(":")[1][:2] for c in codes] == (["Cr", "Pr", "Re"] + ([] if grade.startswith("E.") else ["Cn"]))


def test_a_standard_the_catalogue_lacks_at_a_grade_is_left_out():
    assert code_for("Cn11.0", "E.II") is None and code_for("Cn11.0", "4") == "MU:Cn11.0.4a"


@pytest.mark.parametrize(("level", "grade_or_age", "prompt", "band"), [
    ("intermediate", None, "Blend jazz and hip-hop for a high-school class", "E.I"),
    ("advanced", None, "for my high school band", "E.II"),
    ("intermediate", "5th grade", "x", "5"),
    ("beginner", "grade 10", "x", "E.I"),
    ("intermediate", "ages 8-10", "x", "3"),
    ("intermediate", None, "a song for year 9 pupils", "8"),
    ("intermediate", None, "middle school band", "7"),
    ("beginner", None, "for kindergarten", "K"),
    ("beginner", None, "Blend reggae and salsa", "5"),
    ("intermediate", None, "Blend reggae and salsa", "8"),
    ("advanced", None, "Blend reggae and salsa", "E.I"),
])
def test_grade_band_from_the_stated_grade_the_prompt_or_the_level(level, grade_or_age, prompt, band):
    assert grade_band(level, grade_or_age, prompt) == band


def test_stated_grade_is_none_when_nothing_says_it():
    assert stated_grade("Blend jazz and hip-hop") is None


# --------------------------------------------------------------------------- text checks


KNOWN = allowed_words(BLEND)


@pytest.mark.parametrize(("text", "reason"), [
    ("It must contain exactly 2 placeholders represented by square brackets.", "repeats the instructions"),
    ("Reply with JSON that lists the steps of the lesson.", "repeats the instructions"),
    ("Learners clap the [GROOVE NAME] pattern with the teacher.", "placeholder"),
    ("Learners clap the {groove} pattern with the teacher.", "placeholder"),
    ("TODO: describe the warm-up for the class here.", "placeholder"),
    ("Play a jazz record from 1959 and clap along with it.", "leave out the year '1959'"),
    ("a_baba oshun ghiyabagor bambo kokoa ezro amenu zemba", "not an English word"),
    ("Compare the groove with reggae and clap along.", "names Reggae"),
    ("Clap.", "at least 5 words"),
    ("Consequently, interdisciplinary musicological considerations problematise characterisations of "
     "authenticity in contemporaneous improvisational historiography.", "reading grade"),
])
def test_lesson_text_problems(text, reason):
    found = problems(text, "intermediate", BLEND, KNOWN)
    assert any(reason in p for p in found), found


def test_plain_lesson_text_passes():
    assert problems("Learners clap the Am7–Dm7 chords at 98 BPM while the teacher counts the beat.",
                    "intermediate", BLEND, KNOWN) == []


def test_real_word_share_counts_every_occurrence():
    assert real_word_share("zorp zorp zorp the beat", KNOWN) == pytest.approx(1 - 3 / 5)
    assert real_word_share("Analyse the Am7 chord at 98 BPM in the mashup", KNOWN) == 1.0


# --------------------------------------------------------------------------- quizzes


@pytest.mark.parametrize(("question", "answer", "distractors", "problem"), [
    ("Which is a chord?", "C major", ["G major"], "exactly 2 distractors"),
    ("Which is a chord?", "C major", ["C major", "G major"], "repeats"),
    ("Which is a chord?", "C major", ["G major", "All of the above"], "all/none of the above"),
    ("Which is not a chord?", "C major", ["G major", "D minor"], "negative question"),
    ("Which one isn't a chord?", "C major", ["G major", "D minor"], "negative question"),
    ("Which is a chord?", "C", ["a very long distractor sentence", "G major"], "differ too much in length"),
])
def test_quiz_rules(question, answer, distractors, problem):
    assert any(problem in p for p in quiz.rule_problems(question, answer, distractors))


def test_generated_quizzes_follow_the_rules_and_have_one_correct_answer():
    req = default_request()
    music = draft_music(req)
    s = build(req, music, BLEND, ["swing", "seventh_chords"])
    assert len(s.starter_quiz) == 3 and len(s.exit_quiz) == 3
    for q in [*s.starter_quiz, *s.exit_quiz]:
        assert quiz.rule_problems(q.question, q.answer, q.distractors) == []
        assert q.options().count(q.answer) == 1 and sorted(q.options()) == sorted([q.answer, *q.distractors])
    key = s.exit_quiz[0]
    assert key.answer == music.key and music.key not in key.distractors


def test_the_answer_is_not_always_the_first_option():
    s = build(default_request(), draft_music(), BLEND, ["swing", "seventh_chords"])
    positions = {q.options().index(q.answer) for q in [*s.starter_quiz, *s.exit_quiz]}
    assert len(positions) > 1


# --------------------------------------------------------------------------- the whole guide


@pytest.mark.parametrize("context", TEMPLATES)
@pytest.mark.parametrize("minutes", [10, 20, 45, 120, 240])
def test_every_context_and_length_gives_a_complete_guide(context, minutes):
    req = MashupRequest(user_prompt="Blend jazz and hip-hop for a 5th grade class", educational_context=context,
                        lesson_minutes=minutes)
    guide = assemble(build(req, draft_music(req), BLEND, ["swing"]), {})
    assert sum(s.minutes for s in guide.lesson_plan) == guide.lesson_minutes == minutes
    assert guide.grade == "5" and guide.standards and all(valid(s.code) for s in guide.standards)
    assert all(s.objective and 1 <= s.objective <= len(guide.objectives) for s in guide.lesson_plan)
    assert len(guide.activities) == 2 and len(guide.discussion_questions) == 3
    assert all(s.description_source == "template" and "{" not in s.description for s in guide.lesson_plan)


def test_the_markdown_lesson_plan_is_printable():
    req = default_request(learning_objectives=["Understand syncopation"])
    guide = assemble(build(req, draft_music(req), BLEND, ["swing"]), {})
    md = "\n".join(lesson_markdown(guide))
    for heading in ("### Objectives", "### Standards", "### Materials", "### Steps", "### Differentiation",
                    "### Starter quiz", "### Exit quiz", "### Rubric", "### Assessment"):
        assert heading in md
    assert "1. Explain syncopation *(understand)*" in md
    assert f"| **{req.minutes}** of {req.minutes} |" in md
    assert re.search(r"\*Answers: starter 1[abc], 2[abc], 3[abc]; exit 1[abc], 2[abc], 3[abc]\.\*", md)


@pytest.mark.parametrize("context", TEMPLATES)
def test_every_genre_of_the_base_fills_every_template_validly(context):
    from litmash.knowledge import knowledge
    from litmash.music.compose import compose

    kb = knowledge()

    def listening(g):
        return len(g.listening[0].artist + g.listening[0].title) if g.listening else 0

    # three-genre blends with the longest first listening examples of the base
    longest = [g.id for g in sorted(kb.genres.values(), key=listening, reverse=True)[:3]]
    for gid in kb.genres:
        blend = [gid, *[x for x in longest if x != gid][:2]]
        req = MashupRequest(user_prompt="Blend two genres", educational_context=context, lesson_minutes=240,
                            skill_level="advanced")  # the longest descriptions
        guide = assemble(build(req, compose(blend, "advanced", 0), blend, []), {})  # raises when a field overflows
        assert all("{" not in s.description for s in guide.lesson_plan), gid


@pytest.mark.parametrize("context", TEMPLATES)
def test_advanced_learners_get_more_to_analyse_and_a_guide_in_their_reading_band(context):
    plain = default_request(educational_context=context, skill_level="intermediate")
    hard = default_request(educational_context=context, skill_level="advanced")
    easy, rich = (assemble(build(r, draft_music(r), BLEND, ["swing"]), {}) for r in (plain, hard))
    for a, b in zip(easy.lesson_plan, rich.lesson_plan, strict=True):
        assert b.description.startswith(a.description) and len(b.description) > len(a.description)
    assert rich.reading_grade > easy.reading_grade and READING_BANDS["advanced"][0] <= rich.reading_grade


def test_ten_objectives_of_the_longest_allowed_length_still_make_a_valid_guide():
    long = "Understand " + "how the syncopated bass line and the swung ride cymbal interact " * 3
    req = default_request(learning_objectives=[long[:200].strip()] * 10)
    guide = assemble(build(req, draft_music(req), BLEND, ["swing"]), {})
    assert len(guide.objectives) == 11 and len(guide.rubric) == 11  # ten rewritten, one added at Apply
    assert all(o.text.startswith("Explain how the syncopated") for o in guide.objectives[:10])


def test_a_question_the_guide_cannot_hold_is_refused_in_the_reply():
    # a 150-character question passed the reply's check and then broke the guide (a failed run)
    from litmash.domain.lesson import TeachingGuide
    from litmash.pedagogy.lesson import build
    from litmash.workflow.agents.teaching_guide import lesson_schema

    from ..support.fakes import default_request, draft_music

    schema = lesson_schema(build(default_request(), draft_music(), ["jazz", "hip_hop"], ["swing"]), ["jazz", "hip_hop"])
    question = schema.model_json_schema()["properties"]["question_1"]
    held = TeachingGuide.model_json_schema()["properties"]["discussion_questions"]["items"]
    assert question["maxLength"] <= held["maxLength"]


@pytest.mark.parametrize(("text", "reason"), [
    ("It's clear that the reviewer understands the topic and has a broad perspective on the subject matter.",
     "talks about the conversation"),
    ("How did Louis Armstrong's 30th birthday party fit into this song?", "'30th'"),
    ("In my previous response, I used the word pearl to describe how the class sings the chorus.", "themselves"),
    ("The students create their own loops from the song, which can take from three to five days.", "longer than a lesson"),
])
def test_lesson_text_about_a_reviewer_or_an_invented_anniversary_is_refused(text, reason):
    from litmash.pedagogy.text import allowed_words, problems

    assert any(reason in p for p in problems(text, "intermediate", ["jazz", "hip_hop"], allowed_words(["jazz", "hip_hop"])))


def test_a_step_must_use_its_own_words_not_just_the_title_s_article():
    from litmash.music.compose import compose
    from litmash.pedagogy.lesson import build
    from litmash.workflow.agents.teaching_guide import lesson_schema

    from ..support.fakes import default_request

    skeleton = build(default_request(), compose(["jazz", "hip_hop"], "intermediate", 42), ["jazz", "hip_hop"], [])
    schema = lesson_schema(skeleton, ["jazz", "hip_hop"])
    analyse = next(p.id for p, _ in skeleton.phases if p.id == "analyse")
    chatter = "It is clear that the students understand the whole idea and have made a real effort."
    with pytest.raises(ValueError, match="say what the class does in this step"):
        schema.__pydantic_validator__.validate_assignment(schema.model_construct(), analyse, chatter)


def test_the_roman_numeral_i_is_not_the_writer_talking():
    from litmash.pedagogy.text import allowed_words, problems

    text = "Learners play the I chord, then I–IV–V in A minor, and sing the chorus over the beat."
    assert not any("themselves" in p for p in problems(text, "intermediate", ["jazz"], allowed_words(["jazz"])))


@pytest.mark.parametrize(("backend_name", "writer", "asked"), [
    ("embedded", "auto", False), ("fake", "auto", True), ("embedded", "model", True), ("fake", "template", False)])
def test_who_words_the_lesson(backend_name, writer, asked, fake, settings):
    from litmash.llm.backends import Backend
    from litmash.workflow import api

    from ..support.fakes import default_request

    backend = Backend(name=backend_name, model="fake-1", chat_model=fake)
    m = api.generate(default_request(), settings.model_copy(update={"lesson_writer": writer}), backend=backend,
                     persist=False)
    assert bool(fake.calls("teaching_guide")) is asked
    sources = {s.description_source for s in m.teaching_guide.lesson_plan}
    assert sources == ({"model"} if asked else {"template"})
    assert sum(s.minutes for s in m.teaching_guide.lesson_plan) == m.teaching_guide.lesson_minutes
    assert len(m.teaching_guide.discussion_questions) == 3 and m.teaching_guide.activities
