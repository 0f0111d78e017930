"""A scripted fake chat model for unit tests, and realistic default agent outputs.

``FakeChatModel`` answers ``with_structured_output(schema, method="json_schema",
include_raw=True)`` the way ChatOllama / ChatOpenAI do (a ``{"raw", "parsed",
"parsing_error"}`` dict built by the same LangChain parser chain), so ``run_agent`` is
exercised exactly as in production. Replies are scripted per agent (``enqueue("hook_generator",
...)``): the fake tells a call's agent by ``tests.support.routing`` (a tag the call carries, else
its system message matched exactly to an agent prompt file), never by a phrase of a prompt. When
an agent's queue is empty the default output below is used: for a structured call the valid
default of the schema asked for, for a plain-text call the agent's default lines.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers import PydanticOutputParser
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import RunnableMap, RunnablePassthrough
from pydantic import BaseModel, Field, PrivateAttr

from litmash.domain.lesson import EducationalPlan
from litmash.domain.mashup import GenreAnalysis
from litmash.domain.request import MashupRequest
from litmash.domain.song import HookSet, Lyrics
from litmash.knowledge import knowledge
from litmash.llm.backends import Backend
from litmash.workflow.agents.lyrics_composer import BATCH_TASK, NAME_TASK, RHYME_TASK

from .routing import AGENT_KEY, AgentRouter, UnknownAgent, template_pattern

DEFAULT_PROMPT = "Blend jazz and hip-hop for a high-school class"

# A reply is JSON text, a dict, a pydantic instance, an exception to raise, or a callable
# (messages) -> one of those (for replies that depend on the prompt).
Reply = str | dict | BaseModel | BaseException | Callable[[list[BaseMessage]], Any]


def default_request(**overrides: Any) -> MashupRequest:
    """The request every default output is written for."""
    return MashupRequest(**({"user_prompt": DEFAULT_PROMPT} | overrides))


# --------------------------------------------------------------------------- default outputs

EDUCATIONAL_PLAN = EducationalPlan(
    learning_goals=[
        "Explain how a jazz ii-V-i progression creates tension and release.",
        "Identify the boom-bap backbeat that anchors most early hip-hop tracks.",
        "Perform a short rhymed verse in time over a swung groove.",
    ],
    teaching_approach=(
        "Start from listening: students compare a jazz standard with a hip-hop track that "
        "samples it, then build the blend step by step in small groups."
    ),
    vocabulary=["syncopation", "swing feel", "sampling", "backbeat", "seventh chord"],
)

# What the model writes for the genre analyzer: each blended genre's role (keyed by id).
ROLES = {
    "jazz": "Jazz supplies the seventh-chord harmony and the swung eighth-note feel.",
    "hip_hop": "Hip hop brings the rhymed verses, the boom-bap drums and the sampling practice.",
}


def genre_roles(schema: type[BaseModel]) -> dict[str, str]:
    """A valid GenreRoles reply for whichever genres the schema asks about."""
    kb = knowledge()
    return {gid: ROLES.get(gid, f"{kb.get(gid).name} adds its own rhythm and sound to the blend.")
            for gid in schema.model_fields}


def genre_pick(schema: type[BaseModel]) -> dict[str, list[str]]:
    """A valid GenrePick reply: the first ids of the shortlist, as many as asked."""
    field = schema.model_json_schema()["properties"]["genres"]
    return {"genres": field["items"]["enum"][: field["minItems"]]}


# Hand-checked couplets for the lyrics composer: eight sung syllables a line, perfect rhymes, real
# words. The first two name the default blend's genres (the composer asks verse 1 to).
COUPLETS = [
    ("The jazz band plays a swinging beat", "We clap our hands and stamp our feet"),
    ("Hip hop takes the break and spins it round", "A brand new song from an old sound"),
    ("The horns come in with something new", "A swinging line for me and you"),
    ("The record spins, the needle drops", "We keep the groove, it never stops"),
    ("Our voices rise above the room", "The drummer keeps a steady boom"),
    ("The rhythm moves from hand to hand", "Together now we form a band"),
    ("We trade the solo down the row", "And every player steals the show"),
    ("The bass walks on from note to note", "We hum the tune that someone wrote"),
]
# The hook lines the model writes: three good ones, a near-duplicate, one about hooks, one not words.
HOOK_LINES = "\n".join([
    "1. Swing it low, let the bassline flow",
    "2. Call it out, jazz, bring it back, hip hop",
    "3. Two and four, we clap on the backbeat",
    "- The horns call out and we reply",
    "4. Swing it low; let the bassline flow!",
    "5. These hooks are great for a high school class",
    "6. Ba ba oshun ghiyabagor zemba",
])
BAD_HOOK_LINES = "\n".join(["Ba ba oshun ghiyabagor", "These hooks are great for a class", "Zemba kokoa ezro amenu",
                             "The number 123 is the best hook", "Sing sing sing sing sing sing sing sing sing",
                             "A very long line that goes on and on and on about nothing at all"])


# The lyrics composer's asks, as its code words them (the prompt file only frames them).
LINES_ASKS = (template_pattern(BATCH_TASK, n=r"\d+"), template_pattern(NAME_TASK, n=r"\d+"))
RHYME_ASK = template_pattern(RHYME_TASK)


def _ask(messages: list[BaseMessage]) -> str:
    return messages[1].text  # the prompt's user message (a repair message may follow it)


def song_lines(messages: list[BaseMessage], given: int) -> str:
    """A batch of couplet lines: as many as the task asks, the couplets after the ``given`` ones."""
    found = next(m for p in LINES_ASKS if (m := p.search(_ask(messages))))
    n = int(found.group("n"))
    pairs = [COUPLETS[(given + k) % len(COUPLETS)] for k in range((n + 1) // 2)]
    return "\n".join(line for pair in pairs for line in pair)


def rhyme_lines(messages: list[BaseMessage]) -> str:
    """The rhyme partner of the quoted line when it is one of the couplets' first lines."""
    quoted = RHYME_ASK.search(_ask(messages)).group("line")
    return "\n".join(b for a, b in COUPLETS if a == quoted) or "We sing along with all our friends"


