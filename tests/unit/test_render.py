"""Renderers: real files parsed back (MusicXML and MIDI with music21, SVG with an XML parser, WAV with
the wave module), fluidsynth and verovio really run, plus the one-line errors.

Most tests use a small hand-built score (melody with chord symbols and lyrics, bass, drums); the last
ones render a composed mashup through the cached ``music_file`` helpers.
"""

from __future__ import annotations

import io
import wave
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest

from litmash.present.render import RenderError, audio, render, renderers
from litmash.present.render.audio import audio_available

TEMPO = 120
BARS = 2
WORDS = ["Sing", "it", "loud", "and", "clap", "your", "hands", "now"]
CHORDS = ["G", "Em7", "C", "D7"]  # two a bar, on beats 1 and 3
DRUM_KEYS = [36, 42, 38, 42]  # kick, closed hi-hat, snare, closed hi-hat


def small_score(drum_channel: int | None = 9, melody_instrument: bool = True):
    """Two bars of 4/4 in G: melody (id 'melody') with chord symbols and lyrics, bass, drums (id 'drums')."""
    from music21 import clef, harmony, instrument, key, meter, note, stream, tempo

    melody, bass, drums = stream.Part(id="melody"), stream.Part(id="bass"), stream.Part(id="drums")
    if melody_instrument:
        melody.insert(0, instrument.Flute())
    bass.insert(0, instrument.ElectricBass())
    kit = instrument.Instrument()
    kit.midiChannel = drum_channel
    drums.insert(0, kit)
    pitches = ["D5", "B4", "G4", "B4", "C5", "A4", "F#4", "D4"]
    for bar in range(BARS):
        bars = [stream.Measure(number=bar + 1) for _ in range(3)]
        if bar == 0:
            bars[0].insert(0, tempo.MetronomeMark(number=TEMPO))
            for m, c in zip(bars, (clef.TrebleClef(), clef.BassClef(), clef.PercussionClef()), strict=True):
                m.insert(0, c)
                m.insert(0, key.Key("G"))
                m.insert(0, meter.TimeSignature("4/4"))
        bars[0].insert(0, harmony.ChordSymbol(CHORDS[2 * bar]))
        bars[0].insert(2, harmony.ChordSymbol(CHORDS[2 * bar + 1]))
        for beat in range(4):
            n = note.Note(pitches[4 * bar + beat], quarterLength=1)
            n.lyric = WORDS[4 * bar + beat]
            bars[0].insert(beat, n)
            hit = note.Note(quarterLength=1)
            hit.pitch.midi = DRUM_KEYS[beat]
            bars[2].insert(beat, hit)
        bars[1].insert(0, note.Note("G2" if bar == 0 else "D2", quarterLength=4))
        for part, m in zip((melody, bass, drums), bars, strict=True):
            part.append(m)
    score = stream.Score()
    for part in (melody, bass, drums):
        score.insert(0, part)
    return score


@pytest.fixture(scope="module")
def score():
    return small_score()


def _lead_sheet(score):
    from music21 import stream

    sheet = stream.Score()
    sheet.insert(0, score.parts["melody"])
    return sheet


def _note_ons(data: bytes) -> list[list]:
    """The NOTE_ON events of each music track (track 0, the tempo map, left out)."""
    from music21 import midi

    mf = midi.MidiFile()
    mf.readstr(data)
    return [[e for e in t.events if e.type == midi.ChannelVoiceMessages.NOTE_ON and e.velocity] for t in mf.tracks[1:]]


def _programs(data: bytes) -> list[set[tuple[int, int]]]:
    from music21 import midi

    mf = midi.MidiFile()
    mf.readstr(data)
    return [{(e.channel, e.data) for e in t.events if e.type == midi.ChannelVoiceMessages.PROGRAM_CHANGE}
            for t in mf.tracks[1:]]


