"""The built-in scorers of the whole mashup (the lesson's and the lyrics' have modules of their own).

Each scorer reuses the content checks the validator uses (``litmash.workflow.checks``), so the eval and
the repair loop agree on what a problem is. ``register`` adds one; built-ins use the same seam.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ValidationError

from litmash.domain.lesson import EducationalPlan, TeachingPlan, TheoryConcept
from litmash.domain.mashup import GenreAnalysis, GenreStudy, Mashup
from litmash.domain.song import HookSet, Lyrics
from litmash.evaluation.datasets import Case
from litmash.evaluation.registry import RunInfo, Score, from_checks, register
from litmash.knowledge import knowledge
from litmash.knowledge.facts import claims
from litmash.knowledge.resolve import names_genre
from litmash.language.readability import reading_grade
from litmash.pedagogy.lesson import guide_prose
from litmash.pedagogy.text import READING_BANDS
from litmash.workflow.checks import (
    blend_of,
    lyrics_text,
    mashup_sections,
    model_strings,
    normalise,
    not_the_teachers,
    placeholder_texts,
    requested_genres,
    section_prose,
    unsafe_texts,
)


@register("structure")
def structure(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Structural completeness: every section present and filled, no placeholder text."""
    ec, th, tg = m.educational_content, m.theory_analysis, m.teaching_guide
    blend = {normalise(g.name) for g in m.genre_blend}
    context = {normalise(c.genre) for c in m.cultural_context}
    checks = [
        (bool(m.title.strip()), "no title"),
        (bool(ec.learning_goals and ec.teaching_approach and ec.vocabulary), "educational content incomplete"),
        (len(m.genre_blend) >= 2 and all(g.role_in_blend and g.signature_elements for g in m.genre_blend),
         "genre blend incomplete"),
        (bool(m.hooks), "no hooks"),
        (bool(m.lyrics) and all(s.lines for s in m.lyrics), "lyrics missing or with empty sections"),
        (bool(th.chord_progression and th.concepts and th.key and th.meter), "theory analysis incomplete"),
        (blend <= context, f"no cultural context for {', '.join(sorted(blend - context)) or '?'}"),
        (bool(tg.lesson_plan and tg.discussion_questions and tg.activities and tg.assessment.criteria),
         "teaching guide incomplete"),
    ]
    fillers = placeholder_texts(model_strings(m))
    checks.append((not fillers, f"placeholder text: {', '.join(repr(s[:40]) for s in fillers[:3])}"))
    return from_checks(checks)


def _educational_plan(m: Mashup) -> None:
    """The educational_context agent's part of the mashup, validated with its bounds. Once the lesson
    is planned by code, the learning goals and vocabulary are the guide's objectives and keywords
    (the teacher's five objectives stay five), and a template's approach is data: only a written
    approach is the agent's."""
    ec = m.educational_content
    if not m.teaching_guide.objectives:  # made before the lesson by code: all of it is the agent's
        EducationalPlan.model_validate(ec.model_dump(include={"learning_goals", "teaching_approach", "vocabulary"}))
    elif getattr(ec, "approach_source", "model") == "model":
        EducationalPlan.__pydantic_validator__.validate_assignment(
            EducationalPlan.model_construct(), "teaching_approach", ec.teaching_approach)


def _agent_models(m: Mashup) -> dict[str, Callable[[], BaseModel]]:
    """Each agent's output model rebuilt from the mashup, to be validated with all its bounds."""
    return {
        "mashup": lambda: Mashup.model_validate(m.model_dump(mode="json")),
        "educational_content": lambda: _educational_plan(m),
        "genre_blend": lambda: GenreAnalysis(genres=[GenreStudy.model_validate(b.model_dump()) for b in m.genre_blend]),
        "hooks": lambda: HookSet(title=m.title, hooks=[h.model_dump() for h in m.hooks]),
        "lyrics": lambda: Lyrics(sections=[s.model_dump() for s in m.lyrics]),
        "theory_analysis": lambda: [TheoryConcept.model_validate(c.model_dump()) for c in m.theory_analysis.concepts],
        "teaching_guide": lambda: TeachingPlan.model_validate(m.teaching_guide.model_dump(exclude={"lesson_minutes"})),
    }


