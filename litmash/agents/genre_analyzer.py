"""genre_analyzer: the 2-3 genres of the blend, with their musical role and cultural context."""

from langgraph.runtime import Runtime

from ..models import GenreAnalysis
from .base import AgentContext, bullets, request_vars, run_agent
from .state import MashupState


def genre_analyzer(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Choose and describe the genres to blend."""
    values = request_vars(state["request"]) | {"learning_goals": bullets(state["educational"].learning_goals)}
    analysis, run = run_agent(
        runtime.context, "genre_analyzer", GenreAnalysis, values,
        state.get("feedback", {}).get("genre_analyzer"), state.get("repair_round", 0),
    )
    return {"genres": analysis, "agent_runs": [run]}