def test_registry_lists_every_format_and_refuses_others_in_one_line(score):
    found = renderers()
    assert {n: (r.extension, r.media_type, r.score) for n, r in found.items()} == {
        "midi": ("mid", "audio/midi", "arrangement"),
        "musicxml": ("musicxml", "application/vnd.recordare.musicxml+xml", "arrangement"),
        "svg": ("svg", "image/svg+xml", "lead_sheet"),
        "wav": ("wav", "audio/wav", "arrangement"),
        "ogg": ("ogg", "audio/ogg", "arrangement"),
    }
    assert all(r.name == n and callable(r.func) for n, r in found.items())
    with pytest.raises(RenderError) as err:
        render(score, "mp4")
    assert str(err.value) == "format: unknown 'mp4'; allowed: midi, musicxml, ogg, svg, wav"


def test_musicxml_parses_back_with_the_same_notes_words_and_chords(score):
    from music21 import converter, harmony

    back = converter.parse(render(score, "musicxml"), format="musicxml")
    assert len(back.parts) == 3
    for before, after in zip(score.parts, back.parts, strict=True):
        assert len(after.recurse().notes) == len(before.recurse().notes)
    melody = back.parts[0]
    assert [n.lyric for n in melody.recurse().notes if not isinstance(n, harmony.Harmony)] == WORDS
    assert [c.figure for c in melody.recurse().getElementsByClass(harmony.ChordSymbol)] == CHORDS


def test_midi_keeps_programs_and_puts_only_the_drums_on_channel_10(score):
    data = render(score, "midi")
    assert data[:4] == b"MThd"
    melody, bass, drums = _note_ons(data)
    assert {e.channel for e in drums} == {10}  # music21 counts channels from 1: GM's drum channel
    assert {e.channel for e in melody} | {e.channel for e in bass} <= set(range(1, 17)) - {10}
    assert [e.pitch for e in drums] == DRUM_KEYS * BARS
    assert len(melody) == 4 * BARS  # the chord symbols are not played (music21 would leave them ringing)
    assert len(bass) == BARS
    programs = _programs(data)
    assert {p for _, p in programs[0]} == {73} and {p for _, p in programs[1]} == {33}  # flute, electric bass


@pytest.mark.parametrize(("drum_channel", "melody_instrument"), [(None, True), (9, False), (None, False)])
def test_midi_drums_reach_channel_10_whatever_music21_picks(drum_channel, melody_instrument):
    # music21 assigns channels by program: a melody without instrument shares the drums' (None) and
    # a drum part without midiChannel gets an ordinary channel
    melody, bass, drums = _note_ons(render(small_score(drum_channel, melody_instrument), "midi"))
    assert {e.channel for e in drums} == {10}
    assert 10 not in {e.channel for e in melody + bass}
    assert {e.channel for e in melody}.isdisjoint({e.channel for e in bass})


def test_lead_sheet_svg_shows_melody_words_and_chord_symbols(score, capfd):
    svg = render(_lead_sheet(score), "svg").decode("utf-8")
    assert capfd.readouterr().out == ""  # verovio's log is off
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # verovio writes each syllable and chord symbol as <text>, under <g class="syl"> / <g class="harm">
    groups = {cls: ["".join(g.itertext()).strip() for g in root.iter("{http://www.w3.org/2000/svg}g")
                    if g.get("class", "").split()[:1] == [cls]] for cls in ("syl", "harm", "note", "clef")}
    assert groups["syl"] == WORDS
    assert groups["harm"] == CHORDS
    assert len(groups["note"]) == 4 * BARS and len(groups["clef"]) == 1
    assert "http" not in svg.replace("http://www.w3.org/", "")  # nothing fetched: the font is embedded


def test_lead_sheet_without_clef_gets_a_treble_clef(score):
    from music21 import clef

    sheet = _lead_sheet(score)
    for c in list(sheet.recurse().getElementsByClass(clef.Clef)):
        c.activeSite.remove(c)
    root = ElementTree.fromstring(render(sheet, "svg"))
    clefs = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "clef"]
    assert len(clefs) == 1
    assert not sheet.recurse().getElementsByClass(clef.Clef)  # the caller's score is untouched


