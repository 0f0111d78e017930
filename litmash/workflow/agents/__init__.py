"""The agents: one module each; a node takes (state, runtime) and returns the keys it changes."""

from litmash.workflow.agents.content_validator import content_validator
from litmash.workflow.agents.educational_context import educational_context
from litmash.workflow.agents.genre_analyzer import genre_analyzer
from litmash.workflow.agents.hook_generator import hook_generator
from litmash.workflow.agents.lyrics_composer import lyrics_composer
from litmash.workflow.agents.teaching_guide import teaching_guide
from litmash.workflow.agents.theory_integrator import theory_integrator

__all__ = [
    "content_validator",
    "educational_context",
    "genre_analyzer",
    "hook_generator",
    "lyrics_composer",
    "teaching_guide",
    "theory_integrator",
]
