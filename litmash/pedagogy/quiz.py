"""Quizzes by code from the base's definitions, the song's key and known misconceptions; rules checked by code."""

from __future__ import annotations

import re

from music21 import key as m21key

from litmash.domain.music import MusicBlock
from litmash.knowledge import knowledge
from litmash.pedagogy.data import misconceptions

# Banned forms: a learner should choose the one true answer, not decode the question.
_BANNED = re.compile(r"\b(all|none|both) of the (above|these)\b", re.IGNORECASE)
_NEGATIVE = re.compile(r"\b(not|never|except|false|incorrect)\b|n't\b", re.IGNORECASE)
MAX_LENGTH_RATIO = 2.0  # the longest option at most twice the shortest: length must not give the answer away


def rule_problems(question: str, answer: str, distractors: list[str]) -> list[str]:
    """What breaks the quiz rules: one correct answer, two distinct plausible distractors, no banned forms."""
    options = [answer, *distractors]
    problems = []
    if len(distractors) != 2:
        problems.append(f"needs exactly 2 distractors, has {len(distractors)}")
    if len({o.strip().lower() for o in options}) != len(options):
        problems.append("an option repeats another")
    if any(_BANNED.search(o) for o in options):
        problems.append("uses 'all/none of the above'")
    if _NEGATIVE.search(question):
        problems.append("is a negative question")
    lengths = [len(o) for o in options]
    if min(lengths) == 0 or max(lengths) / min(lengths) > MAX_LENGTH_RATIO:
        problems.append("options differ too much in length")
    return problems


def _closest_in_length(target: str, pool: list[str], n: int = 2) -> list[str]:
    return sorted(pool, key=lambda s: (abs(len(s) - len(target)), s))[:n]


def concept_question(concept_id: str, exclude: set[str] = frozenset()) -> tuple[str, str, list[str], str]:
    """'Which sentence describes X?': the base's definition and two other concepts' definitions."""
    kb = knowledge()
    c = kb.concepts[concept_id]
    pool = [o.definition for cid, o in kb.concepts.items() if cid != concept_id and cid not in exclude]
    return (f"What does '{c.name}' mean?", c.definition, _closest_in_length(c.definition, pool),
            f"keyword: {c.name}")


def misconception_question(concept_id: str) -> tuple[str, str, list[str], str] | None:
    """'Which statement about X is correct?': the correction against two common misconceptions."""
    m = misconceptions().get(concept_id)
    if m is None:
        return None
    name = knowledge().concepts[concept_id].name
    return f"Which statement about '{name}' is correct?", m.correct, list(m.wrong), f"misconception: {name}"


def key_question(music: MusicBlock) -> tuple[str, str, list[str], str]:
    """'What key is the chorus in?': the song's key against its relative key and its dominant's key."""
    tonic, mode = music.key.split()[0], music.key.split()[-1]
    k = m21key.Key(tonic.replace("♭", "-").replace("♯", "#"), mode)
    relative = k.relative
    dominant = m21key.Key(k.getDominant().name, mode)

    def name(x: m21key.Key) -> str:
        return f"{x.tonic.name.replace('-', '♭').replace('#', '♯')} {x.mode}"

    return ("What key is the song in?", music.key, [name(relative), name(dominant)], "the song's key")