def test_a_long_lead_sheet_stacks_its_pages_in_one_svg(score, monkeypatch):
    from litmash.present.render import svg

    monkeypatch.setitem(svg.OPTIONS, "pageHeight", 300)  # room for one line of one bar: two pages
    monkeypatch.setitem(svg.OPTIONS, "pageWidth", 600)
    root = ElementTree.fromstring(render(_lead_sheet(score), "svg"))
    pages = list(root)
    assert len(pages) == 2 and all(p.tag == root.tag for p in pages)
    heights = [float(p.get("height").removesuffix("px")) for p in pages]
    assert [float(p.get("y")) for p in pages] == [0, heights[0]]
    assert float(root.get("height").removesuffix("px")) == sum(heights)
    assert [t for t in WORDS if t in "".join(root.itertext())] == WORDS


@pytest.mark.apt  # fluidsynth and a SoundFont (make audio)
def test_wav_lasts_the_music_and_is_not_silent(score):
    with wave.open(io.BytesIO(render(score, "wav"))) as w:
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).reshape(-1, w.getnchannels())
    music = BARS * 4 * 60 / TEMPO
    # after the music: music21's one-beat closing rest, then fluidsynth's grace time for the release
    assert rate == audio.SAMPLE_RATE and music + 0.5 <= len(samples) / rate <= music + 3
    loud = np.flatnonzero(np.abs(samples).max(axis=1) > 500)
    assert loud[0] / rate < 0.2 and music - 0.5 <= loud[-1] / rate <= music + 1
    rms = float(np.sqrt(np.mean(samples[: int(music * rate)].astype(np.float64) ** 2)))
    assert rms > 300
    assert np.abs(samples).max() < 32767  # no clipping at this gain


@pytest.mark.apt  # fluidsynth and a SoundFont (make audio)
def test_ogg_is_an_ogg_vorbis_stream(score):
    data = render(score, "ogg")
    assert data[:4] == b"OggS" and b"vorbis" in data[:100]


