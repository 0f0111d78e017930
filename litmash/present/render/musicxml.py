"""MusicXML of the whole arrangement (music21's exporter): opens in MuseScore, Finale, Sibelius."""

from __future__ import annotations

from typing import TYPE_CHECKING

from litmash.present.render.registry import register

if TYPE_CHECKING:
    from music21 import stream


@register("musicxml", extension="musicxml", media_type="application/vnd.recordare.musicxml+xml",
          score="arrangement")
def musicxml_bytes(score: stream.Score) -> bytes:
    """The score as uncompressed MusicXML (UTF-8); the score itself is left unchanged."""
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    return GeneralObjectExporter(score).parse()
