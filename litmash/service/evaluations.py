"""Evaluations over HTTP: a dataset's cases fan out as generation jobs, each scored when it ends.

An evaluation is two rows with one id: ``litmash_service.evaluations`` (whose it is, its cases,
its status and verdict) and the eval run in ``eval_runs``, with one ``eval_results`` row per
case written the way the eval runner writes them, so `litmash eval list`, `report` and `rescore`
read an evaluation made through the API like any other run. Each case is an ordinary job (same
queue, retries, checkpoints and stalled-worker recovery as ``POST /api/v1/mashup/generate``).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Row, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from litmash.config import Settings
from litmash.errors import ConfigError
from litmash.evaluation.datasets import DATASETS_DIR, Case, Dataset, load_dataset
from litmash.evaluation.runner import Grid, default_scorers
from litmash.evaluation.scorers import registry, required_scorers
from litmash.evaluation.scoring import generation_seconds, score_case, summarise
from litmash.evaluation.storage import EvalStore, ResultRecord
from litmash.evaluation.verdict import Thresholds, load_thresholds
from litmash.service.errors import Conflict, Invalid, JobNotFound
from litmash.service.jobs import digest
from litmash.service.tables import evaluations, jobs
from litmash.store import Store
from litmash.store import engine as store_engine
from litmash.store.tables import AgentRunRow, EvalResult, EvalRun

TERMINAL = ("completed", "failed", "cancelled")
# What the runner records of the settings (the eval tools show them); the service's are the API's.
RECORDED_SETTINGS = {"temperature", "max_tokens", "max_retries", "max_repair_rounds", "request_timeout"}


def dataset_names() -> list[str]:
    """The datasets a request may name: the YAML files of the checkout's evals/datasets."""
    return sorted(p.stem for p in DATASETS_DIR.glob("*.yaml")) if DATASETS_DIR.is_dir() else []


def dataset_for(name: str | None, cases: list[Case] | None, run_name: str | None) -> Dataset:
    """The cases to run: a named dataset (never a path: clients must not read server files) or inline ones."""
    if (name is None) == (cases is None):
        raise Invalid("dataset: give either a dataset name or inline cases, not both and not neither")
    if cases is not None:
        text = json.dumps([c.model_dump(mode="json") for c in cases], sort_keys=True)
        return Dataset(name=run_name or "inline", cases=cases, sha256=hashlib.sha256(text.encode()).hexdigest())
    allowed = dataset_names()
    if name not in allowed:
        raise Invalid(f"dataset: unknown {name[:40]!r}; allowed: {', '.join(allowed) or 'none in this installation'}")
    try:
        return load_dataset(name)
    except ConfigError as exc:  # the file exists but does not load: the server's fault, said in one line
        raise Invalid(f"dataset: {name} does not load: {exc}") from None


def create(engine: Engine, settings: Settings, user_id: int, ds: Dataset, name: str | None) -> tuple[Row, list[uuid.UUID]]:
    """Record the evaluation, its eval run and one queued job per case, in one transaction."""
    evaluation_id = uuid.uuid4()
    # The grid the eval tools expect: one configuration, the API's model settings (workers
    # normally share them; the results' metadata records what each mashup really ran on).
    grid = Grid(backends=[settings.backend], models=[settings.model], seeds=[settings.seed])
    names = default_scorers(settings)
    limits = load_thresholds(**ds.thresholds)
    config = {
        "dataset": ds.model_dump(mode="json"), "grid": grid.model_dump(mode="json"), "scorers": names,
        "required": required_scorers(names), "cache": False, "concurrency": None, "baseline": None,
        "settings": settings.model_dump(mode="json", include=RECORDED_SETTINGS),
        "service": {"evaluation": str(evaluation_id), "user_id": user_id},
    }
    run_name = name or f"{ds.name}-api-{datetime.now(UTC):%Y%m%d-%H%M%S}-{evaluation_id.hex[:4]}"
    cases = [c.model_dump(mode="json") for c in ds.cases]
    job_ids = [uuid.uuid4() for _ in cases]
    try:
        return _insert(engine, evaluation_id, user_id, ds, run_name, config, limits, cases, job_ids), job_ids
    except IntegrityError as exc:  # eval run names are unique, and two requests may race for one
        if "name" not in str(exc.orig):
            raise
        raise Conflict(f"name: an eval run named {run_name!r} exists already") from None


def _insert(engine, evaluation_id, user_id, ds, run_name, config, limits, cases, job_ids) -> Row:
    with store_engine.connect(engine) as conn, conn.begin():
        conn.execute(insert(EvalRun).values(
            id=evaluation_id, name=run_name, dataset=ds.name, dataset_sha256=ds.sha256, config=config,
            thresholds=limits.model_dump(), planned=len(cases), status="running",
        ))
        row = conn.execute(insert(evaluations).values(
            id=evaluation_id, user_id=user_id, dataset=ds.name, cases=cases, status="running",
        ).returning(evaluations)).one()
        conn.execute(insert(jobs), [
            {"id": job_id, "user_id": user_id, "request": case["request"], "request_sha256": digest(case["request"]),
             "status": "queued", "evaluation_id": evaluation_id, "case_id": case["id"]}
            for job_id, case in zip(job_ids, cases, strict=True)
        ])
    return row


