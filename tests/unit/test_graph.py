"""The whole workflow on the fake: what the Mashup holds, the event stream, the wiring."""

from __future__ import annotations

import pytest
from langgraph.graph import START

from litmash.workflow import api
from litmash.workflow.agents.base import AgentContext
from litmash.workflow.graph import AGENTS, REPAIRABLE, UPSTREAM, build_graph

from ..support.fakes import (
    COUPLETS,
    EDUCATIONAL_PLAN,
    ROLES,
    default_request,
    expected_tokens,
)

# Outputs that differ from the fake's defaults, so every section is traceable to the script.
SCRIPTED = {
    "educational_context": EDUCATIONAL_PLAN.model_copy(update={"vocabulary": ["groove", "loop", "turnaround"]}),
    "genre_analyzer": {"jazz": "Jazz lends the walking bass and horn riffs to the groove.", "hip_hop": ROLES["hip_hop"]},
    "hook_generator": "\n".join(["Swing Meets the Cypher tonight", "Jazz and hip hop, we clap along",
                             "Walk that bass, drop that beat", "The horns call out and we reply",
                             "Keep the groove, feel the swing", "Spin it back and play it loud"]),
    "theory_integrator": {
        "swing": "Swing means each pair of eighth notes is played long then short, like a skipping step.",
        "seventh_chords": "A seventh chord adds one more note on top of a triad, which makes Am7 sound soft and rich.",
        "chord_progression": "A chord progression is the order of chords; this chorus swaps between two of them.",
    },
    "teaching_guide": {
        "warm_up": "Everyone claps the boom-bap pattern while the teacher counts four beats in every bar.",
        "listen": "Play the two recordings and ask learners what the drums do differently in each one.",
        "analyse": "Learners find the two chorus chords on the lead sheet and play them on keyboards.",
        "create": "Groups write two new lines for the verse that end with a rhyme and fit the tune.",
        "perform": "Each group sings its new lines and the whole class joins in on the chorus.",
        "connect": "The class reads where each genre began and talks about the people who made it.",
        "exit_ticket": "Learners answer the three quiz questions and rate their group's singing.",
        "question_1": "What do the drums add to the feel of the chorus?",
        "question_2": "Which idea in the song comes from jazz, and which from hip hop?",
        "question_3": "How can we borrow from a tradition and show respect for it?",
        "activity_create": "Pairs swap their new lines and check that each line fits the tune.",
        "activity_perform": "Groups take turns to lead the chorus while the others clap the beat.",
    },
}

DIAGRAM_EDGES = {
    (START, "educational_context"),
    ("educational_context", "genre_analyzer"),
    ("genre_analyzer", "theory_integrator"),
    ("theory_integrator", "hook_generator"),
    ("hook_generator", "lyrics_composer"),
    ("theory_integrator", "teaching_guide"),
    ("lyrics_composer", "content_validator"),
    ("teaching_guide", "content_validator"),
}


@pytest.fixture
def scripted(fake):
    for name, reply in SCRIPTED.items():
        fake.enqueue(name, reply)
    return fake


def test_every_section_of_the_mashup_comes_from_the_scripted_outputs(scripted, backend, settings):
    m = api.generate(default_request(), settings, backend=backend, persist=False)

    s = SCRIPTED
    # code ranks the candidates (the one naming both genres first) and titles the song after the first
    assert m.title == "Jazz and hip hop, we clap along"
    assert {h.text for h in m.hooks} <= set(s["hook_generator"].splitlines()) and len(m.hooks) == 5
    # the song form is the music's; the chorus sings the hook first and last and comes back word for word
    assert [x.label for x in m.lyrics] == ["verse", "chorus", "verse", "chorus", "bridge", "chorus"]
    choruses = [x.lines for x in m.lyrics if x.label == "chorus"]
    assert choruses[0][0] == choruses[0][-1] == m.hooks[0].text and choruses.count(choruses[0]) == 3
    assert {line for x in m.lyrics for line in x.lines} - {m.hooks[0].text} <= {line for c in COUPLETS for line in c}
    # the learning goals and vocabulary shown are the guide's measurable objectives and keywords (code)
    assert m.educational_content.learning_goals == [o.text for o in m.teaching_guide.objectives]
    assert m.educational_content.vocabulary == [k.term for k in m.teaching_guide.keywords]
    assert [(g.genre_id, g.name, g.role_in_blend) for g in m.genre_blend] == [
        ("jazz", "Jazz", "Jazz lends the walking bass and horn riffs to the groove."), ("hip_hop", "Hip hop", ROLES["hip_hop"])]
    # the cultural context is the genre base's, whatever the model says
    assert [(c.genre, c.era) for c in m.cultural_context] == [("Jazz", "1890s–1910s"), ("Hip hop", "1970s")]
    assert m.cultural_context[1].representative_artists[:2] == ["DJ Kool Herc", "Grandmaster Flash and the Furious Five"]
    # the music is computed by code from the genre base; the model wrote only the explanations
    assert (m.theory_analysis.key, m.theory_analysis.tempo_bpm, m.theory_analysis.meter) == ("A minor", 98, "4/4")
    assert [c.symbol for c in m.theory_analysis.chord_progression] == ["Am7", "Dm7"]
    assert [c.explanation for c in m.theory_analysis.concepts] == list(s["theory_integrator"].values())
    assert m.music is not None and m.music.hook_melody.text == m.hooks[0].text
    # the minutes and steps come from the classroom template; the model wrote the words in them
    guide, text = m.teaching_guide, s["teaching_guide"]
    assert [st.phase for st in guide.lesson_plan] == ["warm_up", "listen", "analyse", "create", "perform",
                                                     "connect", "exit_ticket"]
    assert sum(st.minutes for st in guide.lesson_plan) == guide.lesson_minutes == 45
    assert [st.description for st in guide.lesson_plan] == [text[st.phase] for st in guide.lesson_plan]
    assert guide.discussion_questions == [text[f"question_{i}"] for i in (1, 2, 3)]
    assert [a.description for a in guide.activities] == [text["activity_create"], text["activity_perform"]]
    assert m.validation == []
    assert all(not q for q in scripted.queues.values())  # every scripted reply was consumed


