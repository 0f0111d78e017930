"""The music block: key, tempo, meter, form, chords, hook melody, bass and groove, all computed by
code (``litmash.music.compose``) and stored with the mashup as JSON.

Times are in quarter notes (music21's unit): a 4/4 bar is 4.0, a 6/8 bar 3.0.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Feel = Literal["straight", "swing", "shuffle"]


class BarChord(BaseModel):
    """One chord of a section: which bar it starts in, its Roman numeral, symbol and pitches."""

    bar: int = Field(ge=1, description="Bar within the section, from 1.")
    beat: float = Field(0.0, ge=0, description="Offset within the bar, in quarter notes.")
    length: float = Field(gt=0, description="How long it sounds, in quarter notes.")
    roman: str
    symbol: str
    pitches: list[str]


class SectionMusic(BaseModel):
    """A section of the song form with its bars and chords."""

    label: Literal["intro", "verse", "pre-chorus", "chorus", "bridge", "outro"]
    bars: int = Field(ge=1, le=32)
    progression: str = Field(description="Where its chords come from: 'ii–V–I (Jazz)'.")
    chords: list[BarChord]


class MelodyNote(BaseModel):
    """A note (or a rest when ``pitch`` is None) of the hook melody, with the syllable it carries."""

    pitch: str | None = Field(description="Scientific pitch name such as 'E4'; None for a rest.")
    offset: float = Field(ge=0, description="Start, in quarter notes from the melody's beginning.")
    length: float = Field(gt=0)
    syllable: str | None = None
    stressed: bool = False
    word_start: bool = True


class HookMelody(BaseModel):
    """The chorus hook sung to a melody: one note per syllable, stresses on strong beats."""

    text: str
    bars: int
    notes: list[MelodyNote]
    low: str = Field(description="The singable range for the level: lowest note.")
    high: str = Field(description="Highest note of that range.")


class BassNote(BaseModel):
    """A bass note: pitch, start within the section (quarter notes) and length."""

    pitch: str
    offset: float = Field(ge=0)
    length: float = Field(gt=0)


class DrumHit(BaseModel):
    """A drum hit in a one-bar pattern: General MIDI percussion key, start in quarter notes."""

    sound: Literal["kick", "snare", "side_stick", "clap", "closed_hat", "open_hat", "ride", "shaker"]
    offset: float = Field(ge=0)
    velocity: int = Field(90, ge=1, le=127)


class Groove(BaseModel):
    """The drum groove, one bar repeated: kick/snare layer plus a cymbal layer, from the genres' feels."""

    name: str = Field(description="'boom-bap kick and snare with a swing ride'.")
    layers: list[str] = Field(description="Where each layer comes from: 'boom-bap kick and snare (Hip hop)'.")
    hits: list[DrumHit]


class MusicBlock(BaseModel):
    """Everything a lead sheet, a MIDI file and the theory text are made from."""

    key: str = Field(description="'A minor', 'Bb major'.")
    tempo_bpm: int = Field(ge=40, le=220)
    meter: str = Field(description="'4/4', '6/8'.")
    feel: Feel
    reconciliation: str = Field(description="One sentence: how tempo, meter and feel were chosen from the genres.")
    form: list[SectionMusic]
    bass_style: str
    groove: Groove
    hook_melody: HookMelody | None = None
    seed: int = 0

    def bar_length(self) -> float:
        """A bar's length in quarter notes."""
        beats, unit = (int(x) for x in self.meter.split("/"))
        return beats * 4 / unit

    def section(self, label: str) -> SectionMusic | None:
        """The first section with this label."""
        return next((s for s in self.form if s.label == label), None)

    def chord_symbols(self) -> list[str]:
        """Every chord symbol the song uses, each once, in order of appearance."""
        return list(dict.fromkeys(c.symbol for s in self.form for c in s.chords))
