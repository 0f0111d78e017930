"""evaluation: eval_runs, eval_results and the llm_cache of LLM replies

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _now(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "eval_runs",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("dataset", sa.Text, nullable=False),
        sa.Column("dataset_sha256", sa.Text, nullable=False),
        sa.Column("config", pg.JSONB, nullable=False),
        sa.Column("thresholds", pg.JSONB, nullable=False),
        sa.Column("planned", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, server_default="running", nullable=False),
        sa.Column("verdict", sa.Text),
        sa.Column("aggregates", pg.JSONB),
        _now("started_at"),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_eval_runs"),
        sa.UniqueConstraint("name", name="uq_eval_runs_name"),
        sa.CheckConstraint("status IN ('running', 'completed', 'failed')", name=op.f("ck_eval_runs_status")),
        sa.CheckConstraint("verdict IN ('pass', 'fail')", name=op.f("ck_eval_runs_verdict")),
    )
    op.create_index("ix_eval_runs_started_at", "eval_runs", ["started_at"])

    op.create_table(
        "eval_results",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("run_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("config_key", sa.Text, nullable=False),
        sa.Column("repeat", sa.Integer, nullable=False),
        sa.Column("session_id", pg.UUID(as_uuid=True)),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("scores", pg.JSONB, nullable=False),
        sa.Column("success", sa.Boolean, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("llm_calls", sa.Integer, nullable=False),
        sa.Column("cache_hits", sa.Integer, nullable=False),
        _now("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_eval_results"),
        sa.UniqueConstraint(
            "run_id", "case_id", "config_key", "repeat", name="uq_eval_results_run_id_case_id_config_key_repeat"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["eval_runs.id"], name="fk_eval_results_run_id_eval_runs", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_eval_results_session_id_sessions", ondelete="SET NULL"
        ),
        sa.CheckConstraint("status IN ('completed', 'failed')", name=op.f("ck_eval_results_status")),
    )
    op.create_index("ix_eval_results_run_id", "eval_results", ["run_id"])
    op.create_index("ix_eval_results_session_id", "eval_results", ["session_id"])

    op.create_table(
        "llm_cache",
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("llm", sa.Text, nullable=False),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("response", sa.Text, nullable=False),
        _now("created_at"),
        sa.PrimaryKeyConstraint("key", "idx", name="pk_llm_cache"),
    )


def downgrade() -> None:
    for table in ("llm_cache", "eval_results", "eval_runs"):
        op.drop_table(table)
