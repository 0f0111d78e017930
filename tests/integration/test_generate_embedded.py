"""A full generation on the real embedded model, stored in the embedded PostgreSQL."""

from __future__ import annotations

import json

import pytest

from litmash import Mashup, generate
from litmash.evaluation import Case, RunInfo, score_mashup
from litmash.evaluation.scorers.lyrics import LYRIC_SCORERS
from litmash.knowledge import cultural_context, knowledge
from litmash.lyrics.pool import pieces
from litmash.music.theory import progression
from litmash.music.validate import melody_report, theory_report
from litmash.workflow.checks import find_problems, mashup_sections
from litmash.workflow.graph import AGENTS


@pytest.fixture(scope="module")
def run(request_, settings):
    events = []
    mashup = generate(request_, settings, on_event=events.append)
    return mashup, events


def _latest_raw(mashup: Mashup, agent: str) -> dict:
    """The JSON the model wrote in the agent's last run (escapes decoded)."""
    return json.loads([r for r in mashup.metadata.agent_runs if r.agent == agent][-1].raw_output)


def _raw_text(mashup: Mashup, agent: str) -> str:
    """Everything the model wrote in the agent's plain-text calls."""
    return "\n".join(r.raw_output or "" for r in mashup.metadata.agent_runs if r.agent == agent)


def test_every_section_is_present_and_schema_valid(run):
    mashup, _ = run
    again = Mashup.model_validate_json(mashup.model_dump_json())
    assert again == mashup
    assert mashup.title.strip()
    assert 2 <= len(mashup.genre_blend) <= 3
    assert len(mashup.cultural_context) == len(mashup.genre_blend)
    assert len(mashup.hooks) >= 3
    assert len(mashup.lyrics) >= 3 and all(s.lines for s in mashup.lyrics)
    assert mashup.theory_analysis.chord_progression and mashup.theory_analysis.concepts
    guide = mashup.teaching_guide
    assert guide.lesson_plan and guide.discussion_questions and guide.activities
    assert guide.lesson_minutes == 45  # classroom default


def test_sections_come_from_the_model_not_from_code(run):
    mashup, _ = run
    # hooks and lyrics: lines the model wrote in plain text (or their first words up to a rhyme),
    # kept by code; a hook code had to fill in says so
    hook_lines = set(pieces(_raw_text(mashup, "hook_generator")))
    assert all(h.text in hook_lines for h in mashup.hooks if h.source == "model")
    assert all(h.source == "code" for h in mashup.hooks if h.text not in hook_lines)
    assert mashup.title == mashup.hooks[0].text.rstrip(".,!?;:")
    song_lines = pieces(_raw_text(mashup, "lyrics_composer"))
    for section in mashup.lyrics:
        for line in section.lines:
            assert line == mashup.hooks[0].text or any(c.startswith(line) for c in song_lines), line
    roles = [r for r in mashup.metadata.agent_runs if r.agent == "genre_analyzer"][-1]
    if roles.status == "ok":  # else the base's own sentence stands in (tested with the fake model)
        raw = _latest_raw(mashup, "genre_analyzer")
        assert [g.role_in_blend for g in mashup.genre_blend] == [raw[g.genre_id].strip() for g in mashup.genre_blend]
    # the music is code's (from the genre base); the model wrote only the concept explanations
    theory, music = mashup.theory_analysis, mashup.music
    assert (theory.key, theory.tempo_bpm, theory.meter) == (music.key, music.tempo_bpm, music.meter)
    assert theory.chord_progression == progression([c.roman for c in theory.chord_progression], theory.key)
    raw = _latest_raw(mashup, "theory_integrator")
    assert set(raw) == {c.concept_id for c in theory.concepts}
    for c in theory.concepts:
        assert c.explanation == (raw[c.concept_id].strip() if c.explanation_source == "model"
                                 else knowledge().concepts[c.concept_id].definition)


