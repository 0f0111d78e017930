"""Eval datasets: YAML files of cases (a request plus what its mashup must show)."""

from __future__ import annotations

import hashlib
import os
from importlib import resources
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from litmash.domain.request import MashupRequest, SkillLevel
from litmash.errors import ConfigError, one_line

_REPO_EVALS = Path(__file__).resolve().parents[2] / "evals"


def evals_dir() -> Path:
    """The folder of datasets, thresholds and rubrics: LITMASH_EVALS_DIR, else a source checkout's evals/,
    else the copy an installed wheel carries inside the package."""
    if configured := os.environ.get("LITMASH_EVALS_DIR"):
        return Path(configured)
    if _REPO_EVALS.is_dir():
        return _REPO_EVALS
    return Path(str(resources.files("litmash") / "_evals"))


EVALS_DIR = evals_dir()
DATASETS_DIR = EVALS_DIR / "datasets"

CaseId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,79}$")]


class Expectations(BaseModel):
    """What a case's mashup must show, beyond what every mashup must."""

    model_config = ConfigDict(extra="forbid")

    genres: list[str] = Field(
        default_factory=list, description="Genres the blend and the lyrics must name (default: the request's)."
    )
    level: SkillLevel | None = Field(None, description="Skill level the teaching guide is read against.")
    min_hooks: int = Field(3, ge=1, le=5, description="Distinct hooks the mashup must offer.")
    language: str = Field("en", min_length=2, max_length=5, description="Language the output is read in.")
    reading_grade: tuple[float, float] | None = Field(
        None, description="Flesch-Kincaid grade band of the teaching guide (default: by level)."
    )


class Case(BaseModel):
    """One eval case: an id, the request, the expectations and free tags for slicing results."""

    model_config = ConfigDict(extra="forbid")

    id: CaseId
    request: MashupRequest
    expect: Expectations = Field(default_factory=Expectations)
    tags: list[str] = Field(default_factory=list)

    @property
    def level(self) -> SkillLevel:
        """The level the case is judged at: the expected one, else the requested one."""
        return self.expect.level or self.request.skill_level


class Dataset(BaseModel):
    """A named list of cases; ``sha256`` identifies the exact file content a run used."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    description: str = ""
    thresholds: dict[str, float] = Field(
        default_factory=dict, description="Overrides of the benchmark thresholds for this dataset."
    )
    cases: list[Case] = Field(min_length=1)
    sha256: str = Field("", exclude=True)

    @model_validator(mode="after")
    def _unique_ids(self) -> Dataset:
        seen: set[str] = set()
        dupes = {c.id for c in self.cases if c.id in seen or seen.add(c.id)}
        if dupes:
            raise ValueError(f"duplicate case ids: {', '.join(sorted(dupes))}")
        return self


def resolve(dataset: str | Path) -> Path:
    """A dataset file: a path as given, or a bare name ('smoke') in the repository's evals/datasets."""
    path = Path(dataset).expanduser()
    if path.is_file():
        return path
    named = DATASETS_DIR / f"{dataset}.yaml"
    if path.suffix == "" and named.is_file():
        return named
    known = sorted(p.stem for p in DATASETS_DIR.glob("*.yaml")) if DATASETS_DIR.is_dir() else []
    raise ConfigError(f"no dataset file {dataset!s}" + (f"; known names: {', '.join(known)}" if known else ""))


def load_dataset(dataset: str | Path) -> Dataset:
    """Read and validate a dataset YAML file (or a known name such as 'smoke')."""
    path = resolve(dataset)
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with 'name' and 'cases'")
    try:
        ds = Dataset.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {one_line(exc)}") from None
    return ds.model_copy(update={"sha256": hashlib.sha256(text.encode()).hexdigest()})
