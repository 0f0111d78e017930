"""Content checks shared by the content validator and the evaluation scorers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

from better_profanity import profanity
from pydantic import BaseModel

from litmash.domain.lesson import EducationalContent, TeachingGuide
from litmash.domain.mashup import GenreAnalysis, GenreStudy, Mashup, TheoryAnalysis, ValidationProblem
from litmash.domain.request import MashupRequest
from litmash.domain.song import HookSet, Lyrics
from litmash.knowledge import knowledge, resolve
from litmash.knowledge.facts import fact_problems
from litmash.knowledge.resolve import names_genre

# Which agent writes which section: where the validator sends a problem back to.
SECTION_AGENT: dict[str, str] = {
    "educational_content": "educational_context",
    "genre_blend": "genre_analyzer",
    "hooks": "hook_generator",
    "lyrics": "lyrics_composer",
    "theory_analysis": "theory_integrator",
    "teaching_guide": "teaching_guide",
}

_PLACEHOLDER = re.compile(
    r"lorem ipsum|\bplaceholder\b|\bTODO\b|\bTBD\b|\bgenre ?\d\b|\bartist ?\d\b|\bhook ?\d\b"
    r"|<[^<>]{1,30}>|\[[^\[\]]{1,30}\]|^\s*(string|text|example|n/?a|none|\.{3,}|…)\s*$",
    re.IGNORECASE,
)
NEAR_DUPLICATE = 0.9


def strings(value: object) -> Iterable[str]:
    """Every string inside a model, list or dict."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for _, v in value:
            yield from strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings(v)


def placeholder_texts(value: object) -> list[str]:
    """Strings that look like template filler rather than content."""
    return [s for s in strings(value) if _PLACEHOLDER.search(s)]


# Words of music and its history that better_profanity's list flags (found by running it over the
# genre base): an instrument, a drum stroke, sacred music, a composer, a style. Names that are
# flagged for a reason ("Sex Pistols") stay flagged.
MUSIC_WORDS = ("organ", "organs", "stroke", "strokes", "two-stroke", "God", "Reich", "doo-wop", "honky-tonk",
               "oral", "Len", "Toots", "Wang", "Woody")
_MUSIC_WORD = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, MUSIC_WORDS)) + r")(?![\w-])", re.IGNORECASE)
# Meter and tempo figures: "as 5/4" reads as a slur to the list's digit-for-letter matching.
_FIGURE = re.compile(r"\b\d+(/\d+)?\b")


@lru_cache(maxsize=4096)
def is_unsafe(text: str) -> bool:
    """Whether a classroom word list (better_profanity's) flags ``text``, music's own words aside."""
    return profanity.contains_profanity(_FIGURE.sub(" ", _MUSIC_WORD.sub(" ", text)))


def unsafe_texts(value: object) -> list[str]:
    """Strings a classroom word list flags."""
    return [s for s in strings(value) if is_unsafe(s)]


def duplicates(items: list[str]) -> list[tuple[str, str]]:
    """Pairs of items that are equal or nearly so (case and punctuation ignored)."""
    keys = [re.sub(r"[^\w\s]", "", normalise(i)) for i in items]
    return [
        (items[i], items[j])
        for i in range(len(items))
        for j in range(i + 1, len(items))
        if keys[i] == keys[j] or SequenceMatcher(None, keys[i], keys[j]).ratio() >= NEAR_DUPLICATE
    ]


def normalise(text: str) -> str:
    """Lower case, hyphens and slashes as spaces, single spaces (so 'Hip-Hop' == 'hip hop')."""
    return re.sub(r"\s+", " ", re.sub(r"[-_/&]+", " ", text.lower())).strip()


def requested_genres(request: MashupRequest) -> list[str]:
    """The genre-base ids the request names: its genre hints first, then its prompt's (at most 3)."""
    return list(resolve(request.user_prompt, request.genres).ids)


