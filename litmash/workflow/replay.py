"""Re-run one agent on the inputs a stored mashup already has.

The graph state of a finished run is not kept, but the Mashup holds every section an agent
reads, so the state is rebuilt from it. Used by "regenerate this section" and the prompt lab.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langgraph.runtime import Runtime
from pydantic import BaseModel

from litmash.config import Settings
from litmash.domain.lesson import EducationalContent
from litmash.domain.mashup import AgentRun, Mashup, ValidationProblem
from litmash.domain.song import HookSet, Lyrics
from litmash.errors import ConfigError, LitmashError
from litmash.llm.backends import Backend
from litmash.llm.prompts import AgentPrompt, load_prompt, prompts_dir
from litmash.music.compose import compose
from litmash.workflow import agents
from litmash.workflow.agents.base import AgentContext
from litmash.workflow.agents.values import REQUEST_VARS
from litmash.workflow.api import assemble
from litmash.workflow.checks import SECTION_AGENT, blend_of, find_problems, strings
from litmash.workflow.graph import AGENTS
from litmash.workflow.state import MashupState

# The agents that ask the LLM; content_validator only checks.
LLM_AGENTS: tuple[str, ...] = tuple(a for a in AGENTS if a != "content_validator")

# The state key each agent writes, i.e. what "its section" is in the graph state.
OUTPUT_KEY: dict[str, str] = {
    "educational_context": "educational",
    "genre_analyzer": "genres",
    "hook_generator": "hooks",
    "lyrics_composer": "lyrics",
    "theory_integrator": "theory",
    "teaching_guide": "teaching",
}

AGENT_SECTIONS: dict[str, list[str]] = {
    agent: [s for s, a in SECTION_AGENT.items() if a == agent] for agent in LLM_AGENTS
}


def state_from_mashup(m: Mashup) -> MashupState:
    """The graph state after the run that produced ``m`` (every section, no pending feedback)."""
    return {
        "request": m.request,
        "educational": EducationalContent.model_validate(m.educational_content.model_dump()),
        "genres": blend_of(m),
        "hooks": HookSet.model_construct(title=m.title, hooks=list(m.hooks)),
        "lyrics": Lyrics.model_construct(sections=list(m.lyrics)),
        "theory": m.theory_analysis,
        # a mashup stored before the music block existed gets it computed now (code, no model)
        "music": m.music or compose([g.genre_id for g in blend_of(m).genres], m.request.skill_level, m.metadata.seed or 0),
        "teaching": m.teaching_guide,
        "feedback": {},
        "problems": list(m.validation),
        "repair_round": m.metadata.repair_rounds,
        "agent_runs": list(m.metadata.agent_runs),
    }


def run_alone(agent: str, state: MashupState, backend: Backend, settings: Settings) -> dict[str, Any]:
    """Run one agent node on ``state``; return the keys it changed (its section and its AgentRun)."""
    if agent not in LLM_AGENTS:
        raise ConfigError(f"agent: unknown {agent!r}; allowed: {', '.join(LLM_AGENTS)}")
    node = getattr(agents, agent)
    # A plain Runtime is what the graph hands a node; only its context is read.
    return node({**state, "feedback": {}}, Runtime(context=AgentContext(backend=backend, settings=settings)))


def problems_in(state: MashupState) -> list[ValidationProblem]:
    """The content validator's findings on a state."""
    return find_problems(
        state["request"], state["educational"], state["genres"], state["hooks"],
        state["lyrics"], state["theory"], state["teaching"],
    )


def revise(m: Mashup, agent: str, updates: dict[str, Any], settings: Settings) -> Mashup:
    """``m`` with one agent's new section, its AgentRun appended and validation re-checked.

    Only that section changes: downstream sections built on the old one are kept as they are.
    """
    meta = m.metadata
    state = state_from_mashup(m)
    state[OUTPUT_KEY[agent]] = updates[OUTPUT_KEY[agent]]
    if "music" in updates:  # theory_integrator computes it, hook_generator sets the hook melody
        state["music"] = updates["music"]
    state["agent_runs"] = [*meta.agent_runs, *updates.get("agent_runs", [])]
    state["problems"] = problems_in(state)
    # The run is still the original one: same backend, seed, start and wall time.
    original = Backend(name=meta.backend, model=meta.model, chat_model=None, detail="")  # type: ignore[arg-type]
    return assemble(state, original, settings.model_copy(update={"seed": meta.seed}),
                    meta.started_at, meta.total_seconds)


