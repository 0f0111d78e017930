"""The service's tables, in their own PostgreSQL schema (``litmash_service``) beside the store's.

A separate schema keeps the store's tables, its migrations and their tests untouched; its own
Alembic chain (``service/migrations``) creates exactly these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    Identity,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from litmash.store.tables import NAMING

SCHEMA = "litmash_service"
QUEUE_SCHEMA = "procrastinate"
JOB_STATUSES = ("queued", "running", "completed", "failed", "cancelled", "interrupted")
OPEN_STATUSES = ("queued", "running", "interrupted")
EVALUATION_STATUSES = ("running", "completed", "failed")

metadata = MetaData(schema=SCHEMA, naming_convention=NAMING)


def _now(name: str) -> Column:
    return Column(name, DateTime(timezone=True), server_default=func.now(), nullable=False)


api_keys = Table(
    "api_keys", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("user_id", BigInteger, nullable=False, index=True),  # public.users.id
    Column("prefix", Text, nullable=False),  # the key's first characters, to tell keys apart
    Column("sha256", Text, nullable=False, unique=True),  # the key itself is never stored
    _now("created_at"),
    Column("revoked_at", DateTime(timezone=True)),
)

evaluations = Table(
    "evaluations", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("user_id", BigInteger, nullable=False, index=True),
    Column("dataset", Text, nullable=False),
    Column("cases", JSONB, nullable=False),  # [{id, request}] as submitted or loaded
    Column("status", Text, nullable=False, server_default="running"),
    Column("verdict", JSONB),
    _now("created_at"),
    Column("finished_at", DateTime(timezone=True)),
    CheckConstraint(f"status IN {EVALUATION_STATUSES!r}", name="status"),
)

jobs = Table(
    "jobs", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("user_id", BigInteger, nullable=False),
    Column("request", JSONB, nullable=False),
    Column("request_sha256", Text, nullable=False),
    Column("idempotency_key", Text),
    Column("status", Text, nullable=False, server_default="queued"),
    Column("cancel_requested", Boolean, nullable=False, server_default="false"),
    Column("session_id", UUID(as_uuid=True), index=True),  # public.sessions.id once the run starts
    Column("queue_job_id", BigInteger),  # procrastinate's job id
    Column("evaluation_id", UUID(as_uuid=True), index=True),
    Column("case_id", Text),
    Column("worker", Text),  # host:pid of the worker that last ran it
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("error", Text),
    _now("created_at"),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("seconds", Float),
    CheckConstraint(f"status IN {JOB_STATUSES!r}", name="status"),
    UniqueConstraint("user_id", "idempotency_key"),
    Index(None, "user_id", "created_at"),
    Index(None, "status"),
)

job_events = Table(
    "job_events", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),  # the SSE event id (Last-Event-ID)
    Column("job_id", UUID(as_uuid=True), nullable=False),
    Column("kind", Text, nullable=False),
    Column("data", JSONB, nullable=False),
    _now("created_at"),
    Index(None, "job_id", "id"),
)
