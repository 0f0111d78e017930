"""The request rendered as prompt variables every agent's prompt may use."""

from __future__ import annotations

from litmash.domain.request import MashupRequest
from litmash.knowledge import knowledge

# Placeholders every agent prompt may use (plus the agent's own, listed by the agent).
REQUEST_VARS = {"prompt", "skill_level", "context", "objectives", "genre_hints", "audience", "lesson_minutes", "schema"}


def request_vars(req: MashupRequest, requested: list[str]) -> dict[str, str]:
    """The request (and the genre ids it names) rendered as prompt variables."""
    return {
        "prompt": req.user_prompt,
        "skill_level": req.skill_level,
        "context": req.educational_context.replace("_", " "),
        "objectives": bullets(req.learning_objectives) or "(none given: choose suitable ones)",
        # The genres the teacher named, in the prompt too: a small model keeps to a list it is given.
        "genre_hints": ", ".join(knowledge().get(g).name for g in requested) or "(none named)",
        "audience": req.grade_or_age or "(not stated)",
        "lesson_minutes": str(req.minutes),
    }


def bullets(items: list[str]) -> str:
    """Items as a Markdown bullet list."""
    return "\n".join(f"- {item}" for item in items)