def test_missing_fluidsynth_is_one_line(score, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    reason = audio_available()
    assert reason is not None and "make audio" in reason and "\n" not in reason
    with pytest.raises(RenderError) as err:
        render(score, "wav")
    assert str(err.value) == reason


@pytest.mark.apt  # fluidsynth and a SoundFont (make audio)
def test_missing_or_broken_soundfont_is_one_line(score, tmp_path, monkeypatch):
    assert audio_available() is None
    monkeypatch.setenv("LITMASH_SOUNDFONT", str(tmp_path / "none.sf2"))
    reason = audio_available()
    assert reason.startswith(f"LITMASH_SOUNDFONT={tmp_path / 'none.sf2'} is not a file") and "\n" not in reason
    with pytest.raises(RenderError) as err:
        render(score, "wav")
    assert str(err.value) == reason
    broken = tmp_path / "broken.sf2"
    broken.write_text("not a soundfont")
    monkeypatch.setenv("LITMASH_SOUNDFONT", str(broken))
    with pytest.raises(RenderError) as err:
        render(score, "ogg")  # fluidsynth itself exits 0 here, writing silence
    assert str(err.value).startswith("ogg: fluidsynth failed:") and "\n" not in str(err.value)


@pytest.mark.apt  # fluidsynth and a SoundFont (make audio)
def test_a_note_that_never_ends_stops_the_render(score, monkeypatch):
    from music21.midi.translate import streamToMidiFile

    # music21's own MIDI of chord symbols leaves their notes ringing: fluidsynth would render forever
    ringing = streamToMidiFile(score).writestr()
    monkeypatch.setattr(audio, "MAX_BYTES", 5_000_000)
    with pytest.raises(RenderError, match=r"^wav: fluidsynth went past 5 MB: a note in the MIDI never ends$"):
        audio.from_midi(ringing, "wav")


# A composed mashup through litmash.music.score and the cached files of litmash.present.files.

HOOK = "Swing the beat and feel the rhythm flow"


@pytest.fixture(scope="module")
def music():
    from litmash.music.compose import compose, set_hook

    return set_hook(compose(["jazz", "hip_hop"], "intermediate", 42), HOOK, "intermediate")


def test_mashup_musicxml_has_every_part_and_the_hook_words(music):
    from music21 import converter

    from litmash.music.score import arrangement

    score = converter.parse(render(arrangement(music, "Test"), "musicxml"), format="musicxml")
    assert len(score.parts) == 4
    melody = score.parts[0]
    words = [n.lyric for n in melody.recurse().notes if n.lyric]
    assert words[:9] == ["Swing", "the", "beat", "and", "feel", "the", "rhy", "thm", "flow"]
    assert len(melody.recurse().getElementsByClass("ChordSymbol")) == 0  # chord symbols are on the lead sheet
    bars = sum(s.bars for s in music.form)
    assert len(score.parts[1].getElementsByClass("Measure")) == bars


def test_mashup_midi_puts_the_drums_on_channel_10_and_nothing_else(music):
    from litmash.music.score import arrangement

    notes = _note_ons(render(arrangement(music, "Test", performance=True), "midi"))
    assert [{e.channel for e in t} for t in notes] == [{1}, {2}, {3}, {10}]  # melody, chords, bass, drums
    assert {36, 38, 51} <= {e.pitch for e in notes[3]}  # boom-bap kick and snare, swing ride


def test_mashup_lead_sheet_svg_shows_the_words_and_chord_symbols(music):
    from litmash.music.score import lead_sheet

    root = ElementTree.fromstring(render(lead_sheet(music, "Test"), "svg"))
    text = "".join(root.itertext())
    for word in ("Swing", "beat", "rhy", "thm", "flow", "Am7", "Dm7"):
        assert word in text


@pytest.mark.apt  # fluidsynth and a SoundFont (make audio)
def test_mashup_wav_lasts_the_song_and_is_not_silent(music, tmp_path):
    from litmash.present.files import music_file

    path = music_file(music, "wav", "Test", tmp_path)
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).reshape(-1, w.getnchannels())
    song = sum(s.bars for s in music.form) * music.bar_length() * 60 / music.tempo_bpm
    loud = np.flatnonzero(np.abs(samples).max(axis=1) > 500)
    # the music starts at once and ends with the form (fluidsynth then renders the fading reverb)
    assert loud[0] / rate < 0.5 and song - 1 <= loud[-1] / rate <= song + 3
    rms = float(np.sqrt(np.mean(samples[: int(song * rate)].astype(np.float64) ** 2)))
    assert rms > 300


@pytest.mark.apt  # fluidsynth and a SoundFont (make audio)
def test_all_formats_at_once_and_then_from_the_cache(music, tmp_path, monkeypatch):
    from litmash.present.files import music_file, music_files

    made = music_files(music, "Test", tmp_path)
    assert sorted(made) == ["midi", "musicxml", "ogg", "svg", "wav"]
    assert made["ogg"].read_bytes()[:4] == b"OggS"
    assert made["midi"].read_bytes()[:4] == b"MThd"

    def no_render(*args):
        raise AssertionError("rendered again")

    monkeypatch.setattr("litmash.present.files.render", no_render, raising=False)
    monkeypatch.setattr("litmash.present.render.render", no_render)
    assert music_file(music, "svg", "Test", tmp_path) == made["svg"]


def test_unknown_format_for_a_file_is_one_line(music, tmp_path):
    from litmash.present.files import music_file

    with pytest.raises(RenderError, match=r"^format: unknown 'pdf'; allowed: midi, musicxml, ogg, svg, wav$"):
        music_file(music, "pdf", "Test", Path(tmp_path))
