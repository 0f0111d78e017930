"""music21 scores made from a music block: the lead sheet (the chorus: hook melody, chord symbols,
words under the notes) and the arrangement (the whole form: melody, chords, bass, drums).

``performance=True`` plays swung or shuffled eighths late (for MIDI and audio); notation keeps
them straight with a 'Swing' marking, as lead sheets do.
"""

from __future__ import annotations

from litmash.domain.music import MusicBlock, SectionMusic
from litmash.music.groove import bass_line

# General MIDI percussion keys.
DRUM_KEYS = {"kick": 36, "side_stick": 37, "snare": 38, "clap": 39, "closed_hat": 42, "open_hat": 46,
             "ride": 51, "shaker": 70}
# Where a swung (or shuffled) off-beat eighth falls, in quarter notes after its beat.
LATE = {"swing": 2 / 3, "shuffle": 2 / 3, "straight": 0.5}


def m21_name(name: str) -> str:
    """'Bb4' -> 'B-4' (music21 spells flats with '-')."""
    return name[0] + name[1:].replace("b", "-")


def chord_figure(symbol: str) -> str:
    """A lead-sheet symbol as music21's ChordSymbol reads it ('Bbmaj7' -> 'B-maj7', 'Bø7' -> 'Bm7b5')."""
    root_len = 2 if len(symbol) > 1 and symbol[1] in "#b" else 1
    root, rest = symbol[:root_len], symbol[root_len:]
    rest = {"ø7": "m7b5", "mM7": "mM7", "+": "+", "+7": "7#5"}.get(rest, rest)
    return m21_name(root) + rest


def _header(part, music: MusicBlock, clef_name: str | None = "treble"):
    from music21 import clef, key, meter, tempo

    # an explicit clef: music21 would otherwise guess one from every pitch, chord symbols included
    if clef_name is not None:
        part.insert(0, {"treble": clef.TrebleClef, "bass": clef.BassClef, "percussion": clef.PercussionClef}[clef_name]())
    tonic, mode = music.key.split()
    part.insert(0, key.Key(m21_name(tonic), mode))
    part.insert(0, meter.TimeSignature(music.meter))
    text = {"swing": "Swing", "shuffle": "Shuffle"}.get(music.feel)
    part.insert(0, tempo.MetronomeMark(text=text, number=music.tempo_bpm, referent=_beat_unit(music.meter)))


def _beat_unit(meter: str):
    from music21 import duration

    return duration.Duration(1.5 if meter in ("6/8", "12/8") else 1.0)


def _late(offset: float, feel: str) -> float:
    """Where an off-beat eighth lands in this feel (on-beat notes do not move)."""
    beat = int(offset)
    frac = offset - beat
    return beat + LATE[feel] if abs(frac - 0.5) < 1e-6 else offset


