"""teaching_guide: a timed lesson plan, questions, activities and assessment."""

from langgraph.runtime import Runtime

from ..models import TeachingGuide, TeachingPlan
from .base import AgentContext, bullets, request_vars, run_agent
from .hook_generator import genre_summary
from .state import MashupState


def theory_summary(state: MashupState) -> str:
    """Key, tempo, meter, progression and concepts on a few lines."""
    t = state["theory"]
    chords = " - ".join(f"{c.roman} ({c.symbol})" for c in t.chord_progression)
    return "\n".join([
        f"Key {t.key}, {t.tempo_bpm} BPM, {t.meter}", f"Progression: {chords}",
        *(f"- {c.name}: {c.explanation}" for c in t.concepts),
    ])


def teaching_guide(state: MashupState, runtime: Runtime[AgentContext]) -> dict:
    """Plan the lesson."""
    req, edu = state["request"], state["educational"]
    values = request_vars(req) | {
        "genres": genre_summary(state),
        "learning_goals": bullets(edu.learning_goals),
        "teaching_approach": edu.teaching_approach,
        "theory": theory_summary(state),
    }
    plan, run = run_agent(
        runtime.context, "teaching_guide", TeachingPlan, values,
        state.get("feedback", {}).get("teaching_guide"), state.get("repair_round", 0),
    )
    return {"teaching": TeachingGuide(**plan.model_dump(), lesson_minutes=req.minutes), "agent_runs": [run]}
