"""The pedagogy data files (lesson templates, Bloom verbs, standards, misconceptions), validated and cached."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

Process = Literal["create", "perform", "respond", "connect"]
BloomLevel = Literal["remember", "understand", "apply", "analyse", "evaluate", "create"]
Level = Literal["beginner", "intermediate", "advanced"]
Use = Literal["groove", "listening", "progression", "lead_sheet", "hook", "lyrics", "audio",
              "cultural_context", "exit_quiz"]


class Strict(BaseModel):
    """A data record: unknown keys are errors, so a typo in a file never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Differentiation(Strict):
    """What the step looks like for learners who need support, the core, and an extension."""

    support: str = Field(min_length=5, max_length=160)
    core: str = Field(min_length=5, max_length=160)
    extension: str = Field(min_length=5, max_length=160)


class Phase(Strict):
    """One phase of a lesson template."""

    id: str = Field(pattern=r"^[a-z_]+$")
    title: str = Field(min_length=3, max_length=40)
    share: int = Field(ge=1, le=100, description="Relative share of the lesson's minutes.")
    min: int = Field(ge=1, le=30, description="Fewest minutes the phase can be given.")
    priority: int = Field(ge=1, le=9, description="1 is always kept; the highest number is dropped first.")
    process: Process
    standard: str | None = Field(default=None, pattern=r"^(Cr|Pr|Re|Cn)\d{1,2}\.\d$")
    bloom: BloomLevel
    uses: list[Use] = Field(min_length=1)
    description: str = Field(min_length=20, max_length=200)
    differentiation: Differentiation


class Template(Strict):
    """The phases of a lesson in one educational context, and how that lesson teaches (its approach)."""

    approach: str = Field(min_length=40, max_length=300, pattern=r"\{genres\}",
                          description="The teaching approach, two or three short sentences; slot {genres}.")
    phases: list[Phase] = Field(min_length=3)

    @model_validator(mode="after")
    def _fits_ten_minutes(self) -> Template:
        # Every lesson length from 10 minutes up must be plannable with the always-kept phases.
        kept = sum(p.min for p in self.phases if p.priority == 1)
        if kept > 10:
            raise ValueError(f"the priority-1 phases need {kept} minutes, more than the 10-minute minimum")
        if len({p.id for p in self.phases}) != len(self.phases):
            raise ValueError("phase ids repeat")
        return self


class Lessons(Strict):
    """lessons.yaml: templates by context and the prior-knowledge concepts by level."""

    prior_knowledge: dict[Level, list[str]]
    questions: list[str] = Field(min_length=3)
    advanced: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _advanced_for_every_phase(self) -> Lessons:
        ids = {p.id for t in self.templates.values() for p in t.phases}
        if missing := sorted(ids - set(self.advanced)):
            raise ValueError(f"no advanced continuation for phase(s) {', '.join(missing)}")
        return self
    templates: dict[str, Template]


class BloomLevelVerbs(Strict):
    """One Bloom level and the verbs that open an objective at it."""

    id: BloomLevel
    verbs: list[str] = Field(min_length=3)


class Rewrite(Strict):
    """An opening that names no observable action, and the measurable form it becomes."""

    opening: str
    verb: None = None
    template: str | None = None


class Bloom(Strict):
    """bloom.yaml."""

    levels: list[BloomLevelVerbs] = Field(min_length=6, max_length=6)
    rewrites: list[Rewrite]
    fallback: str


class StandardEntry(Strict):
    """One element of a performance standard and the strands (and grades) that have it."""

    id: str = Field(pattern=r"^(Cr|Pr|Re|Cn)\d{1,2}\.\d$")
    process: Process
    step: str
    element: Literal["a", "b", "c"]
    strands: list[Literal["general", "ensembles"]] = Field(min_length=1)
    grades: list[str] | None = None
    paraphrase: str = Field(min_length=20, max_length=160)


class Framework(Strict):
    """A standards framework: its codes' pattern, grades by strand and the entries."""

    framework: str
    name: str
    url: str
    pattern: str
    grades: dict[Literal["general", "ensembles"], list[str]]
    levels: dict[str, str]
    standards: list[StandardEntry]


class Misconception(Strict):
    """A misconception about a concept: the correct statement and two wrong ones."""

    concept: str
    correct: str = Field(min_length=20, max_length=120)
    wrong: list[str] = Field(min_length=2, max_length=2)


def _folder() -> Path:
    return Path(str(resources.files("litmash.pedagogy") / "files"))


def _load(name: str) -> object:
    return yaml.safe_load((_folder() / name).read_text(encoding="utf-8"))


@cache
def lessons() -> Lessons:
    """The lesson templates."""
    return Lessons.model_validate(_load("lessons.yaml"))


@cache
def bloom() -> Bloom:
    """The Bloom verb table."""
    return Bloom.model_validate(_load("bloom.yaml"))


@cache
def framework() -> Framework:
    """The NCAS music catalogue."""
    fw = Framework.model_validate(_load("ncas_music.yaml"))
    re.compile(fw.pattern)
    return fw


@cache
def misconceptions() -> dict[str, Misconception]:
    """Misconceptions by concept id."""
    return {m.concept: m for m in (Misconception.model_validate(r) for r in _load("misconceptions.yaml"))}