def default_text(agent: str, messages: list[BaseMessage], given: int) -> tuple[str, int]:
    """An agent's default plain-text reply, and how many couplets it hands out: the hook
    generator's hook lines; the lyrics composer's next couplets, or the rhyme of the line it quotes."""
    if agent == "hook_generator":
        return HOOK_LINES, 0
    if agent == "lyrics_composer":
        if RHYME_ASK.search(_ask(messages)):
            return rhyme_lines(messages), 0
        reply = song_lines(messages, given)
        return reply, (reply.count("\n") + 1) // 2
    raise UnknownAgent(f"no default plain-text reply for {agent!r}; enqueue one")


# Replies that depend on the schema the agent built for this run.
DYNAMIC: dict[str, Callable[[type[BaseModel]], Any]] = {
    "GenreRoles": genre_roles, "GenrePick": genre_pick, "TheoryConcepts": lambda s: theory_concepts(s),
    "LessonText": lambda s: lesson_text(s),
}

# The blend the genre analyzer makes of the default request: the base's facts, the roles above.
GENRE_ANALYSIS = GenreAnalysis.model_validate({"genres": [
    {"genre_id": gid, "name": knowledge().get(gid).name, "role_in_blend": ROLES[gid],
     "signature_elements": list(knowledge().get(gid).signature_elements[:4])}
    for gid in ("jazz", "hip_hop")
]})

HOOK_SET = HookSet.model_validate({
    "title": "Blue Notes on the Block",
    "hooks": [
        {"text": "Swing it low, let the bassline flow", "technique": "internal rhyme"},
        {"text": "Call it out (jazz!), bring it back (hip hop!)", "technique": "call and response"},
        {"text": "Two, four, clap on the backbeat, more", "technique": "rhythmic chant"},
    ],
})

