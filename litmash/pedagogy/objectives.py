"""The lesson's objectives: the teacher's rewritten to be measurable, plus one at Apply or above when none is."""

from __future__ import annotations

from litmash.domain.lesson import Objective
from litmash.pedagogy.bloom import at_least, level_of, measurable

MAX_OBJECTIVES = 10


def _third_person(verb: str) -> str:
    """'explain' -> 'explains', 'identify' -> 'identifies', 'analyse' -> 'analyses'."""
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "z")) else "s")


def by_code(level: str, facts: dict[str, str]) -> list[Objective]:
    """Objectives when the teacher gave none: understand, analyse, and one to do (apply or create by level)."""
    texts = [
        f"Explain how {facts['concept']} shapes the chorus",
        f"Analyse how {facts['genres']} each shape the song's rhythm",
        apply_objective(level, facts),
    ]
    return [Objective(text=t, bloom=level_of(t), source="code") for t in texts]


def apply_objective(level: str, facts: dict[str, str]) -> str:
    """An objective at Apply or above that the lesson's perform or create step serves."""
    return {
        "beginner": f"Perform the chorus in time with the beat at {facts['tempo']} BPM",
        "intermediate": "Write two verse lines that fit the melody and lead into the hook",
        "advanced": f"Compose a four-bar answer to the hook over the chorus chords {facts['romans']}",
    }[level]


def objectives(teacher: list[str], level: str, facts: dict[str, str]) -> list[Objective]:
    """The teacher's objectives made measurable, or code's; always one at Apply or above."""
    if not teacher:
        return by_code(level, facts)
    out = []
    for original in teacher[:MAX_OBJECTIVES]:
        text = measurable(original)
        out.append(Objective(text=text, bloom=level_of(text), source="teacher",
                             original=None if text == original else original))
    if not any(at_least(o.bloom, "apply") for o in out):
        text = apply_objective(level, facts)
        out.append(Objective(text=text, bloom=level_of(text), source="code"))
    return out


def rubric_cells(objective: str) -> tuple[str, str, str]:
    """(beginning, developing, secure) descriptors for one objective."""
    verb, _, rest = objective.partition(" ")
    does = f"{_third_person(verb.lower())} {rest}".strip()
    return (f"With help: {does}.", f"With a few errors or prompts: {does}.", f"Independently and accurately: {does}.")