def section_strings(value: BaseModel) -> list[str]:
    """The strings the model wrote in a section: not the genre base's facts (signature elements,
    a role the base stood in for), not the lyrics' section labels."""
    if isinstance(value, GenreAnalysis):
        return [g.role_in_blend for g in value.genres if g.role_source == "model"]
    if isinstance(value, Lyrics):
        return [line for s in value.sections for line in s.lines]
    if isinstance(value, EducationalContent):
        # the approach when the template's stands in is data, and the reasons kept beside it quote
        # the refused text: neither is the model's prose
        approach = [value.teaching_approach] if getattr(value, "approach_source", "model") == "model" else []
        return [*value.learning_goals, *approach, *value.vocabulary]
    if isinstance(value, TeachingGuide) and value.objectives:
        # the skeleton (objectives, standards, quizzes, materials, template steps) is code's and the base's
        return ([s.description for s in value.lesson_plan if s.description_source == "model"]
                + value.discussion_questions + [t for a in value.activities for t in (a.name, a.description)])
    return list(strings(value))


def not_the_teachers(texts: list[str], request: MashupRequest) -> list[str]:
    """``texts`` without the teacher's own words (an objective or the prompt copied into a goal):
    'Clap the offbeat skank' is the teacher's reggae term, not the model's language."""
    teacher = {normalise(t) for t in (request.user_prompt, *request.learning_objectives)}
    return [t for t in texts if normalise(t) not in teacher]


def section_prose(value: BaseModel) -> str:
    """The text the model wrote in a section, one string per line."""
    return "\n".join(section_strings(value))


def lyrics_text(lyrics: Lyrics) -> str:
    """All lyric lines as one text."""
    return "\n".join(line for s in lyrics.sections for line in s.lines)


def find_problems(
    request: MashupRequest,
    educational: EducationalContent,
    genres: GenreAnalysis,
    hooks: HookSet,
    lyrics: Lyrics,
    theory: TheoryAnalysis,
    teaching: TeachingGuide,
    requested: list[str] | None = None,
) -> list[ValidationProblem]:
    """Every completeness and consistency problem of a draft mashup, per section (``requested``: the genre
    ids the request names, when already resolved)."""
    sections: dict[str, BaseModel] = {
        "educational_content": educational, "genre_blend": genres, "hooks": hooks,
        "lyrics": lyrics, "theory_analysis": theory, "teaching_guide": teaching,
    }
    out: list[ValidationProblem] = []

    def problem(section: str, message: str, repairable: bool = True) -> None:
        out.append(ValidationProblem(section=section, message=message, repairable=repairable))

    for name, value in sections.items():
        for s in placeholder_texts(section_strings(value))[:3]:
            problem(name, f"placeholder text instead of content: {s[:60]!r}")
        for s in unsafe_texts(not_the_teachers(section_strings(value), request))[:3]:
            problem(name, f"language not safe for a classroom: {s[:60]!r}")

    kb = knowledge()
    blend = [g.genre_id for g in genres.genres if g.genre_id in kb.genres]
    for a, b in duplicates([g.genre_id for g in genres.genres]):
        problem("genre_blend", f"genres {a!r} and {b!r} are the same; blend different genres")
    text = lyrics_text(lyrics)
    for wanted in requested_genres(request) if requested is None else requested:
        name = kb.get(wanted).name
        if wanted not in blend:
            problem("genre_blend", f"the requested genre {name!r} is missing from the blend")
        elif not names_genre(wanted, text):
            problem("lyrics", f"the lyrics never mention {name!r}, a requested genre")
    for name, value in sections.items():
        for message in fact_problems(section_prose(value), blend, kb)[:3]:
            problem(name, message)

    for a, b in duplicates([h.text for h in hooks.hooks]):
        problem("hooks", f"hooks {a!r} and {b!r} are (nearly) the same; make every hook distinct")
    # parts code filled in: a note for the teacher, not a repair (a new seed of the same small model
    # rarely writes what its first reply could not, and a round re-runs the whole song)
    for section, message in hook_notes(hooks) + lyric_notes(lyrics) + approach_notes(educational):
        problem(section, message, repairable=False)

    labels = {s.label for s in lyrics.sections}
    for needed in ("verse", "chorus"):
        if needed not in labels:
            problem("lyrics", f"no {needed} section; label one section {needed!r}")

    for a, _ in duplicates([c.name for c in theory.concepts]):
        problem("theory_analysis", f"concept {a!r} is explained twice")

    total = sum(step.minutes for step in teaching.lesson_plan)
    if total != teaching.lesson_minutes:
        problem(
            "teaching_guide",
            f"lesson steps add up to {total} minutes, not the {teaching.lesson_minutes}-minute lesson",
        )
    for a, _ in duplicates(teaching.discussion_questions):
        problem("teaching_guide", f"discussion questions repeat each other: {a!r}")
    for a, _ in duplicates(educational.learning_goals):
        problem("educational_content", f"learning goal repeated: {a!r}")
    return out


