"""Checks on a music block with music21: every chord parses and agrees with its symbol and key, and
the hook melody fits its words, its key and the level's range. Used by the scorers and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litmash.domain.music import MusicBlock
from litmash.language.syllables import syllables
from litmash.music.melody import STRENGTH, estimated_key, same_key, singable_range
from litmash.music.score import chord_figure, m21_name
from litmash.music.theory import chord

_DEGREE_NAMES = ("I", "II", "III", "IV", "V", "VI", "VII")


@dataclass
class Report:
    """What a check found: problems fail it; notes describe what is there."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    share: float = 1.0


def _pcs(names) -> set[int]:
    from music21 import pitch

    return {pitch.Pitch(m21_name(n)).pitchClass for n in names}


def _scale(tonic: str, mode: str) -> set[int]:
    from music21 import key

    return {p.pitchClass for p in key.Key(m21_name(tonic), mode).getPitches()}


def chord_role(roman: str, pitches: list[str], key: str) -> str:
    """How a chord relates to the key: 'diatonic', 'secondary dominant of ii', 'borrowed from C minor', …"""
    from music21 import pitch

    tonic, mode = key.split()
    pcs = _pcs(pitches)
    scale = _scale(tonic, mode)
    if pcs <= scale:
        return "diatonic"
    if "/" in roman:
        return f"secondary dominant of {roman.split('/')[1]}"
    t = pitch.Pitch(m21_name(tonic)).pitchClass
    if mode == "minor" and pcs <= scale | {(t + 9) % 12, (t + 11) % 12}:
        return "diatonic with the raised sixth or seventh (melodic or harmonic minor)"
    root = pitch.Pitch(m21_name(pitches[0])).pitchClass
    third = pitch.Pitch(m21_name(pitches[1])).pitchClass
    dominant = (third - root) % 12 == 4 and len(pitches) >= 3
    target = (root + 5) % 12  # a dominant resolves a fifth down
    if dominant and target in scale and target != t and not roman.upper().startswith(("I", "IV")):
        degree = sorted(scale, key=lambda p: (p - t) % 12).index(target)
        return f"secondary dominant of {_DEGREE_NAMES[degree]} (V7/{_DEGREE_NAMES[degree]})"
    if roman in ("I7", "IV7") and mode == "major":
        return "blues dominant seventh"
    other = "minor" if mode == "major" else "major"
    if pcs <= _scale(tonic, other):
        return f"borrowed from {tonic} {other} (modal mixture)"
    return "chromatic"


def theory_report(music: MusicBlock) -> Report:
    """Every chord parses, spells the same pitches as its symbol (music21's ChordSymbol) and as its
    Roman numeral in the key; the share of diatonic chords; borrowed and secondary chords named."""
    from music21 import harmony

    report = Report()
    roles: dict[str, str] = {}
    total = diatonic = 0
    beats, unit = (int(x) for x in music.meter.split("/"))
    if music.meter not in STRENGTH:
        report.problems.append(f"meter {music.meter} is not one litmash composes in")
    if not 40 <= music.tempo_bpm <= 220:
        report.problems.append(f"tempo {music.tempo_bpm} BPM is outside 40–220")
    for s in music.form:
        if sum(c.length for c in s.chords) != s.bars * music.bar_length():
            report.problems.append(f"{s.label}: its chords do not fill its {s.bars} bars")
        for c in s.chords:
            total += 1
            try:
                expected = chord(c.roman, music.key)
                figure = harmony.ChordSymbol(chord_figure(c.symbol))
            except Exception as exc:  # music21 raises several types for an unreadable figure
                report.problems.append(f"{s.label} bar {c.bar}: {c.roman} / {c.symbol} does not parse ({exc})")
                continue
            if expected.symbol != c.symbol:
                report.problems.append(f"{s.label} bar {c.bar}: {c.roman} in {music.key} is {expected.symbol}, not {c.symbol}")
            elif expected.pitches != c.pitches:
                report.problems.append(f"{s.label} bar {c.bar}: {c.roman} in {music.key} is {' '.join(expected.pitches)}, "
                                       f"not {' '.join(c.pitches)}")
            if {p.pitchClass for p in figure.pitches} != _pcs(c.pitches):
                report.problems.append(f"{s.label} bar {c.bar}: the symbol {c.symbol} spells other notes than {' '.join(c.pitches)}")
            role = chord_role(c.roman, c.pitches, music.key)
            roles.setdefault(f"{c.roman} ({c.symbol})", role)
            diatonic += role.startswith("diatonic")
    report.share = diatonic / total if total else 0.0
    report.notes.append(f"{report.share:.0%} of the chords are diatonic to {music.key}")
    report.notes += [f"{name}: {role}" for name, role in roles.items() if not role.startswith("diatonic")]
    if any(r == "chromatic" for r in roles.values()):
        report.notes.append("some chords are chromatic without a named function")
    return report


def melody_report(music: MusicBlock, level: str) -> Report:
    """The hook melody has one note per syllable, sounds in the stated key (Krumhansl–Schmuckler),
    stays in the level's singable range, and puts stressed syllables on beats."""
    from music21 import pitch

    report = Report()
    melody = music.hook_melody
    if melody is None:
        report.problems.append("the music block has no hook melody")
        report.share = 0.0
        return report
    sung = [n for n in melody.notes if n.pitch]
    want = len(syllables(melody.text))
    if len(sung) != want:
        report.problems.append(f"{len(sung)} notes for {want} syllables of {melody.text!r}")
    guess, corr = estimated_key(melody.notes)
    if not same_key(guess, music.key):
        report.problems.append(f"the melody sounds in {guess} (r={corr:.2f}), not in {music.key}")
    low, high = singable_range(music.key, level)
    midis = [pitch.Pitch(m21_name(n.pitch)).midi for n in sung]
    if midis and (min(midis) < low or max(midis) > high):
        report.problems.append(f"the melody spans {min(midis)}–{max(midis)} (MIDI), outside the {level} range {low}–{high}")
    steps = STRENGTH.get(music.meter, STRENGTH["4/4"])
    stressed = [n for n in sung if n.stressed]
    on_beat = [n for n in stressed if steps[int(round(n.offset * 2)) % len(steps)] >= 1]
    report.share = len(on_beat) / len(stressed) if stressed else 1.0
    report.notes.append(f"{len(on_beat)} of {len(stressed)} stressed syllables fall on a beat; "
                        f"estimated key {guess} (r={corr:.2f})")
    return report
