"""Renderers: real files made from a mashup's music and parsed back (MusicXML and MIDI with music21,
SVG with an XML parser, WAV with the wave module), plus the one-line errors."""

from __future__ import annotations

import wave
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest

from litmash.music.compose import compose, set_hook
from litmash.music.files import music_file, music_files
from litmash.music.score import arrangement, lead_sheet
from litmash.render import RenderError, render, renderers
from litmash.render.audio import audio_available

HOOK = "Swing the beat and feel the rhythm flow"


@pytest.fixture(scope="module")
def music():
    return set_hook(compose(["jazz", "hip_hop"], "intermediate", 42), HOOK, "intermediate")


def test_registry_lists_every_format_and_refuses_others_in_one_line(music):
    found = renderers()
    assert {n: (r.extension, r.media_type, r.score) for n, r in found.items()} == {
        "midi": ("mid", "audio/midi", "arrangement"),
        "musicxml": ("musicxml", "application/vnd.recordare.musicxml+xml", "arrangement"),
        "svg": ("svg", "image/svg+xml", "lead_sheet"),
        "wav": ("wav", "audio/wav", "arrangement"),
        "ogg": ("ogg", "audio/ogg", "arrangement"),
    }
    with pytest.raises(RenderError) as err:
        render(lead_sheet(music), "mp4")
    assert str(err.value) == "format: unknown 'mp4'; allowed: midi, musicxml, ogg, svg, wav"


def test_musicxml_parses_back_with_every_part_and_the_hook_words(music):
    from music21 import converter

    score = converter.parse(render(arrangement(music, "Test"), "musicxml"), format="musicxml")
    assert len(score.parts) == 4
    melody = score.parts[0]
    words = [n.lyric for n in melody.recurse().notes if n.lyric]
    assert words[:9] == ["Swing", "the", "beat", "and", "feel", "the", "rhy", "thm", "flow"]
    assert len(melody.recurse().getElementsByClass("ChordSymbol")) == 0  # chord symbols are on the lead sheet
    bars = sum(s.bars for s in music.form)
    assert len(score.parts[1].getElementsByClass("Measure")) == bars


def test_midi_puts_the_drums_on_channel_10_and_nothing_else(music):
    from music21 import midi

    mf = midi.MidiFile()
    mf.readstr(render(arrangement(music, "Test", performance=True), "midi"))
    notes = [{e.channel for e in t.events if e.type == midi.ChannelVoiceMessages.NOTE_ON} for t in mf.tracks]
    assert [c for c in notes if c] == [{1}, {2}, {3}, {10}]  # melody, chords, bass, drums
    drum_keys = {e.pitch for e in mf.tracks[4].events if e.type == midi.ChannelVoiceMessages.NOTE_ON}
    assert {36, 38, 51} <= drum_keys  # boom-bap kick and snare, swing ride


def test_lead_sheet_svg_shows_the_words_and_chord_symbols(music):
    svg = render(lead_sheet(music, "Test"), "svg").decode("utf-8")
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    for word in ("Swing", "beat", "rhy", "thm", "flow", "Am7", "Dm7"):
        assert word in text


def test_wav_lasts_the_song_and_is_not_silent(music, tmp_path):
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


def test_all_formats_at_once_and_then_from_the_cache(music, tmp_path, monkeypatch):
    made = music_files(music, "Test", tmp_path)
    assert sorted(made) == ["midi", "musicxml", "ogg", "svg", "wav"]
    assert made["ogg"].read_bytes()[:4] == b"OggS"
    assert made["midi"].read_bytes()[:4] == b"MThd"

    def no_render(*args):
        raise AssertionError("rendered again")

    monkeypatch.setattr("litmash.music.files.render", no_render, raising=False)
    monkeypatch.setattr("litmash.render.render", no_render)
    assert music_file(music, "svg", "Test", tmp_path) == made["svg"]


def test_missing_fluidsynth_is_one_line(music, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    reason = audio_available()
    assert reason is not None and "make audio" in reason and "\n" not in reason
    with pytest.raises(RenderError) as err:
        render(arrangement(music, performance=True), "wav")
    assert str(err.value) == reason


def test_missing_or_broken_soundfont_is_one_line(music, tmp_path, monkeypatch):
    monkeypatch.setenv("LITMASH_SOUNDFONT", str(tmp_path / "none.sf2"))
    assert audio_available().startswith(f"LITMASH_SOUNDFONT={tmp_path / 'none.sf2'} is not a file")
    broken = tmp_path / "broken.sf2"
    broken.write_text("not a soundfont")
    monkeypatch.setenv("LITMASH_SOUNDFONT", str(broken))
    with pytest.raises(RenderError) as err:
        render(arrangement(music, performance=True), "ogg")
    assert str(err.value).startswith("ogg: fluidsynth failed:") and "\n" not in str(err.value)


def test_unknown_format_for_a_file_is_one_line(music, tmp_path):
    with pytest.raises(RenderError, match=r"^format: unknown 'pdf'; allowed: midi, musicxml, ogg, svg, wav$"):
        music_file(music, "pdf", "Test", Path(tmp_path))
