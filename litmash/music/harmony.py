"""Song form and a chord progression per section, from the blended genres' idiomatic progressions.

Every chord is spelled by ``music.theory.chord`` (music21 intervals), never by the model.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from litmash.domain.music import BarChord, SectionMusic
from litmash.knowledge import knowledge
from litmash.knowledge.schema import Genre
from litmash.music.theory import chord

# Song forms by level: the sections in order (their bars come from the progressions).
FORMS = {
    "beginner": ("intro", "verse", "chorus", "verse", "chorus"),
    "intermediate": ("intro", "verse", "chorus", "verse", "chorus", "bridge", "chorus"),
    "advanced": ("intro", "verse", "chorus", "verse", "chorus", "bridge", "chorus", "outro"),
}
# When no blended genre (nor a parent) has a progression in the mode: widely used defaults.
DEFAULTS = {
    "major": (["I", "V", "vi", "IV"], "I–V–vi–IV (a widely used pop progression)"),
    "minor": (["i", "VI", "III", "VII"], "i–VI–III–VII (a widely used minor-key loop)"),
}
# Triads given a seventh when the blend includes a genre that teaches seventh chords.
SEVENTHS = {
    "major": {"I": "Imaj7", "ii": "ii7", "iii": "iii7", "IV": "IVmaj7", "V": "V7", "vi": "vi7"},
    "minor": {"i": "i7", "iv": "iv7", "v": "v7", "III": "IIImaj7", "VI": "VImaj7", "VII": "VII7"},
}


@dataclass(frozen=True)
class Idiom:
    """A progression the song uses, with a label saying where it comes from."""

    roman: list[str]
    label: str


def idioms(genres: list[Genre], mode: str) -> list[Idiom]:
    """The blend's progressions in ``mode``, in blend order; then its parents'; then the default."""
    kb = knowledge()
    out = [_idiom(g, p) for g in genres for p in g.progressions if p.mode == mode]
    if not out:
        out = [_idiom(g, p, child) for child in genres for pid in child.parents if pid in kb.genres
               for g in [kb.genres[pid]] for p in g.progressions if p.mode == mode]
    if not out:
        roman, label = DEFAULTS[mode]
        out = [Idiom(list(roman), label)]
    return out


def _idiom(g: Genre, p, child: Genre | None = None) -> Idiom:
    name = p.name or "–".join(p.roman)
    where = f"{g.name}, a parent of {child.name}" if child else g.name
    return Idiom(list(p.roman), f"{name} ({where})")


def colour(idiom: Idiom, genres: list[Genre], mode: str) -> Idiom:
    """Sevenths on the triads when a blended genre teaches seventh chords (jazz, soul, …)."""
    sources = [g for g in genres if "seventh_chords" in g.teaches]
    if not sources or all(_has_seventh(r) for r in idiom.roman):
        return idiom
    table = SEVENTHS[mode]
    roman = [table.get(r, r) for r in idiom.roman]
    if roman == idiom.roman:
        return idiom
    return Idiom(roman, f"{idiom.label}, with seventh chords from {sources[0].name}")


def _has_seventh(roman: str) -> bool:
    return "7" in roman


def fit(roman: list[str], bars: int) -> list[str]:
    """One chord per bar for at least ``bars`` bars. A progression is first padded to 4, 8, 12 or 16
    bars by holding its last chord (a 3-chord cadence ends on a held tonic), then repeated; one
    longer than ``bars`` keeps its own length (a 12-bar blues stays 12)."""
    length = next((n for n in (2, 4, 8, 12, 16) if n >= len(roman)), len(roman))
    if length % len(roman):
        roman = [*roman, *[roman[-1]] * (length - len(roman))]
    total = max(bars, len(roman))
    return [roman[i % len(roman)] for i in range(total)]


def plan_form(genres: list[Genre], mode: str, key: str, level: str, seed: int,
              bar_len: float) -> list[SectionMusic]:
    """The form with its bars and chords; deterministic for a seed."""
    rng = random.Random(seed + 1)
    pool = [colour(i, genres, mode) for i in idioms(genres, mode)]
    chorus = pool[0] if len(pool) == 1 else pool[rng.randrange(min(2, len(pool)))]
    others = [i for i in pool if i is not chorus]
    verse = others[0] if others else chorus
    bridge = others[1] if len(others) > 1 else _rotated(verse)
    by_label = {"chorus": chorus, "verse": verse, "bridge": bridge}
    sections = []
    for label in FORMS.get(level, FORMS["intermediate"]):
        if label == "intro":
            roman, source = fit(chorus.roman, 4)[:4], chorus.label
        elif label == "outro":
            roman, source = [chorus.roman[0]] * 2, f"the tonic of {chorus.label}"
        elif label == "bridge":
            roman, source = fit(bridge.roman, 4), bridge.label
        else:
            idiom = by_label[label]
            roman, source = fit(idiom.roman, 8), idiom.label
        sections.append(_section(label, roman, source, key, bar_len))
    return sections


def _rotated(idiom: Idiom) -> Idiom:
    """The progression started halfway through: the same chords, heard away from home."""
    half = len(idiom.roman) // 2 or 1
    return Idiom(idiom.roman[half:] + idiom.roman[:half], f"{idiom.label}, started from its middle")


def _section(label: str, roman: list[str], source: str, key: str, bar_len: float) -> SectionMusic:
    chords = []
    for i, r in enumerate(roman, 1):
        c = chord(r, key)
        chords.append(BarChord(bar=i, beat=0.0, length=bar_len, roman=r, symbol=c.symbol,
                               pitches=c.pitches))
    return SectionMusic(label=label, bars=len(roman), progression=source, chords=chords)