def test_the_lyrics_pass_the_five_lyric_scorers(run):
    mashup, _ = run
    case = Case(id="embedded", request=mashup.request)
    scores = score_mashup(case, mashup, RunInfo(seconds=mashup.metadata.total_seconds), list(LYRIC_SCORERS))
    assert {n: s.detail for n, s in scores.items() if not s.passed} == {}
    # the chorus is written once, sings the hook first and last, and comes back word for word
    choruses = [s.lines for s in mashup.lyrics if s.label == "chorus"]
    assert len(choruses) >= 2 and choruses.count(choruses[0]) == len(choruses)
    assert choruses[0][0] == choruses[0][-1] == mashup.hooks[0].text


def test_the_music_passes_its_checks_and_sings_the_first_singable_hook(run):
    mashup, _ = run
    music = mashup.music
    assert theory_report(music).problems == []
    assert melody_report(music, mashup.request.skill_level).problems == []
    # a short hook is chanted again so its key is heard (litmash.music.melody.sung_text)
    assert any(music.hook_melody.text.startswith(h.text.rstrip(".!?,;: ")) for h in mashup.hooks)


def test_the_blend_holds_the_requested_genres_and_the_context_is_the_bases(run):
    mashup, _ = run
    assert [g.genre_id for g in mashup.genre_blend] == ["jazz", "hip_hop"]
    assert [g.chosen_by for g in mashup.genre_blend] == ["request", "request"]
    assert mashup.cultural_context == [cultural_context("jazz"), cultural_context("hip_hop")]
    assert mashup.cultural_context[1].origins == "The Bronx, New York City, United States"


def test_validation_records_exactly_what_the_checks_find(run):
    mashup, _ = run
    assert find_problems(mashup.request, *mashup_sections(mashup).values()) == mashup.validation


def test_metadata_measures_every_agent(run):
    mashup, events = run
    meta = mashup.metadata
    assert meta.backend == "embedded" and meta.model.endswith(".gguf")
    ran = {r.agent for r in meta.agent_runs}
    # two genres named: no genre_picker run; the templates word the lesson: no teaching_guide call
    assert ran == set(AGENTS) - {"content_validator", "teaching_guide"}
    assert set(meta.prompts) == set(AGENTS) - {"teaching_guide"}
    assert all(r.completion_tokens > 0 and r.llm_ms > 0 and r.llm_ms <= r.wall_ms for r in meta.agent_runs)
    assert meta.total_seconds * 1000 >= max(r.wall_ms for r in meta.agent_runs)
    finished = [e.agent for e in events if e.kind == "finished"]
    assert finished[0] == "educational_context" and finished[-1] == "content_validator"
    assert "teaching_guide" in finished
    assert [e.kind for e in events][-1] == "completed"


def test_the_run_is_stored(run, store):
    mashup, events = run
    sid = next(e.session_id for e in events if e.kind == "session")
    assert store.get_mashup(sid) == mashup
    assert store.get_session(sid).status == "completed"
    assert len(store.agent_runs(sid)) == len(mashup.metadata.agent_runs)
    for r in mashup.metadata.agent_runs:
        assert store.prompt_text(r.prompt.name, r.prompt.sha256)


def test_history_and_load(run, settings):
    import litmash

    mashup, events = run
    sid = next(e.session_id for e in events if e.kind == "session")
    frame = litmash.history(settings, genre=mashup.genre_blend[0].name)
    assert str(sid) in set(frame["id"])
    assert litmash.load(str(sid)[:8], settings) == mashup


def test_the_teaching_guide_passes_its_scorers_on_the_embedded_model(run):
    from litmash.evaluation import Case, RunInfo, score_mashup

    mashup, _ = run
    case = Case(id="demo", request=mashup.request)
    names = ["lesson_timing", "standards_valid", "objectives_bloom", "guide_real_words", "reading_level"]
    scores = score_mashup(case, mashup, RunInfo(seconds=mashup.metadata.total_seconds), names)
    assert {n: s.detail for n, s in scores.items() if not s.passed} == {}
    guide = mashup.teaching_guide
    assert sum(s.minutes for s in guide.lesson_plan) == 45 and guide.grade == "E.I"  # "a high-school class"
    # on the embedded model the teacher-written templates word the lesson (LITMASH_LESSON_WRITER=auto)
    assert not [r for r in mashup.metadata.agent_runs if r.agent == "teaching_guide"]
    assert {s.description_source for s in guide.lesson_plan} == {"template"}
