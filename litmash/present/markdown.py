"""A mashup as Markdown (for reading, exporting and the terminal) and as JSON."""

from __future__ import annotations

import re

from litmash.domain.mashup import GenreBlendItem, ListeningExample, Mashup
from litmash.lyrics.metrics import song_metrics
from litmash.present.lesson import lesson_markdown

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _t(text: object) -> str:
    """Model text made literal in Markdown (a title like '<Title>' must not vanish as HTML)."""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def slug(text: str) -> str:
    """A file-name stem from a title: 'Blue Notes!' -> 'blue-notes'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "mashup"


def to_json(mashup: Mashup) -> str:
    """The whole structured result as indented JSON."""
    return mashup.model_dump_json(indent=2)


def other_elements(g: GenreBlendItem) -> list[str]:
    """A genre's signature elements besides the one its role already says (when the base wrote it)."""
    return g.signature_elements[1:] if g.role_source == "base" else g.signature_elements


def listening_line(x: ListeningExample) -> str:
    """'Artist – Title (year)'."""
    return f"{x.artist} – {x.title}" + (f" ({x.year})" if x.year else "")


def hook_line(m: Mashup) -> str:
    """The hook melody as 'Swing(E4) the(D4) …', one syllable per note ('' without a melody)."""
    melody = m.music.hook_melody if m.music else None
    if melody is None:
        return ""
    sung = [n for n in melody.notes if n.pitch]
    return " ".join(("" if n.word_start else "-") + f"{n.syllable}({n.pitch})" for n in sung).replace(" -", "-")


def music_markdown(m: Mashup, files: dict[str, str] | None = None) -> list[str]:
    """The computed music: frame, form with chords, groove, hook melody and links to its files."""
    music = m.music
    if music is None:
        return []
    out = ["## Music", "", f"**{music.key}**, {music.tempo_bpm} BPM, {music.meter}, {music.feel} feel. "
           f"{_t(music.reconciliation)}", "", "| Section | Bars | Chords | From |", "|---|---|---|---|"]
    for s in music.form:
        out.append(f"| {s.label} | {s.bars} | {' '.join(c.symbol for c in s.chords)} | {_t(s.progression)} |")
    out += ["", f"**Drums:** {_t(music.groove.name)} ({_t('; '.join(music.groove.layers))}). "
            f"**Bass:** {music.bass_style}.", ""]
    if music.hook_melody:
        out += [f"**Hook melody** ({music.hook_melody.bars} bars, range {music.hook_melody.low}–"
                f"{music.hook_melody.high}): {_t(hook_line(m))}", ""]
    if files:
        out += ["**Files:** " + " · ".join(f"[{fmt}]({path})" for fmt, path in files.items()), ""]
    return out


def to_markdown(m: Mashup, files: dict[str, str] | None = None) -> str:
    """Every section of the mashup as a Markdown document (``files``: format -> link to music files)."""
    edu, theory, guide, meta = m.educational_content, m.theory_analysis, m.teaching_guide, m.metadata
    out: list[str] = [f"# {_t(m.title)}", ""]
    out += [
        f"*{' × '.join(_t(g.name) for g in m.genre_blend)}* · {edu.level} · {edu.context.replace('_', ' ')}"
        f" · {guide.lesson_minutes}-minute lesson", "",
        f"> {_t(m.request.user_prompt)}", "",
        "## Genre blend", "",
    ]
    for g in m.genre_blend:
        out.append(f"- **{_t(g.name)}**: {_t(g.role_in_blend)} ({_t('; '.join(other_elements(g)))})")
    out += ["", "## Hook options", ""]
    out += [f"{i}. \"{_t(h.text)}\" ({_t(h.technique)})" for i, h in enumerate(m.hooks, 1)]
    out += ["", "## Lyrics", ""]
    for section in m.lyrics:
        out += [f"**\\[{section.label}\\]**  ", *(f"{_t(line)}  " for line in section.lines), ""]
    if m.lyrics:
        sm = song_metrics(m)
        out += [f"*Lyric metrics:* rhyme density {sm.rhyme_density:.2f} · reading level grade {sm.reading_grade:.1f} · "
                f"{sm.topic_share:.0%} of lines on the topic · {sm.real_words:.0%} real words", ""]
    out += ["## Learning goals", "", *(f"- {_t(g)}" for g in edu.learning_goals), "",
            f"**Approach:** {_t(edu.teaching_approach)}", "",
            f"**Vocabulary:** {_t(', '.join(edu.vocabulary))}", ""]
    out += ["## Music theory", "", "| Key | Tempo | Meter |", "|---|---|---|",
            f"| {theory.key} | {theory.tempo_bpm} BPM | {theory.meter} |", "",
            "| Roman numeral | Chord | Notes |", "|---|---|---|"]
    out += [f"| {c.roman} | {c.symbol} | {' '.join(c.pitches)} |" for c in theory.chord_progression]
    out.append("")
    for c in theory.concepts:
        out.append(f"- **{_t(c.name)}**: {_t(c.explanation)} *Listen:* {_t(c.where_in_song)}")
    out += ["", *music_markdown(m, files)]
    out += ["## Cultural context", ""]
    for c in m.cultural_context:
        out += [f"### {_t(c.genre)}", "", f"- **Origins:** {_t(c.origins)} ({_t(c.era)})",
                f"- **Communities:** {_t(c.communities)}"]
        if c.instruments:
            out.append(f"- **Instruments:** {_t(', '.join(c.instruments))}")
        out.append(f"- **Artists:** {_t(', '.join(c.representative_artists))}")
        if c.listening:
            out.append("- **Listen:** " + "; ".join(_t(listening_line(x)) for x in c.listening))
        out.append(f"- **Respectful use:** {_t(c.respectful_use)}")
        if c.sources:
            out.append(f"- **Sources:** {_t('; '.join(c.sources))}")
        out.append("")
    out += lesson_markdown(guide)
    if m.validation:
        out += ["## Open validation problems", ""]
        out += [f"- *{p.section}*: {_t(p.message)}" for p in m.validation]
        out.append("")
    prompt_tokens, completion_tokens = meta.tokens
    out += ["---", "",
            f"{meta.backend} · {_t(meta.model)} · seed {meta.seed} · {meta.total_seconds:.1f} s · "
            f"{prompt_tokens}+{completion_tokens} tokens · {meta.repair_rounds} repair round(s)", ""]
    return "\n".join(out)
