"""The LangGraph workflow: wiring only, read top to bottom like the data flow in the README.

educational_context -> genre_analyzer -> theory_integrator -+-> hook_generator -> lyrics_composer -+-> content_validator
                                                            +-> teaching_guide ---------------------+      | repairs
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from litmash.workflow.agents import (
    content_validator,
    educational_context,
    genre_analyzer,
    hook_generator,
    lyrics_composer,
    teaching_guide,
    theory_integrator,
)
from litmash.workflow.agents.base import AgentContext
from litmash.workflow.state import MashupState

# The agents the validator may send back to, each with every agent upstream of it: an agent re-run
# re-runs what follows it by the edges. A unit test holds this table to the edges below.
UPSTREAM: dict[str, frozenset[str]] = {
    "educational_context": frozenset(),
    "genre_analyzer": frozenset({"educational_context"}),
    "theory_integrator": frozenset({"educational_context", "genre_analyzer"}),
    "hook_generator": frozenset({"educational_context", "genre_analyzer", "theory_integrator"}),
    "lyrics_composer": frozenset({"educational_context", "genre_analyzer", "theory_integrator", "hook_generator"}),
    "teaching_guide": frozenset({"educational_context", "genre_analyzer", "theory_integrator"}),
}
REPAIRABLE: tuple[str, ...] = tuple(UPSTREAM)
AGENTS: tuple[str, ...] = (
    "educational_context", "genre_analyzer", "hook_generator", "lyrics_composer",
    "theory_integrator", "teaching_guide", "content_validator",
)


def build_graph(checkpointer=None):
    """Compile the mashup workflow (optionally with a checkpointer for durable runs)."""
    g = StateGraph(MashupState, context_schema=AgentContext)
    g.add_node(educational_context)
    g.add_node(genre_analyzer)
    g.add_node(theory_integrator)
    g.add_node(hook_generator)
    g.add_node(lyrics_composer)
    g.add_node(teaching_guide)
    # defer: wait until both branches (and any repairs they trigger) have finished
    g.add_node(content_validator, defer=True)

    g.add_edge(START, "educational_context")
    g.add_edge("educational_context", "genre_analyzer")
    g.add_edge("genre_analyzer", "theory_integrator")
    # the hook melody needs the meter and the chorus chords; the lesson needs the music
    g.add_edge("theory_integrator", "hook_generator")
    g.add_edge("hook_generator", "lyrics_composer")
    g.add_edge("theory_integrator", "teaching_guide")
    g.add_edge("lyrics_composer", "content_validator")
    g.add_edge("teaching_guide", "content_validator")
    g.add_conditional_edges("content_validator", route_repairs, [*REPAIRABLE, END])
    return g.compile(checkpointer=checkpointer, name="litmash")


def route_repairs(state: MashupState) -> list[str] | str:
    """The agents to re-run (their downstream agents follow by the edges), or END."""
    targets = set(state.get("feedback") or ())
    if not targets:
        return END
    # an agent whose upstream agent is re-run is re-run by the edges anyway
    return sorted(t for t in targets if not (UPSTREAM[t] & targets))
