"""The API's response bodies (pydantic, so OpenAPI documents them)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from litmash.models import Mashup

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
