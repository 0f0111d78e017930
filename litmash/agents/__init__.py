"""The agents: one module each; a node takes (state, runtime) and returns the keys it changes."""

from .content_validator import content_validator
from .educational_context import educational_context
from .genre_analyzer import genre_analyzer
from .hook_generator import hook_generator
from .lyrics_composer import lyrics_composer
from .teaching_guide import teaching_guide
from .theory_integrator import theory_integrator

__all__ = [
    "content_validator",
    "educational_context",
    "genre_analyzer",
    "hook_generator",
    "lyrics_composer",
    "teaching_guide",
    "theory_integrator",
]
