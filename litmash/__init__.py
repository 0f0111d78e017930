"""litmash: educational music mashups from local LLMs."""

from litmash.config import Settings
from litmash.domain.mashup import Mashup
from litmash.domain.request import MashupRequest
from litmash.errors import (
    BackendUnavailable,
    ConfigError,
    InvalidOutput,
    LitmashError,
    LLMTimeout,
    ModelNotFound,
)
from litmash.workflow.api import Event, assemble, generate, history, load, resume, stream
from litmash.workflow.graph import build_graph

__all__ = [
    "BackendUnavailable",
    "ConfigError",
    "Event",
    "InvalidOutput",
    "LLMTimeout",
    "LitmashError",
    "Mashup",
    "MashupRequest",
    "ModelNotFound",
    "Settings",
    "assemble",
    "build_graph",
    "generate",
    "history",
    "load",
    "resume",
    "stream",
]
