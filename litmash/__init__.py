"""litmash: educational music mashups from local LLMs.

The public names load on first use (PEP 562), so importing a light module such as
``litmash.domain.request`` or ``litmash.knowledge`` pays for neither LangGraph nor pandas.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "Event": "litmash.workflow.api",
    "assemble": "litmash.workflow.api",
    "generate": "litmash.workflow.api",
    "history": "litmash.workflow.api",
    "load": "litmash.workflow.api",
    "resume": "litmash.workflow.api",
    "stream": "litmash.workflow.api",
    "build_graph": "litmash.workflow.graph",
    "Settings": "litmash.config",
    "Mashup": "litmash.domain.mashup",
    "MashupRequest": "litmash.domain.request",
    "BackendUnavailable": "litmash.errors",
    "ConfigError": "litmash.errors",
    "InvalidOutput": "litmash.errors",
    "LLMTimeout": "litmash.errors",
    "LitmashError": "litmash.errors",
    "ModelNotFound": "litmash.errors",
}
__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # the names as type checkers and editors see them
    from litmash.config import Settings  # noqa: F401
    from litmash.domain.mashup import Mashup  # noqa: F401
    from litmash.domain.request import MashupRequest  # noqa: F401
    from litmash.errors import (  # noqa: F401
        BackendUnavailable,
        ConfigError,
        InvalidOutput,
        LitmashError,
        LLMTimeout,
        ModelNotFound,
    )
    from litmash.workflow.api import Event, assemble, generate, history, load, resume, stream  # noqa: F401
    from litmash.workflow.graph import build_graph  # noqa: F401


def __getattr__(name: str):
    """Load a public name from its module on first use."""
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'litmash' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
