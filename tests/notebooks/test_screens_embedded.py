"""The screens with the real embedded model (llama.cpp + SmolLM2) and the real PostgreSQL."""

from __future__ import annotations

from html import escape

import pytest

from litmash.ui import GenerateScreen, PromptLab

from .conftest import PROMPT

pytestmark = pytest.mark.integration


def test_generate_regenerate_and_lab_on_the_embedded_model(store, prompts, tmp_path):
    screen = GenerateScreen(PROMPT, objectives=["Understand syncopation"], backend="embedded", request_timeout=600,
                            max_repair_rounds=0, export_dir=tmp_path)
    screen.generate_button.click()
    assert screen.mashup is not None, screen.status.value
    stored = store.get_mashup(screen.session_id)
    assert f'<h1 class="litmash-title">{escape(stored.title)}</h1>' in screen.page.value
    runs = store.agent_runs(screen.session_id)  # the song agents make several short calls
    # every agent but the teaching guide, which the templates word on the embedded model
    assert stored.metadata.backend == "embedded" and {r.agent for r in runs} == {
        "educational_context", "genre_analyzer", "theory_integrator", "hook_generator", "lyrics_composer"}
    assert len(runs) == len(stored.metadata.agent_runs)
    assert screen.progress.bar.value == screen.progress.bar.max

    before = screen.mashup
    screen.section.value = "hooks"
    screen.regenerate_button.click()
    assert screen.mashup is not before, screen.status.value
    assert screen.mashup.lyrics == before.lyrics and screen.mashup.teaching_guide == before.teaching_guide
    assert screen.mashup.metadata.agent_runs[-1].agent == "hook_generator"
    assert screen.mashup.metadata.agent_runs[-1].completion_tokens > 0

    lab = PromptLab("hook_generator", seeds=1, backend="embedded", request_timeout=600, prompts_dir=prompts)
    lab.session.value = str(screen.session_id)
    lab.edit("Use words like {vocabulary}.", "Use vivid words like {vocabulary}.")
    lab.run_button.click()
    assert [t.variant for t in lab.trials] == ["current", "edited"], lab.status.value
    for t in lab.trials:
        assert t.seconds > 0 and (t.ok and t.tokens > 0 and t.chars > 0 or t.error)
    assert "edited: seconds" in lab.results.value
