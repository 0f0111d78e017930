"""teaching_guide: the lesson skeleton by code (litmash.pedagogy); the model writes each step's
description, the discussion questions and two activities, and only failing parts are re-asked.
On the embedded model the teacher-written templates word the lesson (``LITMASH_LESSON_WRITER``)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated

from langgraph.runtime import Runtime
from pydantic import AfterValidator, BaseModel, Field, ValidationError, create_model

from litmash.domain.lesson import Activity
from litmash.domain.mashup import AgentRun
from litmash.domain.request import Text
from litmash.errors import InvalidOutput
from litmash.language.lexicon import words
from litmash.lyrics.hooks import STOP
from litmash.pedagogy.lesson import Skeleton, activity_phases, assemble, build
from litmash.pedagogy.text import TOPICS, allowed_words, problems
from litmash.workflow.agents.base import AgentContext, run_agent
from litmash.workflow.agents.schema import valid_fields
from litmash.workflow.agents.values import bullets, request_vars
from litmash.workflow.state import MashupState, requested

QUESTIONS = 3
USES = {
    "groove": "the groove: {groove} at {tempo} BPM", "listening": "the recordings: {listening}",
    "progression": "the chorus chords {progression} ({romans} in {key})", "lead_sheet": "the lead sheet",
    "hook": "the chorus hook", "lyrics": "the lyrics", "audio": "the song's audio",
    "cultural_context": "the cultural notes on {genres}", "exit_quiz": "the exit quiz",
}


def _checked(level: str, blend: list[str], known: list[str], question: bool = False,
             topic: frozenset[str] = frozenset()):
    def check(text: str) -> str:
        if question and not text.rstrip().endswith("?"):
            raise ValueError("write one open question that ends with a question mark")
        if found := problems(text, level, blend, known, topic):
            raise ValueError("; ".join(found))
        return text

    return AfterValidator(check)


def lesson_schema(s: Skeleton, blend: list[str], names: list[str] | None = None) -> type[BaseModel]:
    """The reply: one field per step, per discussion question and per activity (or only ``names``)."""
    known = allowed_words(blend)
    prose, ask = _checked(s.level, blend, known), _checked(s.level, blend, known, question=True)
    fields: dict[str, object] = {}
    for phase, minutes in s.phases:
        uses = "; ".join(USES[u].format(**s.facts) for u in phase.uses)
        # the title's own words, but not 'the' or 'and': any reply has those
        topic = frozenset((set(words(phase.title)) - STOP) | set().union(*(TOPICS[u] for u in phase.uses)))
        fields[phase.id] = (Annotated[Text(20, 240), _checked(s.level, blend, known, topic=topic)], Field(
            description=f"{phase.title} ({minutes} min): what the teacher and learners do, using {uses}."))
    for i in range(1, QUESTIONS + 1):
        # the guide holds a question of at most 140 characters: the reply may not be longer
        fields[f"question_{i}"] = (Annotated[Text(15, 140), ask], Field(
            description="An open discussion question about this song for the learners."))
    for phase in activity_phases(s):
        fields[f"activity_{phase.id}"] = (Annotated[Text(20, 160), prose], Field(
            description=f"A hands-on activity for the {phase.title} step, in one or two sentences."))
    if names is not None:
        fields = {k: v for k, v in fields.items() if k in names}
    return create_model("LessonText", **fields)  # type: ignore[call-overload]


def _ask(ctx: AgentContext, schema: type[BaseModel], values: dict[str, str], feedback: list[str] | None,
         round_: int) -> tuple[dict[str, object], AgentRun | None, dict[str, str]]:
    """One call without re-asks: the valid fields, the run, and the failing fields' reasons."""
    try:
        reply, run = run_agent(ctx, "teaching_guide", schema, values, feedback, round_)
        return reply.model_dump(), run, {}
    except InvalidOutput as exc:
        run = exc.agent_run
        kept = valid_fields(schema, run.raw_output if run else None)
        reasons = _reasons(schema, run.raw_output if run else None)
        return kept, run, {k: reasons.get(k, "missing or invalid") for k in schema.model_fields if k not in kept}


