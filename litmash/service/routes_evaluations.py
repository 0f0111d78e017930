"""/api/v1/evaluations: run an eval dataset (or inline cases) as jobs and read its verdict."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool

from litmash.evaluation.datasets import Case
from litmash.service import evaluations, jobs, queue
from litmash.service.auth import Caller
from litmash.service.context import Service, caller, service
from litmash.service.errors import Unavailable
from litmash.service.responses import Evaluation
from litmash.service.routes_mashups import COMMON, _problems
from litmash.service.views import EVALUATIONS, evaluation_view

router = APIRouter(prefix="/api/v1", tags=["evaluations"])
MAX_CASES = 100


class EvaluationRequest(BaseModel):
    """A dataset name, or inline cases in the eval datasets' shape; an optional eval run name."""

    model_config = ConfigDict(extra="forbid")

    dataset: str | None = Field(
        None, min_length=1, max_length=80,
        description=f"A dataset of the server's evals/datasets ({', '.join(evaluations.dataset_names()) or 'none'}).")
    cases: list[Case] | None = Field(
        None, min_length=1, max_length=MAX_CASES,
        description="Inline cases: id, request (a MashupRequest), expect, tags.")
    name: str | None = Field(
        None, min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$",
        description="The eval run's name (default: the dataset, the time and a suffix).")

    @field_validator("cases")
    @classmethod
    def _unique_ids(cls, cases: list[Case] | None) -> list[Case] | None:
        seen: set[str] = set()
        dupes = sorted({c.id for c in cases or [] if c.id in seen or seen.add(c.id)})
        if dupes:
            raise ValueError(f"duplicate case ids: {', '.join(dupes)}")
        return cases


@router.post(
    "/evaluations", status_code=202, response_model=Evaluation,
    responses=_problems(400, 409, 413, 415, *COMMON),
)
async def create(
    body: EvaluationRequest, response: Response, svc: Annotated[Service, Depends(service)],
    who: Annotated[Caller, Depends(caller)],
) -> Evaluation:
    """Queue every case of a dataset (or of the inline list) as a job; 202 with a Location header."""
    ds = await run_in_threadpool(evaluations.dataset_for, body.dataset, body.cases, body.name)
    row, job_ids = await run_in_threadpool(evaluations.create, svc.engine, svc.settings, who.user_id, ds, body.name)
    await run_in_threadpool(_enqueue_all, svc, row.id, job_ids)
    response.headers["Location"] = f"{EVALUATIONS}/{row.id}"
    return await run_in_threadpool(evaluation_view, svc.engine, row)


def _enqueue_all(svc: Service, evaluation_id, job_ids: list) -> None:
    for n, job_id in enumerate(job_ids):
        try:
            jobs.set_queue_id(svc.engine, job_id, queue.enqueue(svc.queue, job_id))
        except Exception as exc:
            line = f"queue: cannot enqueue the job ({type(exc).__name__})"
            evaluations.abandon(svc.engine, evaluation_id, job_ids[n:], line)
            raise Unavailable(f"queue: cannot enqueue case {n + 1} of {len(job_ids)} ({type(exc).__name__})") from exc


@router.get("/evaluations/{id}", response_model=Evaluation, responses=_problems(*COMMON))
async def get_evaluation(
    id: Annotated[str, "an evaluation id"], svc: Annotated[Service, Depends(service)],
    who: Annotated[Caller, Depends(caller)],
) -> Evaluation:
    """Progress (cases done of total) and, once every case has a result, the verdict and pass rates."""
    evaluation_id = jobs.parse_id(id, "evaluation")
    row = await run_in_threadpool(evaluations.get, svc.engine, evaluation_id, who.user_id)
    if row.status == "running":  # scores a case whose worker died before scoring it; finishes if all are in
        await run_in_threadpool(evaluations.refresh, svc.engine, row.id)
        row = await run_in_threadpool(evaluations.get, svc.engine, row.id)
    return await run_in_threadpool(evaluation_view, svc.engine, row)
