"""Scorers of the lesson: real standards codes, measurable objectives, real words, the approach (all required)."""

from __future__ import annotations

from litmash.domain.mashup import Mashup
from litmash.evaluation.datasets import Case
from litmash.evaluation.registry import RunInfo, Score, from_checks, register
from litmash.pedagogy.approach import approach_problems
from litmash.pedagogy.bloom import at_least, level_of
from litmash.pedagogy.lesson import guide_prose
from litmash.pedagogy.standards import grade_of, valid
from litmash.pedagogy.text import REAL_WORDS, allowed_words, real_word_share
from litmash.workflow.checks import requested_genres


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


@register("approach_prose")
def approach_prose(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Teaching approach: whole sentences of real words about the music, with no placeholder, copied
    instruction, chatter, date or stray genre, at the level's reading grade (the lesson-text checks)."""
    found = approach_problems(m.educational_content.teaching_approach, m.request.skill_level,
                              requested_genres(m.request))
    source = getattr(m.educational_content, "approach_source", "model")
    return Score(value=0.0 if found else 1.0, passed=not found,
                 detail="; ".join(found[:3]) or f"the {'lesson template' if source == 'data' else 'model'}'s approach")
