"""The teaching approach: the model's sentences when they pass the lesson-text checks, else the
approach of the lesson template for the educational context (data, with the genres' names)."""

from __future__ import annotations

from litmash.knowledge import knowledge
from litmash.language.lexicon import words
from litmash.pedagogy.data import lessons
from litmash.pedagogy.text import allowed_words, problems

MIN_WORDS = 10  # "how to teach it, in two or three sentences": a label or a fragment is not an approach


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def template_approach(context: str, genres: list[str]) -> str:
    """The lesson template's approach for ``context``, naming ``genres`` (genre-base ids)."""
    kb = knowledge()
    names = [kb.get(g).name for g in genres if g in kb.genres] or ["these styles"]
    return lessons().templates[context].approach.format(genres=_names(names))


def approach_problems(text: str, level: str, genres: list[str]) -> list[str]:
    """Why ``text`` cannot stand as the approach: the lesson-text checks (placeholders, copied
    instructions, chatter, dates, non-words, stray genres, facts, reading level, on the music)."""
    out = problems(text, level, genres, allowed_words(genres))
    if len(words(text)) < MIN_WORDS:
        out.append(f"say how the lesson teaches, in at least {MIN_WORDS} words")
    if not text[:1].isupper() or not text.rstrip().endswith((".", "!")):
        out.append("write whole sentences, each starting with a capital letter and ending with a full stop")
    if any(c in text for c in "[]{}<>"):
        out.append("remove the brackets: they mark an unfilled template")
    return out


def choose_approach(text: str, level: str, context: str, genres: list[str]) -> tuple[str, str, list[str]]:
    """(approach, source, problems): the model's ``text`` (source 'model') when it passes every check,
    else the template's (source 'data') and the model's text's problems."""
    found = approach_problems(text, level, genres)
    if not found:
        return text, "model", []
    return template_approach(context, genres), "data", found
