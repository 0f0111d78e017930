"""lyrics_composer: the song in labelled sections, built on the hooks."""

from langgraph.runtime import Runtime

from ..models import Lyrics
from .base import AgentContext, bullets, request_vars, run_agent
from .hook_generator import genre_summary
from .state import MashupState


def lyrics_composer(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Write the lyrics."""
    hooks = state["hooks"]
    values = request_vars(state["request"]) | {
        "genres": genre_summary(state),
        "title": hooks.title,
        "hooks": bullets([h.text for h in hooks.hooks]),
    }
    lyrics, run = run_agent(
        runtime.context, "lyrics_composer", Lyrics, values,
        state.get("feedback", {}).get("lyrics_composer"), state.get("repair_round", 0),
    )
    return {"lyrics": lyrics, "agent_runs": [run]}
