"""MIDI of every part; the part whose id is 'drums' plays on General MIDI channel 10."""

from __future__ import annotations

from . import register

DRUM_CHANNEL = 10  # music21 numbers MIDI channels from 1


@register("midi", extension="mid", media_type="audio/midi", score="arrangement")
def midi_bytes(score) -> bytes:
    """The score as a standard MIDI file."""
    from music21.midi.translate import streamToMidiFile

    mf = streamToMidiFile(score)
    # music21 hands out channels itself; the drum part's events move to channel 10, the GM drum kit.
    parts = list(score.parts)
    for track, part in zip(mf.tracks[1:], parts, strict=False):  # track 0 holds the tempo map
        if part.id == "drums":
            for event in track.events:
                if event.channel is not None:
                    event.channel = DRUM_CHANNEL
    return mf.writestr()
