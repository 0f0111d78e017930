"""A Mashup as a readable HTML page: one registered renderer per section.

Renderers are looked up by section name, so a screen can redraw a single section (after
"regenerate this section") and a new section type is one ``@register`` away.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import cache
from html import escape

import pandas as pd

from litmash.domain.mashup import AgentRun, Mashup
from litmash.lyrics.metrics import song_metrics
from litmash.present.lesson import lesson_markdown
from litmash.present.markdown import listening_line, other_elements, slug

Renderer = Callable[[Mashup], str]
renderers: dict[str, Renderer] = {}

# Sections a user can regenerate, in page order, with the label the screens show.
SECTION_LABELS: dict[str, str] = {
    "educational_content": "Learning goals",
    "genre_blend": "Genre blend and cultural context",
    "hooks": "Title and hooks",
    "lyrics": "Lyrics",
    "theory_analysis": "Music theory",
    "teaching_guide": "Teaching guide",
}

STYLE = """<style>
.litmash-mashup{font-family:var(--jp-content-font-family,system-ui,sans-serif);line-height:1.45;max-width:60em}
.litmash-mashup h1{font-size:1.7em;margin:.2em 0}
.litmash-mashup h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.1em}
.litmash-mashup table{border-collapse:collapse;margin:.4em 0}
.litmash-mashup td,.litmash-mashup th{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}
.litmash-mashup .lyric-label{font-weight:bold;text-transform:uppercase;font-size:.8em;color:#666;margin-top:.6em}
.litmash-mashup .meta{color:#666}
.litmash-progress td{padding:0 8px;line-height:1.3}
.litmash-error{color:#b00020;font-weight:bold}
.litmash-leadsheet svg{max-width:100%;height:auto;background:#fff}
.litmash-ok{color:#1b5e20}
</style>"""


def register(name: str) -> Callable[[Renderer], Renderer]:
    """Register the renderer of one section of the page."""

    def deco(fn: Renderer) -> Renderer:
        renderers[name] = fn
        return fn

    return deco


def e(value: object) -> str:
    """HTML-escaped text."""
    return escape(str(value))


def items(values: list[str], ordered: bool = False) -> str:
    """A list of escaped texts as <ul> or <ol>."""
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{e(v)}</li>" for v in values) + f"</{tag}>"


def section(name: str, m: Mashup) -> str:
    """One section's HTML, wrapped so tests and the browser can find it by name."""
    return f'<section data-section="{name}">{renderers[name](m)}</section>'


def mashup_html(m: Mashup, with_style: bool = True) -> str:
    """The whole mashup as one HTML page fragment."""
    body = "".join(section(name, m) for name in renderers)
    return (STYLE if with_style else "") + f'<div class="litmash-mashup">{body}</div>'


@register("header")
def _header(m: Mashup) -> str:
    edu, guide = m.educational_content, m.teaching_guide
    blend = " × ".join(g.name for g in m.genre_blend)
    return (
        f'<h1 class="litmash-title">{e(m.title)}</h1>'
        f'<p class="meta"><i>{e(blend)}</i> · {e(edu.level)} · {e(edu.context.replace("_", " "))}'
        f" · {guide.lesson_minutes}-minute lesson</p>"
        f"<blockquote>{e(m.request.user_prompt)}</blockquote>"
    )


@register("hooks")
def _hooks(m: Mashup) -> str:
    rows = "".join(f"<li>“{e(h.text)}” <span class='meta'>({e(h.technique)})</span></li>" for h in m.hooks)
    return f"<h2>Hook options</h2><ol>{rows}</ol>"


@register("lyrics")
def _lyrics(m: Mashup) -> str:
    out = ["<h2>Lyrics</h2>"]
    for s in m.lyrics:
        again = " (again)" if s.repeated else ""
        out.append(f'<div class="lyric-label">[{e(s.label)}]{again}</div>')
        out.append("<div>" + "<br>".join(e(line) for line in s.lines) + "</div>")
    if m.lyrics:
        out.append(_lyric_metrics(m))
    return "".join(out)


def _lyric_metrics(m: Mashup) -> str:
    """Syllables and stresses per line against the target, the rhymes, and the song's measures."""
    sm = song_metrics(m)
    rows = []
    for s in sm.sections:
        if s.repeated:
            continue
        rhymes = f" · rhymes: {', '.join(s.rhymes)}" if s.rhymes else ""
        rows.append(f"<tr><th colspan='4'>{e(s.label)} · scheme {e(s.scheme or '-')} asked, "
                    f"{e(s.found)} sung{e(rhymes)}</th></tr>")
        for x in s.lines:
            target = f" / {x.target}" if x.target else ""
            rows.append(f"<tr><td>{e(x.text)}</td><td>{x.syllables}{target}</td>"
                        f"<td><code>{e(x.stresses)}</code></td><td>{'yes' if x.on_topic else 'no'}</td></tr>")
    summary = (f"rhyme density {sm.rhyme_density:.2f} · reading level grade {sm.reading_grade:.1f} · "
               f"{sm.topic_share:.0%} of lines on the topic · {sm.real_words:.0%} real words")
    return ("<details class='litmash-lyric-metrics'><summary>Lyric metrics: " + e(summary) + "</summary>"
            "<table><tr><th>line</th><th>syllables / target</th><th>stress (/ strong, x weak)</th>"
            "<th>on topic</th></tr>" + "".join(rows) + "</table></details>")


@register("educational_content")
def _educational(m: Mashup) -> str:
    edu = m.educational_content
    return (
        "<h2>Learning goals</h2>" + items(edu.learning_goals)
        + f"<p><b>Approach:</b> {e(edu.teaching_approach)}</p>"
        + f"<p><b>Vocabulary:</b> {e(', '.join(edu.vocabulary))}</p>"
    )


@register("genre_blend")
def _genres(m: Mashup) -> str:
    out = ["<h2>Genre blend</h2><p class='meta'>Facts below come from litmash's genre base and its "
           "sources; only each genre's role is written by the model.</p><ul>"]
    for g in m.genre_blend:
        out.append(f"<li><b>{e(g.name)}</b>: {e(g.role_in_blend)} "
                   f"<span class='meta'>({e('; '.join(other_elements(g)))})</span></li>")
    out.append("</ul><h2>Cultural context</h2>")
    for c in m.cultural_context:
        out.append(
            f"<h3>{e(c.genre)}</h3><ul>"
            f"<li><b>Origins:</b> {e(c.origins)} ({e(c.era)})</li>"
            f"<li><b>Communities:</b> {e(c.communities)}</li>"
        )
        if c.instruments:
            out.append(f"<li><b>Instruments:</b> {e(', '.join(c.instruments))}</li>")
        out.append(f"<li><b>Artists:</b> {e(', '.join(c.representative_artists))}</li>")
        if c.listening:
            out.append("<li><b>Listen:</b> " + "; ".join(e(listening_line(x)) for x in c.listening) + "</li>")
        out.append(f"<li><b>Respectful use:</b> {e(c.respectful_use)}</li></ul>")
        if c.sources:
            out.append(f"<p class='meta sources'>Sources (genre base): {e('; '.join(c.sources))}</p>")
    return "".join(out)


@register("theory_analysis")
def _theory(m: Mashup) -> str:
    t = m.theory_analysis
    chords = "".join(
        f"<tr><td>{e(c.roman)}</td><td>{e(c.symbol)}</td><td>{e(' '.join(c.pitches))}</td></tr>"
        for c in t.chord_progression
    )
    concepts = "".join(
        f"<li><b>{e(c.name)}</b>: {e(c.explanation)} <i>Listen:</i> {e(c.where_in_song)}</li>"
        for c in t.concepts
    )
    return (
        "<h2>Music theory</h2><table class='litmash-theory'><tr><th>Key</th><th>Tempo</th><th>Meter</th></tr>"
        f"<tr><td>{e(t.key)}</td><td>{t.tempo_bpm} BPM</td><td>{e(t.meter)}</td></tr></table>"
        "<table><tr><th>Roman numeral</th><th>Chord</th><th>Notes</th></tr>" + chords + "</table>"
        f"<ul>{concepts}</ul>"
    )


@register("music")
def _music(m: Mashup) -> str:
    """The computed music: frame, form and groove, the lead sheet, an audio player and downloads."""
    music = m.music
    if music is None:
        return ""
    rows = "".join(f"<tr><td>{e(s.label)}</td><td>{s.bars}</td><td>{e(' '.join(c.symbol for c in s.chords))}</td>"
                   f"<td>{e(s.progression)}</td></tr>" for s in music.form)
    head = (f"<h2>Music</h2><p><b>{e(music.key)}</b>, {music.tempo_bpm} BPM, {e(music.meter)}, {e(music.feel)} feel. "
            f"{e(music.reconciliation)}</p><table class='litmash-form'><tr><th>Section</th><th>Bars</th>"
            f"<th>Chords</th><th>From</th></tr>{rows}</table>"
            f"<p><b>Drums:</b> {e(music.groove.name)} ({e('; '.join(music.groove.layers))}). "
            f"<b>Bass:</b> {e(music.bass_style)}.</p>")
    return head + media_html(m)


def media_html(m: Mashup) -> str:
    """The lead sheet (inline SVG), an audio player and MIDI / MusicXML downloads, or the one-line
    reason a format cannot be made here."""
    from litmash.config import Settings
    from litmash.errors import LitmashError
    from litmash.present.files import music_file, music_files

    cache = Settings().data_dir / "render"
    try:
        music_files(m.music, m.title, cache, ["svg", "ogg", "midi", "musicxml"])
    except LitmashError:
        pass  # each format below says what it lacks
    parts = []
    for fmt in ("svg", "ogg", "midi", "musicxml"):
        try:
            data = music_file(m.music, fmt, m.title, cache).read_bytes()
        except LitmashError as exc:
            parts.append(f"<p class='litmash-error'>{e(exc)}</p>")
            continue
        if fmt == "svg":
            parts.append(f"<h3>Lead sheet: the chorus</h3><div class='litmash-leadsheet'>{data.decode('utf-8')}</div>")
        elif fmt == "ogg":
            b64 = base64.b64encode(data).decode("ascii")
            parts.append(f"<h3>Listen</h3><audio class='litmash-audio' controls preload='none' "
                         f"src='data:audio/ogg;base64,{b64}'></audio>")
        else:
            ext = "mid" if fmt == "midi" else "musicxml"
            mime = "audio/midi" if fmt == "midi" else "application/vnd.recordare.musicxml+xml"
            parts.append(download_link(f"{slug(m.title)}.{ext}", data, mime) + " ")
    return "".join(parts)


@register("teaching_guide")
def _teaching(m: Mashup) -> str:
    # The same lesson plan as the Markdown export, so the page and the printout never differ;
    # mistune escapes any HTML inside the model's words.
    return _markdown()("\n".join(lesson_markdown(m.teaching_guide)))


@cache
def _markdown():
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table"])


@register("validation")
def _validation(m: Mashup) -> str:
    if not m.validation:
        return "<p class='litmash-ok'>The content validator found no open problems.</p>"
    rows = "".join(f"<li><i>{e(p.section)}</i>: {e(p.message)}</li>" for p in m.validation)
    return f"<h2>Open validation problems ({len(m.validation)})</h2><ul>{rows}</ul>"


@register("footer")
def _footer(m: Mashup) -> str:
    meta = m.metadata
    tokens_in, tokens_out = meta.tokens
    return (
        f"<hr><p class='meta'>{e(meta.backend)} · {e(meta.model)} · seed {e(meta.seed)} · "
        f"{meta.total_seconds:.1f} s · {tokens_in}+{tokens_out} tokens · "
        f"{meta.repair_rounds} repair round(s)</p>"
    )


def timings(runs: list[AgentRun]) -> pd.DataFrame:
    """Seconds, tokens and attempts per agent run, in the order they ran."""
    return pd.DataFrame(
        [{"agent": r.agent, "round": r.round, "seconds": round(r.wall_ms / 1000, 2),
          "llm seconds": round(r.llm_ms / 1000, 2), "tokens": r.completion_tokens,
          "attempts": r.attempts, "status": r.status} for r in runs],
        columns=["agent", "round", "seconds", "llm seconds", "tokens", "attempts", "status"],
    )


def error_html(message: str) -> str:
    """One readable error line."""
    return f'<div class="litmash-error">⚠ {e(message)}</div>'


def download_link(filename: str, text: str | bytes, mime: str) -> str:
    """An HTML link that downloads ``text`` as ``filename`` (works without a file server)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    data = base64.b64encode(raw).decode("ascii")
    return f'<a download="{escape(filename)}" href="data:{mime};base64,{data}">{escape(filename)}</a>'