def get(engine: Engine, evaluation_id: uuid.UUID, user_id: int | None = None) -> Row:
    """One evaluation (only the user's own when ``user_id`` is given)."""
    query = select(evaluations).where(evaluations.c.id == evaluation_id)
    if user_id is not None:
        query = query.where(evaluations.c.user_id == user_id)
    with store_engine.connect(engine) as conn:
        row = conn.execute(query).first()
    if row is None:
        raise JobNotFound(f"id: no evaluation {evaluation_id}")
    return row


def case_jobs(engine: Engine, evaluation_id: uuid.UUID) -> list[Row]:
    """The evaluation's jobs, in case order."""
    with store_engine.connect(engine) as conn:
        return list(conn.execute(select(jobs).where(jobs.c.evaluation_id == evaluation_id).order_by(jobs.c.case_id)))


def job_ended(engine: Engine, job_id: uuid.UUID) -> None:
    """After a job ends: if it is an evaluation's case, score and record it (and judge the evaluation)."""
    with store_engine.connect(engine) as conn:
        evaluation_id = conn.execute(select(jobs.c.evaluation_id).where(jobs.c.id == job_id)).scalar_one_or_none()
    if evaluation_id is not None:
        refresh(engine, evaluation_id)


def refresh(engine: Engine, evaluation_id: uuid.UUID, status: str = "completed") -> None:
    """Record a result for every ended case that has none yet; finish the evaluation once all have one.

    Recording is idempotent (one result per case), so a worker that died between ending a job and
    scoring it is made good by the next refresh: the next case's worker, or any GET.
    """
    store = EvalStore(engine)
    run = store.get_run(evaluation_id)
    recorded = {key[0] for key in store.finished_keys(evaluation_id)}
    ev = get(engine, evaluation_id)
    cases = {c["id"]: Case.model_validate(c) for c in ev.cases}
    for job in case_jobs(engine, evaluation_id):
        if job.status in TERMINAL and job.case_id not in recorded:
            store.record_result(evaluation_id, _result(engine, run, cases[job.case_id], job))
            recorded.add(job.case_id)
    if len(recorded) >= len(cases) and ev.status == "running":
        _finish(engine, store, evaluation_id, status)


def abandon(engine: Engine, evaluation_id: uuid.UUID, job_ids: list[uuid.UUID], error: str) -> None:
    """The queue refused the cases: fail the ones not queued and end the evaluation as failed."""
    with store_engine.connect(engine) as conn, conn.begin():
        conn.execute(update(jobs).where(jobs.c.id.in_(job_ids), jobs.c.status == "queued")
                     .values(status="failed", error=error, finished_at=func.now()))
    refresh(engine, evaluation_id, status="failed")


def _result(engine: Engine, run, case: Case, job: Row) -> ResultRecord:
    """The case's ResultRecord, scored as the eval runner scores one (failed jobs score nothing)."""
    config_key = Grid.model_validate(run.config["grid"]).configurations()[0].key
    names = [n for n in run.config["scorers"] if n in registry]
    mashup, calls = None, 0
    if job.session_id is not None:
        with store_engine.connect(engine) as conn:
            # Each attempt of an agent is one model call: the runner's count without its cache.
            calls = conn.execute(select(func.coalesce(func.sum(AgentRunRow.attempts), 0))
                                 .where(AgentRunRow.session_id == job.session_id)).scalar_one()
        if job.status == "completed":
            mashup = Store(engine).get_mashup(job.session_id)
    scored = score_case(case, mashup, names, seconds=generation_seconds(mashup, job.seconds or 0.0),
                        time_limit=Thresholds.model_validate(run.thresholds).case_seconds,
                        required=run.config["required"], llm_calls=calls)
    error = None if mashup else (job.error or f"the job ended {job.status}")
    return scored.record(config_key=config_key, repeat=0, session_id=job.session_id, error=error)


def _finish(engine: Engine, store: EvalStore, evaluation_id: uuid.UUID, status: str) -> None:
    """Judge the results, store the verdict on both rows; only one caller does it (a row lock)."""
    with store_engine.connect(engine) as conn, conn.begin():
        locked = conn.execute(select(evaluations.c.status).where(evaluations.c.id == evaluation_id)
                              .with_for_update()).scalar_one()
        if locked != "running":
            return
        run = store.get_run(evaluation_id)
        summary = summarise(store.result_rows(evaluation_id), Thresholds.model_validate(run.thresholds))
        v, aggregates = summary.verdict, summary.aggregates
        # The eval run first (its own connection): a crash between the two leaves the evaluation
        # running, and the next refresh finishes it again with the same figures.
        store.finish_run(evaluation_id, aggregates, v.label, status=status)
        conn.execute(update(evaluations).where(evaluations.c.id == evaluation_id).values(
            status=status, finished_at=func.now(),
            verdict={"label": v.label, "passed": v.passed, "checks": aggregates["checks"],
                     "overall": aggregates["overall"]},
        ))


def results(engine: Engine, evaluation_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    """The recorded results by case id."""
    with store_engine.connect(engine) as conn:
        rows = conn.execute(select(*EvalResult.__table__.c).where(EvalResult.run_id == evaluation_id)).mappings()
        return {r["case_id"]: dict(r) for r in rows}
