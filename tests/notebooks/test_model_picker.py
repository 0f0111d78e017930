"""The 01_generate screen's backend and model pickers against the loopback Ollama stand-in.

Buttons are clicked as a person would; the pull's progress bar is read back from the widget.
"""

from __future__ import annotations

import pytest

from litmash.ui import GenerateScreen

from ..support.ollama_server import FakeOllama
from ..support.openai_server import FakeOpenAI

NEW = "smollm2:135m"


@pytest.fixture
def ollama():
    server = FakeOllama()
    yield server
    server.close()


@pytest.fixture
def screen(ollama, tmp_path) -> GenerateScreen:
    return GenerateScreen(backend="ollama", ollama_base_url=ollama.url, request_timeout=5, persist=False,
                          data_dir=tmp_path / "data")


def test_the_model_picker_offers_ollamas_models(screen):
    assert list(screen.model.options) == ["llama3.1:8b-instruct", "nomic-embed-text:latest"]
    assert screen.models_note.value.endswith(">ollama: 2 model(s)</span>")
    assert screen.pull_button.layout.display is None  # Ollama can pull


def test_pull_button_fills_the_bar_and_offers_the_model(screen, ollama):
    screen.model.value = NEW
    assert f"{NEW} is not there: press Pull model" in screen.models_note.value  # after a refresh
    screen.pull_button.click()

    assert ollama.pulls() == [NEW]
    assert (screen.pull_bar.value, screen.pull_bar.bar_style, screen.pull_bar.layout.display) == (1.0, "success", None)
    assert NEW in screen.model.options and screen.status.value == f"<span>pulled {NEW}</span>"
    assert not screen.generate_button.disabled


def test_a_failed_pull_is_one_red_line(screen, ollama):
    assert screen.pull_model("nosuch:7b") is False
    assert screen.status.failed and "pull of &#x27;nosuch:7b&#x27; failed: pull model manifest: file does not exist" \
        in screen.status.value
    assert screen.pull_bar.bar_style == "danger"
    assert not screen.pull_button.disabled


def test_switching_backend_lists_its_models_and_hides_pull(screen):
    server = FakeOpenAI()
    try:
        screen.base_settings = screen.base_settings.model_copy(update={"openai_base_url": server.url})
        screen.backend.value = "openai"
    finally:
        server.close()
    assert list(screen.model.options) == ["qwen2.5-7b-instruct", "default"]
    assert screen.pull_button.layout.display == "none"


def test_an_unreachable_backend_is_a_note_not_a_crash(screen):
    screen.base_settings = screen.base_settings.model_copy(update={"ollama_base_url": "http://127.0.0.1:1"})
    assert screen.refresh_models() == []
    assert "cannot reach Ollama at http://127.0.0.1:1" in screen.models_note.value
    assert list(screen.model.options) == [] and screen.pull_button.layout.display == "none"


def test_generate_with_auto_pull_shows_the_pull_in_the_bar(ollama, tmp_path):
    screen = GenerateScreen("Blend jazz and hip-hop for a high-school class", backend="ollama", model=NEW, ollama_base_url=ollama.url, ollama_auto_pull=True,
                            request_timeout=5, persist=False, data_dir=tmp_path / "data", max_repair_rounds=0)
    m = screen.generate(raise_errors=True)

    assert ollama.pulls() == [NEW] and m.metadata.model == NEW
    assert (screen.pull_bar.value, screen.pull_bar.bar_style) == (1.0, "success")


def test_exports_go_to_an_exports_folder_by_default(tmp_path, monkeypatch, ollama):
    monkeypatch.chdir(tmp_path)
    screen = GenerateScreen(backend="ollama", ollama_base_url=ollama.url, persist=False, data_dir=tmp_path / "data")
    assert screen.export_dir == tmp_path / "exports"
