"""The schema as SQLAlchemy 2.0 typed tables; migrations/ creates exactly this (a test checks)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    MetaData,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SESSION_STATUSES = ("running", "completed", "failed", "interrupted")

# Mashup sections kept as their own JSONB columns, so SQL can reach into one without the rest.
SECTION_COLUMNS = (
    "genre_blend",
    "hooks",
    "lyrics",
    "educational_content",
    "theory_analysis",
    "cultural_context",
    "teaching_guide",
    "validation",
    "metadata",
    "music",
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Timestamp = DateTime(timezone=True)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (migrations refer to them)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSONB, list[Any]: JSONB, datetime: Timestamp}


class User(Base):
    """Who started a generation run (default: the current OS user)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    email: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Session(Base):
    """One generation run; the row exists before the first LLM call."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint(f"status IN {SESSION_STATUSES!r}", name="status"),
        Index(None, "started_at"),
        Index(None, "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    request: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(Text, server_default="running")
    error: Mapped[str | None] = mapped_column(Text)
    backend: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(Text)
    seed: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(server_default=func.now())
    finished_at: Mapped[datetime | None]
    total_seconds: Mapped[float | None] = mapped_column(Float)
    heartbeat_at: Mapped[datetime] = mapped_column(server_default=func.now())


class MashupRow(Base):
    """The finished mashup of a session: filterable columns, each section, and the whole model."""

    __tablename__ = "mashups"
    __table_args__ = (
        Index(None, "genres", postgresql_using="gin"),
        Index(None, "skill_level"),
        Index(None, "context"),
        Index(None, "search", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("sessions.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(Text)
    genres: Mapped[list[str]] = mapped_column(ARRAY(Text))  # lower-cased names, for filtering
    skill_level: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text)
    lyrics_text: Mapped[str] = mapped_column(Text)  # all lyric lines, one per line
    # 'simple' config: no stemming or stop words, so any language (and emoji) is searchable as typed.
    search: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed("to_tsvector('simple'::regconfig, title || ' ' || lyrics_text)", persisted=True),
    )
    genre_blend: Mapped[list[Any]]
    hooks: Mapped[list[Any]]
    lyrics: Mapped[list[Any]]
    educational_content: Mapped[dict[str, Any]]
    theory_analysis: Mapped[dict[str, Any]]
    cultural_context: Mapped[list[Any]]
    teaching_guide: Mapped[dict[str, Any]]
    validation: Mapped[list[Any]]
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSONB)
    music: Mapped[dict[str, Any] | None]
    mashup: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class PromptVersion(Base):
    """A prompt template as it was used, identified by its content hash."""

    __tablename__ = "prompt_versions"
    __table_args__ = (UniqueConstraint("name", "sha256"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(server_default=func.now())


class AgentRunRow(Base):
    """One execution of one agent within a session."""

    __tablename__ = "agent_runs"
    __table_args__ = (
        ForeignKeyConstraint(
            ["prompt_name", "prompt_sha256"], ["prompt_versions.name", "prompt_versions.sha256"]
        ),
        CheckConstraint("status IN ('ok', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    agent: Mapped[str] = mapped_column(Text)
    round: Mapped[int] = mapped_column(Integer)
    prompt_name: Mapped[str] = mapped_column(Text)
    prompt_sha256: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    latency_ms: Mapped[float] = mapped_column(Float)
    llm_ms: Mapped[float] = mapped_column(Float)
    prompt_tokens: Mapped[int] = mapped_column(Integer)
    completion_tokens: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Text)
    raw_output: Mapped[str | None] = mapped_column(Text)
    parse_error: Mapped[str | None] = mapped_column(Text)


# =========================================================================== evaluation
# Owned by litmash.evaluation (migration 0002): eval runs, their per-case results, and the
# LLM response cache that makes re-running an unchanged configuration free.

EVAL_RUN_STATUSES = ("running", "completed", "failed")
EVAL_VERDICTS = ("pass", "fail")


class EvalRun(Base):
    """One evaluation run: a dataset under a grid of configurations, judged against thresholds."""

    __tablename__ = "eval_runs"
    __table_args__ = (
        CheckConstraint(f"status IN {EVAL_RUN_STATUSES!r}", name="status"),
        CheckConstraint(f"verdict IN {EVAL_VERDICTS!r}", name="verdict"),
        Index(None, "started_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    dataset: Mapped[str] = mapped_column(Text)
    dataset_sha256: Mapped[str] = mapped_column(Text)
    config: Mapped[dict[str, Any]]
    thresholds: Mapped[dict[str, Any]]
    planned: Mapped[int] = mapped_column(Integer)  # cases x configurations x repeats
    status: Mapped[str] = mapped_column(Text, server_default="running")
    verdict: Mapped[str | None] = mapped_column(Text)
    aggregates: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    started_at: Mapped[datetime] = mapped_column(server_default=func.now())
    finished_at: Mapped[datetime | None]


class EvalResult(Base):
    """One case of a run under one configuration and repeat: its session, scores and time."""

    __tablename__ = "eval_results"
    __table_args__ = (
        UniqueConstraint("run_id", "case_id", "config_key", "repeat"),
        CheckConstraint("status IN ('completed', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    run_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("eval_runs.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[str] = mapped_column(Text)
    config_key: Mapped[str] = mapped_column(Text)
    repeat: Mapped[int] = mapped_column(Integer)
    # SET NULL: deleting old sessions must not erase the evaluation history that scored them.
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("sessions.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    scores: Mapped[dict[str, Any]]
    success: Mapped[bool]
    seconds: Mapped[float] = mapped_column(Float)
    llm_calls: Mapped[int] = mapped_column(Integer)
    cache_hits: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class LLMCacheEntry(Base):
    """A cached LLM reply, keyed by a hash of (backend, model, parameters, schema, seed) and the prompt."""

    __tablename__ = "llm_cache"

    key: Mapped[str] = mapped_column(Text, primary_key=True)  # sha256 hex of llm + prompt
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)  # generation index in the reply
    llm: Mapped[str] = mapped_column(Text)
    prompt: Mapped[str] = mapped_column(Text)
    response: Mapped[str] = mapped_column(Text)  # langchain_core.load.dumps of the generation
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
