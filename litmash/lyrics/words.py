"""Which words of a lyric are real: CMUdict plus names the genre base knows. Numbers are spelled out
(a digit is not a word a class can read off a lyric sheet, but it is sung as one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from litmash.language.lexicon import dictionary
from litmash.language.rhyme import easy_words
from litmash.language.words import CONTRACTIONS, tokens


@cache
def kb_names() -> frozenset[str]:
    """Words of the genre base's names, aliases and instruments ('dhol', 'tumbi', 'reggaeton')."""
    from litmash.knowledge import knowledge

    kb = knowledge()
    texts = [t for g in kb.genres.values() for t in (g.name, *g.aliases, *g.instruments)]
    texts += [c.name for c in kb.concepts.values()]
    return frozenset(w for t in texts for w in tokens(t) if not w.isdigit())


def is_real(word: str, known: Iterable[str] = ()) -> bool:
    """Whether a lower-case word is in CMUdict (or its stem before an apostrophe is), is known, or
    is a compound of two such words ('bassline', 'beatbox')."""
    if word.isdigit():
        return False
    base, _, tail = word.partition("'")
    if tail and tail not in CONTRACTIONS:  # "has'sown" is not "has" plus an ending
        return word in dictionary() or word in known
    return word in dictionary() or base in dictionary() or word in kb_names() or word in known or compound(word)


def compound(word: str) -> bool:
    """Two common words of three letters or more ('beat' + 'box'; 'bass' from the genre base).

    CMUdict lacks many compounds songs use; requiring common parts keeps out invented words that
    happen to split into rare dictionary entries ('able' + 'bale')."""
    common = frozenset(easy_words()) | kb_names()
    return any(word[:i] in common and word[i:] in common for i in range(3, len(word) - 2))


@dataclass(frozen=True)
class WordReport:
    """How many of a text's words are real, and which are not."""

    real: int
    total: int
    unknown: tuple[str, ...]

    @property
    def share(self) -> float:
        """Share of real words (1.0 for a text without words)."""
        return self.real / self.total if self.total else 1.0


def word_report(text: str, known: Iterable[str] = ()) -> WordReport:
    """Real words among ``text``'s words; a digit group counts as one word that is not real."""
    extra = frozenset(w for k in known for w in tokens(k))
    toks = tokens(text)
    bad = [t for t in toks if not is_real(t, extra)]
    return WordReport(len(toks) - len(bad), len(toks), tuple(dict.fromkeys(bad)))
