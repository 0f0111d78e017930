"""An optional LLM judge for what code cannot check (is the lesson consistent, would the blend's
explanation teach the objectives), scored against a versioned rubric in evals/rubrics/.

It runs only when a judge backend is configured (``LITMASH_JUDGE_BACKEND``, e.g. ``ollama`` with an
8B model), is never required (so never part of a success rate), and stores the judge's model,
temperature and rubric version with every result."""

from __future__ import annotations

import threading
from pathlib import Path

import yaml
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from litmash.config import Settings
from litmash.domain.mashup import Mashup
from litmash.errors import ConfigError
from litmash.evaluation.datasets import EVALS_DIR, Case
from litmash.evaluation.registry import RunInfo, Score, register
from litmash.llm.backends import Backend, create_backend

RUBRICS_DIR = EVALS_DIR / "rubrics"
NAME = "lesson_judge"


class Rubric(BaseModel):
    """A judge's rubric file."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: int = Field(ge=1)
    question: str
    criteria: list[str] = Field(min_length=1)
    scale: str
    pass_score: int = Field(ge=1, le=5)


class JudgeReply(BaseModel):
    """The judge's reply: its reasons first, then the score they lead to."""

    justification: str = Field(min_length=20, max_length=800, description="Two to four sentences of reasons.")
    score: int = Field(ge=1, le=5, description="The rubric's score, 1 to 5.")


def load_rubric(name: str = NAME, folder: Path | None = None) -> Rubric:
    """The rubric ``name`` from evals/rubrics (a one-line ConfigError when missing or malformed)."""
    path = (folder or RUBRICS_DIR) / f"{name}.yaml"
    try:
        return Rubric.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ConfigError(f"rubric: no file {path}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"rubric {path}: {'.'.join(map(str, first['loc']))} {first['msg']}") from None


def lesson_summary(m: Mashup) -> str:
    """What the judge reads: objectives, blend, music and the lesson, bounded."""
    g, music = m.teaching_guide, m.music
    lines = [f"Request: {m.request.user_prompt} ({m.request.skill_level}, {m.request.educational_context}, "
             f"{g.lesson_minutes} minutes)"]
    lines += ["Objectives:", *(f"- {o.text}" for o in g.objectives)]
    lines += ["Genres and their roles:", *(f"- {b.name}: {b.role_in_blend}" for b in m.genre_blend)]
    if music is not None:
        lines.append(f"Music: {music.key}, {music.tempo_bpm} BPM, {music.meter}; hook: {m.hooks[0].text if m.hooks else ''}")
    lines.append(f"Approach: {m.educational_content.teaching_approach}")
    lines += ["Lesson:", *(f"- {s.minutes} min {s.title}: {s.description}" for s in g.lesson_plan)]
    lines += ["Discussion questions:", *(f"- {q}" for q in g.discussion_questions)]
    return "\n".join(lines)[:6000]


def judge_mashup(m: Mashup, rubric: Rubric, backend: Backend, temperature: float) -> Score:
    """The judge's Score: value score/5, passed at the rubric's pass score, the justification as detail."""
    system = (f"You are an experienced music teacher reviewing a lesson. {rubric.question}\n"
              "Judge it against these criteria:\n" + "\n".join(f"- {c}" for c in rubric.criteria)
              + f"\nScale:\n{rubric.scale}\nReply with JSON only: {{\"justification\": ..., \"score\": 1-5}}.")
    meta = {"judge_backend": backend.name, "judge_model": backend.model, "temperature": temperature,
            "rubric": rubric.name, "rubric_version": rubric.version}
    chain = backend.chat_model.with_structured_output(JudgeReply, method="json_schema", include_raw=True)
    out = chain.invoke([SystemMessage(system), HumanMessage(lesson_summary(m))])
    reply = out.get("parsed")
    if reply is None or out.get("parsing_error") is not None:
        return Score(value=0.0, passed=False, detail=f"the judge's reply was not valid: {out.get('parsing_error')}",
                     meta=meta)
    return Score(value=reply.score / 5, passed=reply.score >= rubric.pass_score,
                 detail=f"{reply.score}/5: {reply.justification}", meta=meta | {"score": reply.score})


_backends: dict[tuple, Backend] = {}
_lock = threading.Lock()


def judge_backend(settings: Settings) -> Backend:
    """The configured judge backend (built once per configuration)."""
    if not settings.judge_backend:
        raise ConfigError("judge_backend: not set; set LITMASH_JUDGE_BACKEND (e.g. ollama) to run the judge")
    key = (settings.judge_backend, settings.judge_model, settings.judge_temperature)
    with _lock:
        if key not in _backends:
            _backends[key] = create_backend(settings.model_copy(update={
                "backend": settings.judge_backend, "model": settings.judge_model,
                "temperature": settings.judge_temperature}))
        return _backends[key]


@register(NAME, required=False)
def lesson_judge(case: Case, m: Mashup, info: RunInfo) -> Score:
    """LLM judge (optional): would a teacher hand this lesson out as it is? Scored 1-5 against a versioned rubric."""
    settings = info.judge
    if settings is None:
        raise ConfigError("judge_backend: not set; set LITMASH_JUDGE_BACKEND (e.g. ollama) to run the judge")
    return judge_mashup(m, load_rubric(), judge_backend(settings), settings.judge_temperature)
