"""educational_context: learning goals, approach and vocabulary for the learners."""

from langgraph.runtime import Runtime

from ..models import EducationalContent, EducationalPlan
from .base import AgentContext, request_vars, run_agent
from .state import MashupState


def educational_context(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Plan what the mashup should teach."""
    req = state["request"]
    plan, run = run_agent(
        runtime.context, "educational_context", EducationalPlan, request_vars(req),
        state.get("feedback", {}).get("educational_context"), state.get("repair_round", 0),
    )
    content = EducationalContent(level=req.skill_level, context=req.educational_context, **plan.model_dump())
    return {"educational": content, "agent_runs": [run]}