def hook_notes(hooks: HookSet) -> list[tuple[str, str]]:
    """Hooks code filled in: a set phrase naming the requested genres that no written hook named, and
    set phrases for too few written hooks passing their checks."""
    from litmash.lyrics.hooks import NAMING

    out = []
    if naming := [h.text for h in hooks.hooks if h.source == "code" and h.technique == NAMING]:
        out.append(("hooks", f"no written hook named every requested genre; the set phrase {naming[0]!r} "
                             f"leads the chorus"))
    if filled := [h.text for h in hooks.hooks if h.source == "code" and h.technique != NAMING]:
        out.append(("hooks", f"too few written hooks were real, singable, distinct words; set phrases stand in: "
                             f"{', '.join(repr(t) for t in filled)}"))
    return out


def approach_notes(educational: EducationalContent) -> list[tuple[str, str]]:
    """The lesson template's approach stood in for the model's, and why."""
    if educational.approach_source != "data":
        return []
    why = "; ".join(educational.approach_problems[:2]) or "it failed the lesson-text checks"
    return [("educational_content", f"the written teaching approach could not stand ({why}); "
                                    f"the lesson template's approach stands in")]


def lyric_notes(lyrics: Lyrics) -> list[tuple[str, str]]:
    """Lyric lines code filled in because the model's stayed invalid (at most three reported)."""
    return [("lyrics", note) for s in lyrics.sections for note in s.notes][:3]


def blend_of(m: Mashup) -> GenreAnalysis:
    """A stored mashup's blend as the genre analyzer's section (ids looked up for older runs)."""
    kb = knowledge()
    studies = []
    for b in m.genre_blend:
        gid = b.genre_id or (g.id if (g := kb.find(b.name)) else b.name)
        studies.append(GenreStudy.model_construct(
            genre_id=gid, name=b.name, role_in_blend=b.role_in_blend,
            signature_elements=b.signature_elements, chosen_by=b.chosen_by or "request",
            role_source=b.role_source or "model"))
    return GenreAnalysis.model_construct(genres=studies)


def mashup_sections(m: Mashup) -> dict[str, BaseModel]:
    """A stored mashup's sections as the agents' section models (rebuilt unvalidated), by section name."""
    return {
        "educational_content": m.educational_content, "genre_blend": blend_of(m),
        "hooks": HookSet.model_construct(title=m.title, hooks=m.hooks),
        "lyrics": Lyrics.model_construct(sections=m.lyrics),
        "theory_analysis": m.theory_analysis, "teaching_guide": m.teaching_guide,
    }


def model_strings(m: Mashup) -> list[str]:
    """Every string of a stored mashup that the model wrote (the genre base's facts excluded)."""
    return [s for value in mashup_sections(m).values() for s in section_strings(value)]
