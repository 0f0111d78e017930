"""MIDI of every part; the part whose id is 'drums' plays on General MIDI channel 10."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from litmash.present.render.registry import RenderError, register

if TYPE_CHECKING:
    from music21 import stream

DRUMS_PART_ID = "drums"
DRUM_CHANNEL = 10  # music21's MidiEvent.channel counts from 1: GM channel 10 (9 counted from 0)


@register("midi", extension="mid", media_type="audio/midi", score="arrangement")
def midi_bytes(score: stream.Score) -> bytes:
    """The score as a Standard MIDI File, the part with id 'drums' on GM channel 10."""
    from music21 import harmony
    from music21 import stream as m21stream
    from music21.midi.translate import streamToMidiFile

    if score.recurse().getElementsByClass(harmony.Harmony).first() is not None:
        # music21 plays a ChordSymbol as a zero-length chord whose note-offs come before its
        # note-ons: the notes then ring forever (and fluidsynth renders forever). The chords are
        # for reading; the arrangement plays its harmony in its own parts.
        score = copy.deepcopy(score)
        for inner in score.recurse(streamsOnly=True, includeSelf=True):
            inner.removeByClass(harmony.Harmony)
    mf = streamToMidiFile(score)
    # music21 writes track 0 (tempo map), then one track per top-level stream in score order
    parts = list(score.getElementsByClass(m21stream.Stream))
    tracks = mf.tracks[1:]
    if len(tracks) != len(parts):
        raise RenderError(f"midi: music21 wrote {len(tracks)} tracks for {len(parts)} parts")
    _place_drums(tracks, [part.id == DRUMS_PART_ID for part in parts])
    return mf.writestr()


def _place_drums(tracks: list, is_drums: list[bool]) -> None:
    """Drum tracks onto channel 10, every other track off it.

    music21 picks channels per *program*, not per part: an instrument's midiChannel is honoured
    only when no other part shares its program, and a drum part without one gets any channel.
    Rewriting the events afterwards is the one way to be sure of GM's drum channel.
    """
    from music21 import midi

    def channel_events(track):
        # note, program, controller, pitch-bend... events; meta events carry no channel
        return [e for e in track.events if isinstance(e.type, midi.ChannelVoiceMessages | midi.ChannelModeMessages)]

    used = {e.channel for track, drums in zip(tracks, is_drums, strict=True) if not drums
            for e in channel_events(track)}
    free = [c for c in range(1, 17) if c != DRUM_CHANNEL and c not in used]
    for track, drums in zip(tracks, is_drums, strict=True):
        events = channel_events(track)
        if drums:
            for event in events:
                event.channel = DRUM_CHANNEL
        elif any(e.channel == DRUM_CHANNEL for e in events):
            if not free:
                raise RenderError("midi: more than 15 instruments besides the drums; General MIDI has 15 channels")
            moved = free.pop(0)
            for event in events:
                if event.channel == DRUM_CHANNEL:
                    event.channel = moved
