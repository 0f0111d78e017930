"""Request understanding by code: which genres of the base a teacher's words name.

Names are compared folded (case, accents, hyphens ignored), longest first, so 'drum and bass'
wins over 'bass' and 'delta blues' over 'blues'. A name that is also an everyday word ('pop',
'house', 'country') counts only when a music word follows it ('house music') or it is joined to
a genre that already counts ('jazz and pop'), so 'a pop quiz at a country school' names none.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache

from litmash.knowledge.base import KnowledgeBase, fold, knowledge

MAX_BLEND = 3
# Words that, right after an everyday-word genre name, show it means the music ('pop songs').
MUSIC_CUES = (
    "music", "musique", "musica", "song", "songs", "genre", "genres", "style", "styles", "beat", "beats",
    "track", "tracks", "tune", "tunes", "groove", "grooves", "rhythm", "rhythms", "feel", "sound", "sounds",
    "band", "bands", "singer", "singers", "artist", "artists", "star", "stars", "piece", "pieces",
    "composer", "composers", "era", "scene", "ballad", "ballads", "anthem", "anthems", "record", "records",
    "album", "albums", "guitar", "vocals", "producer", "producers", "chanson", "chansons", "cancion",
    "canciones",
)
# What joins two genres: 'jazz and pop', 'jazz, pop', 'jazz & pop', 'pop meets jazz', 'jazz x k-pop',
# 'jazz + pop', French 'et' / 'avec', Spanish 'y' / 'con' / 'e'.
JOINS = ("and", "or", "with", "meets", "plus", "versus", "vs", "x", "et", "avec", "y", "con", "e", "into")
# Joins that only ever join genres, so an unknown word beside them is taken for a genre name.
STRONG_JOINS = ("x", "meets", "versus", "vs")


@dataclass(frozen=True)
class Resolution:
    """The genre ids a request names, in order, and one-line notices about what did not resolve."""

    ids: tuple[str, ...]
    notices: tuple[str, ...] = field(default=())


def _pattern(name: str) -> str:
    return r"(?<![a-z0-9])" + re.escape(name) + r"(?![a-z0-9])"


@cache
def _index(kb: KnowledgeBase) -> tuple[dict[tuple[str, ...], tuple[str, bool]], int]:
    """Name index by word tuple: ('hip', 'hop') -> ('hip_hop', everyday word?), and the longest name."""
    index: dict[tuple[str, ...], tuple[str, bool]] = {}
    for name, gid in kb.names.items():
        everyday = {fold(w) for w in kb.genres[gid].everyday_words}
        index[tuple(name.split())] = (gid, name in everyday)
    return index, max(len(k) for k in index)


def _words(text: str) -> list[str]:
    """Folded words, with the punctuation that joins genres (',', '+', '/') as words of their own."""
    out: list[str] = []
    for chunk in re.sub(r"([,+/])", r" \1 ", text).split():
        out.extend([chunk] if chunk in (",", "+", "/") else fold(chunk).split())
    return out


_CUES = frozenset(MUSIC_CUES)
_JOINS = frozenset(JOINS)


def _joined(gap: list[str]) -> bool:
    """Whether the words between two genre names join them: ',', '+', '/', 'and', ', and', 'x', …"""
    if len(gap) == 1:
        return gap[0] in _JOINS or gap[0] in (",", "+", "/")
    return len(gap) == 2 and gap[0] == "," and gap[1] in _JOINS


def mentioned(text: str, kb: KnowledgeBase | None = None) -> list[str]:
    """Genre ids that ``text`` names, in the order it names them (each once)."""
    kb = kb or knowledge()
    index, longest = _index(kb)
    words = _words(text)
    hits: list[tuple[int, int, str, bool]] = []  # first word, end word, id, everyday
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):  # the longest name wins ('delta blues')
            found = index.get(tuple(words[i:i + n]))
            if found:
                hits.append((i, i + n, *found))
                i += n
                break
        else:
            i += 1
    counted = {k for k, h in enumerate(hits) if not h[3] or (h[1] < len(words) and words[h[1]] in _CUES)}
    changed = True
    while changed:  # a join vouches for an everyday word only through a genre that already counts
        changed = False
        for k in range(len(hits)):
            if k not in counted and any(_joined(words[hits[a][1]:hits[b][0]])
                                        for j in list(counted) for a, b in [sorted((k, j))] if abs(k - j) == 1):
                counted.add(k)
                changed = True
    out: list[str] = []
    for k, h in enumerate(hits):
        if k in counted and h[2] not in out:
            out.append(h[2])
    return out


def closest(name: str, n: int = 3, kb: KnowledgeBase | None = None) -> list[str]:
    """The display names of the ``n`` known genres whose names are closest to ``name``."""
    kb = kb or knowledge()
    found = difflib.get_close_matches(fold(name), list(kb.names), n=n * 3, cutoff=0.5)
    names: list[str] = []
    for f in found:
        g = kb.genres[kb.names[f]].name
        if g not in names:
            names.append(g)
    return names[:n]


def _unknown_beside_known(text: str, known: list[str], kb: KnowledgeBase) -> list[str]:
    """Words joined by 'x', 'meets' or 'vs' to a known genre that are no genre of the base."""
    words = fold(text)
    strong = "|".join(STRONG_JOINS)
    out = []
    for m in re.finditer(rf"([a-z0-9]+(?: [a-z0-9]+)?)\s(?:{strong})\s([a-z0-9]+(?: [a-z0-9]+)?)", words):
        for side in (m.group(1), m.group(2)):
            last = side.split()[-1] if side is m.group(1) else side.split()[0]
            candidates = [side, last]
            if not any(c in kb.names for c in candidates) and not any(c in kb.names for c in side.split()):
                out.append(last)
    return out


def resolve(prompt: str, hints: list[str] | tuple[str, ...] = (), kb: KnowledgeBase | None = None) -> Resolution:
    """The genres a request names: its explicit hints first, then the prompt's, at most 3.

    A hint that names no genre of the base, or a word joined to a genre by 'x', 'meets' or
    'vs' that is none, gets a notice naming the closest known genres.
    """
    kb = kb or knowledge()
    ids: list[str] = []
    notices: list[str] = []
    for hint in hints:
        g = kb.find(hint)
        found = [g.id] if g else mentioned(hint, kb)
        if not found:
            notices.append(_unknown(hint, kb))
        ids += [i for i in found if i not in ids]
    from_prompt = mentioned(prompt, kb)
    ids += [i for i in from_prompt if i not in ids]
    for word in _unknown_beside_known(prompt, from_prompt, kb):
        notices.append(_unknown(word, kb))
    if len(ids) > MAX_BLEND:
        dropped = ", ".join(kb.genres[i].name for i in ids[MAX_BLEND:])
        notices.append(f"a blend holds at most {MAX_BLEND} genres; leaving out {dropped}")
        ids = ids[:MAX_BLEND]
    return Resolution(tuple(ids), tuple(notices))


def _unknown(name: str, kb: KnowledgeBase) -> str:
    near = closest(name, kb=kb)
    hint = f"; closest known: {', '.join(near)}" if near else ""
    return f"unknown genre {name!r}{hint}; the blend is completed from the genre base (see `litmash genres`)"


def names_genre(genre_id: str, text: str, kb: KnowledgeBase | None = None) -> bool:
    """Whether ``text`` names the genre by any of its names or aliases (everyday words included)."""
    kb = kb or knowledge()
    g = kb.get(genre_id)
    words = fold(text)
    return any(re.search(_pattern(fold(n)), words) for n in (g.id.replace("_", " "), g.name, *g.aliases))
