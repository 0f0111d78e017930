"""The content validator's bounded repair loop, end to end on the fake, and its router."""

from __future__ import annotations

import pytest
from langgraph.graph import END

from litmash.llm.prompts import FeedbackPrompt, load_prompt
from litmash.workflow import api
from litmash.workflow.graph import route_repairs

from ..support.fakes import BAD_HOOK_LINES, default_request, lesson_text

BAD = (BAD_HOOK_LINES,) * 2  # the hook generator asks twice before set phrases stand in

REPAIR_OPENING = load_prompt("content_validator", kind=FeedbackPrompt).repair.splitlines()[0]


def generate(settings, backend):
    return api.generate(default_request(), settings, backend=backend, persist=False)


def test_hooks_filled_by_code_are_noted_not_repaired(fake, backend, settings):
    # twice no hook line passes: a set phrase naming the requested genres leads, set phrases fill in,
    # and the validation says so; no repair round re-runs the song for it
    fake.enqueue("hook_generator", *BAD)

    m = generate(settings, backend)

    hook_calls = fake.calls("hook_generator")
    assert len(hook_calls) == 2
    # plain-text asks get no reviewer's message (a small model answers it with lines about fixing problems)
    assert all(len(c) == 2 and REPAIR_OPENING not in c[-1].text for c in hook_calls)
    assert m.metadata.repair_rounds == 0 and {r.round for r in m.metadata.agent_runs} == {0}
    assert m.hooks[0].text == "Feel the groove when Jazz meets Hip hop" and m.hooks[0].source == "code"
    assert all(h.source == "code" for h in m.hooks) and 3 <= len(m.hooks) <= 5
    notes = [(p.section, p.repairable) for p in m.validation]
    assert notes == [("hooks", False), ("hooks", False)]
    assert "leads the chorus" in m.validation[0].message and "set phrases stand in" in m.validation[1].message
    assert m.title == "Feel the groove when Jazz meets Hip hop"


def repeated_questions(fake):
    """A lesson reply whose first two discussion questions are the same (a repairable problem)."""
    same = "What do you hear in the chorus that makes you want to move?"
    return lambda _: lesson_text(fake.schema("teaching_guide")) | {"question_1": same, "question_2": same}


def test_repair_round_events_carry_the_round(fake, backend, settings):
    fake.enqueue("teaching_guide", repeated_questions(fake))
    events = list(api.stream(default_request(), settings, backend=backend, persist=False))

    guide_events = [(e.kind, e.round) for e in events if e.agent == "teaching_guide"]
    assert guide_events == [("started", 0), ("finished", 0), ("started", 1), ("finished", 1)]
    validator = [e.message for e in events if e.agent == "content_validator" and e.kind == "finished"]
    assert validator == ["1 problem(s); repairing teaching_guide", "0 problem(s)"]


@pytest.mark.parametrize("rounds", [0, 1, 3])
def test_problems_that_never_go_away_stop_after_max_rounds(rounds, fake, backend, settings):
    fake.overrides["teaching_guide"] = repeated_questions(fake)
    settings = settings.model_copy(update={"max_repair_rounds": rounds})

    m = generate(settings, backend)

    assert len(fake.calls("teaching_guide")) == rounds + 1
    assert m.metadata.repair_rounds == rounds
    assert [(p.section, p.repairable) for p in m.validation] == [("teaching_guide", True)]
    assert "discussion questions repeat each other" in m.validation[0].message


def test_two_branches_repaired_together_validate_once_per_round(fake, backend, settings, monkeypatch):
    import importlib

    from litmash.domain.mashup import ValidationProblem

    validator = importlib.import_module("litmash.workflow.agents.content_validator")  # the module, not the node

    real, calls = validator.find_problems, []

    def with_a_hook_problem(*args):  # round 0 only: a repairable hooks problem beside the lesson's
        calls.append(1)
        extra = [ValidationProblem(section="hooks", message="hooks 'a' and 'b' are (nearly) the same")]
        return real(*args) + (extra if len(calls) == 1 else [])

    monkeypatch.setattr(validator, "find_problems", with_a_hook_problem)
    fake.enqueue("teaching_guide", repeated_questions(fake))

    events = list(api.stream(default_request(), settings, backend=backend, persist=False))

    assert [e.kind for e in events if e.agent == "content_validator"] == ["started", "finished"] * 2
    assert [e.round for e in events if e.agent == "hook_generator" and e.kind == "started"] == [0, 1]
    assert "discussion questions repeat each other" in fake.calls("teaching_guide")[1][-1].text
    assert len(fake.calls("theory_integrator")) == 1  # the branches' upstream is not re-run
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

    from litmash.workflow.agents.base import AgentContext
    from litmash.workflow.agents.hook_generator import hook_generator
    from litmash.workflow.agents.lyrics_composer import lyrics_composer

    from ..support.fakes import draft_song, draft_state

    state = draft_state()
    state |= draft_song(state)
    junk = "Ba ba oshun ghiyabagor\nThese lines are great for a class\nZemba kokoa ezro amenu"
    fake.overrides["hook_generator"] = BAD_HOOK_LINES
    fake.overrides["lyrics_composer"] = junk  # its batches of lines and its rhymes alike
    runtime = SimpleNamespace(context=AgentContext(backend=backend, settings=settings))
    round_1 = state | {"repair_round": 1}

    hooks = hook_generator(round_1, runtime)
    assert hooks["hooks"].hooks == state["hooks"].hooks  # the earlier written hooks win again
    assert {r.round for r in hooks["agent_runs"]} == {1}
    song = lyrics_composer(round_1 | hooks, runtime)
    assert song["lyrics"] == state["lyrics"] and song["agent_runs"]  # asked again, kept the better song
