"""One genre entry as Markdown: what `litmash genres show` prints and the notebooks render."""

from __future__ import annotations

from litmash.knowledge.base import knowledge
from litmash.knowledge.context import decades_text, source_text
from litmash.knowledge.schema import Genre
from litmash.knowledge.taxonomy import lineage
from litmash.music.theory import progression


def genre_markdown(g: Genre) -> str:
    """The whole entry, facts first, then music, people, listening, guidance and sources."""
    kb = knowledge()
    lines = [f"# {g.name} (`{g.id}`)"]
    if g.aliases:
        lines += [f"Also called: {', '.join(g.aliases)}", ""]
    parents = ", ".join(kb.get(p).name for p in g.parents)
    lines.append(f"Family: {g.family.replace('_', ' ')}" + (f" · grew out of: {parents}" if parents else "")
                 + f" · {', '.join(g.traditions)}")
    lines.append("")
    if path := lineage(g.name, *g.aliases, g.id.replace("_", " ")):
        lines.append(f"In the beets genre tree: {' › '.join(path)}")
    lines += ["", "## Origins", f"- **Where:** {', '.join(g.origin.places)}", f"- **When:** {decades_text(g)}"]
    lines += [f"- **Who:** {c}" for c in g.communities]
    lines += ["", "## Music", f"- **Instruments:** {', '.join(g.instruments)}"]
    if g.tempo_bpm:
        lines.append(f"- **Tempo:** {g.tempo_bpm.min}–{g.tempo_bpm.max} BPM")
    if g.meters:
        lines.append(f"- **Meter:** {', '.join(g.meters)}")
    if g.tonality:
        lines.append(f"- **Keys, modes, scales:** {', '.join(g.tonality)}")
    if g.rhythm:
        traits = f" ({', '.join(g.rhythm.traits)})" if g.rhythm.traits else ""
        lines.append(f"- **Rhythm:** {g.rhythm.feel}{traits}")
    for p in g.progressions:
        key = "C major" if p.mode == "major" else "A minor"
        chords = " ".join(c.symbol for c in progression(p.roman, key))
        label = f"{p.name}: " if p.name else ""
        lines.append(f"- **Progression** {label}{'–'.join(p.roman)} (in {key}: {chords}); {p.used_in}")
    lines += ["", "## Signature elements", *(f"- {e}" for e in g.signature_elements)]
    if g.artists:
        lines += ["", "## Artists", ", ".join(g.artists)]
    if g.listening:
        lines += ["", "## Listening"]
        lines += [f"- {item.artist} – *{item.title}*" + (f" ({item.year})" if item.year else "") for item in g.listening]
    lines += ["", "## Respectful use", g.respectful_use]
    lines += ["", "## Good for teaching", ", ".join(kb.concepts[c].name for c in g.teaches)]
    lines += ["", "## Sources", *(f"- {source_text(s)}" for s in g.sources)]
    return "\n".join(lines)
