"""The base's facts as the mashup shows them (cultural context) and as prompts get them (short)."""

from __future__ import annotations

from litmash.domain.mashup import CulturalContext, ListeningExample
from litmash.knowledge.base import knowledge
from litmash.knowledge.schema import Genre, Source


def decades_text(g: Genre) -> str:
    """'1970s', '1890s–1910s', or 'date unknown'."""
    d = g.origin.decades
    if not d:
        return "date unknown"
    return d[0] if len(d) == 1 else f"{d[0]}–{d[-1]}"


def source_text(s: Source) -> str:
    """A source as one citation line: 'Wikipedia, "Jazz"' or 'Ted Gioia, The History of Jazz (1997), …'."""
    if s.author:
        year = f" ({s.year})" if s.year else ""
        return f"{s.author}, {s.work}{year}: {s.title}"
    return f'{s.work}, "{s.title}"'


def cultural_context(genre_id: str) -> CulturalContext:
    """A genre's cultural context, entirely from the genre base."""
    g = knowledge().get(genre_id)
    return CulturalContext(
        genre=g.name,
        genre_id=g.id,
        origins=", ".join(g.origin.places),
        era=decades_text(g),
        communities="; ".join(g.communities),
        representative_artists=list(g.artists),
        respectful_use=g.respectful_use,
        instruments=list(g.instruments),
        listening=[ListeningExample(**item.model_dump()) for item in g.listening],
        sources=[source_text(s) for s in g.sources],
    )


def prompt_facts(g: Genre, elements: int = 2) -> str:
    """A genre's musical facts in a few short lines for a prompt (no artists, no dates)."""
    feel = [g.rhythm.feel + " feel", *g.rhythm.traits[:2]] if g.rhythm else []
    lines = [f"{g.name}: " + "; ".join(x for x in (", ".join(feel), ", ".join(g.instruments[:3])) if x)]
    lines += [f"  - {e}" for e in g.signature_elements[:elements]]
    return "\n".join(lines)
