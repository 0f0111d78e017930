"""Recognise genre names in free text, so a request's genres can be checked in the output."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def known_genres() -> tuple[str, ...]:
    """Genre names from the bundled list, longest first (so 'jazz fusion' wins over 'jazz')."""
    text = resources.files("litmash.music").joinpath("genres.txt").read_text(encoding="utf-8")
    names = {line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return tuple(sorted(names, key=len, reverse=True))


def normalise(text: str) -> str:
    """Lower case, hyphens and slashes as spaces, single spaces (so 'Hip-Hop' == 'hip hop')."""
    return re.sub(r"\s+", " ", re.sub(r"[-_/&]+", " ", text.lower())).strip()


def mentions(genre: str, text: str) -> bool:
    """Whether ``text`` names ``genre`` as a whole word or phrase."""
    g = re.escape(normalise(genre))
    return re.search(rf"(?<![a-z0-9]){g}(?![a-z0-9])", normalise(text)) is not None


def genres_in(text: str) -> list[str]:
    """Known genres named in ``text``, without ones contained in a longer match."""
    found: list[str] = []
    for g in known_genres():
        if mentions(g, text) and not any(mentions(g, longer) for longer in found):
            found.append(g)
    return found
