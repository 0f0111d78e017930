"""theory_integrator: the music block by code (key, tempo, meter, form, chords, groove); the model
writes only the explanations of the concepts the song demonstrates, for the learners' level."""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher
from functools import cache
from typing import Annotated

from langgraph.runtime import Runtime
from pydantic import AfterValidator, BaseModel, Field, create_model

from litmash.domain.lesson import TheoryConcept
from litmash.domain.mashup import Chord, TheoryAnalysis
from litmash.domain.music import MusicBlock
from litmash.domain.request import Text
from litmash.errors import InvalidOutput
from litmash.knowledge import knowledge
from litmash.knowledge.facts import entry_strings, fact_problems
from litmash.knowledge.resolve import mentioned
from litmash.language.lexicon import unknown_words, words
from litmash.music import concepts as concept_choice
from litmash.music.compose import compose
from litmash.music.mentions import mention_problems, without_symbols
from litmash.workflow.agents.base import AgentContext, run_agent
from litmash.workflow.agents.schema import valid_fields
from litmash.workflow.agents.values import bullets, request_vars
from litmash.workflow.state import MashupState, requested

MIN_WORDS = 8


# A reply this close to the base's definition is a copy with words changed; measured on the
# embedded model, the change can flip the meaning ("placed off the main beats" became "placed on
# main beats"), so the definition itself stands in.
NEAR_COPY = 0.7  # word-sequence similarity; rewordings in the tests' own words score 0.18-0.46


def _near_copy(text: str, definition: str) -> bool:
    return SequenceMatcher(None, words(text), words(definition)).ratio() >= NEAR_COPY


def _explanation_check(name: str, music: MusicBlock, blend: list[str], definition: str = ""):
    """An explanation is a sentence of real words about the concept; every key, chord, tempo or
    meter it names is the song's; it names no genre outside the blend and no invented fact."""
    kb = knowledge()
    known = [*music.chord_symbols(), name, *(t for g in blend for t in entry_strings(kb.get(g)))]

    def check(text: str) -> str:
        if definition and _near_copy(text, definition):
            raise ValueError(f"explain {name} in your own words for this song instead of repeating its definition")
        if len(text.split()) < MIN_WORDS or text.rstrip()[-1:] not in ".!?":
            raise ValueError(f"write a full sentence of at least {MIN_WORDS} words that explains {name} "
                             f"and ends with a full stop")
        if wrong := mention_problems(text, music):
            raise ValueError(wrong[0])
        if odd := unknown_words(without_symbols(text), known):
            raise ValueError(f"{', '.join(repr(w) for w in odd[:3])} is not an English word; use plain words")
        if stray := [kb.get(g).name for g in mentioned(text) if g not in blend and g not in concept_words()]:
            raise ValueError(f"names {', '.join(stray)}, which is not in this mashup")
        if wrong := fact_problems(text, blend):
            raise ValueError(wrong[0])
        return text

    return AfterValidator(check)


@cache
def concept_words() -> frozenset[str]:
    """Genre ids whose names are also concept words ('swing' in 'swing feel', 'blues' in
    'twelve-bar blues'): in a concept explanation they name the concept, not the genre."""
    kb = knowledge()
    return frozenset(g for c in kb.concepts.values() for g in mentioned(c.name))


def explanations_schema(chosen: list[str], music: MusicBlock, blend: list[str]) -> type[BaseModel]:
    """The reply: one field per chosen concept id, a sentence or two each."""
    kb = knowledge()
    fields = {
        cid: (Annotated[Text(20, 240), _explanation_check(kb.concepts[cid].name, music, blend,
                                                          kb.concepts[cid].definition)],
              Field(description=f"{kb.concepts[cid].name} explained for the learners, in 1-2 sentences."))
        for cid in chosen
    }
    return create_model("TheoryConcepts", **fields)


def music_facts(music: MusicBlock) -> str:
    """The block in a few prompt lines: what the model may name."""
    chorus = music.section("chorus") or music.form[0]
    return (f"{music.key}, {music.tempo_bpm} BPM, {music.meter}, {music.feel} eighth notes; "
            f"chorus chords {' '.join(dict.fromkeys(c.symbol for c in chorus.chords))}; drums: {music.groove.name}")


def theory_integrator(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Compute the music block; ask the model to explain the concepts it demonstrates."""
    req, ctx = state["request"], runtime.context
    kb = knowledge()
    blend = [g.genre_id for g in state["genres"].genres]
    music = compose(blend, req.skill_level, ctx.settings.seed or 0)
    text = " ".join([req.user_prompt, *req.learning_objectives])
    chosen = concept_choice.choose(music, blend, text, count=2 if req.skill_level == "beginner" else 3)
    ids = [cid for cid, _ in chosen]
    values = request_vars(req, requested(state)) | {
        "music": music_facts(music),
        "concepts": bullets([f"{cid}: {kb.concepts[cid].definition}" for cid in ids]),
    }
    schema = explanations_schema(ids, music, blend)
    # No re-ask: a re-ask doubled this agent's tokens and rarely mended a small model's sentence;
    # an explanation that fails its checks is replaced by the concept's definition from the base.
    no_retry = replace(ctx, settings=ctx.settings.model_copy(update={"max_retries": 0}))
    feedback = state.get("feedback", {}).get("theory_integrator")
    try:
        reply, run = run_agent(no_retry, "theory_integrator", schema, values, feedback, state.get("repair_round", 0))
        written = reply.model_dump()
    except InvalidOutput as exc:
        run = exc.agent_run
        written = valid_fields(schema, run.raw_output if run else None)
    concepts = [
        TheoryConcept(name=kb.concepts[cid].name, concept_id=cid, where_in_song=where,
                      explanation=written.get(cid, kb.concepts[cid].definition),
                      explanation_source="model" if cid in written else "base")
        for cid, where in chosen
    ]
    chorus = music.section("chorus") or music.form[0]
    cycle = concept_choice.cycle([c.roman for c in chorus.chords])
    theory = TheoryAnalysis(
        key=music.key, tempo_bpm=music.tempo_bpm, meter=music.meter,
        chord_progression=[Chord(roman=c.roman, symbol=c.symbol, pitches=c.pitches) for c in chorus.chords[:len(cycle)]],
        concepts=concepts,
    )
    return {"theory": theory, "music": music, "agent_runs": [run] if run is not None else []}
