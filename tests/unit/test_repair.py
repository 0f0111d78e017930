"""The content validator's bounded repair loop, end to end on the fake, and its router."""

from __future__ import annotations

import pytest
from langgraph.graph import END

from litmash import api
from litmash.graph import route_repairs
from litmash.prompts import FeedbackPrompt, load_prompt

from .fakes import BAD_HOOK_LINES, default_request, lesson_text

BAD = (BAD_HOOK_LINES,) * 2  # the hook generator asks twice before set phrases stand in

REPAIR_OPENING = load_prompt("content_validator", kind=FeedbackPrompt).repair.splitlines()[0]


def generate(settings, backend):
    return api.generate(default_request(), settings, backend=backend, persist=False)


def test_hooks_filled_by_code_are_repaired_in_one_round(fake, backend, settings):
    # twice no hook line passes, so set phrases stand in; then the good defaults
    fake.enqueue("HookLines", *BAD)

    m = generate(settings, backend)

    hook_calls = fake.calls("HookLines")
    assert len(hook_calls) == 3
    # plain-text asks get no reviewer's message (a small model answers it with lines about fixing
    # problems); the repair round asks the same prompt again with a new seed
    assert all(len(c) == 2 and REPAIR_OPENING not in c[-1].text for c in hook_calls)
    assert hook_calls[2][1].text == hook_calls[0][1].text
    # lyrics are downstream of the hooks, so they are rewritten; the other branch is not
    song_calls = [r.round for r in m.metadata.agent_runs if r.agent == "lyrics_composer"]
    assert song_calls.count(0) >= 1 and song_calls.count(1) >= 1
    assert len(fake.calls("SongLines")) == len(song_calls)
    assert [len(fake.calls(s)) for s in ("EducationalPlan", "GenreRoles", "TheoryConcepts", "LessonText")] == [1] * 4
    assert m.metadata.repair_rounds == 1
    assert m.validation == []
    assert len({h.text for h in m.hooks}) == 4 and all(h.source == "model" for h in m.hooks)
    rounds = [(r.agent, r.round) for r in m.metadata.agent_runs if r.round == 1]
    assert rounds == [("hook_generator", 1)] + [("lyrics_composer", 1)] * song_calls.count(1)


def test_repair_round_events_carry_the_round(fake, backend, settings):
    fake.enqueue("HookLines", *BAD)
    events = list(api.stream(default_request(), settings, backend=backend, persist=False))

    hook_events = [(e.kind, e.round) for e in events if e.agent == "hook_generator"]
    assert hook_events == [("started", 0), ("finished", 0), ("started", 1), ("finished", 1)]
    validator = [e.message for e in events if e.agent == "content_validator" and e.kind == "finished"]
    assert validator == ["1 problem(s); repairing hook_generator", "0 problem(s)"]


@pytest.mark.parametrize("rounds", [0, 1, 3])
def test_problems_that_never_go_away_stop_after_max_rounds(rounds, fake, backend, settings):
    fake.overrides["HookLines"] = BAD_HOOK_LINES
    settings = settings.model_copy(update={"max_repair_rounds": rounds})

    m = generate(settings, backend)

    assert len(fake.calls("HookLines")) == 2 * (rounds + 1)
    assert m.metadata.repair_rounds == rounds
    assert [p.section for p in m.validation] == ["hooks"]
    assert "set phrases stand in" in m.validation[0].message


def test_two_branches_repaired_together_validate_once_per_round(fake, backend, settings):
    same = "What do you hear in the chorus that makes you want to move?"
    fake.enqueue("HookLines", *BAD)
    fake.enqueue("LessonText", lambda _: lesson_text(fake._schemas["LessonText"]) | {"question_1": same, "question_2": same})

    events = list(api.stream(default_request(), settings, backend=backend, persist=False))

    assert [e.kind for e in events if e.agent == "content_validator"] == ["started", "finished"] * 2
    assert "discussion questions repeat each other" in fake.calls("LessonText")[1][-1].text
    assert len(fake.calls("TheoryConcepts")) == 1  # teaching_guide's upstream is not re-run
    assert events[-1].mashup.validation == []


@pytest.mark.parametrize(("targets", "expected"), [
    ({}, END),
    ({"hook_generator": ["x"]}, ["hook_generator"]),
    ({"hook_generator": ["x"], "lyrics_composer": ["y"]}, ["hook_generator"]),
    ({"genre_analyzer": ["x"], "lyrics_composer": ["y"], "teaching_guide": ["z"]}, ["genre_analyzer"]),
    ({"educational_context": ["x"], "theory_integrator": ["y"]}, ["educational_context"]),
    ({"lyrics_composer": ["x"], "teaching_guide": ["y"]}, ["lyrics_composer", "teaching_guide"]),
    ({"hook_generator": ["x"], "teaching_guide": ["y"]}, ["hook_generator", "teaching_guide"]),
])
def test_route_repairs_drops_agents_whose_upstream_is_repaired(targets, expected):
    assert route_repairs({"feedback": targets}) == expected


def test_a_repair_round_keeps_the_earlier_song_and_hooks_when_the_new_ones_are_worse(fake, backend, settings):
    from types import SimpleNamespace

    from litmash.agents.base import AgentContext
    from litmash.agents.hook_generator import hook_generator
    from litmash.agents.lyrics_composer import lyrics_composer

    from .fakes import draft_song, draft_state

    state = draft_state()
    state |= draft_song(state)
    junk = "Ba ba oshun ghiyabagor\nThese lines are great for a class\nZemba kokoa ezro amenu"
    fake.overrides["HookLines"] = BAD_HOOK_LINES
    fake.overrides["SongLines"] = junk
    fake.overrides["RhymeLines"] = junk
    runtime = SimpleNamespace(context=AgentContext(backend=backend, settings=settings))
    round_1 = state | {"repair_round": 1}

    hooks = hook_generator(round_1, runtime)
    assert hooks["hooks"].hooks == state["hooks"].hooks  # the earlier written hooks win again
    assert {r.round for r in hooks["agent_runs"]} == {1}
    song = lyrics_composer(round_1 | hooks, runtime)
    assert song["lyrics"] == state["lyrics"] and song["agent_runs"]  # asked again, kept the better song
