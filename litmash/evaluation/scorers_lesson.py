"""Scorers of the teaching guide: real standards codes, measurable objectives, real words (all required)."""

from __future__ import annotations

from ..models import Mashup
from ..pedagogy.bloom import at_least, level_of
from ..pedagogy.lesson import guide_prose
from ..pedagogy.standards import grade_of, valid
from ..pedagogy.text import REAL_WORDS, allowed_words, real_word_share
from .datasets import Case
from .scorers import RunInfo, Score, from_checks, register


def _blend(m: Mashup) -> list[str]:
    return [g.genre_id for g in m.genre_blend if g.genre_id]


@register("standards_valid")
def standards_valid(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Standards: at least one is cited, and every cited code is in the catalogue and at the lesson's grade."""
    g = m.teaching_guide
    codes = [s.code for s in g.standards] + [c for step in g.lesson_plan for c in step.standards]
    checks = [(bool(g.standards), "the guide cites at least one standard")]
    checks += [(valid(c), f"{c} is a real NCAS music code") for c in dict.fromkeys(codes)]
    checks += [(valid(c) and grade_of(c) == g.grade, f"{c} is at the lesson's grade {g.grade}")
               for c in dict.fromkeys(codes)]
    return from_checks(checks)


@register("objectives_bloom")
def objectives_bloom(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Objectives: each opens with a Bloom verb, one is at Apply or above, and every step serves one."""
    g = m.teaching_guide
    checks = [(level_of(o.text) is not None, f"objective {o.text!r} opens with a Bloom verb") for o in g.objectives]
    checks.append((any(at_least(level_of(o.text), "apply") for o in g.objectives), "an objective at Apply or above"))
    checks += [(s.objective is not None and 1 <= s.objective <= len(g.objectives),
                f"step {s.title!r} names the objective it serves") for s in g.lesson_plan]
    return from_checks(checks)


@register("guide_real_words")
def guide_real_words(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Real words: at least 97 % of the guide's words are English or names from the genre base."""
    share = real_word_share(guide_prose(m.teaching_guide), allowed_words(_blend(m)))
    return Score(value=round(min(1.0, share / REAL_WORDS), 4), passed=share >= REAL_WORDS,
                 detail=f"{share:.1%} real words")
