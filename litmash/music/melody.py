"""The hook melody: one note per syllable (CMU pronouncing dictionary), stressed syllables on strong
beats, chord tones on the strong beats, steps in between, inside a singable range for the level,
and a tune whose Krumhansl–Schmuckler key estimate agrees with the song's key.
"""

from __future__ import annotations

import random

from litmash.domain.music import BarChord, HookMelody, MelodyNote
from litmash.language.syllables import Syllable, syllables

# Strength of each eighth-note step in a bar: 3 downbeat, 2 secondary strong beat, 1 other beats.
STRENGTH = {
    "4/4": (3, 0, 1, 0, 2, 0, 1, 0),
    "3/4": (3, 0, 1, 0, 1, 0),
    "2/4": (3, 0, 1, 0),
    "6/8": (3, 0, 0, 2, 0, 0),
    "12/8": (3, 0, 0, 1, 0, 0, 2, 0, 0, 1, 0, 0),
}
# Semitones a class sings comfortably, by level.
SPAN = {"beginner": 9, "intermediate": 12, "advanced": 14}
ATTEMPTS = 40
# Fewer sung notes than this and Krumhansl–Schmuckler cannot hear the key (measured: 66 of 105
# one- to three-syllable hooks were heard in the subdominant's key), so short hooks are repeated.
MIN_SUNG = 6
MAX_REPEATS = 4


def phrase_bars(count: int, meter: str) -> int:
    """Bars the hook takes: the fewest of 2, 4 or 8 that leave room to breathe."""
    steps = len(STRENGTH[meter])
    return next((b for b in (2, 4, 8) if count <= b * steps * 0.6), 8)


def _fit(stressed: bool, strength: int) -> float:
    if stressed:
        return {3: 3.0, 2: 2.5, 1: 1.0, 0: -2.0}[strength]
    return {3: -2.0, 2: -1.0, 1: 0.0, 0: 0.5}[strength]


def _gap(gap: int, inside_word: bool) -> float:
    cost = 0.0 if gap <= 2 else -0.4 * (gap - 2)
    return cost - (2.0 if inside_word and gap > 2 else 0.0)


def place(syls: list[Syllable], meter: str, bars: int) -> list[int]:
    """Eighth-note steps for the syllables that put stresses on strong beats (dynamic programming)."""
    strength = STRENGTH[meter]
    k_total = bars * len(strength)
    last = k_total - 2  # the last syllable is held at least a quarter note
    n = len(syls)
    if n > last + 1:
        raise ValueError(f"{n} syllables do not fit {bars} bars of {meter}")
    neg = float("-inf")
    best = [[neg] * (last + 1) for _ in range(n)]
    back = [[-1] * (last + 1) for _ in range(n)]
    for p in range(last + 1):
        best[0][p] = _fit(syls[0].stressed, strength[p % len(strength)]) - 0.3 * p
    for i in range(1, n):
        inside = not syls[i].word_start
        for p in range(i, last + 1):
            f = _fit(syls[i].stressed, strength[p % len(strength)])
            for q in range(max(i - 1, p - 8), p):
                if best[i - 1][q] == neg:
                    continue
                v = best[i - 1][q] + f + _gap(p - q, inside)
                if v > best[i][p]:
                    best[i][p], back[i][p] = v, q
    # the phrase should end on a strong beat and use its time: end in the last bar
    def end_score(p: int) -> float:
        bonus = 1.5 if strength[p % len(strength)] >= 2 else 0.0
        return best[n - 1][p] + bonus - 0.5 * max(0, (k_total - len(strength)) - p) / len(strength)

    p = max(range(last + 1), key=end_score)
    slots = [p]
    for i in range(n - 1, 0, -1):
        p = back[i][p]
        slots.append(p)
    return slots[::-1]


def singable_range(key: str, level: str) -> tuple[int, int]:
    """Lowest and highest MIDI note of the hook: from the tonic (or the dominant) near middle C."""
    from music21 import pitch

    tonic = pitch.Pitch(key.split()[0].replace("b", "-") + "4")
    for start in (tonic, tonic.transpose("P5")):
        for octave_shift in (-12, 0, 12):
            low = start.midi + octave_shift
            if 57 <= low <= 65:
                return low, low + SPAN.get(level, 12)
    return 60, 60 + SPAN.get(level, 12)


def _scale(key: str, low: int, high: int) -> list[int]:
    from music21 import key as m21key

    k = m21key.Key(*_m21(key))
    classes = {p.pitchClass for p in k.getPitches()}
    return [m for m in range(low, high + 1) if m % 12 in classes]


def _m21(key: str) -> tuple[str, str]:
    tonic, mode = key.split()
    return tonic[0] + tonic[1:].replace("b", "-"), mode


def _pc(name: str) -> int:
    from music21 import pitch

    return pitch.Pitch(name.replace("b", "-")).pitchClass


