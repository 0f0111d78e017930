"""The graph state: typed, with a visible reducer where parallel branches write."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from litmash.domain.lesson import EducationalContent, TeachingGuide
from litmash.domain.mashup import AgentRun, GenreAnalysis, TheoryAnalysis, ValidationProblem
from litmash.domain.music import MusicBlock
from litmash.domain.request import MashupRequest
from litmash.domain.song import HookSet, Lyrics
from litmash.knowledge import resolve


class MashupState(TypedDict, total=False):
    request: MashupRequest
    # the genre ids the request names, resolved once before the graph starts (litmash.knowledge.resolve)
    requested: list[str]
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


def requested(state: MashupState) -> list[str]:
    """The requested genre ids (resolved again only for a checkpoint saved before the state held them)."""
    if "requested" in state:
        return state["requested"]
    req = state["request"]
    return list(resolve(req.user_prompt, req.genres).ids)
