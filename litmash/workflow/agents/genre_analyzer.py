"""genre_analyzer: the blend is the requested genres, completed from the genre base; the model
writes only each genre's role in this blend (and, when the teacher named fewer than 2, picks
the missing genre from a shortlist the base computed)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Annotated, Literal

from langgraph.runtime import Runtime
from pydantic import AfterValidator, BaseModel, Field, create_model

from litmash.domain.mashup import GenreAnalysis, GenreStudy
from litmash.domain.request import Text
from litmash.errors import InvalidOutput
from litmash.knowledge import knowledge, prompt_facts, shortlist
from litmash.knowledge.facts import entry_strings, fact_problems
from litmash.knowledge.resolve import mentioned, names_genre
from litmash.language.lexicon import unknown_words
from litmash.workflow.agents.base import AgentContext, run_agent
from litmash.workflow.agents.schema import valid_fields
from litmash.workflow.agents.values import bullets, request_vars
from litmash.workflow.state import MashupState, requested

BLEND_SIZE = 2


def pick_schema(candidates: list[str], count: int) -> type[BaseModel]:
    """The reply for completing a blend: ``count`` ids from ``candidates`` (an enum)."""
    ids = Literal[tuple(candidates)]  # type: ignore[valid-type]
    return create_model(
        "GenrePick",
        genres=(list[ids], Field(min_length=count, max_length=count,
                                 description="Genre ids from the list, the best blend partners first.")),
    )


MIN_ROLE_WORDS = 8


def _role_check(genre_id: str, blend: list[str]):
    """A role must be a sentence of real words that names its genre ('Songwriting on the Rhythm of
    Jazz' is not one), names no genre outside the blend, and no artist, place or date the base
    does not give for the blend."""
    kb = knowledge()
    name = kb.get(genre_id).name
    known = [t for g in blend for t in entry_strings(kb.get(g))]

    def check(text: str) -> str:
        if len(text.split()) < MIN_ROLE_WORDS or not names_genre(genre_id, text):
            raise ValueError(f"write a full sentence of at least {MIN_ROLE_WORDS} words that names {name} "
                             f"and says what it brings to this mashup")
        if stray := [kb.get(g).name for g in mentioned(text) if g not in blend]:
            raise ValueError(f"names {', '.join(stray)}, which is not in this mashup; write about {name} only")
        if odd := unknown_words(text, known):
            raise ValueError(f"{', '.join(repr(w) for w in odd[:3])} is not an English word; use plain words")
        if wrong := fact_problems(text, blend):
            raise ValueError(wrong[0])
        return text

    return AfterValidator(check)


def roles_schema(ids: list[str]) -> type[BaseModel]:
    """The reply for the roles: one field per genre id of the blend, one or two sentences each.

    The JSON schema (what constrained decoding sees) only bounds the length; the sentence check
    runs on the reply, so a failing role is re-asked with the reason.
    """
    kb = knowledge()
    fields = {
        gid: (Annotated[Text(20, 220), _role_check(gid, ids)],
              Field(description=f"What {kb.get(gid).name} contributes to this mashup, in 1-2 sentences."))
        for gid in ids
    }
    return create_model("GenreRoles", **fields)


def genre_analyzer(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Fix the blend from the request and the base; ask the model for the missing pick and the roles."""
    req, ctx = state["request"], runtime.context
    feedback = state.get("feedback", {}).get("genre_analyzer")
    round_ = state.get("repair_round", 0)
    kb = knowledge()
    wanted = list(requested(state))
    chosen_by = dict.fromkeys(wanted, "request")
    goals = bullets(state["educational"].learning_goals)
    runs = []
    ids = list(wanted)
    if round_ and (before := state.get("genres")) is not None:
        # A repair round rewrites the roles; the genres picked in the first round stay.
        ids = [g.genre_id for g in before.genres]
        chosen_by = {g.genre_id: g.chosen_by for g in before.genres}
    if len(ids) < BLEND_SIZE:
        need = BLEND_SIZE - len(ids)
        text = " ".join([req.user_prompt, *req.learning_objectives])
        candidates = shortlist(ids, text, n=8)
        values = request_vars(req, requested(state)) | {
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
    values = request_vars(req, requested(state)) | {"facts": "\n".join(prompt_facts(g) for g in genres)}
    # One re-ask: a role that stays wrong costs less as the base's own sentence than as more tokens.
    one_retry = replace(ctx, settings=ctx.settings.model_copy(update={"max_retries": min(1, ctx.settings.max_retries)}))
    schema = roles_schema(ids)
    try:
        roles, run = run_agent(one_retry, "genre_analyzer", schema, values, feedback, round_)
        written = roles.model_dump()
    except InvalidOutput as exc:
        run = exc.agent_run
        written = valid_fields(schema, run.raw_output if run else None)
    source = {g.id: "model" if g.id in written else "base" for g in genres}
    for g in genres:  # a role that stayed invalid: the base's own sentence stands in
        written.setdefault(g.id, base_role(g.name, g.signature_elements[0]))
    if run is not None:
        runs.append(run)
    studies = [
        GenreStudy(genre_id=g.id, name=g.name, role_in_blend=written[g.id],
                   signature_elements=list(g.signature_elements[:4]), chosen_by=chosen_by[g.id],
                   role_source=source[g.id])
        for g in genres
    ]
    return {"genres": GenreAnalysis(genres=studies), "agent_runs": runs}


def _lower_first(text: str) -> str:
    """The first letter lower-cased, unless the first word is an acronym or a name ('EDM', 'DJ')."""
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if text[1:2].islower() or first in ("A", "An") else text


def base_role(name: str, element: str) -> str:
    """The base's own sentence for a genre's role: '<name> brings <element>.', or, when the element is
    itself a clause ('Each maqam is built from ajnas ...'), 'In <name>, <element>.'."""
    head = element.split("(")[0]
    if re.search(r"\b(is|are|has|have)\b", head) and not re.search(r"\b(that|which|who)\b", head):
        return f"In {name}, {_lower_first(element)}."
    return f"{name} brings {_lower_first(element)}."
