"""genre_analyzer: the blend is the requested genres, completed from the genre base; the model
writes only each genre's role in this blend (and, when the teacher named fewer than 2, picks
the missing genre from a shortlist the base computed)."""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime
from pydantic import BaseModel, Field, create_model

from ..errors import InvalidOutput
from ..knowledge import knowledge, prompt_facts, resolve, shortlist
from ..models import GenreAnalysis, GenreStudy, Text
from .base import AgentContext, bullets, request_vars, run_agent
from .state import MashupState

BLEND_SIZE = 2


def pick_schema(candidates: list[str], count: int) -> type[BaseModel]:
    """The reply for completing a blend: ``count`` ids from ``candidates`` (an enum)."""
    ids = Literal[tuple(candidates)]  # type: ignore[valid-type]
    return create_model(
        "GenrePick",
        genres=(list[ids], Field(min_length=count, max_length=count,
                                 description="Genre ids from the list, the best blend partners first.")),
    )


def roles_schema(ids: list[str]) -> type[BaseModel]:
    """The reply for the roles: one field per genre id of the blend, one or two sentences each."""
    kb = knowledge()
    fields = {
        gid: (Text(20, 220), Field(description=f"What {kb.get(gid).name} contributes to this mashup, in 1-2 sentences."))
        for gid in ids
    }
    return create_model("GenreRoles", **fields)


def genre_analyzer(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Fix the blend from the request and the base; ask the model for the missing pick and the roles."""
    req, ctx = state["request"], runtime.context
    feedback = state.get("feedback", {}).get("genre_analyzer")
    round_ = state.get("repair_round", 0)
    kb = knowledge()
    wanted = list(resolve(req.user_prompt, req.genres).ids)
    chosen_by = dict.fromkeys(wanted, "request")
    goals = bullets(state["educational"].learning_goals)
    runs = []
    ids = list(wanted)
    if len(ids) < BLEND_SIZE:
        need = BLEND_SIZE - len(ids)
        text = " ".join([req.user_prompt, *req.learning_objectives])
        candidates = shortlist(ids, text, n=8)
        values = request_vars(req) | {
            "learning_goals": goals,
            "chosen": ", ".join(kb.get(i).name for i in ids) or "(none yet)",
            "candidates": bullets([f"{c}: {kb.get(c).name} ({kb.get(c).origin.places[-1]})" for c in candidates]),
            "count": str(need),
        }
        try:
            pick, run = run_agent(ctx, "genre_picker", pick_schema(candidates, need), values, None, round_)
            picked = [p for p in dict.fromkeys(pick.genres) if p not in ids]
            runs.append(run)
        except InvalidOutput as exc:
            picked = []
            if exc.agent_run is not None:
                runs.append(exc.agent_run)
        for p in picked[:need]:
            ids.append(p)
            chosen_by[p] = "model"
        for p in candidates:  # what the model did not give, the base's ranking does
            if len(ids) >= BLEND_SIZE:
                break
            if p not in ids:
                ids.append(p)
                chosen_by[p] = "code"
    genres = [kb.get(i) for i in ids]
    values = request_vars(req) | {
        "learning_goals": goals,
        "facts": "\n".join(prompt_facts(g) for g in genres),
        "blend": " + ".join(g.name for g in genres),
    }
    try:
        roles, run = run_agent(ctx, "genre_analyzer", roles_schema(ids), values, feedback, round_)
        written = roles.model_dump()
    except InvalidOutput as exc:
        # The blend stands without the model's prose: a plain sentence from the base instead.
        written = {g.id: f"{g.name} brings {_lower_first(g.signature_elements[0])}." for g in genres}
        run = exc.agent_run
    if run is not None:
        runs.append(run)
    studies = [
        GenreStudy(genre_id=g.id, name=g.name, role_in_blend=written[g.id],
                   signature_elements=list(g.signature_elements[:4]), chosen_by=chosen_by[g.id])
        for g in genres
    ]
    return {"genres": GenreAnalysis(genres=studies), "agent_runs": runs}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
