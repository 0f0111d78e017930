"""Eval runs and results in PostgreSQL (tables eval_runs and eval_results, migration 0002)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

import pandas as pd
from pydantic import BaseModel
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from litmash.config import Settings
from litmash.store import engine as eng
from litmash.store.errors import AmbiguousId, NotFound
from litmash.store.tables import AgentRunRow, EvalResult, EvalRun

_HEX = re.compile(r"[0-9a-f]{8,32}")


class RunRecord(BaseModel):
    """An eval run as stored."""

    id: uuid.UUID
    name: str
    dataset: str
    dataset_sha256: str
    config: dict[str, Any]
    thresholds: dict[str, Any]
    planned: int
    status: str
    verdict: str | None
    aggregates: dict[str, Any] | None
    started_at: datetime
    finished_at: datetime | None

    @property
    def short_id(self) -> str:
        """The first 8 hex digits of the id."""
        return self.id.hex[:8]


class ResultRecord(BaseModel):
    """One scored case of a run, as written by the runner."""

    case_id: str
    config_key: str
    repeat: int
    session_id: uuid.UUID | None
    status: str
    error: str | None = None
    scores: dict[str, dict[str, Any]]
    success: bool
    seconds: float
    llm_calls: int = 0
    cache_hits: int = 0


class EvalStore:
    """Reads and writes eval runs; ``source`` is Settings, a URL or an Engine (as for ``Store``)."""

    def __init__(self, source: Settings | Engine | str | None = None):
        self.engine: Engine = source if isinstance(source, Engine) else eng.get_engine(source)

    def create_run(
        self, name: str, dataset: str, dataset_sha256: str, config: dict, thresholds: dict, planned: int
    ) -> uuid.UUID:
        """Record a new running eval run; return its id."""
        run_id = uuid.uuid4()
        with eng.connect(self.engine) as conn, conn.begin():
            conn.execute(insert(EvalRun).values(
                id=run_id, name=name, dataset=dataset, dataset_sha256=dataset_sha256, config=config,
                thresholds=thresholds, planned=planned, status="running",
            ))
        return run_id

    def reopen(self, run_id: uuid.UUID, planned: int) -> None:
        """Mark a run running again (a resume), clearing its verdict until it finishes."""
        with eng.connect(self.engine) as conn, conn.begin():
            conn.execute(update(EvalRun).where(EvalRun.id == run_id).values(
                status="running", verdict=None, finished_at=None, planned=planned))

    def finished_keys(self, run_id: uuid.UUID) -> set[tuple[str, str, int]]:
        """(case, config, repeat) of every result the run already has: what a resume skips."""
        with eng.connect(self.engine) as conn:
            rows = conn.execute(
                select(EvalResult.case_id, EvalResult.config_key, EvalResult.repeat).where(EvalResult.run_id == run_id)
            ).all()
        return {tuple(r) for r in rows}

    def record_result(self, run_id: uuid.UUID, result: ResultRecord) -> bool:
        """Store one result; False when the run already had it (two resumes racing)."""
        with eng.connect(self.engine) as conn, conn.begin():
            row = conn.execute(
                pg_insert(EvalResult).values(run_id=run_id, **result.model_dump(mode="json"))
                .on_conflict_do_nothing().returning(EvalResult.id)
            ).first()
        return row is not None

    def finish_run(self, run_id: uuid.UUID, aggregates: dict, verdict: str, status: str = "completed") -> None:
        """Store the run's aggregates and verdict and mark it finished."""
        with eng.connect(self.engine) as conn, conn.begin():
            conn.execute(update(EvalRun).where(EvalRun.id == run_id).values(
                aggregates=aggregates, verdict=verdict, status=status, finished_at=func.now()))

    def fail_run(self, run_id: uuid.UUID) -> None:
        """Mark a run that stopped before finishing (its results so far are kept for a resume)."""
        with eng.connect(self.engine) as conn, conn.begin():
            conn.execute(update(EvalRun).where(EvalRun.id == run_id, EvalRun.status == "running").values(
                status="failed", finished_at=func.now()))

    # ----------------------------------------------------------------------- reading

    def resolve(self, run: str | uuid.UUID) -> uuid.UUID:
        """A run id from its full id, a unique prefix of 8+ hex digits, or its name."""
        if isinstance(run, uuid.UUID):
            return run
        text = str(run).strip()
        digits = text.lower().replace("-", "")
        with eng.connect(self.engine) as conn:
            by_name = conn.execute(select(EvalRun.id).where(EvalRun.name == text)).scalar_one_or_none()
            if by_name is not None:
                return by_name
            if not _HEX.fullmatch(digits):
                raise NotFound(f"no eval run named {text!r}")
            low, high = uuid.UUID(digits.ljust(32, "0")), uuid.UUID(digits.ljust(32, "f"))
            ids = conn.execute(select(EvalRun.id).where(EvalRun.id.between(low, high)).limit(2)).scalars().all()
        if not ids:
            raise NotFound(f"no eval run with id {text!r}")
        if len(ids) > 1:
            raise AmbiguousId(f"eval run id {text!r} is ambiguous; give more digits")
        return ids[0]

    def get_run(self, run: str | uuid.UUID) -> RunRecord:
        """One run by id, id prefix or name."""
        run_id = self.resolve(run)
        with eng.connect(self.engine) as conn:
            row = conn.execute(select(*EvalRun.__table__.c).where(EvalRun.id == run_id)).mappings().first()
        if row is None:
            raise NotFound(f"no eval run with id {run_id}")
        return RunRecord.model_validate(dict(row))

    def list_runs(self, dataset: str | None = None, limit: int | None = 20) -> list[RunRecord]:
        """Recent runs first, optionally of one dataset."""
        query = select(*EvalRun.__table__.c).order_by(EvalRun.started_at.desc()).limit(limit)
        if dataset:
            query = query.where(EvalRun.dataset == dataset)
        with eng.connect(self.engine) as conn:
            return [RunRecord.model_validate(dict(r)) for r in conn.execute(query).mappings()]

    def result_rows(self, run: str | uuid.UUID) -> list[dict[str, Any]]:
        """The run's results as dicts, in case order."""
        run_id = self.resolve(run)
        query = (select(*EvalResult.__table__.c).where(EvalResult.run_id == run_id)
                 .order_by(EvalResult.case_id, EvalResult.config_key, EvalResult.repeat))
        with eng.connect(self.engine) as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def agent_times(self, run: str | uuid.UUID) -> pd.DataFrame:
        """Seconds each agent took in each of the run's generations (agent, round, seconds, llm_seconds)."""
        run_id = self.resolve(run)
        query = (
            select(EvalResult.case_id, EvalResult.config_key, AgentRunRow.agent, AgentRunRow.round,
                   (AgentRunRow.latency_ms / 1000).label("seconds"), (AgentRunRow.llm_ms / 1000).label("llm_seconds"))
            .join(AgentRunRow, AgentRunRow.session_id == EvalResult.session_id)
            .where(EvalResult.run_id == run_id)
        )
        with eng.connect(self.engine) as conn:
            return pd.DataFrame([dict(r) for r in conn.execute(query).mappings()],
                                columns=["case_id", "config_key", "agent", "round", "seconds", "llm_seconds"])


def results_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Result rows as a DataFrame: one row per result, each scorer as ``<name>`` (value) and ``<name>.passed``."""
    base = ["case_id", "config_key", "repeat", "session_id", "status", "success", "seconds",
            "llm_calls", "cache_hits", "error"]
    names = sorted({n for r in rows for n in r["scores"]})
    records = []
    for r in rows:
        rec = {k: r[k] for k in base}
        for n in names:
            s = r["scores"].get(n)
            rec[n] = s["value"] if s else None
            rec[f"{n}.passed"] = s["passed"] if s else None
        records.append(rec)
    return pd.DataFrame(records, columns=base + [c for n in names for c in (n, f"{n}.passed")])
