"""theory_integrator: key, tempo, meter, progression and concepts at the learners' level."""

from langgraph.runtime import Runtime

from ..models import TheoryAnalysis, TheoryDraft
from ..music.theory import progression
from .base import AgentContext, bullets, request_vars, run_agent
from .hook_generator import genre_summary
from .state import MashupState


def theory_integrator(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Draft the theory frame; chord symbols are computed from the Roman numerals."""
    edu = state["educational"]
    values = request_vars(state["request"]) | {
        "genres": genre_summary(state),
        "learning_goals": bullets(edu.learning_goals),
        "vocabulary": ", ".join(edu.vocabulary),
    }
    draft, run = run_agent(
        runtime.context, "theory_integrator", TheoryDraft, values,
        state.get("feedback", {}).get("theory_integrator"), state.get("repair_round", 0),
    )
    theory = TheoryAnalysis(
        key=draft.key, tempo_bpm=draft.tempo_bpm, meter=draft.meter,
        chord_progression=progression(draft.progression, draft.key), concepts=draft.concepts,
    )
    return {"theory": theory, "agent_runs": [run]}
