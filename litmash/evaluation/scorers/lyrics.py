"""The lyric scorers, all required: real words, the song form, singable lines, the rhyme scheme and
distinct hooks. They read the form, targets and schemes from the music block by code
(``litmash.lyrics``), so a stored mashup is judged against what its music asked for."""

from __future__ import annotations

from litmash.domain.mashup import Mashup
from litmash.domain.song import LyricSection
from litmash.evaluation.datasets import Case
from litmash.evaluation.registry import RunInfo, Score, from_checks, register
from litmash.evaluation.scorers.core import music_of
from litmash.knowledge import knowledge
from litmash.language.rhyme import rhyme_kind, scheme_pairs
from litmash.language.syllables import line_syllables
from litmash.language.words import tokens
from litmash.lyrics.form import TOLERANCE, SectionPlan, lyric_form
from litmash.lyrics.hooks import near_duplicate
from litmash.lyrics.words import word_report
from litmash.workflow.checks import duplicates

REAL_WORDS = 0.97  # share of real words the lyrics need (the bar)
RHYMED = 0.75  # share of the scheme's rhyme pairs that must rhyme, perfectly or slant (a line sung twice is no rhyme)
SAME_LINES = 1  # lines of a verse or bridge that may repeat a line sung before it
LYRIC_SCORERS = ("lyrics_real_words", "lyric_form", "singable", "rhyme_scheme", "hooks_distinct")


def _blend_names(m: Mashup) -> list[str]:
    kb = knowledge()
    return [t for g in m.genre_blend for t in (g.name, *g.signature_elements)] + \
        [kb.get(g.genre_id).name for g in m.genre_blend if g.genre_id in kb.genres]


def _written(m: Mashup) -> list[LyricSection]:
    """Each section once: a repeated chorus is not counted twice."""
    seen, out = set(), []
    for s in m.lyrics:
        key = (s.label, tuple(s.lines))
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _plans(m: Mashup) -> list[SectionPlan]:
    return lyric_form(music_of(m))


@register("lyrics_real_words")
def lyrics_real_words(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Real words: at least 97 % of the lyrics' words are in CMUdict or name the blend (numbers are not words)."""
    text = "\n".join(line for s in _written(m) for line in s.lines)
    report = word_report(text, _blend_names(m))
    detail = f"{report.real}/{report.total} real words"
    if report.unknown:
        detail += f"; not words: {', '.join(report.unknown[:6])}"
    return Score(value=round(report.share, 4), passed=report.total > 0 and report.share >= REAL_WORDS, detail=detail)


@register("lyric_form")
def lyric_form_scorer(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Song form: the sections follow the music's form with their line counts, and the chorus comes
    back word for word with the hook in it."""
    plans = _plans(m)
    labels, want = [s.label for s in m.lyrics], [p.label for p in plans]
    choruses = [tuple(s.lines) for s in m.lyrics if s.label == "chorus"]
    # the chosen hook is the first (the melody may chant a short one twice: 'Improvisation, improvisation')
    hook = m.hooks[0].text if m.hooks else (m.music.hook_melody.text if m.music and m.music.hook_melody else "")
    counts = [(s.label, len(s.lines), p.lines) for s, p in zip(m.lyrics, plans, strict=False) if len(s.lines) != p.lines]
    echoes = _echoes(m)
    return from_checks([
        (labels == want, f"sections {labels}, the form asks for {want}"),
        ("verse" in labels, "no verse"),
        (len(choruses) >= 2, "the chorus is never repeated"),
        (len(set(choruses)) <= 1, "the chorus changes when it comes back"),
        (bool(choruses) and any(tokens(hook) == tokens(line) for line in choruses[0]), "the chorus does not sing the hook"),
        (not counts, "; ".join(f"{lab} has {n} lines, not {k}" for lab, n, k in counts[:3])),
        (not echoes, "; ".join(f"{lab} sings {n} lines heard before" for lab, n in echoes[:3])),
    ])


def _echoes(m: Mashup) -> list[tuple[str, int]]:
    """Verses and bridges that repeat more than ``SAME_LINES`` lines sung before them (or in them):
    a verse of one line sung four times is not a verse."""
    sung: list[tuple[str, ...]] = []
    out = []
    for s in m.lyrics:
        if s.label in ("verse", "bridge"):
            seen = list(sung)
            repeats = 0
            for line in s.lines:
                repeats += tokens(line) in [list(x) for x in seen]
                seen.append(tuple(tokens(line)))
            if repeats > SAME_LINES:
                out.append((s.label, repeats))
        sung += [tuple(tokens(line)) for line in s.lines]
    return out


@register("singable")
def singable(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Singable: every line sings its section's syllable target, give or take two."""
    target = {p.label: p.syllables for p in _plans(m)}
    lines = [(line, s.syllable_target or target.get(s.label, 8)) for s in _written(m) for line in s.lines]
    counted = [(line, line_syllables(line), t) for line, t in lines]
    off = [(line, n, t) for line, n, t in counted if abs(n - t) > TOLERANCE]
    value = 1 - len(off) / len(lines) if lines else 0.0
    detail = f"{len(lines) - len(off)}/{len(lines)} lines on target"
    if off:
        detail += "; " + "; ".join(f"{line[:30]!r} {n} syllables (target {t})" for line, n, t in off[:3])
    return Score(value=round(value, 4), passed=bool(lines) and not off, detail=detail)


@register("rhyme_scheme")
def rhyme_scheme(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Rhyme scheme: at least three in four of the rhyme pairs the form asks for rhyme, perfectly or
    slant (each kind counted in the detail; a line sung twice is counted as a repeat, not a rhyme)."""
    schemes = {p.label: p.scheme for p in _plans(m)}
    kinds: list[str] = []
    for s in _written(m):
        scheme = s.rhyme_scheme or schemes.get(s.label, "")
        kinds += [rhyme_kind(s.lines[a], s.lines[b]) or "none" for a, b in scheme_pairs(scheme) if b < len(s.lines)]
    if not kinds:
        return Score(value=0.0, passed=False, detail="no rhyme pairs: the lyrics do not follow a scheme")
    rhymed = sum(k in ("perfect", "slant") for k in kinds) / len(kinds)
    counts = ", ".join(f"{kinds.count(k)} {k}" for k in ("perfect", "slant", "repeat", "none") if kinds.count(k))
    return Score(value=round(rhymed, 4), passed=rhymed >= RHYMED, detail=f"{counts} of {len(kinds)} pairs")


@register("hooks_distinct")
def hooks_distinct(case: Case, m: Mashup, info: RunInfo) -> Score:
    """Distinct hooks: 3 to 5 of them (at least the case's minimum), no two alike in spelling or in
    their words (the blend's names, which every hook may sing, aside)."""
    texts = [h.text for h in m.hooks]
    shared = frozenset(w for name in _blend_names(m) for w in tokens(name))
    alike = [(a, b) for i, a in enumerate(texts) for b in texts[i + 1:] if near_duplicate(a, b, shared)]
    alike += [p for p in duplicates(texts) if p not in alike]
    want = max(3, case.expect.min_hooks)
    checks = [(want <= len(texts) <= 5, f"{len(texts)} hook(s), want {want} to 5")]
    checks += [(False, f"{a!r} ~ {b!r}") for a, b in alike]
    pairs = len(texts) * (len(texts) - 1) // 2
    checks += [(True, "distinct pair")] * max(0, pairs - len(alike))
    return from_checks(checks)
