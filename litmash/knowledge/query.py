"""Searching the base by words: what `litmash genres QUERY` lists."""

from __future__ import annotations

from litmash.knowledge.base import KnowledgeBase, fold, knowledge
from litmash.knowledge.schema import Genre


def search(query: str = "", family: str | None = None, kb: KnowledgeBase | None = None) -> list[Genre]:
    """Genres whose id, name, aliases, family, places or instruments contain every query word.

    An empty query lists every genre (of ``family`` when given), by family then name.
    """
    kb = kb or knowledge()
    terms = fold(query).split()
    out = []
    for g in kb.genres.values():
        if family and g.family != family:
            continue
        hay = " ".join(fold(x) for x in (g.id, g.name, *g.aliases, g.family, *g.origin.places, *g.instruments))
        if all(t in hay for t in terms):
            out.append(g)
    exact = kb.find(query) if query else None
    out.sort(key=lambda g: (exact is None or g.id != exact.id, g.family, g.name.lower()))
    return out
