"""The API's response bodies (pydantic, so OpenAPI documents them)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from litmash.domain.mashup import Mashup

JobStatus = Literal["queued", "running", "completed", "failed", "cancelled", "interrupted"]


class Step(BaseModel):
    """One agent execution of the run."""

    agent: str
    round: int
    status: str
    seconds: float
    prompt_tokens: int
    completion_tokens: int
    attempts: int


class Links(BaseModel):
    """Where to follow the job."""

    self: str
    events: str
    export: str


class Job(BaseModel):
    """A generation job: its status, its steps and, once completed, the mashup."""

    id: uuid.UUID = Field(description="The job id (use it in every /api/v1/mashup/{id} route).")
    session_id: uuid.UUID | None = Field(description="The stored run's id (`litmash show`), once it started.")
    status: JobStatus
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    seconds: float | None
    attempts: int = Field(description="How many times a worker started (or resumed) the job.")
    error: str | None = Field(description="Why the job failed, was cancelled or interrupted (one line).")
    steps: list[Step]
    mashup: Mashup | None = Field(description="The mashup, when the job completed.")
    links: Links


class JobSummary(BaseModel):
    """One row of the mashup list."""

    id: uuid.UUID
    session_id: uuid.UUID | None
    status: JobStatus
    title: str | None
    genres: list[str]
    skill_level: str
    context: str
    created_at: datetime
    seconds: float | None
    error: str | None


class JobPage(BaseModel):
    """A page of jobs, newest first; ``next`` is the URL of the following page."""

    items: list[JobSummary]
    next: str | None


class Check(BaseModel):
    """One readiness check."""

    ok: bool
    detail: str


class Health(BaseModel):
    """Liveness or readiness, with the checks behind it."""

    status: Literal["ok", "unavailable"]
    checks: dict[str, Check] = {}


class Stats(BaseModel):
    """The monitoring figures of the design document: count, errors, average generation time."""

    jobs: int
    completed: int
    failed: int
    cancelled: int
    open: int = Field(description="Queued, running or interrupted now.")
    average_seconds: float | None = Field(description="Mean duration of completed jobs.")
    error_rate: float | None = Field(description="failed / (completed + failed).")


class Progress(BaseModel):
    """How many of the evaluation's cases have a result."""

    done: int = Field(description="Cases whose job ended and was scored.")
    total: int


class CaseOutcome(BaseModel):
    """One case of an evaluation: its job and, once scored, whether it succeeded."""

    id: str = Field(description="The case id.")
    job: str = Field(description="The case's job (GET it for steps and the mashup).")
    status: JobStatus = Field(description="The job's status.")
    success: bool | None = Field(description="Completed and passed every required scorer (None until scored).")
    seconds: float | None
    error: str | None
    failed_scorers: list[str] = Field(description="The scorers this case's mashup did not pass.")


class VerdictCheck(BaseModel):
    """One figure of the evaluation against its threshold."""

    name: str
    value: float | None
    threshold: float
    op: Literal[">=", "<="]
    passed: bool


class Evaluation(BaseModel):
    """An evaluation: progress while its cases run, then the verdict and per-scorer pass rates."""

    id: uuid.UUID = Field(description="The evaluation's id, also its eval run's id (`litmash eval report ID`).")
    name: str = Field(description="The eval run's name.")
    dataset: str
    status: Literal["running", "completed", "failed"]
    created_at: datetime
    finished_at: datetime | None
    progress: Progress
    verdict: Literal["pass", "fail"] | None = Field(description="Set when every case has a result.")
    checks: list[VerdictCheck] = Field(description="What decided the verdict (success rate, p95 time).")
    success_rate: float | None = Field(description="Share of the scored cases that succeeded.")
    pass_rates: dict[str, float] = Field(description="Share of completed mashups passing, per scorer (so far).")
    cases: list[CaseOutcome]
    links: dict[str, str] = Field(description="This evaluation's URL.")
