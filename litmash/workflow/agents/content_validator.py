"""content_validator: checks the draft and sends failing sections back, a bounded number of times."""

from collections import defaultdict

from langgraph.runtime import Runtime

from litmash.workflow.agents.base import AgentContext
from litmash.workflow.checks import SECTION_AGENT, find_problems
from litmash.workflow.state import MashupState, requested


def content_validator(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Record the problems; ask for repairs of the repairable ones while rounds remain."""
    problems = find_problems(
        state["request"], state["educational"], state["genres"], state["hooks"],
        state["lyrics"], state["theory"], state["teaching"], requested(state),
    )
    rounds = state.get("repair_round", 0)
    repairable = [p for p in problems if p.repairable]
    if not repairable or rounds >= runtime.context.settings.max_repair_rounds:
        return {"problems": problems, "feedback": {}}
    feedback: dict[str, list[str]] = defaultdict(list)
    for p in repairable:
        feedback[SECTION_AGENT[p.section]].append(p.message)
    return {"problems": problems, "feedback": dict(feedback), "repair_round": rounds + 1}
