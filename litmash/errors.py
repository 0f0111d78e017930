"""Typed litmash errors; each message is one actionable line."""

from __future__ import annotations

from pydantic import ValidationError


class LitmashError(Exception):
    """Base class: ``str(error)`` is a one-line message meant for the user."""


class ConfigError(LitmashError):
    """A setting or a prompt file is invalid."""


class BackendUnavailable(LitmashError):
    """The LLM server cannot be reached."""


class ModelNotFound(LitmashError):
    """The backend answers but does not have the model."""


class LLMTimeout(LitmashError):
    """One LLM call took longer than the request timeout."""


class InvalidOutput(LitmashError):
    """An agent's output stayed invalid after every retry."""

    def __init__(self, message: str, agent_run=None):
        super().__init__(message)
        self.agent_run = agent_run


def one_line(error: ValidationError) -> str:
    """Render a pydantic validation error as one line naming each field and what it allows."""
    parts = []
    for err in error.errors():
        field = ".".join(str(p) for p in err["loc"]) or error.title
        msg = err["msg"]
        if err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
        got = err.get("input")
        shown = f" (got {got!r})" if isinstance(got, (str, int, float)) and len(repr(got)) < 60 else ""
        parts.append(f"{field}: {msg}{shown}")
    return "invalid " + error.title + ": " + "; ".join(parts)
