"""Prompt templates: one YAML file per agent, loaded into a strict model with its content hash."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import ClassVar, TypeVar

import yaml
from langchain_core.prompts import PromptTemplate as _LCTemplate
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from litmash.errors import ConfigError, one_line

_REPO_PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


class PromptFile(BaseModel):
    """What every prompt file has; subclasses list their message templates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(exclude=True)
    sha256: str = Field(exclude=True)
    text: str = Field(exclude=True)
    description: str

    def variables(self) -> set[str]:
        """The placeholders the templates use."""
        return {
            v
            for field, value in self
            if field not in ("name", "sha256", "text", "description")
            for v in _LCTemplate.from_template(value).input_variables
        }


class AgentPrompt(PromptFile):
    """An LLM agent's prompt: a system and a user message with ``{placeholders}``."""

    system: str
    user: str

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) with every placeholder filled."""
        return self.system.format(**values), self.user.format(**values)


def prompts_dir(configured: Path | None = None) -> Path:
    """The folder prompts are read from: configured, the source checkout's, or the bundled copy."""
    if configured is not None:
        return Path(configured)
    if _REPO_PROMPTS.is_dir():
        return _REPO_PROMPTS
    return Path(str(resources.files("litmash") / "_prompts"))


def _placeholders(template: str) -> set[str]:
    """The ``{placeholders}`` of one template; a malformed one is a ValueError."""
    return set(_LCTemplate.from_template(template).input_variables)


class FeedbackPrompt(PromptFile):
    """The content validator's messages back to an agent: repair problems, retry bad JSON."""

    # Each message is formatted with exactly these values, so each must use exactly them:
    # checked when the file is loaded, not when a repair round first needs the message.
    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "repair": frozenset({"problems"}),
        "retry": frozenset({"error"}),
    }

    repair: str
    retry: str

    @field_validator("repair", "retry")
    @classmethod
    def _exact_placeholders(cls, value: str, info: ValidationInfo) -> str:
        want = cls.PLACEHOLDERS[info.field_name]
        used = _placeholders(value)
        if used != want:
            expected = ", ".join("{" + v + "}" for v in sorted(want))
            found = ", ".join("{" + v + "}" for v in sorted(used)) or "none"
            raise ValueError(f"must use exactly the placeholder(s) {expected} (found {found})")
        return value


P = TypeVar("P", bound=PromptFile)


def load_prompt(
    name: str,
    directory: Path | None = None,
    required: set[str] | None = None,
    kind: type[P] = AgentPrompt,
) -> P:
    """Read ``<name>.yaml``; check it uses exactly the placeholders an agent provides."""
    path = prompts_dir(directory) / f"{name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"prompt file not found: {path}") from None
    return _parse(kind, name, str(path), text, frozenset(required or ()))


_texts: dict[str, str] = {}


def prompt_text(sha256: str) -> str:
    """The text of a prompt version this process has loaded, by content hash."""
    return _texts[sha256]


@lru_cache(maxsize=128)
def _parse(kind: type[P], name: str, where: str, text: str, required: frozenset[str]) -> P:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"prompt {where}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"prompt {where}: expected a mapping with keys {sorted(set(kind.model_fields) - {'name', 'sha256', 'text'})}")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _texts[sha] = text
    try:
        tpl = kind(name=name, sha256=sha, text=text, **data)
    except ValidationError as exc:
        raise ConfigError(f"prompt {where}: {one_line(exc)}") from None
    except TypeError as exc:
        raise ConfigError(f"prompt {where}: {exc}") from None
    if required:
        try:
            used = tpl.variables()
        except ValueError as exc:  # e.g. an unclosed '{'
            raise ConfigError(f"prompt {where}: malformed placeholder ({exc})") from None
        if unknown := used - required:
            raise ConfigError(
                f"prompt {where}: unknown placeholder(s) {sorted(unknown)}; allowed: {sorted(required)}"
            )
        if "schema" in required and "schema" not in used:
            raise ConfigError(f"prompt {where}: must include the {{schema}} placeholder")
    return tpl
