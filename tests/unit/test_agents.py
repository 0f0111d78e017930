"""Each agent node in isolation: node(state, runtime) with the scripted fake behind it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from litmash.domain.lesson import EducationalPlan
from litmash.music.concepts import choose
from litmash.pedagogy.lesson import build
from litmash.workflow import agents
from litmash.workflow.agents.base import AgentContext
from litmash.workflow.agents.genre_analyzer import roles_schema
from litmash.workflow.agents.schema import describe_schema
from litmash.workflow.agents.teaching_guide import lesson_schema
from litmash.workflow.agents.theory_integrator import explanations_schema
from litmash.workflow.checks import requested_genres

from ..support.fakes import (
    EDUCATIONAL_PLAN,
    GENRE_ANALYSIS,
    default_request,
    draft_state,
    duplicate_hooks,
    lesson_text,
)


def theory_schema(state):
    """The explanations schema the theory agent builds for this state's request and music."""
    req, ids = state["request"], ["jazz", "hip_hop"]
    chosen = choose(state["music"], ids, " ".join([req.user_prompt, *req.learning_objectives]), count=3)
    return explanations_schema([c for c, _ in chosen], state["music"], ids)


def teaching_schema(state):
    """The lesson-text schema the teaching agent builds for this state's request, music and concepts."""
    ids = [c.concept_id for c in state["theory"].concepts if c.concept_id]
    return lesson_schema(build(state["request"], state["music"], ["jazz", "hip_hop"], ids), ["jazz", "hip_hop"])


# agent -> (its schema for a state, the state keys it writes)
LLM_AGENTS = {
    "educational_context": (lambda s: EducationalPlan, {"educational"}),
    "genre_analyzer": (lambda s: roles_schema(["jazz", "hip_hop"]), {"genres"}),
    "theory_integrator": (theory_schema, {"theory", "music"}),
    "teaching_guide": (lambda s: teaching_schema(s), {"teaching"}),
}


@pytest.fixture
def runtime(backend, settings):
    """The slice of langgraph's Runtime the nodes use."""
    return SimpleNamespace(context=AgentContext(backend=backend, settings=settings))


def run_node(name, state, runtime):
    return getattr(agents, name)(state, runtime)


@pytest.mark.parametrize("name", LLM_AGENTS)
def test_node_returns_only_its_section_and_one_run(name, runtime):
    state = draft_state()
    state["repair_round"] = 2  # recorded on the AgentRun

    out = run_node(name, state, runtime)

    assert set(out) == LLM_AGENTS[name][1] | {"agent_runs"}
    (run,) = out["agent_runs"]
    assert (run.agent, run.round, run.status, run.attempts, run.model) == (name, 2, "ok", 1, "fake-1")
    assert run.prompt.name == name and len(run.prompt.sha256) == 64
    assert run.prompt_tokens > 0 and run.completion_tokens > 0


@pytest.mark.parametrize("name", LLM_AGENTS)
def test_prompt_has_request_and_schema_outline(name, runtime, fake):
    req = default_request(learning_objectives=["Hear the swing feel", "Clap a backbeat"], grade_or_age="grade 10")
    state = draft_state(req)
    run_node(name, state, runtime)

    schema = LLM_AGENTS[name][0](state)
    ((agent, (system, user)),) = fake.history
    assert agent == name and fake.schema(name).__name__ == schema.__name__
    assert describe_schema(schema) in system.text, (describe_schema(schema), system.text)
    # the concept explanations need the learners' level and the music, not the request's wording
    # (the lesson's wording needs the level and the song, which code has planned from the request)
    if name in ("theory_integrator", "teaching_guide"):
        assert req.skill_level in system.text
    else:
        assert req.user_prompt in user.text
    assert fake.structured_calls == [(schema.__name__, "json_schema", True)]


@pytest.mark.parametrize("name", LLM_AGENTS)
def test_feedback_for_this_agent_is_sent_as_repair_message(name, runtime, fake):
    state = draft_state() | {"feedback": {name: ["fix problem one"], "other_agent": ["not for you"]}}
    run_node(name, state, runtime)

    ((_, messages),) = fake.history
    assert len(messages) == 3
    assert "A reviewer found these problems" in messages[2].text
    assert "- fix problem one" in messages[2].text
    assert "not for you" not in "".join(m.text for m in messages)