def _hook_notes(music: MusicBlock, section: SectionMusic, start: float, with_lyrics: bool, performance: bool):
    """The hook phrase repeated over a chorus (as music21 notes and rests with their offsets)."""
    from music21 import note

    melody = music.hook_melody
    if melody is None:
        return []
    bar_len = music.bar_length()
    phrase = melody.bars * bar_len
    out = []
    repeats = max(1, int(section.bars * bar_len // phrase))
    for r in range(repeats):
        for i, n in enumerate(melody.notes):
            at = start + r * phrase + n.offset
            length = n.length
            if n.pitch is None:
                out.append((at, note.Rest(quarterLength=length)))
                continue
            if performance and music.feel != "straight":
                moved = _late(n.offset, music.feel)
                end = _late(n.offset + n.length, music.feel)
                at, length = start + r * phrase + moved, max(0.25, end - moved)
            x = note.Note(m21_name(n.pitch), quarterLength=length)
            if with_lyrics and n.syllable:
                x.lyric = n.syllable
                x.lyrics[0].syllabic = _syllabic(melody.notes, i)
            out.append((at, x))
    return out


def _syllabic(notes, i: int) -> str:
    """music21's syllabic mark, so the lead sheet draws hyphens inside words."""
    starts = notes[i].word_start
    nxt = notes[i + 1] if i + 1 < len(notes) else None
    continues = nxt is not None and nxt.syllable is not None and not nxt.word_start
    return {(True, False): "single", (True, True): "begin", (False, True): "middle", (False, False): "end"}[(starts, continues)]


def lead_sheet(music: MusicBlock, title: str | None = None):
    """The chorus as a lead sheet: hook melody, chord symbols and the words under the notes."""
    from music21 import harmony, metadata, note, stream

    chorus = music.section("chorus") or music.form[0]
    part = stream.Part(id="melody")
    _header(part, music)
    bar_len = music.bar_length()
    for c in chorus.chords:
        part.insert((c.bar - 1) * bar_len + c.beat, harmony.ChordSymbol(chord_figure(c.symbol)))
    notes = _hook_notes(music, chorus, 0.0, with_lyrics=True, performance=False)
    for at, n in notes:
        part.insert(at, n)
    end = chorus.bars * bar_len
    filled = max((at + n.quarterLength for at, n in notes), default=0.0)
    if filled < end:
        part.insert(filled, note.Rest(quarterLength=end - filled))
    score = stream.Score(id="lead_sheet")
    score.metadata = metadata.Metadata(title=title or (music.hook_melody.text if music.hook_melody else "Chorus"))
    score.insert(0, part.makeMeasures())
    return score


def arrangement(music: MusicBlock, title: str | None = None, performance: bool = False):
    """The whole form: melody in the choruses, chords, bass and drums (performance=True: swung timing)."""
    from music21 import chord, instrument, metadata, note, stream

    bar_len = music.bar_length()
    melody, comp, bass, drums = (stream.Part(id=i) for i in ("melody", "chords", "bass", "drums"))
    instruments = (instrument.Flute(), instrument.ElectricPiano() if music.bass_style == "walking" else instrument.Piano(),
                   instrument.AcousticBass() if music.bass_style == "walking" else instrument.ElectricBass(),
                   _drum_kit())
    for part, inst, clef_name in zip((melody, comp, bass, drums), instruments, ("treble", "treble", "bass", "percussion"),
                                     strict=True):
        part.insert(0, inst)
        _header(part, music, clef_name)
    start = 0.0
    for section in music.form:
        if section.label == "chorus":
            for at, n in _hook_notes(music, section, start, with_lyrics=not performance, performance=performance):
                melody.insert(at, n)
        for c in section.chords:
            at = start + (c.bar - 1) * bar_len + c.beat
            for off, length in _comping(music.meter, c.length):
                comp.insert(at + off, chord.Chord(_voicing(c.pitches), quarterLength=length))
        for b in bass_line(section.chords, music.bass_style, bar_len, music.meter):
            bass.insert(start + b.offset, note.Note(m21_name(b.pitch), quarterLength=b.length))
        for bar in range(section.bars):
            for h in music.groove.hits:
                off = _late(h.offset, music.feel) if performance else h.offset
                n = note.Note(DRUM_KEYS[h.sound], quarterLength=0.25)
                n.volume.velocity = h.velocity
                drums.insert(start + bar * bar_len + off, n)
        start += section.bars * bar_len
    score = stream.Score(id="arrangement")
    score.metadata = metadata.Metadata(title=title or "litmash mashup")
    for part in (melody, comp, bass, drums):
        if not part.notesAndRests:
            continue
        score.insert(0, part if performance else part.makeMeasures())
    return score


def _drum_kit():
    """A percussion instrument on General MIDI channel 10 (0-based 9)."""
    from music21 import instrument

    kit = instrument.UnpitchedPercussion()
    kit.midiChannel = 9
    return kit


def _comping(meter: str, length: float) -> list[tuple[float, float]]:
    """When the chords sound within a chord's span: half bars, or beats 2 and 3 of a waltz."""
    if meter == "3/4":
        return [(1.0, 1.0), (2.0, 1.0)]
    if meter in ("6/8", "12/8"):
        return [(k * 1.5, 1.5) for k in range(int(length / 1.5))]
    half = length / 2
    return [(0.0, half), (half, half)]


def _voicing(pitches: list[str]) -> list[str]:
    """Close position from the root near middle C, upward."""
    from music21 import pitch

    out = []
    prev = None
    for name in pitches:
        p = pitch.Pitch(m21_name(name) + "3")
        if prev is not None:
            while p.midi <= prev.midi:
                p.octave += 1
        elif p.midi < 52:
            p.octave += 1
        out.append(p.nameWithOctave)
        prev = p
    return out
