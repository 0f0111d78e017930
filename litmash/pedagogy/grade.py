"""The grade band a lesson is planned for: from the stated grade or age, the prompt, or the level."""

from __future__ import annotations

import re

# When nothing says the grade: the level's usual learners (upper elementary, middle school, high school).
BY_LEVEL = {"beginner": "5", "intermediate": "8", "advanced": "E.I"}
# High-school learners at the Ensembles strand's levels: Proficient, or Accomplished when advanced.
HIGH_SCHOOL = {"beginner": "E.I", "intermediate": "E.I", "advanced": "E.II"}

_WORDS: list[tuple[str, str]] = [
    (r"\b(pre-?k|pre-?school|nursery|kindergarten|reception)\b", "K"),
    (r"\b(elementary|primary)\b", "4"),
    (r"\b(middle[ -]school|junior[ -]high|intermediate school)\b", "7"),
    (r"\b(high[ -]school|secondary|teen(ager)?s?|gcse|a-level|college|universit(y|ies)|adults?)\b", "HS"),
]


def _grade_number(n: int) -> str:
    return "K" if n <= 0 else str(n) if n <= 8 else "HS"


def stated_grade(text: str) -> str | None:
    """'K', '1'..'8' or 'HS' when ``text`` states a grade, year, age or school stage; else None."""
    t = text.lower()
    if m := re.search(r"\b(\d{1,2})(st|nd|rd|th)?[ -]grade(rs)?\b|\bgrades? (\d{1,2})\b", t):
        return _grade_number(int(m.group(1) or m.group(4)))
    if m := re.search(r"\byear (\d{1,2})\b", t):  # UK years run one ahead of US grades
        return _grade_number(int(m.group(1)) - 1)
    if m := re.search(r"\bages? (\d{1,2})\b|\b(\d{1,2})[ -]?(year[ -]olds?|yo)\b", t):
        return _grade_number(int(m.group(1) or m.group(2)) - 5)
    for pattern, grade in _WORDS:
        if re.search(pattern, t):
            return grade
    return None


def grade_band(level: str, grade_or_age: str | None, prompt: str) -> str:
    """The catalogue grade ('K'..'8', or 'E.I'/'E.II' for high school) for these learners."""
    stated = (grade_or_age and stated_grade(grade_or_age)) or stated_grade(prompt)
    if stated == "HS":
        return HIGH_SCHOOL[level]
    return stated or BY_LEVEL[level]
