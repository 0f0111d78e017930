"""Every key, chord, Roman numeral, tempo or meter a text names, checked against the music block.

A concept explanation may say "the Am7 chord" or "98 BPM" only when the song has them; a
mismatch is a problem the agent is re-asked to fix.
"""

from __future__ import annotations

import re

from litmash.domain.music import MusicBlock

_KEY = re.compile(r"\b([A-G])([#b♯♭]?)[ -](major|minor)\b")
# A chord symbol with a quality ('Am', 'G7', 'Fmaj7', 'Bdim'), or a letter before 'chord'.
_CHORD = re.compile(r"\b([A-G][#b]?(?:maj7|mM7|m7b5|m7|dim7|dim|m|7|\+|ø7|sus[24])+)(?![A-Za-z0-9])|\b([A-G][#b]?) chords?\b")
_ROMAN = re.compile(r"(?<![A-Za-z])(b?(?:VII|VI|IV|III|II|V|vii|vi|iv|iii|ii)(?:maj7|7|o|ø7)?)(?![A-Za-z])")
_TEMPO = re.compile(r"\b(\d{2,3})\s*(?:bpm|beats per minute|beats a minute)\b", re.I)
_METER = re.compile(r"\b(\d{1,2})/(\d{1,2})\b")


def _same_tonic(a: str, b: str) -> bool:
    from music21 import pitch

    def pc(t: str) -> int:
        return pitch.Pitch(t[0] + t[1:].replace("b", "-").replace("♭", "-").replace("♯", "#")).pitchClass

    return pc(a) == pc(b)


def mention_problems(text: str, music: MusicBlock) -> list[str]:
    """What ``text`` says about the song's key, chords, numerals, tempo or meter that the block contradicts."""
    problems: list[str] = []
    tonic, mode = music.key.split()
    for letter, acc, m in _KEY.findall(text):
        if m != mode or not _same_tonic(letter + acc, tonic):
            problems.append(f"the song is in {music.key}, not {letter}{acc} {m}")
    symbols = set(music.chord_symbols())
    roots = {s[:2] if len(s) > 1 and s[1] in "#b" else s[:1] for s in symbols}
    for full, letter in _CHORD.findall(text):
        if full and full not in symbols:
            problems.append(f"the song has no {full} chord; its chords are {', '.join(music.chord_symbols())}")
        elif letter and letter not in roots and letter != "A":  # 'a chord' is an article
            problems.append(f"the song has no {letter} chord; its chords are {', '.join(music.chord_symbols())}")
    romans = {c.roman for s in music.form for c in s.chords}
    for numeral in _ROMAN.findall(text):
        if numeral not in romans:
            problems.append(f"the song has no {numeral} chord; its numerals are {', '.join(sorted(romans))}")
    for bpm in _TEMPO.findall(text):
        if int(bpm) != music.tempo_bpm:
            problems.append(f"the tempo is {music.tempo_bpm} BPM, not {bpm}")
    for beats, unit in _METER.findall(text):
        if f"{beats}/{unit}" != music.meter:
            problems.append(f"the meter is {music.meter}, not {beats}/{unit}")
    return list(dict.fromkeys(problems))


def without_symbols(text: str) -> str:
    """``text`` with chord symbols and Roman numerals removed (they are not dictionary words)."""
    return _ROMAN.sub(" ", _CHORD.sub(lambda m: " " if m.group(1) else m.group(0), text))
