"""The graph state: typed, with a visible reducer where parallel branches write."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from litmash.domain.lesson import EducationalContent, TeachingGuide
from litmash.domain.mashup import AgentRun, GenreAnalysis, TheoryAnalysis, ValidationProblem
from litmash.domain.music import MusicBlock
from litmash.domain.request import MashupRequest
from litmash.domain.song import HookSet, Lyrics


class MashupState(TypedDict, total=False):
    request: MashupRequest
    educational: EducationalContent
    genres: GenreAnalysis
    hooks: HookSet
    lyrics: Lyrics
    theory: TheoryAnalysis
    # theory_integrator computes it; hook_generator adds the hook melody
    music: MusicBlock
    teaching: TeachingGuide
    # content_validator -> agent: the problems each agent must fix in the next round
    feedback: dict[str, list[str]]
    problems: list[ValidationProblem]
    repair_round: int
    # hook_generator and teaching_guide run in parallel and both append here
    agent_runs: Annotated[list[AgentRun], operator.add]
