"""The graph state: typed, with a visible reducer where parallel branches write."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from ..models import (
    AgentRun,
    EducationalContent,
    GenreAnalysis,
    HookSet,
    Lyrics,
    MashupRequest,
    TeachingGuide,
    TheoryAnalysis,
    ValidationProblem,
)


class MashupState(TypedDict, total=False):
    request: MashupRequest
    educational: EducationalContent
    genres: GenreAnalysis
    hooks: HookSet
    lyrics: Lyrics
    theory: TheoryAnalysis
    teaching: TeachingGuide
    # content_validator -> agent: the problems each agent must fix in the next round
    feedback: dict[str, list[str]]
    problems: list[ValidationProblem]
    repair_round: int
    # hook_generator and theory_integrator run in parallel and both append here
    agent_runs: Annotated[list[AgentRun], operator.add]
