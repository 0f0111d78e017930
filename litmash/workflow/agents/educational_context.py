"""educational_context: learning goals, approach and vocabulary for the learners.

The model's teaching approach stands only when it passes the lesson-text checks; otherwise the
lesson template's approach for the setting stands in (the reasons are kept for the validation).
A reply that stays invalid does not end the run: the teacher's objectives stand as the goals
(code rewrites them into the guide's objectives later) and the template's approach stands in."""

from langgraph.runtime import Runtime

from litmash.domain.lesson import EducationalContent, EducationalPlan
from litmash.errors import InvalidOutput
from litmash.pedagogy.approach import choose_approach, template_approach
from litmash.workflow.agents.base import AgentContext, run_agent
from litmash.workflow.agents.values import request_vars
from litmash.workflow.state import MashupState, requested


def educational_context(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Plan what the mashup should teach."""
    req = state["request"]
    genres = requested(state)
    try:
        plan, run = run_agent(
            runtime.context, "educational_context", EducationalPlan, request_vars(req, requested(state)),
            state.get("feedback", {}).get("educational_context"), state.get("repair_round", 0),
        )
    except InvalidOutput as exc:
        content = EducationalContent(
            level=req.skill_level, context=req.educational_context, learning_goals=list(req.learning_objectives),
            vocabulary=[], teaching_approach=template_approach(req.educational_context, genres),
            approach_source="data", approach_problems=[f"the reply stayed invalid: {exc}"[:200]])
        return {"educational": content, "agent_runs": [exc.agent_run] if exc.agent_run else []}
    approach, source, found = choose_approach(plan.teaching_approach, req.skill_level, req.educational_context, genres)
    content = EducationalContent(level=req.skill_level, context=req.educational_context,
                                 **plan.model_dump(exclude={"teaching_approach"}), teaching_approach=approach,
                                 approach_source=source, approach_problems=found)
    return {"educational": content, "agent_runs": [run]}
