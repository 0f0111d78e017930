"""The three screens driven in-process like a person would: set values, .click(), read the page.

The LLM is the scripted fake (tests/support/fakes.py); the database is the real embedded
PostgreSQL, so every "stored" assertion reads rows back. test_screens_embedded.py repeats the
main path with the real model.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from litmash import Mashup, Settings
from litmash.llm.prompts import load_prompt
from litmash.ui import GenerateScreen, HistoryScreen, PromptLab

from ..support.fakes import BAD_HOOK_LINES, HOOK_LINES, FakeChatModel, fake_backend
from .conftest import PROMPT

# The fake's hook lines, ranked by code: the one naming both genres comes first and titles the song.
TITLE = "Call it out, jazz, bring it back, hip hop"
SLUG = "call-it-out-jazz-bring-it-back-hip-hop-"
NEW_HOOK_LINES = "\n".join(["Swing low, jazz and hip hop tonight", "Snap on two and four, then ask for more",
                             "Horns call out, the crowd calls back", "Blue note bending on the beat"])


@pytest.fixture
def fake() -> FakeChatModel:
    return FakeChatModel()


@pytest.fixture
def screen(fake, tmp_path) -> GenerateScreen:
    s = GenerateScreen(llm_backend=fake_backend(fake), export_dir=tmp_path / "exports")
    s.prompt.value = PROMPT
    s.genres.value = "jazz, hip hop"
    s.level.value = "beginner"
    s.objectives.value = "Understand syncopation\nRespect cultural origins\n"
    s.minutes.value = 45
    return s


def section(html: str, name: str) -> str:
    """The HTML of one rendered section."""
    found = re.search(rf'<section data-section="{name}">(.*?)</section>', html, re.S)
    assert found, f"no {name} section in the page"
    return found.group(1)


def one_line(widget_html: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", widget_html))
    assert "\n" not in text.strip()
    return text


# --------------------------------------------------------------------------- 01 generate


def test_generate_button_renders_the_mashup_and_stores_it(screen, store):
    screen.generate_button.click()

    page = screen.page.value
    assert f'<h1 class="litmash-title">{TITLE}</h1>' in page
    assert "Swing it low, let the bassline flow" in section(page, "hooks")
    lyrics = section(page, "lyrics")
    assert "[verse]" in lyrics and "[chorus]" in lyrics and "The jazz band plays a swinging beat" in lyrics
    theory = section(page, "theory_analysis")
    assert "D minor" in theory and "98 BPM" in theory and "<td>iv7</td>" in theory
    music = section(page, "music")
    assert "boom-bap kick and snare with swing ride" in music and "<td>chorus</td><td>8</td>" in music
    assert "<svg" in music and "Swing" in music  # the lead sheet, the hook's words under its notes
    assert "<audio class='litmash-audio' controls" in music and "data:audio/ogg;base64," in music
    assert 'download="call-it-out-jazz-bring-it-back-hip-hop.mid"' in music and ".musicxml" in music
    genres = section(page, "genre_blend")
    assert "<h3>Jazz</h3>" in genres and "<h3>Hip hop</h3>" in genres and "DJ Kool Herc" in genres
    assert "The Sugarhill Gang – Rapper&#x27;s Delight (1979)" in genres  # the base's listening
    assert 'Sources (genre base): Wikipedia, &quot;Hip hop music&quot;' in genres
    teaching = section(page, "teaching_guide")
    assert "<strong>45</strong> of 45" in teaching and "<h3>Objectives</h3>" in teaching
    assert "What do you hear in the chorus that makes you want to move?" in teaching  # the model's words
    assert "Learners listen to the song, clap the beat" in teaching and "MU:Cr2.1." in teaching

    assert screen.progress.bar.value == screen.progress.bar.max == 7
    assert screen.progress.bar.bar_style == "success"
    assert "done in" in screen.status.value
    stored = store.get_mashup(screen.session_id)
    assert stored == screen.mashup
    req = store.request(screen.session_id)
    assert (req.skill_level, req.genres, req.lesson_minutes) == ("beginner", ["jazz", "hip hop"], 45)
    assert req.learning_objectives == ["Understand syncopation", "Respect cultural origins"]
    assert {r.agent for r in store.agent_runs(screen.session_id)} == {
        "educational_context", "genre_analyzer", "theory_integrator", "hook_generator", "lyrics_composer", "teaching_guide"}
    assert not screen.save_button.disabled and not screen.regenerate_button.disabled


def test_buttons_are_disabled_and_progress_moves_while_generating(screen, fake):
    seen = []

    def hooks(messages):
        seen.append((screen.generate_button.disabled, screen.save_button.disabled, screen.progress.bar.value,
                     screen.progress.rows["hook_generator"]))
        return HOOK_LINES

    fake.enqueue("hook_generator", hooks)
    assert screen.save_button.disabled  # nothing to save before a mashup exists
    screen.generate_button.click()
    [(generate_off, save_off, done, row)] = seen
    assert generate_off and save_off
    # educational_context and genre_analyzer had finished when the hooks were asked for
    assert done >= 2 and row == "running (round 0)"
    assert not screen.generate_button.disabled and not screen.save_button.disabled


def test_invalid_form_is_one_readable_line_and_nothing_is_stored(screen, store):
    before = len(store.list_sessions(limit=None))
    screen.prompt.value = "hi"
    screen.generate_button.click()
    line = one_line(screen.status.value)
    assert "litmash-error" in screen.status.value
    assert "user_prompt" in line and "at least 5 characters" in line
    assert screen.page.value == "" and screen.mashup is None
    assert len(store.list_sessions(limit=None)) == before
    assert not screen.generate_button.disabled and screen.save_button.disabled


def test_backend_failure_is_one_line_and_the_session_is_marked_failed(screen, fake, store):
    fake.enqueue("theory_integrator", ConnectionError("connection refused"))
    screen.generate_button.click()
    line = one_line(screen.status.value)
    assert "cannot connect" in line and "Traceback" not in line
    assert screen.progress.bar.bar_style == "danger"
    assert screen.page.value == ""
    failed = store.get_session(screen.session_id)
    assert failed.status == "failed" and "cannot connect" in failed.error


def test_regenerate_one_section_keeps_the_others_and_saves_as_a_new_session(screen, fake, store):
    screen.generate_button.click()
    first_id, before = screen.session_id, screen.page.value
    fake.enqueue("hook_generator", NEW_HOOK_LINES)

    screen.section.value = "hooks"
    screen.regenerate_button.click()

    after = screen.page.value
    assert '<h1 class="litmash-title">Swing low, jazz and hip hop tonight</h1>' in after
    assert "Horns call out, the crowd calls back" in section(after, "hooks")
    for unchanged in ("lyrics", "theory_analysis", "teaching_guide", "genre_blend", "educational_content"):
        assert section(after, unchanged) == section(before, unchanged)
    # the hook generator got the stored session's inputs, not a fresh run's
    user = fake.calls("hook_generator")[-1][1].text
    assert "a Jazz and Hip hop song" in user
    runs = screen.mashup.metadata.agent_runs
    assert [r.agent for r in runs].count("hook_generator") == 2
    assert "Regenerate" in screen.regenerate_button.description and not screen.stored

    screen.save_button.click()
    assert screen.session_id != first_id and "saved as session" in screen.status.value
    assert store.get_mashup(screen.session_id).title == "Swing low, jazz and hip hop tonight"
    assert store.get_mashup(first_id).title == TITLE  # the original is kept
    assert len(store.agent_runs(screen.session_id)) == len(screen.mashup.metadata.agent_runs)
    screen.save_button.click()  # saving again does not store a duplicate
    assert "already stored" in screen.status.value


def test_export_buttons_write_markdown_and_json(screen, tmp_path):
    screen.generate_button.click()
    screen.export_buttons["Markdown"].click()
    screen.export_buttons["JSON"].click()
    md, js = screen.exported["Markdown"], screen.exported["JSON"]
    assert md.parent == tmp_path / "exports" and md.name.startswith(SLUG)
    assert md.read_text().startswith(f"# {TITLE}")
    assert Mashup.model_validate_json(js.read_text()) == screen.mashup
    assert 'download="' + md.name in screen.links.value and 'download="' + js.name in screen.links.value


def test_actions_before_generating_say_what_to_do(screen):
    screen.regenerate("hooks")
    assert "generate a mashup first" in screen.status.value


# --------------------------------------------------------------------------- 02 history


def test_history_filters_shows_and_compares(fake, store, tmp_path):
    ids = {}
    for level in ("advanced", "advanced", "beginner"):
        s = GenerateScreen(PROMPT, level=level, llm_backend=fake_backend(fake), export_dir=tmp_path)
        s.generate(raise_errors=True)
        ids.setdefault(level, []).append(s.session_id.hex[:8])

    h = HistoryScreen()
    h.level.value = "advanced"
    h.refresh_button.click()
    assert set(h.frame["skill_level"]) == {"advanced"} and len(h.frame) >= 2
    assert all(i in h.table.value for i in ids["advanced"]) and ids["beginner"][0] not in h.table.value
    assert h.pick.value is not None and TITLE in h.page.value  # newest shown at once

    h.left.value = next(v for _, v in h.left.options if v.startswith(ids["advanced"][0]))
    h.right.value = next(v for _, v in h.right.options if v.startswith(ids["advanced"][1]))
    h.compare_button.click()
    assert len(h.sides.children) == 2 and all("litmash-title" in c.value for c in h.sides.children)
    assert "total (wall)" in h.timing.value and "teaching_guide" in h.timing.value
    assert [m.metadata.total_seconds for m in h.compared] == [
        store.get_mashup(i).metadata.total_seconds for i in ids["advanced"][:2]]

    h.genre.value = "polka"
    h.refresh_button.click()
    assert h.frame.empty and h.pick.value is None
    h.show_button.click()
    assert "no stored mashup matches" in one_line(h.status.value)


def test_history_bad_filter_is_one_line():
    h = HistoryScreen()
    h.status_filter.options = [("any", None), ("bogus", "bogus")]
    h.status_filter.value = "bogus"
    h.refresh_button.click()
    assert "status must be one of" in one_line(h.status.value)


# --------------------------------------------------------------------------- 03 prompt lab


@pytest.fixture
def stored_session(fake, tmp_path) -> str:
    s = GenerateScreen(PROMPT, llm_backend=fake_backend(fake), export_dir=tmp_path)
    s.generate(raise_errors=True)
    return str(s.session_id)


@pytest.fixture
def lab(fake, prompts, stored_session) -> PromptLab:
    lab = PromptLab(llm_backend=fake_backend(fake), prompts_dir=prompts)
    lab.session.value = stored_session
    return lab


def test_lab_runs_current_and_edited_prompt_over_k_seeds(lab, fake, prompts):
    assert lab.editor.value == (prompts / "hook_generator.yaml").read_text()
    lab.edit("Use words like {vocabulary}.", "Use vivid words like {vocabulary}.")
    lab.seeds.value = 3
    lab.run_button.click()

    assert lab.progress.value == lab.progress.max == 6 and lab.progress.bar_style == "success"
    assert [(t.seed, t.variant) for t in lab.trials] == [
        (s, v) for s in (42, 43, 44) for v in ("current", "edited")]
    assert all(t.ok and t.output.title == TITLE for t in lab.trials)
    sent = [msgs[1].text for msgs in fake.calls("hook_generator")[-6:]]
    assert ["vivid" in text for text in sent] == [False, True] * 3
    assert lab.results.value.count("<tr") == 1 + 3  # header + one row per seed
    assert "edited: valid" in lab.results.value and "current: seconds" in lab.results.value
    assert len(lab.outputs.children) == 3
    assert "+  Use vivid words like {vocabulary}." in lab.diff.value and "-  Use words like {vocabulary}." in lab.diff.value
    assert (prompts / "hook_generator.yaml").read_text() == lab.current  # running never writes the file


def test_lab_reports_validator_problems_of_an_output(lab, fake):
    # the current prompt's hook lines pass; the edited prompt's never do, so set phrases stand in
    fake.enqueue("hook_generator", HOOK_LINES, BAD_HOOK_LINES, BAD_HOOK_LINES)
    lab.seeds.value = 1
    lab.run()
    current, edited = lab.trials
    assert current.problems == []
    assert any("set phrases stand in" in p for p in edited.problems)
    assert "<li>none</li>" in lab.outputs.children[0].children[1].children[0].value


def test_lab_edited_prompt_with_unknown_placeholder_fails_that_run_and_cannot_be_saved(lab, prompts, store):
    lab.edit("Use words like {vocabulary}.", "Use words like {vocabulary} and {nonsense}.")
    lab.seeds.value = 1
    lab.run_button.click()
    current, edited = lab.trials
    assert current.ok and not edited.ok
    assert edited.error.startswith("prompt edited hook_generator.yaml: unknown placeholder(s) ['nonsense']")
    assert "edited: valid" in lab.results.value and ">no<" in lab.results.value

    lab.save_button.click()
    assert "edited hook_generator.yaml: unknown placeholder(s) ['nonsense']" in one_line(lab.status.value)
    assert "nonsense" not in (prompts / "hook_generator.yaml").read_text()


def test_lab_save_writes_the_file_and_a_prompt_version_that_the_next_run_uses(lab, prompts, store, fake, tmp_path):
    lab.edit("Use words like {vocabulary}.", "Use vivid words like {vocabulary}.")
    lab.save_button.click()
    text = (prompts / "hook_generator.yaml").read_text()
    assert "vivid" in text and "new version" in lab.status.value
    saved = load_prompt("hook_generator", prompts)
    assert store.prompt_text("hook_generator", saved.sha256) == text
    assert "same as the current one" in lab.diff.value
    lab.save_button.click()
    assert "version already known" in lab.status.value

    s = GenerateScreen(PROMPT, llm_backend=fake_backend(fake), prompts_dir=prompts, export_dir=tmp_path)
    m = s.generate(raise_errors=True)
    assert m.metadata.prompts["hook_generator"].sha256 == saved.sha256
    assert "vivid" in fake.calls("hook_generator")[-1][1].text


def test_lab_save_accepts_a_placeholder_the_agent_provides_but_the_prompt_did_not_use(lab, prompts):
    # lyrics_composer is given {objectives}; a prompt may start using any value its agent provides
    lab.agent.value = "lyrics_composer"
    assert lab.editor.value == (prompts / "lyrics_composer.yaml").read_text()
    lab.editor.value = lab.editor.value.rstrip("\n") + "\n  Keep the learning in mind: {objectives}\n"
    assert lab.save() is not None, lab.status.value


def test_lab_without_stored_sessions_says_so(prompts, monkeypatch, store):
    monkeypatch.setattr(store, "list_sessions", lambda **kw: [])
    lab = PromptLab(store=store, llm_backend=fake_backend(), prompts_dir=prompts)
    assert "generate one in 01_generate first" in lab.status.value
    lab.run_button.click()
    assert "generate one in 01_generate first" in one_line(lab.status.value)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("LITMASH_SEED", "7")
    monkeypatch.setenv("LITMASH_BACKEND", "embedded")
    s = GenerateScreen()
    assert (s.seed.value, s.backend.value) == (7, "embedded")
    assert s.settings().seed == 7 and isinstance(s.settings(), Settings)
    s.backend.value, s.model.value, s.seed.value = "ollama", "qwen2.5:7b", 3
    assert (s.settings().backend, s.settings().model, s.settings().seed) == ("ollama", "qwen2.5:7b", 3)


def test_export_of_json_round_trips(screen):
    screen.generate(raise_errors=True)
    path = screen.export("JSON")
    assert json.loads(path.read_text())["title"] == TITLE