def test_educational_context_adds_level_and_context_from_request(runtime, fake):
    req = default_request(skill_level="beginner", educational_context="workshop",
                          learning_objectives=["Hear the swing feel"])
    out = run_node("educational_context", {"request": req}, runtime)

    edu = out["educational"]
    assert (edu.level, edu.context) == ("beginner", "workshop")
    assert edu.learning_goals == EDUCATIONAL_PLAN.learning_goals
    user = fake.history[0][1][1].text
    assert "- Hear the swing feel" in user and "90 minutes" in user  # workshop default length


def test_genre_analyzer_sees_the_objectives(runtime, fake):
    out = run_node("genre_analyzer", draft_state(default_request(learning_objectives=["Clap a backbeat"])), runtime)

    assert out["genres"] == GENRE_ANALYSIS
    assert "- Clap a backbeat" in fake.history[0][1][1].text


def test_theory_integrator_computes_the_music_and_asks_only_for_explanations(runtime, fake):
    req = default_request(learning_objectives=["Clap a backbeat"])
    out = run_node("theory_integrator", draft_state(req), runtime)

    music, theory = out["music"], out["theory"]
    # jazz + hip hop from the base: hip hop's minor loops, sevenths and swing from jazz, 80–115 ∩ 60–220 BPM
    assert (music.key, music.tempo_bpm, music.meter, music.feel) == ("A minor", 98, "4/4", "swing")
    assert [c.symbol for c in theory.chord_progression] == ["Am7", "Dm7"]
    assert theory.chord_progression[1].pitches == ["D", "F", "A", "C"]
    assert music.groove.layers == ["boom-bap kick and snare (Hip hop)", "swing ride (Jazz)"]
    # the objective's concept comes first; where to hear each one is written by code
    assert [c.concept_id for c in theory.concepts] == ["backbeat", "swing", "seventh_chords"]
    assert theory.concepts[0].where_in_song == "The snare drum hits beats 2 and 4 of every bar."
    assert all(c.explanation_source == "model" for c in theory.concepts)
    user = fake.history[0][1][1].text
    assert "A minor, 98 BPM, 4/4, swing eighth notes; chorus chords Am7 Dm7" in user
    assert "- backbeat: A strong accent on beats 2 and 4" in user


def test_a_theory_explanation_naming_a_chord_the_song_lacks_gives_way_to_the_base(runtime, fake):
    bad = "A seventh chord like Cmaj7 stacks one more note on a triad so it sounds rich and warm."
    good = "Swing means each pair of eighth notes is played long then short, like a skipping step."
    fake.enqueue("theory_integrator", {"swing": good, "seventh_chords": bad, "chord_progression": bad})
    out = run_node("theory_integrator", draft_state(), runtime)

    (run,) = out["agent_runs"]
    assert run.attempts == 1 and run.status == "failed"  # no re-ask: it cost more than it mended
    assert "the song has no Cmaj7 chord; its chords are Am7, Dm7" in run.parse_error
    concepts = out["theory"].concepts
    assert [c.explanation_source for c in concepts] == ["model", "base", "base"]
    assert concepts[0].explanation == good
    assert concepts[1].explanation == "Four-note chords that add a seventh above the root, common in jazz and soul."


@pytest.mark.parametrize(("overrides", "minutes"), [({}, 45), ({"lesson_minutes": 60}, 60),
                                                    ({"educational_context": "online"}, 40)])
def test_teaching_guide_takes_lesson_minutes_from_request(overrides, minutes, runtime, fake):
    out = run_node("teaching_guide", draft_state(default_request(**overrides)), runtime)

    guide = out["teaching"]
    assert guide.lesson_minutes == minutes == sum(s.minutes for s in guide.lesson_plan)
    user = fake.history[0][1][1].text
    assert "progression Am7–Dm7" in user  # the song's facts, from the music block


