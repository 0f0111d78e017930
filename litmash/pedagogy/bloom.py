"""Measurable objectives: Bloom levels of an objective's opening verb, and rewrites of vague openings."""

from __future__ import annotations

import re
from functools import cache

from litmash.pedagogy.data import BloomLevel, bloom

ORDER: tuple[BloomLevel, ...] = ("remember", "understand", "apply", "analyse", "evaluate", "create")


@cache
def _verbs() -> dict[str, BloomLevel]:
    return {v: lv.id for lv in bloom().levels for v in lv.verbs}


def _first_word(text: str) -> str:
    m = re.match(r"\s*([A-Za-z]+)", text)
    return m.group(1).lower() if m else ""


def level_of(objective: str) -> BloomLevel | None:
    """The Bloom level of the verb that opens ``objective``, or None when it opens with no Bloom verb."""
    return _verbs().get(_first_word(objective))


def at_least(level: BloomLevel | None, floor: BloomLevel) -> bool:
    """Whether ``level`` is ``floor`` or higher in the taxonomy."""
    return level is not None and ORDER.index(level) >= ORDER.index(floor)


def measurable(objective: str) -> str:
    """The objective opening with a Bloom verb: kept when it does, else its vague opening rewritten."""
    text = " ".join(objective.split()).rstrip(".")
    for _ in range(3):  # "Students will be able to understand ..." peels in steps
        if level_of(text):
            return text[0].upper() + text[1:]
        low = text.lower()
        for rw in bloom().rewrites:
            if low == rw.opening or low.startswith(rw.opening + " "):
                rest = text[len(rw.opening):].strip()
                if rw.template is None:
                    text = rest
                    break
                return rw.template.format(rest=rest)
        else:
            break
    return bloom().fallback.format(rest=text[0].lower() + text[1:] if text[:2] != text[:2].upper() else text)
