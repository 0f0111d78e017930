"""hook_generator: a title and several distinct hook options."""

from langgraph.runtime import Runtime

from ..knowledge import knowledge
from ..knowledge.context import decades_text
from ..models import HookSet
from ..music.compose import set_hook
from .base import AgentContext, bullets, request_vars, run_agent
from .state import MashupState


def genre_summary(state: MashupState) -> str:
    """The blend as '- name (from PLACE, DECADES): role (signature elements)' lines: the base's facts
    beside the model's role, so later agents name only what the base holds."""
    kb = knowledge()
    lines = []
    for g in state["genres"].genres:
        where = ""
        if (entry := kb.genres.get(g.genre_id)) is not None:
            where = f" (from {entry.origin.places[0]}, {decades_text(entry)})"
        lines.append(f"{g.name}{where}: {g.role_in_blend} ({'; '.join(g.signature_elements[:2])})")
    return bullets(lines)


def hook_generator(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Write the title and the hook options; code sets the first hook to the chorus melody."""
    values = request_vars(state["request"]) | {
        "genres": genre_summary(state),
        "learning_goals": bullets(state["educational"].learning_goals),
    }
    hooks, run = run_agent(
        runtime.context, "hook_generator", HookSet, values,
        state.get("feedback", {}).get("hook_generator"), state.get("repair_round", 0),
    )
    music = state["music"]
    for hook in hooks.hooks:  # the first hook that can be sung (words, and few enough syllables)
        try:
            music = set_hook(music, hook.text, state["request"].skill_level)
            break
        except ValueError:
            continue
    return {"hooks": hooks, "music": music, "agent_runs": [run]}