def test_a_failing_step_is_re_asked_alone_with_its_reason_and_the_rest_kept(runtime, fake):
    bad = "It must contain exactly 2 placeholders represented by square brackets for the class."
    fake.enqueue("teaching_guide", lambda _: lesson_text(fake.schema("teaching_guide")) | {"listen": bad})

    out = run_node("teaching_guide", draft_state(), runtime)

    first, second = fake.calls("teaching_guide")
    assert "repeats the instructions" in second[-1].text and "listen:" in second[-1].text
    assert list(fake.schema("teaching_guide").model_fields) == ["listen"]  # only the failing field
    steps = {s.phase: s for s in out["teaching"].lesson_plan}
    assert steps["listen"].description_source == "model" and bad not in steps["listen"].description
    assert len(out["agent_runs"]) == 2


def test_a_step_that_stays_invalid_falls_back_to_the_template(runtime, fake):
    bad = "a_baba oshun ghiyabagor bambo kokoa ezro amenu zemba"
    reply = lambda _: lesson_text(fake.schema("teaching_guide")) | {"listen": bad}  # noqa: E731
    fake.enqueue("teaching_guide", reply, reply)

    out = run_node("teaching_guide", draft_state(), runtime)

    steps = {s.phase: s for s in out["teaching"].lesson_plan}
    assert steps["listen"].description_source == "template"
    assert steps["listen"].description.startswith("Play one recording from each genre")
    assert steps["create"].description_source == "model"


def test_a_reply_that_mostly_fails_is_not_re_asked_and_the_templates_stand(runtime, fake):
    chatter = "The correct answer to your question is here, and I will respond tomorrow."
    fake.enqueue("teaching_guide", lambda _: {k: chatter for k in fake.schema("teaching_guide").model_fields})

    out = run_node("teaching_guide", draft_state(), runtime)

    assert len(fake.calls("teaching_guide")) == 1 and len(out["agent_runs"]) == 1
    guide = out["teaching"]
    assert {s.description_source for s in guide.lesson_plan} == {"template"}
    assert chatter not in guide.discussion_questions and len(guide.discussion_questions) == 3
    assert sum(s.minutes for s in guide.lesson_plan) == guide.lesson_minutes


def test_content_validator_without_problems_ends(runtime):
    out = run_node("content_validator", draft_state(), runtime)
    assert out == {"problems": [], "feedback": {}}


def test_content_validator_sends_problems_to_the_agents_that_wrote_them(runtime):
    state = draft_state() | {"hooks": duplicate_hooks()}
    state["teaching"] = state["teaching"].model_copy(update={"lesson_minutes": 50})

    out = run_node("content_validator", state, runtime)

    assert out["repair_round"] == 1
    assert sorted(out["feedback"]) == ["hook_generator", "teaching_guide"]
    assert "nearly) the same" in out["feedback"]["hook_generator"][0]
    assert "add up to 45 minutes, not the 50-minute lesson" in out["feedback"]["teaching_guide"][0]
    assert {p.section for p in out["problems"]} == {"hooks", "teaching_guide"}


def test_content_validator_stops_asking_when_rounds_are_used_up(runtime):
    state = draft_state() | {"hooks": duplicate_hooks(), "repair_round": 1}  # settings: 1 round max

    out = run_node("content_validator", state, runtime)

    assert out["feedback"] == {} and "repair_round" not in out
    assert [p.section for p in out["problems"]] == ["hooks"]


@pytest.mark.parametrize(("prompt", "genres", "hints"), [
    ("Mix bhangra with reggae for an online music lesson", [], "Bhangra, Reggae"),
    ("Blend jazz and hip-hop for a class", ["funk"], "Funk, Jazz, Hip hop"),
    ("A lesson on rhythm for a pop quiz", [], "(none named)"),
])
def test_genre_hints_name_the_genres_of_the_prompt_and_the_request(prompt, genres, hints):
    from litmash.domain.request import MashupRequest
    from litmash.workflow.agents.values import request_vars

    req = MashupRequest(user_prompt=prompt, genres=genres)
    assert request_vars(req, requested_genres(req))["genre_hints"] == hints


def test_the_pick_schema_offers_only_the_shortlist():
    # With a free-text genre field, 21 of 31 core-set blends by the 135M model had jazz in them,
    # where 4 cases ask for it; and it invented genres. Now the model can only pick an id.
    from litmash.workflow.agents.genre_analyzer import pick_schema

    outline = describe_schema(pick_schema(["reggae", "salsa"], 1))
    assert "one of: reggae, salsa" in outline and "jazz" not in outline
