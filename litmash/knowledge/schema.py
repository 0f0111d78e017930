"""The genre knowledge base's schema: one pydantic model per YAML entry, strict at load.

Every field is optional where the fact may be unknown: an unknown value is left out, never
guessed. Extra keys are refused so a typo in a data file fails the load test, not a lesson.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=80)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=240)]
# '1970s', or a century for older traditions ('16th century', '3rd century BCE')
Decade = Annotated[str, StringConstraints(pattern=r"^(1[0-9]|20)[0-9]0s$|^[0-9]{1,2}(st|nd|rd|th) century( BCE)?$")]
MeterText = Annotated[str, StringConstraints(pattern=r"^([1-9][0-9]?/(2|4|8|16)|free)$")]

Family = Literal[
    "african_american", "jazz", "rock", "pop", "hip_hop", "electronic", "north_american_folk",
    "western_art", "european_folk", "middle_east_north_africa", "sub_saharan_africa", "south_asia",
    "east_asia", "southeast_asia", "inner_asia", "caribbean", "latin_america",
]
Tradition = Literal["popular", "art", "folk", "sacred"]
Feel = Literal["straight", "swing", "shuffle", "free"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where a fact comes from: an encyclopedia article, a book or liner notes."""

    work: Short = Field(description="'Wikipedia', 'Encyclopaedia Britannica', 'Grove Music Online', or a book title.")
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=160)] = Field(
        description="The article's or chapter's title.")
    author: Short | None = None
    year: int | None = Field(default=None, ge=1800, le=2030)


class Origin(Strict):
    """Where and when a genre began."""

    places: list[Short] = Field(min_length=1, max_length=5)
    decades: list[Decade] = Field(default_factory=list, max_length=4,
                                  description="Empty when the tradition's age is unknown.")


class Tempo(Strict):
    """Typical tempo range in beats per minute."""

    min: int = Field(ge=30, le=220)
    max: int = Field(ge=30, le=220)

    @model_validator(mode="after")
    def _ordered(self) -> Tempo:
        if self.min > self.max:
            raise ValueError(f"tempo min {self.min} is above max {self.max}")
        return self


class Rhythm(Strict):
    """How the genre's rhythm feels."""

    feel: Feel
    traits: list[Short] = Field(default_factory=list, max_length=6,
                                description="'backbeat', 'clave', 'syncopation', 'four-on-the-floor', …")


class Progression(Strict):
    """An idiomatic chord progression in Roman numerals, read in a major or minor key."""

    roman: list[Annotated[str, StringConstraints(min_length=1, max_length=12)]] = Field(min_length=2, max_length=16)
    mode: Literal["major", "minor"]
    name: Short | None = None
    used_in: Line


class Listening(Strict):
    """A recording to listen to: artist, title and (when known) year of release."""

    artist: Short
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    year: int | None = Field(default=None, ge=1890, le=2030)


class Genre(Strict):
    """One genre of the knowledge base."""

    id: Id
    name: Short
    aliases: list[Short] = Field(default_factory=list, max_length=16)
    everyday_words: list[Short] = Field(
        default_factory=list, max_length=6,
        description="Name or aliases that are also everyday words ('pop', 'house'): in free text they "
                    "count only next to a music word or joined to another genre.")
    family: Family
    parents: list[Id] = Field(default_factory=list, max_length=4)
    traditions: list[Tradition] = Field(min_length=1, max_length=3)
    origin: Origin
    communities: list[Line] = Field(min_length=1, max_length=4)
    instruments: list[Short] = Field(min_length=1, max_length=10)
    tempo_bpm: Tempo | None = None
    meters: list[MeterText] = Field(default_factory=list, max_length=4)
    tonality: list[Short] = Field(default_factory=list, max_length=6,
                                  description="Common keys, modes or scales: 'minor', 'blues scale', 'Dorian mode'.")
    rhythm: Rhythm | None = None
    progressions: list[Progression] = Field(default_factory=list, max_length=4)
    signature_elements: list[Line] = Field(min_length=2, max_length=6)
    artists: list[Short] = Field(default_factory=list, max_length=6)
    listening: list[Listening] = Field(default_factory=list, max_length=4)
    respectful_use: Line
    teaches: list[Id] = Field(min_length=1, max_length=8, description="Concept ids from concepts.yaml.")
    sources: list[Source] = Field(min_length=1, max_length=8)

    @model_validator(mode="after")
    def _everyday_words_are_names(self) -> Genre:
        names = {n.lower() for n in (self.name, *self.aliases)}
        stray = [w for w in self.everyday_words if w.lower() not in names]
        if stray:
            raise ValueError(f"everyday_words {stray} are not the name or an alias")
        return self


class Concept(Strict):
    """A musical concept a genre is good for teaching."""

    id: Id
    name: Short
    definition: Line
