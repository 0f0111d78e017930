"""The request's topic as words: a line is on topic when it shares a word with the request, the
objectives or the genres' vocabulary (names, instruments, signature elements)."""

from __future__ import annotations

from collections.abc import Iterable

from litmash.knowledge import knowledge
from litmash.language.words import tokens
from litmash.lyrics.hooks import STOP
from litmash.lyrics.words import is_real

# Request words that say what to make, not what the song is about.
TASK_WORDS = frozenset("blend mix mashup mash create make write song songs class classes lesson students "
                       "high school grade level learners learn teach teaching about using use please "
                       "want would like can will should".split())


def topic_vocabulary(texts: Iterable[str], blend: list[str]) -> list[str]:
    """Content words of the request texts, then the blend's names, instruments and signature
    elements: each once, in that order (the first ones go into the prompts)."""
    kb = knowledge()
    words: list[str] = []
    for text in texts:
        words += [w for w in tokens(text) if len(w) > 2 and w not in STOP and w not in TASK_WORDS and is_real(w)]
    for gid in blend:
        g = kb.get(gid)
        words += [w for t in (g.name, *g.instruments, *g.signature_elements) for w in tokens(t)
                  if len(w) > 2 and w not in STOP and is_real(w)]
    return list(dict.fromkeys(words))


def on_topic(line: str, vocabulary: Iterable[str]) -> bool:
    """Whether the line shares a word with the topic's vocabulary."""
    return bool(set(tokens(line)) & set(vocabulary))


def topic_share(lines: list[str], vocabulary: Iterable[str]) -> float:
    """Share of lines that are on topic."""
    vocab = set(vocabulary)
    return sum(on_topic(line, vocab) for line in lines) / len(lines) if lines else 0.0
