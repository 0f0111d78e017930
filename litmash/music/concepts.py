"""Which theory concepts the song demonstrates, and where in it the class hears each one: both by
code from the music block, so the model only explains the idea for the level.

Each detector returns the 'where' sentence when the block shows the concept, else None.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from litmash.domain.music import MusicBlock
from litmash.knowledge import knowledge
from litmash.knowledge.base import fold


def _beats(music: MusicBlock, sounds: set[str]) -> list[float]:
    return sorted({h.offset for h in music.groove.hits if h.sound in sounds})


def _count(offset: float) -> str:
    """A quarter-note offset as a count: 1.5 -> "the 'and' of beat 2"."""
    beat = int(offset) + 1
    return f"beat {beat}" if offset == int(offset) else f"the 'and' of beat {beat}"


def _swing(m: MusicBlock) -> str | None:
    if m.feel == "straight":
        return None
    return f"The eighth notes are played long–short ({m.feel}) in the {m.groove.layers[-1].split(' (')[0]} and the melody."


def _backbeat(m: MusicBlock) -> str | None:
    if m.meter == "4/4" and {1.0, 3.0} <= set(_beats(m, {"snare", "clap", "side_stick"})):
        return "The snare drum hits beats 2 and 4 of every bar."
    return None


def _syncopation(m: MusicBlock) -> str | None:
    off = [b for b in _beats(m, {"kick", "snare", "clap"}) if b != int(b)]
    if off:
        return f"The drums land on {_count(off[0])} in the {m.groove.name.split(' with ')[0]} pattern."
    stressed = [n for n in (m.hook_melody.notes if m.hook_melody else []) if n.stressed and n.offset != int(n.offset)]
    if stressed:
        return f"The sung word '{stressed[0].syllable}' in the hook falls between the beats."
    return None


def _sevenths(m: MusicBlock) -> str | None:
    sevenths = [s for s in m.chord_symbols() if "7" in s]
    if not sevenths:
        return None
    return f"The chords {', '.join(sevenths[:3])} each add a seventh above the root."


def _progression(m: MusicBlock) -> str | None:
    chorus = m.section("chorus") or m.form[0]
    unit = cycle([c.roman for c in chorus.chords])
    symbols = [c.symbol for c in chorus.chords][: len(unit)]
    return f"The chorus repeats {' – '.join(symbols)} ({' – '.join(unit)})."


def cycle(romans: list[str]) -> list[str]:
    """The shortest repeating unit of a chord sequence (Am7 Dm7 Am7 Dm7 -> Am7 Dm7)."""
    for n in range(1, len(romans) + 1):
        if all(romans[i] == romans[i % n] for i in range(len(romans))):
            return romans[:n]
    return romans


def _twelve_bar(m: MusicBlock) -> str | None:
    s = next((s for s in m.form if s.bars == 12 and "twelve-bar" in s.progression), None)
    return f"The {s.label} is a twelve-bar blues built on I, IV and V." if s else None


def _tempo(m: MusicBlock) -> str | None:
    return f"The song moves at {m.tempo_bpm} beats per minute."


def _meter(m: MusicBlock) -> str | None:
    return f"Every bar has the beats of {m.meter}."


def _compound(m: MusicBlock) -> str | None:
    return f"Each beat of {m.meter} splits into three eighth notes." if m.meter in ("6/8", "12/8") else None


def _major_minor(m: MusicBlock) -> str | None:
    return f"The song is in {m.key}."


def _hook(m: MusicBlock) -> str | None:
    return "The hook comes back in every chorus." if m.hook_melody or m.section("chorus") else None


def _form(m: MusicBlock) -> str | None:
    return "The song goes " + ", ".join(s.label for s in m.form) + "."


def _groove(m: MusicBlock) -> str | None:
    return f"The {m.groove.name} lock with the {m.bass_style.replace('-', '–')} bass line."


def _melody(m: MusicBlock) -> str | None:
    if m.hook_melody is None:
        return None
    return f"The hook melody stays between {m.hook_melody.low} and {m.hook_melody.high} and ends on the home note."


DETECTORS: dict[str, Callable[[MusicBlock], str | None]] = {
    "swing": _swing, "backbeat": _backbeat, "syncopation": _syncopation, "seventh_chords": _sevenths,
    "twelve_bar_blues": _twelve_bar, "chord_progression": _progression, "compound_meter": _compound,
    "groove": _groove, "tempo": _tempo, "meter": _meter, "major_minor": _major_minor, "hook": _hook,
    "form": _form, "verse_chorus": _form, "melody": _melody, "harmony": _progression, "beat": _tempo,
}


def choose(music: MusicBlock, genre_ids: list[str], text: str, count: int = 3) -> list[tuple[str, str]]:
    """``count`` (concept id, where) pairs the song demonstrates: those the request names first, then
    those the blend's genres teach (taking turns), then the progression and the hook."""
    kb = knowledge()
    said = fold(text)
    named = [c for c in kb.concepts
             if any(re.search(rf"\b{re.escape(fold(n))}\b", said) for n in (kb.concepts[c].name, c.replace("_", " ")))]
    taught = [t for row in _zip([kb.get(g).teaches for g in genre_ids]) for t in row]
    out: list[tuple[str, str]] = []
    for cid in dict.fromkeys([*named, *taught, "chord_progression", "hook", "groove", "major_minor"]):
        if len(out) >= count:
            break
        if cid in DETECTORS and (where := DETECTORS[cid](music)) is not None:
            if all(where != w for _, w in out):
                out.append((cid, where))
    return out


def _zip(lists: list[list[str]]) -> list[list[str]]:
    longest = max((len(x) for x in lists), default=0)
    return [[x[i] for x in lists if i < len(x)] for i in range(longest)]