LYRICS = Lyrics.model_validate({"sections": [
    {"label": "intro", "lines": ["Needle drops on a dusty record", "Horns warm up in the hallway"]},
    {"label": "verse", "lines": [
        "From New Orleans brass to the Bronx on the beat",
        "Jazz lends the chords and the swing in our feet",
        "Hip-hop takes the break and it loops it around",
        "A sample of the past in a brand new sound",
    ]},
    {"label": "chorus", "lines": [
        "Swing it low, let the bassline flow",
        "Call it out, bring it back, and let the whole room know",
    ]},
    {"label": "outro", "lines": ["Blue notes fading on the block", "Keep the groove when the needles stop"]},
]})


def theory_concepts(schema: type[BaseModel]) -> dict[str, str]:
    """A valid TheoryConcepts reply: a plain sentence for every concept the schema asks about."""
    kb = knowledge()
    return {cid: f"{kb.concepts[cid].name.capitalize()} is something you can hear in this song, "
                 f"so listen closely and clap along with it." for cid in schema.model_fields}


LESSON_QUESTIONS = [
    "What do you hear in the chorus that makes you want to move?",
    "Which part of the song would you change, and why?",
    "How do the drums and the bass work together in this song?",
]


def lesson_text(schema: type[BaseModel]) -> dict[str, str]:
    """A valid LessonText reply: a plain sentence per step and activity, an open question per question field."""
    out = {}
    for name in schema.model_fields:
        if name.startswith("question_"):
            out[name] = LESSON_QUESTIONS[int(name.rsplit("_", 1)[1]) - 1]
        elif name.startswith("activity_"):
            out[name] = "Pairs clap the groove together, then swap parts with another pair."
        else:
            out[name] = ("Learners listen to the song, clap the beat, play the chords from the lead sheet, "
                         "talk about its culture and answer a quiz.")
    return out


DEFAULTS: dict[str, BaseModel] = {
    m.__class__.__name__: m
    for m in (EDUCATIONAL_PLAN, HOOK_SET, LYRICS)
}


def default_output(schema_name: str) -> BaseModel:
    """A fresh copy of the valid default output for an agent schema."""
    return DEFAULTS[schema_name].model_copy(deep=True)


def default_reply(schema: type[BaseModel]) -> Any:
    """The valid default reply for a schema an agent asks for (built for it when it is made per run)."""
    name = schema.__name__
    return DYNAMIC[name](schema) if name in DYNAMIC else default_output(name)


# --------------------------------------------------------------------------- the fake model


def _as_text(reply: Any) -> str:
    if isinstance(reply, BaseModel):
        return reply.model_dump_json()
    if isinstance(reply, dict):
        return json.dumps(reply)
    if isinstance(reply, str):
        return reply
    raise TypeError(f"cannot turn {type(reply).__name__} into a reply")