@register("schema")
def schema(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Schema validity: every section still satisfies its agent's schema (bounds, enums, counts)."""
    checks = []
    for section, build in _agent_models(m).items():
        try:
            build()
            checks.append((True, section))
        except (ValidationError, ValueError) as exc:
            first = exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": (), "msg": str(exc)}
            where = ".".join(map(str, first["loc"]))
            checks.append((False, f"{section}: {where} {first['msg']}".strip()))
    return from_checks(checks)


def _wanted(case: Case, m: Mashup) -> list[str]:
    """The requested genres as genre-base ids: the case's expectation, else the request's."""
    kb = knowledge()
    if case.expect.genres:
        return [g.id if (g := kb.find(name)) else name for name in case.expect.genres]
    return requested_genres(m.request)


@register("genre_coverage")
def genre_coverage(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Genre coverage: every requested genre is in the blend."""
    blend = [g.genre_id for g in blend_of(m).genres]
    return from_checks([(g in blend, f"{g!r} not in the blend") for g in _wanted(case, m)])


@register("lyrics_name_genres")
def lyrics_name_genres(case: Case, m: Mashup, info: RunInfo) -> Score:
    """The lyrics name every requested genre."""
    kb = knowledge()
    text = lyrics_text(Lyrics.model_construct(sections=m.lyrics))
    return from_checks([(g in kb.genres and names_genre(g, text), f"{g!r} not named in the lyrics")
                        for g in _wanted(case, m)])


@register("grounded_facts")
def grounded_facts(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Grounded facts: the share of artists, dates, places and instruments the model's text names
    that the genre base backs for this blend (passes only when all are)."""
    kb = knowledge()
    sections = mashup_sections(m)
    blend = [g.genre_id for g in sections["genre_blend"].genres if g.genre_id in kb.genres]
    found = [(name, c) for name, value in sections.items() for c in claims(section_prose(value), blend, kb)]
    if not found:
        return Score(value=1.0, passed=True, detail="no artist, date, place or instrument named")
    bad = [f"{name}: {c.kind} {c.text!r} ({c.why})" for name, c in found if not c.ok]
    value = 1 - len(bad) / len(found)
    detail = f"{len(found) - len(bad)}/{len(found)} consistent" + (f"; {'; '.join(bad[:3])}" if bad else "")
    return Score(value=value, passed=not bad, detail=detail)


def music_of(m: Mashup):
    """The mashup's music block (computed now for a mashup stored before it existed)."""
    if m.music is not None:
        return m.music
    from litmash.music.compose import compose

    return compose([g.genre_id for g in blend_of(m).genres], m.request.skill_level, m.metadata.seed or 0)


@register("theory_valid")
def theory_valid(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Theory valid: every chord parses with music21 and agrees with its symbol and key (the value is
    the diatonic share; borrowed chords and secondary dominants are named in the detail)."""
    from litmash.music.validate import theory_report

    report = theory_report(music_of(m))
    detail = "; ".join([*report.problems[:3], *report.notes[:4]])
    return Score(value=report.share if not report.problems else 0.0, passed=not report.problems, detail=detail)


@register("melody_fits")
def melody_fits(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Melody fits: one note per syllable of the hook, in the stated key (Krumhansl–Schmuckler), in
    the level's singable range (the value is the share of stressed syllables on a beat)."""
    from litmash.music.validate import melody_report

    report = melody_report(music_of(m), m.request.skill_level)
    detail = "; ".join([*report.problems[:3], *report.notes])
    return Score(value=report.share if not report.problems else 0.0, passed=not report.problems, detail=detail)


@register("classroom_safety")
def classroom_safety(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Classroom safety: no text the classroom word list flags."""
    # the genre base's facts are curated and the teacher's objectives are the teacher's: not generated
    texts = not_the_teachers(model_strings(m), m.request)
    flagged = unsafe_texts(texts)
    return Score(
        value=round(1 - len(flagged) / max(1, len(texts)), 4), passed=not flagged,
        detail="; ".join(repr(s[:50]) for s in flagged[:3]) or f"{len(texts)} text(s) clean",
    )


def guide_text(m: Mashup) -> str:
    """The teaching guide as prose: every sentence a teacher or learner reads in it."""
    return guide_prose(m.teaching_guide)


@register("reading_level")
def reading_level(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Reading level: the teaching guide's Flesch-Kincaid grade within the band for the level."""
    lo, hi = case.expect.reading_grade or READING_BANDS[case.level]
    grade = reading_grade(guide_text(m), case.expect.language)
    distance = max(lo - grade, grade - hi, 0.0)
    return Score(
        value=round(max(0.0, 1 - distance / 4), 4), passed=distance == 0,
        detail=f"grade {grade:.1f}, band {lo:g}-{hi:g} for {case.level}",
    )


@register("lesson_timing")
def lesson_timing(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Lesson timing: the steps' minutes add up to the requested lesson length."""
    total = sum(s.minutes for s in m.teaching_guide.lesson_plan)
    target = m.request.minutes
    planned = m.teaching_guide.lesson_minutes
    return Score(
        value=round(max(0.0, 1 - abs(total - target) / target), 4),
        passed=total == target == planned,
        detail=f"steps add up to {total} min; lesson {planned} min; requested {target} min",
    )


@register("generation_time", required=False)
def generation_time(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Generation time: the mashup took no longer than the per-mashup limit."""
    return Score(
        value=round(min(1.0, info.time_limit / info.seconds), 4) if info.seconds > 0 else 1.0,
        passed=info.seconds <= info.time_limit,
        detail=f"{info.seconds:.1f}s of {info.time_limit:g}s"
        + (" (all LLM replies cached)" if info.cache_hits and not info.llm_calls else ""),
    )

