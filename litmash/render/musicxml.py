"""MusicXML of the whole arrangement (music21's exporter): opens in MuseScore, Finale, Sibelius."""

from __future__ import annotations

from . import register


def musicxml_bytes(score) -> bytes:
    """The score as MusicXML."""
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    return GeneralObjectExporter(score).parse()


register("musicxml", extension="musicxml", media_type="application/vnd.recordare.musicxml+xml",
         score="arrangement")(musicxml_bytes)
