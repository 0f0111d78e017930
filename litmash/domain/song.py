"""The song's records: hooks and lyric sections (lines by the model, checked and shaped by code)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from litmash.domain.request import Text

SectionLabel = Literal["intro", "verse", "pre-chorus", "chorus", "bridge", "outro"]


class Hook(BaseModel):
    """One hook: a short line the model wrote, kept and ranked by code (``litmash.lyrics.hooks``)."""

    text: Text(5, 100) = Field(description="The hook line as it would be sung or rapped.")
    technique: Text(5, 80) = Field(description="The musical or lyrical device the hook uses.")
    # None in mashups stored before hooks were checked by code
    syllables: int | None = Field(default=None, description="Sung syllables (CMUdict).")
    source: Literal["model", "code"] | None = Field(
        default=None, description="'code' when too few of the model's candidates passed and a set phrase stands in.")


class HookSet(BaseModel):
    """hook_generator agent: a title and several distinct hook options."""

    title: Text(3, 80) = Field(description="A short, catchy song title.")
    hooks: list[Hook] = Field(min_length=3, max_length=5, description="Distinct hook options.")


class LyricSection(BaseModel):
    """A labelled block of lyrics; the fields after ``lines`` are computed by code (None or empty in
    mashups stored before the song form came from the music)."""

    label: SectionLabel = Field(description="Which part of the song this is.")
    lines: list[Text(2, 80)] = Field(min_length=1, max_length=8, description="The lines, in order.")
    syllable_target: int | None = Field(default=None, description="Syllables each line should sing.")
    rhyme_scheme: str | None = Field(default=None, description="Which lines rhyme: 'AABB'.")
    syllables: list[int] = Field(default_factory=list, description="Sung syllables per line.")
    stresses: list[str] = Field(default_factory=list, description="Stress per line: '/' stressed, 'x' not.")
    rhymes: list[str] = Field(
        default_factory=list, description="Per rhyme pair of the scheme: 'perfect', 'slant', 'repeat' or 'none'.")
    repeated: bool = Field(default=False, description="A repeat of an earlier section (the chorus, the outro's hook).")
    notes: list[str] = Field(default_factory=list, description="Lines code filled in after the model's stayed invalid.")


class Lyrics(BaseModel):
    """lyrics_composer agent: the song, section by section, in the music's form."""

    sections: list[LyricSection] = Field(
        min_length=1, max_length=10,
        description="Song sections in order; include at least one verse and a chorus.",
    )
