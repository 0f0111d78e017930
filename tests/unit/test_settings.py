"""Settings: local defaults, overridden by LITMASH_* variables and a .env file in the cwd."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from litmash.config import Settings
from litmash.errors import one_line


def test_defaults_are_local():
    s = Settings()
    assert (s.backend, s.model, s.max_tokens, s.max_retries, s.max_repair_rounds) == ("auto", None, 2048, 2, 1)
    assert s.ollama_base_url.startswith("http://127.0.0.1:")
    assert s.openai_base_url.startswith("http://127.0.0.1:")


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("LITMASH_BACKEND", "ollama")
    monkeypatch.setenv("LITMASH_MAX_TOKENS", "1024")
    monkeypatch.setenv("LITMASH_SEED", "7")
    monkeypatch.setenv("LITMASH_PROMPTS_DIR", "/srv/prompts")
    s = Settings()
    assert (s.backend, s.max_tokens, s.seed, s.prompts_dir) == ("ollama", 1024, 7, Path("/srv/prompts"))


def test_dotenv_in_cwd_overrides_defaults_and_env_beats_dotenv(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("LITMASH_MODEL=qwen2.5:3b\nLITMASH_TEMPERATURE=0.2\nLITMASH_MAX_RETRIES=5\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LITMASH_MAX_RETRIES", "1")
    s = Settings()
    assert (s.model, s.temperature, s.max_retries) == ("qwen2.5:3b", 0.2, 1)


def test_dotenv_elsewhere_is_ignored(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("LITMASH_MODEL=qwen2.5:3b\n")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert Settings().model is None


@pytest.mark.parametrize("source", ["argument", "environment"])
def test_invalid_backend_is_refused_naming_backend(source, monkeypatch):
    if source == "environment":
        monkeypatch.setenv("LITMASH_BACKEND", "llamafile")
    with pytest.raises(ValidationError) as info:
        Settings(backend="llamafile") if source == "argument" else Settings()
    message = one_line(info.value)
    assert message.startswith("invalid Settings: backend: Input should be 'auto', 'ollama', 'openai' or 'embedded'")
    assert "(got 'llamafile')" in message


@pytest.mark.parametrize(("var", "value", "field"), [("LITMASH_MAX_TOKENS", "10", "max_tokens"),
                                                     ("LITMASH_REQUEST_TIMEOUT", "0", "request_timeout"),
                                                     ("LITMASH_MAX_REPAIR_ROUNDS", "11", "max_repair_rounds")])
def test_out_of_range_values_are_refused(var, value, field, monkeypatch):
    monkeypatch.setenv(var, value)
    with pytest.raises(ValidationError) as info:
        Settings()
    assert f"{field}: " in one_line(info.value)
