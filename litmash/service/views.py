"""Database rows turned into response bodies."""

from __future__ import annotations

from sqlalchemy import Engine, Row

from litmash.domain.mashup import Mashup
from litmash.evaluation.storage import EvalStore
from litmash.evaluation.verdict import aggregate
from litmash.service import evaluations
from litmash.service.responses import CaseOutcome, Evaluation, Job, Links, Progress, Step, VerdictCheck
from litmash.store import Store

PREFIX = "/api/v1/mashup"
EVALUATIONS = "/api/v1/evaluations"


def links(job_id) -> Links:
    """The URLs of a job's resource, event stream and export."""
    return Links(self=f"{PREFIX}/{job_id}", events=f"{PREFIX}/{job_id}/events", export=f"{PREFIX}/{job_id}/export")


def job_view(engine: Engine, row: Row, with_mashup: bool = True) -> Job:
    """The full job: status, per-agent steps and (when completed) the mashup."""
    store = Store(engine)
    steps: list[Step] = []
    mashup: Mashup | None = None
    if row.session_id is not None:
        steps = [
            Step(agent=r.agent, round=r.round, status=r.status, seconds=round(r.wall_ms / 1000, 3),
                 prompt_tokens=r.prompt_tokens, completion_tokens=r.completion_tokens, attempts=r.attempts)
            for r in store.agent_runs(row.session_id)
        ]
        if with_mashup and row.status == "completed":
            mashup = store.get_mashup(row.session_id)
    return Job(
        id=row.id, session_id=row.session_id, status=row.status, created_at=row.created_at,
        started_at=row.started_at, finished_at=row.finished_at, seconds=row.seconds, attempts=row.attempts,
        error=row.error, steps=steps, mashup=mashup, links=links(row.id),
    )


def evaluation_view(engine: Engine, row: Row) -> Evaluation:
    """The evaluation: progress, each case's job and outcome, and the verdict once every case has one."""
    results = evaluations.results(engine, row.id)
    case_jobs = evaluations.case_jobs(engine, row.id)
    by_case = {j.case_id: j for j in case_jobs}
    cases = []
    for case in row.cases:
        job, result = by_case[case["id"]], results.get(case["id"])
        cases.append(CaseOutcome(
            id=case["id"], job=f"{PREFIX}/{job.id}", status=job.status,
            success=result["success"] if result else None,
            seconds=result["seconds"] if result else job.seconds,
            error=result["error"] if result else job.error,
            failed_scorers=sorted(n for n, s in (result or {}).get("scores", {}).items() if not s["passed"]),
        ))
    so_far = aggregate(list(results.values())) if results else None
    verdict = row.verdict or {}
    return Evaluation(
        id=row.id, name=EvalStore(engine).get_run(row.id).name, dataset=row.dataset, status=row.status,
        created_at=row.created_at, finished_at=row.finished_at,
        progress=Progress(done=len(results), total=len(row.cases)),
        verdict=verdict.get("label"), checks=[VerdictCheck.model_validate(c) for c in verdict.get("checks", [])],
        success_rate=so_far.success_rate if so_far else None, pass_rates=so_far.pass_rates if so_far else {},
        cases=cases, links={"self": f"{EVALUATIONS}/{row.id}"},
    )