def _chord_at(chords: list[BarChord], offset: float, bar_len: float) -> BarChord:
    bar = int(offset // bar_len) + 1
    bars = max(c.bar for c in chords)
    bar = (bar - 1) % bars + 1
    return max((c for c in chords if c.bar <= bar), key=lambda c: c.bar)


def _pitches(slots: list[int], syls: list[Syllable], chords: list[BarChord], key: str, meter: str,
             low: int, high: int, rng: random.Random, home_only: bool = False) -> list[int]:
    scale = _scale(key, low, high)
    strength = STRENGTH[meter]
    bar_len = len(strength) / 2
    tonic_pc = _pc(key.split()[0])
    # the tonic triad, favoured so a short hook is heard in its key
    home = {tonic_pc, (tonic_pc + (3 if key.endswith("minor") else 4)) % 12, (tonic_pc + 7) % 12}
    out: list[int] = []
    for i, (slot, syl) in enumerate(zip(slots, syls, strict=True)):
        tones = {_pc(p) for p in _chord_at(chords, slot / 2, bar_len).pitches}
        strong = strength[slot % len(strength)] >= 2 or syl.stressed
        if i == len(slots) - 1:
            want = [m for m in scale if m % 12 == tonic_pc] or scale
        elif strong:
            want = [m for m in scale if m % 12 in tones] or scale
            if home_only:  # a short hook over a non-tonic chord: keep to the tonic triad
                want = [m for m in want if m % 12 in home] or [m for m in scale if m % 12 in home]
        else:
            want = scale
        if out:
            prev = scale.index(min(scale, key=lambda m: abs(m - out[-1])))
            reach = 4 if strong else 2
            near = [m for m in want if abs(scale.index(m) - prev) <= reach] or want
            weights = [(3.0 if abs(scale.index(m) - prev) == 1 else 1.5 if m != out[-1] else 0.7)
                       * (2.0 if m % 12 in home else 1.0) for m in near]
            out.append(rng.choices(near, weights)[0] if i < len(slots) - 1 else min(near, key=lambda m: abs(m - out[-1])))
        else:
            mid = (low + high) / 2
            first = sorted([m for m in want if m % 12 in home] or want, key=lambda m: abs(m - mid))[:3]
            out.append(rng.choice(first))
    return out


def estimated_key(notes: list[MelodyNote]) -> tuple[str, float]:
    """The Krumhansl–Schmuckler key of the notes ('A minor') and its correlation."""
    from music21 import note, stream

    s = stream.Stream()
    for n in notes:
        if n.pitch:
            s.insert(n.offset, note.Note(n.pitch.replace("b", "-"), quarterLength=n.length))
    k = s.analyze("key")
    return f"{k.tonic.name.replace('-', 'b')} {k.mode}", k.correlationCoefficient


def same_key(a: str, b: str) -> bool:
    """'A# minor' and 'Bb minor' are the same key."""
    (ta, ma), (tb, mb) = a.split(), b.split()
    return ma == mb and _pc(ta) == _pc(tb)


def sung_text(text: str, least: int = MIN_SUNG) -> str:
    """The hook as the phrase sings it: a hook too short for its key to be heard is sung again
    ("Go, go, go, go"), the way short hooks are chanted, until the phrase has ``least`` syllables."""
    n = len(syllables(text))
    if n == 0 or n >= least:
        return text
    once = text.rstrip(".!?,;: ")
    again = once if once.split()[0] == "I" else once[0].lower() + once[1:]
    return ", ".join([once] + [again] * (min(MAX_REPEATS, -(-least // n)) - 1))


def hook_melody(text: str, chords: list[BarChord], key: str, meter: str, level: str, seed: int) -> HookMelody:
    """The hook set to a melody over the chorus chords (deterministic for a seed); a short hook is
    repeated, and repeated more when its key still cannot be heard."""
    first = None
    for least in (MIN_SUNG, 2 * MIN_SUNG):
        melody = _set(sung_text(text, least), chords, key, meter, level, seed)
        if same_key(estimated_key(melody.notes)[0], key) or len(syllables(text)) >= least:
            return melody
        first = first or melody
    return first


def _set(text: str, chords: list[BarChord], key: str, meter: str, level: str, seed: int) -> HookMelody:
    syls = syllables(text)
    if not syls:
        raise ValueError(f"the hook {text!r} has no words to sing")
    bars = phrase_bars(len(syls), meter)
    slots = place(syls, meter, bars)
    low, high = singable_range(key, level)
    total = bars * len(STRENGTH[meter]) / 2
    chosen: list[MelodyNote] | None = None
    for attempt in range(ATTEMPTS):
        rng = random.Random(seed * 1000 + attempt)
        midis = _pitches(slots, syls, chords, key, meter, low, high, rng, home_only=attempt >= ATTEMPTS // 2)
        notes = _notes(slots, syls, [spell(m, key) for m in midis], total, len(STRENGTH[meter]))
        if same_key(estimated_key(notes)[0], key):
            chosen = notes
            break
        chosen = chosen or notes  # none agrees: the first, and melody_fits reports it
    return HookMelody(text=text, bars=bars, notes=chosen, low=spell(low, key), high=spell(high, key))


def spell(midi: int, key: str) -> str:
    """A MIDI note named as the key spells it ('Bb4' in F major, not 'A#4')."""
    from music21 import key as m21key
    from music21 import pitch

    names = {p.pitchClass: p.name for p in m21key.Key(*_m21(key)).getPitches()}
    p = pitch.Pitch(midi=midi)
    if (name := names.get(midi % 12)) is not None:
        p = pitch.Pitch(f"{name}{(midi // 12) - 1}")
        if p.midi != midi:  # Cb/B# cross the octave boundary
            p.octave += (midi - p.midi) // 12
    return p.nameWithOctave.replace("-", "b")


def _notes(slots: list[int], syls: list[Syllable], names: list[str], total: float, steps: int) -> list[MelodyNote]:
    notes: list[MelodyNote] = []
    for i, (slot, syl, name) in enumerate(zip(slots, syls, names, strict=True)):
        start = slot / 2
        if i + 1 < len(slots):
            end = slots[i + 1] / 2
        else:  # hold the last note to the end of its bar, at most two beats
            bar_end = (slot // steps + 1) * steps / 2
            end = min(bar_end, start + 2.0)
        notes.append(MelodyNote(pitch=name, offset=start, length=end - start,
                                syllable=syl.text, stressed=syl.stressed, word_start=syl.word_start))
    if (end := notes[-1].offset + notes[-1].length) < total:
        notes.append(MelodyNote(pitch=None, offset=end, length=total - end))
    return notes