def regenerate(m: Mashup, section: str, backend: Backend, settings: Settings) -> tuple[Mashup, AgentRun]:
    """Ask the agent that writes ``section`` again; return the revised Mashup and its AgentRun."""
    try:
        agent = SECTION_AGENT[section]
    except KeyError:
        raise ConfigError(f"section: unknown {section!r}; allowed: {', '.join(SECTION_AGENT)}") from None
    updates = run_alone(agent, state_from_mashup(m), backend, settings)
    return revise(m, agent, updates, settings), updates["agent_runs"][-1]


# --------------------------------------------------------------------------- trying a prompt


@dataclass(frozen=True)
class Trial:
    """One agent run in the prompt lab: what came back and the checks on it."""

    variant: str
    seed: int | None
    ok: bool
    seconds: float
    chars: int
    tokens: int
    problems: list[str]
    output: BaseModel | None
    error: str | None = None
    run: AgentRun | None = None


@contextmanager
def prompt_folder(agent: str, text: str | None, base: Path | None = None) -> Iterator[Path]:
    """The prompts folder with ``agent``'s file replaced by ``text`` (``None``: the folder as it is)."""
    source = prompts_dir(base)
    if text is None:
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="litmash-prompts-") as tmp:
        folder = Path(tmp)
        for f in source.glob("*.yaml"):
            shutil.copyfile(f, folder / f.name)
        (folder / f"{agent}.yaml").write_text(text, encoding="utf-8", newline="")
        yield folder


def trial(
    agent: str, state: MashupState, backend: Backend, settings: Settings, variant: str, seed: int | None
) -> Trial:
    """Run ``agent`` alone once and check its output; a failure is a Trial, not an exception."""
    key = OUTPUT_KEY[agent]
    try:
        updates = run_alone(agent, state, backend, settings)
    except LitmashError as exc:
        run = getattr(exc, "agent_run", None)
        # The prompt sits in a temporary folder whose path means nothing to the reader.
        error = str(exc).replace(f"{settings.prompts_dir}{os.sep}", f"{variant} ")
        return Trial(variant, seed, False, run.wall_ms / 1000 if run else 0.0, 0,
                     run.completion_tokens if run else 0, [], None, error, run)
    runs = updates["agent_runs"]  # the song agents make several short calls: all of them count
    output = updates[key]
    own = set(AGENT_SECTIONS[agent])
    problems = [p.message for p in problems_in({**state, key: output}) if p.section in own]
    return Trial(variant, seed, True, sum(r.wall_ms for r in runs) / 1000, sum(len(s) for s in strings(output)),
                 sum(r.completion_tokens for r in runs), problems, output, None, runs[-1])


class _DryRun(LitmashError):
    """Raised instead of calling a model: the prompt got as far as being sent."""


class _DryModel:
    """A chat model stand-in whose every call stops the agent with ``_DryRun``."""

    def with_structured_output(self, *args, **kwargs):
        return self

    def invoke(self, *args, **kwargs):
        raise _DryRun("dry run")


def check_prompt(agent: str, text: str, state: MashupState | None, settings: Settings) -> AgentPrompt:
    """Parse an edited prompt and check its placeholders as the agent itself would.

    With a state, the agent is run up to the model call (so every placeholder it provides is
    allowed and none other); without one, only placeholders the current prompt or every agent
    uses are allowed. Raises ConfigError naming the problem.
    """
    with prompt_folder(agent, text, settings.prompts_dir) as folder:
        try:
            edited = load_prompt(agent, folder, kind=AgentPrompt)
            if state is not None:
                dry = Backend(name="dry-run", model="none", chat_model=_DryModel())  # type: ignore[arg-type]
                try:
                    run_alone(agent, state, dry, settings.model_copy(update={"prompts_dir": folder}))
                except _DryRun:
                    return edited
            current = load_prompt(agent, settings.prompts_dir, kind=AgentPrompt)
            return load_prompt(agent, folder, required=REQUEST_VARS | current.variables(), kind=AgentPrompt)
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(f"{folder}{os.sep}", "edited ")) from None
