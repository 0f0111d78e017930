"""initial: users, sessions, mashups, agent_runs, prompt_versions

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _created(name: str = "created_at") -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text),
        _created(),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("request", pg.JSONB, nullable=False),
        sa.Column("status", sa.Text, server_default="running", nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("backend", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("seed", sa.BigInteger),
        _created("started_at"),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("total_seconds", sa.Float),
        _created("heartbeat_at"),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_sessions_user_id_users"),
        sa.CheckConstraint(
            "status IN ('running', 'completed', 'failed', 'interrupted')", name=op.f("ck_sessions_status")
        ),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_index("ix_sessions_started_at", "sessions", ["started_at"])
    op.create_index("ix_sessions_status", "sessions", ["status"])

    op.create_table(
        "mashups",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("session_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("genres", pg.ARRAY(sa.Text), nullable=False),
        sa.Column("skill_level", sa.Text, nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("lyrics_text", sa.Text, nullable=False),
        sa.Column(
            "search",
            pg.TSVECTOR,
            sa.Computed("to_tsvector('simple'::regconfig, title || ' ' || lyrics_text)", persisted=True),
            nullable=False,
        ),
        *[
            sa.Column(name, pg.JSONB, nullable=False)
            for name in (
                "genre_blend",
                "hooks",
                "lyrics",
                "educational_content",
                "theory_analysis",
                "cultural_context",
                "teaching_guide",
                "validation",
                "metadata",
                "mashup",
            )
        ],
        _created(),
        sa.PrimaryKeyConstraint("id", name="pk_mashups"),
        sa.UniqueConstraint("session_id", name="uq_mashups_session_id"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_mashups_session_id_sessions", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_mashups_genres", "mashups", ["genres"], postgresql_using="gin")
    op.create_index("ix_mashups_skill_level", "mashups", ["skill_level"])
    op.create_index("ix_mashups_context", "mashups", ["context"])
    op.create_index("ix_mashups_search", "mashups", ["search"], postgresql_using="gin")

    op.create_table(
        "prompt_versions",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        _created("first_seen"),
        sa.PrimaryKeyConstraint("id", name="pk_prompt_versions"),
        sa.UniqueConstraint("name", "sha256", name="uq_prompt_versions_name_sha256"),
    )
    op.create_table(
        "agent_runs",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("session_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("agent", sa.Text, nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("prompt_name", sa.Text, nullable=False),
        sa.Column("prompt_sha256", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("llm_ms", sa.Float, nullable=False),
        sa.Column("prompt_tokens", sa.Integer, nullable=False),
        sa.Column("completion_tokens", sa.Integer, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("raw_output", sa.Text),
        sa.Column("parse_error", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_agent_runs"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_agent_runs_session_id_sessions", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["prompt_name", "prompt_sha256"],
            ["prompt_versions.name", "prompt_versions.sha256"],
            name="fk_agent_runs_prompt_name_prompt_sha256_prompt_versions",
        ),
        sa.CheckConstraint("status IN ('ok', 'failed')", name=op.f("ck_agent_runs_status")),
    )
    op.create_index("ix_agent_runs_session_id", "agent_runs", ["session_id"])


def downgrade() -> None:
    for table in ("agent_runs", "prompt_versions", "mashups", "sessions", "users"):
        op.drop_table(table)
