"""The assembled mashup and its parts that are not the song or the lesson: the genre blend, cultural
context, theory analysis, validation notes and the run's metadata."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from litmash.domain.lesson import EducationalContent, TeachingGuide, TheoryConcept
from litmash.domain.music import MusicBlock
from litmash.domain.request import MashupRequest, Text
from litmash.domain.song import Hook, LyricSection

Section = Literal[
    "educational_content",
    "genre_blend",
    "hooks",
    "lyrics",
    "theory_analysis",
    "teaching_guide",
]


class GenreStudy(BaseModel):
    """One genre of the blend: chosen by code from the genre base, its role written by the model."""

    genre_id: str = Field(description="The genre's id in the genre knowledge base.")
    name: str
    role_in_blend: Text(10, 240)
    signature_elements: list[str] = Field(min_length=1, max_length=6)
    chosen_by: Literal["request", "model", "code"] = "request"
    # 'base' when the model's role stayed invalid and the base's own sentence stands in
    role_source: Literal["model", "base"] = "model"


class GenreAnalysis(BaseModel):
    """genre_analyzer: the 2-3 genres of the blend."""

    genres: list[GenreStudy] = Field(min_length=2, max_length=3)


class GenreBlendItem(BaseModel):
    """A genre's musical part in the blend (``genre_id`` is None in runs made before the genre base)."""

    name: str
    role_in_blend: str
    signature_elements: list[str]
    genre_id: str | None = None
    chosen_by: Literal["request", "model", "code"] | None = None
    role_source: Literal["model", "base"] | None = None


class ListeningExample(BaseModel):
    """A recording from the genre base."""

    artist: str
    title: str
    year: int | None = None


class CulturalContext(BaseModel):
    """Where a genre comes from and how to use it respectfully: facts from the genre base.

    The string fields keep the shape older runs stored (then written by the model); the lists
    after them hold the base's facts and sources.
    """

    genre: str
    origins: str
    era: str
    communities: str
    representative_artists: list[str]
    respectful_use: str
    genre_id: str | None = None
    instruments: list[str] = Field(default_factory=list)
    listening: list[ListeningExample] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class Chord(BaseModel):
    """A chord as a Roman numeral in the key and as a lead-sheet symbol."""

    roman: str
    symbol: str
    pitches: list[str]


class TheoryAnalysis(BaseModel):
    """Key, tempo, meter, progression and the concepts explained."""

    key: str
    tempo_bpm: int
    meter: str
    chord_progression: list[Chord]
    concepts: list[TheoryConcept]


class ValidationProblem(BaseModel):
    """A problem the content validator found and could not repair."""

    section: Section
    message: str
    # False for a note on a part code already filled in (set-phrase hooks, a line sung again, the
    # template's approach): recorded for the teacher, but not sent back for a repair round
    repairable: bool = True


class PromptRef(BaseModel):
    """Which prompt file (by content hash) an agent used."""

    name: str
    sha256: str


class AgentRun(BaseModel):
    """One execution of one agent: timings, tokens, attempts and what came back."""

    agent: str
    round: int = 0
    prompt: PromptRef
    model: str
    started_at: datetime
    wall_ms: float
    llm_ms: float
    attempts: int
    prompt_tokens: int = 0
    completion_tokens: int = 0
    status: Literal["ok", "failed"] = "ok"
    raw_output: str | None = None
    parse_error: str | None = None


class RunMetadata(BaseModel):
    """How the mashup was made."""

    backend: str
    model: str
    seed: int | None
    started_at: datetime
    total_seconds: float
    repair_rounds: int
    prompts: dict[str, PromptRef]
    agent_runs: list[AgentRun]

    @property
    def llm_seconds(self) -> float:
        """Time spent inside LLM calls, summed over agents (parallel branches overlap)."""
        return sum(r.llm_ms for r in self.agent_runs) / 1000

    @property
    def tokens(self) -> tuple[int, int]:
        """(prompt tokens, completion tokens) over all agent runs."""
        return (
            sum(r.prompt_tokens for r in self.agent_runs),
            sum(r.completion_tokens for r in self.agent_runs),
        )


class Mashup(BaseModel):
    """A complete educational mashup."""

    model_config = ConfigDict(protected_namespaces=())

    request: MashupRequest
    title: str
    genre_blend: list[GenreBlendItem] = Field(min_length=2, max_length=3)
    hooks: list[Hook] = Field(min_length=3)
    lyrics: list[LyricSection]
    educational_content: EducationalContent
    theory_analysis: TheoryAnalysis
    cultural_context: list[CulturalContext]
    teaching_guide: TeachingGuide
    validation: list[ValidationProblem]
    metadata: RunMetadata
    # Computed by code (litmash.music); None in mashups stored before it existed.
    music: MusicBlock | None = None


SECTIONS: tuple[str, ...] = get_args(Section)
