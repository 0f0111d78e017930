"""litmash: educational music mashups from local LLMs."""

from .api import Event, assemble, generate, history, load, resume, stream
from .config import Settings
from .errors import (
    BackendUnavailable,
    ConfigError,
    InvalidOutput,
    LitmashError,
    LLMTimeout,
    ModelNotFound,
)
from .graph import build_graph
from .models import Mashup, MashupRequest

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
