"""service: API keys, jobs and their events, evaluations; the procrastinate queue schema

Revision ID: s0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "litmash_service"
QUEUE_SCHEMA = "procrastinate"
JOB_STATUSES = ("queued", "running", "completed", "failed", "cancelled", "interrupted")


def _now(name: str = "created_at") -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    op.create_table(
        "api_keys",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("user_id", sa.BigInteger, sa.ForeignKey("public.users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("prefix", sa.Text, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        _now(),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("sha256", name="uq_api_keys_sha256"),
        schema=SCHEMA,
    )
    op.create_index("ix_api_keys_user_id", "api_keys", ["user_id"], schema=SCHEMA)
    op.create_table(
        "evaluations",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("user_id", sa.BigInteger, sa.ForeignKey("public.users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("dataset", sa.Text, nullable=False),
        sa.Column("cases", pg.JSONB, nullable=False),
        sa.Column("status", sa.Text, server_default="running", nullable=False),
        sa.Column("verdict", pg.JSONB),
        _now(),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_evaluations"),
        sa.CheckConstraint("status IN ('running', 'completed', 'failed')", name="ck_evaluations_status"),
        schema=SCHEMA,
    )
    op.create_index("ix_evaluations_user_id", "evaluations", ["user_id"], schema=SCHEMA)
    op.create_table(
        "jobs",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("user_id", sa.BigInteger, sa.ForeignKey("public.users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("request", pg.JSONB, nullable=False),
        sa.Column("request_sha256", sa.Text, nullable=False),
        sa.Column("idempotency_key", sa.Text),
        sa.Column("status", sa.Text, server_default="queued", nullable=False),
        sa.Column("cancel_requested", sa.Boolean, server_default="false", nullable=False),
        # No foreign key to public.sessions: deleting old sessions must not delete the job history.
        sa.Column("session_id", pg.UUID(as_uuid=True)),
        sa.Column("queue_job_id", sa.BigInteger),
        sa.Column("evaluation_id", pg.UUID(as_uuid=True),
                  sa.ForeignKey(f"{SCHEMA}.evaluations.id", ondelete="CASCADE")),
        sa.Column("case_id", sa.Text),
        sa.Column("worker", sa.Text),
        sa.Column("attempts", sa.Integer, server_default="0", nullable=False),
        sa.Column("error", sa.Text),
        _now(),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("seconds", sa.Float),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
        sa.CheckConstraint(f"status IN {JOB_STATUSES!r}", name="ck_jobs_status"),
        sa.UniqueConstraint("user_id", "idempotency_key", name="uq_jobs_user_id_idempotency_key"),
        schema=SCHEMA,
    )
    op.create_index("ix_jobs_session_id", "jobs", ["session_id"], schema=SCHEMA)
    op.create_index("ix_jobs_evaluation_id", "jobs", ["evaluation_id"], schema=SCHEMA)
    op.create_index("ix_jobs_user_id_created_at", "jobs", ["user_id", "created_at"], schema=SCHEMA)
    op.create_index("ix_jobs_status", "jobs", ["status"], schema=SCHEMA)
    op.create_table(
        "job_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("job_id", pg.UUID(as_uuid=True), sa.ForeignKey(f"{SCHEMA}.jobs.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("data", pg.JSONB, nullable=False),
        _now(),
        sa.PrimaryKeyConstraint("id", name="pk_job_events"),
        schema=SCHEMA,
    )
    op.create_index("ix_job_events_job_id_id", "job_events", ["job_id", "id"], schema=SCHEMA)
    _create_queue_schema()


def _create_queue_schema() -> None:
    # procrastinate's own DDL, in its own schema; its connections set search_path to it. The SQL
    # is the installed procrastinate's: a later procrastinate that changes it ships migration
    # files, which a later revision of this chain applies.
    from procrastinate.schema import SchemaManager

    op.execute(f"CREATE SCHEMA IF NOT EXISTS {QUEUE_SCHEMA}")
    # The raw cursor, without parameters: the DDL's '%' signs must reach the server as written.
    cursor = op.get_bind().connection.dbapi_connection.cursor()
    cursor.execute(f"SET LOCAL search_path TO {QUEUE_SCHEMA}")
    cursor.execute(SchemaManager.get_schema())
    cursor.execute("SET LOCAL search_path TO public")


def downgrade() -> None:
    op.execute(f"DROP SCHEMA IF EXISTS {QUEUE_SCHEMA} CASCADE")
    for table in ("job_events", "jobs", "evaluations", "api_keys"):
        op.drop_table(table, schema=SCHEMA)
