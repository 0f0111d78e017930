"""Rhyme from CMUdict: the sound from a word's last stressed vowel to its end. Perfect rhymes share
it; slant rhymes share the last stressed vowel or the final consonants (allowed, and reported)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Literal

from litmash.language.lexicon import pronunciations
from litmash.language.words import sung_words

Kind = Literal["perfect", "slant", "repeat"]


def last_word(line: str) -> str:
    """The line's last sung word, lower case ('' for a line without words)."""
    words = sung_words(line)
    return words[-1] if words else ""


def _phones(word: str) -> list[str] | None:
    found = pronunciations().get(word)
    return found[0] if found else None


def rhyme_part(word: str) -> tuple[str, ...]:
    """Phones from the last stressed vowel to the end; for a word CMUdict lacks, the spelling from
    its last vowel group (a pseudo-phone per letter)."""
    phones = _phones(word)
    if phones is None:
        m = re.search(r"[aeiouy]+[^aeiouy]*$", word)
        return tuple(m.group(0)) if m else (word,)
    vowels = [i for i, p in enumerate(phones) if p[-1].isdigit()]
    if not vowels:
        return tuple(phones)
    stressed = [i for i in vowels if p_stress(phones[i]) > 0] or vowels
    return tuple(p.rstrip("012") for p in phones[stressed[-1]:])


def p_stress(phone: str) -> int:
    """CMUdict stress of a vowel phone: 1 primary, 2 secondary, 0 none."""
    return {"1": 1, "2": 2}.get(phone[-1], 0)


def rhyme_kind(a: str, b: str) -> Kind | None:
    """How two lines' last words rhyme: 'perfect', 'slant', 'repeat' (the same word) or None."""
    wa, wb = last_word(a), last_word(b)
    if not wa or not wb:
        return None
    if wa == wb:
        return "repeat"
    ra, rb = rhyme_part(wa), rhyme_part(wb)
    if ra == rb:
        return "perfect"
    # slant: the same stressed vowel (assonance: 'time'/'line') or the same closing consonants
    # after any vowel ('bend'/'hand'); spelling tails of unknown words share their last two letters
    if ra[0] == rb[0] and (_phones(wa) is not None or len(ra) > 1):
        return "slant"
    ca, cb = _coda(ra), _coda(rb)
    if ca and ca == cb:
        return "slant"
    return None


def _coda(part: tuple[str, ...]) -> tuple[str, ...]:
    """The consonants after the rhyme part's last vowel."""
    out: list[str] = []
    for p in reversed(part):
        if p in _VOWELS or p in "aeiouy":
            break
        out.append(p)
    return tuple(reversed(out))


_VOWELS = frozenset("AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW".split())


@cache
def easy_words() -> tuple[str, ...]:
    """The Dale–Chall list of about 3,000 words most young readers know (shipped with textstat)."""
    path = resources.files("textstat") / "resources" / "en" / "easy_words.txt"
    return tuple(w.strip() for w in path.read_text().splitlines() if w.strip().isalpha())


@cache
def _by_rhyme() -> dict[tuple[str, ...], tuple[str, ...]]:
    index: dict[tuple[str, ...], list[str]] = {}
    for w in easy_words():
        if _phones(w) is not None:
            index.setdefault(rhyme_part(w), []).append(w)
    return {k: tuple(v) for k, v in index.items()}


def rhymes_for(word: str, limit: int = 6) -> list[str]:
    """Common words (the easy-word list) that rhyme perfectly with ``word``, shortest first."""
    found = [w for w in _by_rhyme().get(rhyme_part(word.lower()), ()) if w != word.lower()]
    return sorted(found, key=lambda w: (len(w), w))[:limit]


def scheme_pairs(scheme: str) -> list[tuple[int, int]]:
    """Line pairs a scheme asks to rhyme: each line with the previous line of the same letter
    ('AABB' -> (0, 1), (2, 3)); 'x' marks a line that need not rhyme, 'H' the hook (it returns
    word for word, which is no rhyme)."""
    last: dict[str, int] = {}
    pairs = []
    for i, letter in enumerate(scheme):
        if letter in "xH":
            continue
        if letter in last:
            pairs.append((last[letter], i))
        last[letter] = i
    return pairs


def detect_scheme(lines: list[str]) -> str:
    """The scheme the lines actually have: a letter per line, equal letters rhyme (any kind)."""
    letters: list[str] = []
    for i, line in enumerate(lines):
        match = next((letters[j] for j in range(i) if rhyme_kind(lines[j], line)), None)
        letters.append(match or chr(ord("A") + len(set(letters))))
    return "".join(letters)


def rhyme_density(lines: list[str]) -> float:
    """Share of lines whose last word rhymes with another line's (a song-level measure)."""
    if not lines:
        return 0.0
    hits = sum(any(rhyme_kind(line, other) for j, other in enumerate(lines) if j != i) for i, line in enumerate(lines))
    return hits / len(lines)