class FakeChatModel(BaseChatModel):
    """Scripted chat model: ``enqueue`` replies per agent, inspect ``history`` afterwards.

    Each call is keyed by its agent (see ``tests.support.routing``); ``router`` knows the prompts
    litmash loads by default, and a test whose edited prompts change an agent's system message
    adds their folder (``fake.router.add_folder(path)``). A structured call that is no agent's is
    keyed by its schema's name when that schema is in ``other_callers`` (the evaluation judge's);
    any other call the router cannot place is an error, never another agent's reply.
    """

    queues: dict[str, deque] = Field(default_factory=lambda: defaultdict(deque))
    # Replaces the built-in default for an agent (e.g. problems that never go away).
    overrides: dict[str, Any] = Field(default_factory=dict)
    history: list[tuple[str, list[BaseMessage]]] = Field(default_factory=list)
    structured_calls: list[tuple[str, str, bool]] = Field(default_factory=list)
    router: AgentRouter = Field(default_factory=AgentRouter)
    # Schemas asked for by callers that are no agent, keyed by the schema's name.
    other_callers: set[str] = Field(default_factory=lambda: {"JudgeReply"})
    _schemas: dict[str, type[BaseModel]] = PrivateAttr(default_factory=dict)  # by schema name
    _asked: dict[str, type[BaseModel]] = PrivateAttr(default_factory=dict)  # by agent: its latest schema
    _given: int = PrivateAttr(default=0)  # couplets the lyrics composer's default replies have handed out

    @property
    def _llm_type(self) -> str:
        return "litmash-fake"

    def enqueue(self, agent: str, *replies: Reply) -> FakeChatModel:
        """Queue replies for the next calls of ``agent`` (a schema's name for a call that is no agent's)."""
        self.queues[agent].extend(replies)
        return self

    def calls(self, agent: str) -> list[list[BaseMessage]]:
        """The message lists sent for one agent, in order."""
        return [msgs for name, msgs in self.history if name == agent]

    def schema(self, agent: str) -> type[BaseModel]:
        """The schema ``agent``'s latest structured call asked for."""
        return self._asked[agent]

    def with_structured_output(self, schema, *, method="function_calling", include_raw=False, **kwargs):
        """Mirror ChatOllama's json_schema chain: raw message -> PydanticOutputParser."""
        self.structured_calls.append((schema.__name__, method, include_raw))
        self._schemas[schema.__name__] = schema
        llm = self.bind(schema_name=schema.__name__)
        parser = PydanticOutputParser(pydantic_object=schema)
        if not include_raw:
            return llm | parser
        parse = RunnablePassthrough.assign(parsed=itemgetter("raw") | parser, parsing_error=lambda _: None)
        fallback = RunnablePassthrough.assign(parsed=lambda _: None)
        return RunnableMap(raw=llm) | parse.with_fallbacks([fallback], exception_key="parsing_error")

    def agent_of(self, messages: list[BaseMessage], metadata: dict | None = None) -> str | None:
        """The call's agent: its ``agent`` run metadata or system message name, else its system message."""
        first = messages[0] if messages else None
        system = first.text if first is not None and first.type == "system" else None
        return self.router.identify(system, ((metadata or {}).get(AGENT_KEY), getattr(first, "name", None)))

    def _next_reply(self, key: str, schema: type[BaseModel] | None, messages: list[BaseMessage]) -> str:
        queue = self.queues[key]
        if queue:
            reply = queue.popleft()
        elif key in self.overrides:
            reply = self.overrides[key]
        elif schema is not None:
            reply = default_reply(schema)
        else:
            reply, handed_out = default_text(key, messages, self._given)
            self._given += handed_out
        if callable(reply) and not isinstance(reply, (BaseModel, BaseException)):
            reply = reply(messages)
        if isinstance(reply, BaseException):
            raise reply
        return _as_text(reply)

    def _generate(self, messages, stop=None, run_manager=None, schema_name: str | None = None,
                  **kwargs) -> ChatResult:
        agent = self.agent_of(messages, run_manager.metadata if run_manager is not None else None)
        if agent is None and schema_name not in self.other_callers:
            raise UnknownAgent(
                f"a call ({schema_name or 'plain text'}) whose system message fits no agent prompt the fake "
                "knows; a test that edits a system prompt adds its folder "
                "(fake.router.add_folder(path)) or the template (fake.router.add(agent, system))")
        key = agent or schema_name
        schema = self._schemas[schema_name] if schema_name is not None else None
        if schema is not None:
            self._asked[key] = schema
        self.history.append((key, list(messages)))
        text = self._next_reply(key, schema, messages)
        # ~4 characters per token: deterministic, non-zero counts so token sums are checkable
        tokens_in = sum(len(m.text) for m in messages) // 4
        tokens_out = max(1, len(text) // 4)
        message = AIMessage(
            content=text,
            usage_metadata={"input_tokens": tokens_in, "output_tokens": tokens_out,
                            "total_tokens": tokens_in + tokens_out},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


def fake_backend(fake: FakeChatModel | None = None) -> Backend:
    """The fake wrapped as a litmash Backend."""
    return Backend(name="fake", model="fake-1", chat_model=fake or FakeChatModel(), detail="scripted")


def expected_tokens(messages: list[BaseMessage], reply: str) -> tuple[int, int]:
    """The (input, output) token counts the fake reports for one call."""
    return sum(len(m.text) for m in messages) // 4, max(1, len(reply) // 4)


# --------------------------------------------------------------------------- graph states


def draft_music(request: MashupRequest | None = None, seed: int = 42):
    """The music block the workflow computes for the default blend (with the first hook's melody)."""
    from litmash.music.compose import compose, set_hook

    req = request or default_request()
    ids = [g.genre_id for g in GENRE_ANALYSIS.genres]
    return set_hook(compose(ids, req.skill_level, seed), HOOK_SET.hooks[0].text, req.skill_level)


def draft_theory(music, request: MashupRequest | None = None):
    """The theory section the theory agent builds on ``music`` with the fake's explanations."""
    from litmash.domain.lesson import TheoryConcept
    from litmash.domain.mashup import Chord, TheoryAnalysis
    from litmash.music.concepts import choose, cycle

    req = request or default_request()
    kb = knowledge()
    ids = [g.genre_id for g in GENRE_ANALYSIS.genres]
    chosen = choose(music, ids, " ".join([req.user_prompt, *req.learning_objectives]),
                    count=2 if req.skill_level == "beginner" else 3)
    texts = {cid: f"{kb.concepts[cid].name.capitalize()} is something you can hear in this song, so listen "
                  f"closely and clap along with it." for cid, _ in chosen}
    chorus = music.section("chorus")
    unit = cycle([c.roman for c in chorus.chords])
    return TheoryAnalysis(
        key=music.key, tempo_bpm=music.tempo_bpm, meter=music.meter,
        chord_progression=[Chord(roman=c.roman, symbol=c.symbol, pitches=c.pitches) for c in chorus.chords[:len(unit)]],
        concepts=[TheoryConcept(name=kb.concepts[cid].name, concept_id=cid, explanation=texts[cid],
                                where_in_song=where, explanation_source="model") for cid, where in chosen],
    )


def draft_teaching(req: MashupRequest, music) -> Any:
    """The teaching guide code plans for the draft song, in the templates' own words."""
    from litmash.pedagogy.lesson import assemble, build

    theory = draft_theory(music, req)
    return assemble(build(req, music, ["jazz", "hip_hop"], [c.concept_id for c in theory.concepts if c.concept_id]), {})


def draft_state(request: MashupRequest | None = None) -> dict[str, Any]:
    """A graph state holding every section, built from the default outputs (as after one round)."""
    from litmash.domain.lesson import EducationalContent

    req = request or default_request()
    music = draft_music(req)
    return {
        "request": req,
        "educational": EducationalContent(
            level=req.skill_level, context=req.educational_context, **EDUCATIONAL_PLAN.model_dump()
        ),
        "genres": GENRE_ANALYSIS.model_copy(deep=True),
        "hooks": HOOK_SET.model_copy(deep=True),
        "lyrics": LYRICS.model_copy(deep=True),
        "theory": draft_theory(music, req),
        "music": music,
        "teaching": draft_teaching(req, music),
        "repair_round": 0,
        "agent_runs": [],
    }


def draft_song(state: dict[str, Any]) -> dict[str, Any]:
    """The hooks, the music with the hook set to it, and the lyrics, as the two song agents write
    them on a fresh fake model (its hook lines and couplets)."""
    from types import SimpleNamespace

    from litmash.config import Settings
    from litmash.workflow.agents.base import AgentContext
    from litmash.workflow.agents.hook_generator import hook_generator
    from litmash.workflow.agents.lyrics_composer import lyrics_composer

    runtime = SimpleNamespace(context=AgentContext(backend=fake_backend(), settings=Settings(persist=False)))
    hooks = hook_generator(state, runtime)
    lyrics = lyrics_composer(state | hooks, runtime)
    return {"hooks": hooks["hooks"], "music": hooks["music"], "lyrics": lyrics["lyrics"]}


def duplicate_hooks() -> HookSet:
    """A hook set whose first two hooks differ only in punctuation (a validator problem)."""
    return HookSet.model_validate({
        "title": "Blue Notes on the Block",
        "hooks": [
            {"text": "Swing it low, let the bassline flow", "technique": "internal rhyme"},
            {"text": "Swing it low; let the bassline flow!", "technique": "repetition"},
            {"text": "Two, four, clap on the backbeat, more", "technique": "rhythmic chant"},
        ],
    })
