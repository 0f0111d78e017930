"""hook_generator: a title and several distinct hook options."""

from langgraph.runtime import Runtime

from ..models import HookSet
from .base import AgentContext, bullets, request_vars, run_agent
from .state import MashupState


def genre_summary(state: MashupState) -> str:
    """The blend as '- name: role (signature elements)' lines."""
    return bullets([
        f"{g.name}: {g.role_in_blend} ({'; '.join(g.signature_elements)})" for g in state["genres"].genres
    ])


def hook_generator(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Write the title and the hook options."""
    values = request_vars(state["request"]) | {
        "genres": genre_summary(state),
        "learning_goals": bullets(state["educational"].learning_goals),
    }
    hooks, run = run_agent(
        runtime.context, "hook_generator", HookSet, values,
        state.get("feedback", {}).get("hook_generator"), state.get("repair_round", 0),
    )
    return {"hooks": hooks, "agent_runs": [run]}