def _reasons(schema: type[BaseModel], raw: str | None) -> dict[str, str]:
    """Why each field of an invalid reply failed, as the validator said it."""
    try:
        schema.model_validate(json.loads(raw or ""))
    except ValidationError as exc:
        return {str(e["loc"][0]): e["msg"].removeprefix("Value error, ") for e in exc.errors() if e["loc"]}
    except (json.JSONDecodeError, TypeError):
        pass
    return {}


def teaching_guide(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Build the lesson by code; have the model (or the templates) word the steps, questions and activities."""
    req, ctx = state["request"], runtime.context
    blend = [g.genre_id for g in state["genres"].genres]
    concept_ids = [c.concept_id for c in state["theory"].concepts if c.concept_id]
    skeleton = build(req, state["music"], blend, concept_ids)
    values = request_vars(req, requested(state)) | {
        "song": "; ".join(f"{k} {v}" for k, v in skeleton.facts.items()
                          if k in ("genres", "key", "tempo", "meter", "progression", "groove")),
        "objectives": bullets([o.text for o in skeleton.objectives]),
    }
    written: dict[str, object] = {}
    runs: list[AgentRun] = []
    if lesson_writer(ctx) == "model":
        written, runs = _write(ctx, skeleton, blend, values, state)
    questions = [written[f"question_{i}"] for i in range(1, QUESTIONS + 1) if f"question_{i}" in written]
    activities = [Activity(name=p.title, description=written[f"activity_{p.id}"])
                  for p in activity_phases(skeleton) if f"activity_{p.id}" in written]
    guide = assemble(skeleton, {
        **{p.id: written[p.id] for p, _ in skeleton.phases if p.id in written},
        # a partial set is topped up from the templates' questions and activities, never left short
        "discussion_questions": (questions + [q for q in skeleton.questions if q not in questions])[:QUESTIONS],
        "activities": activities if len(activities) == len(activity_phases(skeleton)) else None,
    })
    return {"teaching": guide, "agent_runs": runs}


def lesson_writer(ctx: AgentContext) -> str:
    """Who words the lesson: ``model`` or ``template`` (``auto``: the templates on the embedded model).

    Measured on the core set with SmolLM2-135M, the step descriptions that passed every check
    still read as chat ("In my previous response, I used the word 'pearl'...", "This can take
    anywhere from 3 to 5 days"), so there the teacher-written templates, with the song's facts,
    stand and the call is not made."""
    choice = ctx.settings.lesson_writer
    if choice == "auto":
        return "template" if ctx.backend.name == "embedded" else "model"
    return choice


def _write(ctx: AgentContext, skeleton: Skeleton, blend: list[str], values: dict[str, str],
           state: MashupState) -> tuple[dict[str, object], list[AgentRun]]:
    """The model's words for the lesson's fields that pass their checks, and its runs."""
    no_retry = replace(ctx, settings=ctx.settings.model_copy(update={"max_retries": 0}))
    feedback = state.get("feedback", {}).get("teaching_guide")
    round_ = state.get("repair_round", 0)
    written, run, failing = _ask(no_retry, lesson_schema(skeleton, blend), values, feedback, round_)
    runs = [run] if run else []
    # Re-ask only what failed, once, saying why; but when most of the reply failed the model is not
    # up to this lesson (measured on SmolLM2-135M: a second call took 27 s and every field failed
    # again), so the templates' words stand and no time is spent.
    if failing and len(failing) <= len(written):
        why = [f"{name}: {reason}" for name, reason in failing.items()]
        more, run2, _ = _ask(no_retry, lesson_schema(skeleton, blend, list(failing)), values, why, round_)
        written |= more
        runs += [run2] if run2 else []
    return written, runs