def test_metadata_records_backend_runs_prompts_and_tokens(fake, backend, settings):
    m = api.generate(default_request(), settings, backend=backend, persist=False)

    md = m.metadata
    assert (md.backend, md.model, md.seed, md.repair_rounds) == ("fake", "fake-1", 42, 0)
    # the lyrics composer asks for batches of lines until every section has its couplets
    song = [r for r in md.agent_runs if r.agent == "lyrics_composer"]
    assert sorted(r.agent for r in md.agent_runs) == sorted([*AGENTS[:-1], *["lyrics_composer"] * (len(song) - 1)])
    assert len(song) == len(fake.calls("lyrics_composer")) >= 2
    assert set(md.prompts) == set(AGENTS)
    # tokens are summed from the AIMessage usage_metadata the fake attached to each reply
    want_in = sum(expected_tokens(msgs, "")[0] for _, msgs in fake.history)
    assert md.tokens[0] == want_in and md.tokens[1] > 0
    assert all(0 < r.llm_ms <= r.wall_ms for r in md.agent_runs)
    assert md.total_seconds > 0


def test_stream_yields_backend_start_finish_per_agent_then_completed(backend, settings):
    events = list(api.stream(default_request(), settings, backend=backend, persist=False))

    assert events[0].kind == "backend" and "fake: fake-1" in events[0].message
    assert events[-1].kind == "completed" and events[-1].mashup is not None
    # code ranks the hook lines: the one naming both genres first; the song is named after it
    assert events[-1].mashup.title == "Call it out, jazz, bring it back, hip hop"
    middle = events[1:-1]
    for agent in AGENTS:
        kinds = [e.kind for e in middle if e.agent == agent]
        assert kinds == ["started", "finished"], agent
    order = [(e.kind, e.agent) for e in middle]
    # each agent starts only after the agent it depends on has finished
    for src, dst in DIAGRAM_EDGES - {(START, "educational_context")}:
        assert order.index(("finished", src)) < order.index(("started", dst)), (src, dst)
    finished = {e.agent: e for e in middle if e.kind == "finished"}
    assert finished["hook_generator"].run.agent == "hook_generator"
    assert finished["content_validator"].message == "0 problem(s)"


def test_graph_wiring_matches_the_diagram():
    builder = build_graph().builder
    assert set(builder.edges) == DIAGRAM_EDGES
    assert set(builder.nodes) == set(AGENTS)
    assert set(builder.branches) == {"content_validator"}  # the repair router


def test_hooks_and_the_lesson_run_in_the_same_superstep_after_the_music(backend, settings):
    steps: dict[str, int] = {}
    graph = build_graph()
    for ev in graph.stream({"request": default_request(), "repair_round": 0, "agent_runs": []},
                           context=AgentContext(backend, settings), stream_mode="debug"):
        if ev["type"] == "task":
            steps[ev["payload"]["name"]] = ev["step"]
    assert steps["hook_generator"] == steps["teaching_guide"] == steps["theory_integrator"] + 1
    assert steps["lyrics_composer"] == steps["hook_generator"] + 1
    assert steps["content_validator"] == max(steps.values())


def test_the_repairable_agents_and_their_upstream_agents_follow_the_edges():
    edges = build_graph().builder.edges

    def upstream(agent: str) -> frozenset[str]:
        parents = {src for src, dst in edges if dst == agent and src != START}
        return frozenset(parents.union(*(upstream(p) for p in parents)))

    assert set(REPAIRABLE) == set(AGENTS) - {"content_validator"}
    assert {a: upstream(a) for a in REPAIRABLE} == UPSTREAM
