"""Recognise genre names in free text, so a request's genres can be checked in the output."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# Words that, right after an everyday-word genre name, show it means the music ("pop songs").
MUSIC_CUES = (
    "music", "song", "songs", "genre", "genres", "style", "styles", "beat", "beats", "track", "tracks",
    "tune", "tunes", "groove", "grooves", "rhythm", "rhythms", "feel", "sound", "sounds", "band", "bands",
    "singer", "singers", "artist", "artists", "star", "stars", "piece", "pieces", "composer", "composers",
    "era", "scene", "ballad", "ballads", "anthem", "anthems", "record", "records", "album", "albums",
    "guitar", "vocals", "producer", "producers",
)
# What joins two genres in a request: 'jazz and pop', 'jazz, pop', 'jazz & pop', 'pop meets jazz'.
_JOIN = r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or|with|meets|plus|versus|vs\.?)\s+)"


@lru_cache(maxsize=1)
def _genre_file() -> tuple[tuple[str, ...], frozenset[str]]:
    text = resources.files("litmash.music").joinpath("genres.txt").read_text(encoding="utf-8")
    names, ambiguous = set(), set()
    for line in text.splitlines():
        line = line.strip().lower()
        if not line or line.startswith("#"):
            continue
        name = line.rstrip("*").strip()
        names.add(name)
        if line.endswith("*"):
            ambiguous.add(name)
    # By name within a length: a set's order changes with each process's string hashing.
    return tuple(sorted(names, key=lambda n: (-len(n), n))), frozenset(ambiguous)


def known_genres() -> tuple[str, ...]:
    """Genre names from the bundled list, longest first (so 'jazz fusion' wins over 'jazz')."""
    return _genre_file()[0]


def ambiguous_genres() -> frozenset[str]:
    """Genre names that are also everyday words (marked '*' in genres.txt)."""
    return _genre_file()[1]


def normalise(text: str) -> str:
    """Lower case, hyphens and slashes as spaces, single spaces (so 'Hip-Hop' == 'hip hop')."""
    return re.sub(r"\s+", " ", re.sub(r"[-_/&]+", " ", text.lower())).strip()


def _joinable(text: str) -> str:
    """Like ``normalise`` but '&', '/' and '+' become ' and ', so 'jazz & pop' keeps its join."""
    text = re.sub(r"\s*[&/+]\s*", " and ", text.lower())
    return re.sub(r"\s+", " ", re.sub(r"[-_]+", " ", text)).strip()


def _word(pattern: str) -> str:
    return rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])"


def mentions(genre: str, text: str) -> bool:
    """Whether ``text`` names ``genre`` as a whole word or phrase."""
    return re.search(_word(re.escape(normalise(genre))), normalise(text)) is not None


def _cued(genre: str, text: str) -> bool:
    """Whether a music word follows ``genre`` somewhere in ``text`` ('house music')."""
    cues = "|".join(MUSIC_CUES)
    return re.search(_word(rf"{re.escape(_joinable(genre))}\s(?:{cues})"), text) is not None


def _joined(genre: str, others: list[str], text: str) -> bool:
    """Whether ``genre`` is joined in ``text`` to one of ``others`` ('jazz and pop', 'pop, jazz')."""
    if not others:
        return False
    g = re.escape(_joinable(genre))
    alts = "|".join(re.escape(_joinable(o)) for o in sorted(others, key=len, reverse=True))
    return re.search(_word(rf"(?:{alts}){_JOIN}{g}|{g}{_JOIN}(?:{alts})"), text) is not None


def genres_in(text: str) -> list[str]:
    """Known genres named in ``text``, in the order the text names them, without ones contained
    in a longer match.

    A name that is also an everyday word ('pop', 'country', 'drill') counts only when a
    music word follows it ('pop songs') or it is joined to another counted genre
    ('jazz and pop'), so 'a pop quiz at a country school' names no genre.
    """
    found: list[str] = []
    for g in known_genres():
        if mentions(g, text) and not any(mentions(g, longer) for longer in found):
            found.append(g)
    ambiguous, joinable = ambiguous_genres(), _joinable(text)
    counted = [g for g in found if g not in ambiguous or _cued(g, joinable)]
    pending = [g for g in found if g not in counted]
    while pending:  # a join can vouch for a name only through a genre that already counts
        newly = [g for g in pending if _joined(g, counted, joinable)]
        if not newly:
            break
        counted += newly
        pending = [g for g in pending if g not in newly]
    words = normalise(text)
    return sorted((g for g in found if g in counted),
                  key=lambda g: re.search(_word(re.escape(normalise(g))), words).start())
