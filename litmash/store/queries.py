"""Reading the store back: sessions, their summaries and the list filters, mashups, agent runs, prompts.

``filter_sessions`` is the one place the list filters (genre, level, context, full text, status) are
written; ``Store.list_sessions`` and the service's job list both narrow their queries with it.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, get_args

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Select, and_, case, func, literal, select

from litmash.domain.mashup import AgentRun, Mashup, PromptRef
from litmash.domain.request import EducationalContext, MashupRequest, SkillLevel
from litmash.knowledge import knowledge
from litmash.store import engine as eng
from litmash.store.errors import AmbiguousId, InvalidArgument, InvalidId, NotFound
from litmash.store.tables import SESSION_STATUSES, AgentRunRow, Base, MashupRow, PromptVersion, Session, User

_HEX_ID = re.compile(r"[0-9a-f]{8,32}")


@dataclass(frozen=True)
class SessionSummary:
    """One row of ``Store.list_sessions``: a run and, if it finished, its mashup's headline."""

    id: uuid.UUID
    status: str  # 'interrupted' also when a running session stopped sending heartbeats
    title: str | None
    genres: list[str]
    skill_level: str
    context: str
    user: str
    backend: str
    model: str
    seed: int | None
    started_at: datetime
    finished_at: datetime | None
    total_seconds: float | None
    error: str | None

    @property
    def short_id(self) -> str:
        """The first 8 hex digits: enough for ``get_mashup`` in practice."""
        return self.id.hex[:8]


def filter_sessions(
    query: Select,
    *,
    genre: str | None = None,
    level: str | None = None,
    context: str | None = None,
    text: str | None = None,
    status: str | None = None,
    level_of: ColumnElement[Any] = MashupRow.skill_level,
    context_of: ColumnElement[Any] = MashupRow.context,
    status_of: ColumnElement[Any] = Session.status,
    where: Iterable[ColumnElement[bool]] = (),
) -> Select:
    """``query`` (which must outer-join ``MashupRow``) narrowed by the list filters and ``where``.

    ``genre`` matches any name of the genre, case-insensitively, in the stored blend; ``text`` is a
    full-text query (web-search syntax, no stemming) over title and lyrics; ``level``, ``context``
    and ``status`` compare with the ``*_of`` expressions (by default the stored mashup's level and
    context and the session's status). None (and a blank ``text``) filters nothing.
    """
    conditions = list(where)
    if genre is not None:
        # Any name of the genre finds it ('hip-hop', 'rap' -> 'hip hop', as the blend stores it).
        known = knowledge().find(genre)
        names = {genre.strip().lower(), *([known.name.lower()] if known else [])}
        conditions.append(MashupRow.genres.overlap(sorted(names)))
    if level is not None:
        conditions.append(level_of == level)
    if context is not None:
        conditions.append(context_of == context)
    if text is not None and text.strip():
        conditions.append(MashupRow.search.op("@@")(func.websearch_to_tsquery("simple", text)))
    if status is not None:
        conditions.append(status_of == status)
    return query.where(*conditions)


def _choice(value: str | None, allowed: tuple[str, ...], field: str) -> str | None:
    if value is not None and value not in allowed:
        raise InvalidArgument(f"{field} must be one of {', '.join(allowed)}; got {value!r}")
    return value


class Reads:
    """The reading half of ``Store`` (which sets ``engine`` and ``stale_after``)."""

    engine: Engine
    stale_after: float

    def resolve_id(self, id: str | uuid.UUID) -> uuid.UUID:
        """The session UUID for a full id or a unique prefix of at least 8 hex digits."""
        if isinstance(id, uuid.UUID):
            return id
        digits = str(id).strip().lower().replace("-", "")
        if not _HEX_ID.fullmatch(digits):
            raise InvalidId(f"invalid id {id!r}: expected a session UUID or at least its first 8 hex digits")
        if len(digits) == 32:
            return uuid.UUID(digits)
        # UUIDs sort like their hex text, so a prefix is a primary-key range.
        low, high = uuid.UUID(digits.ljust(32, "0")), uuid.UUID(digits.ljust(32, "f"))
        with eng.connect(self.engine) as conn:
            ids = (
                conn.execute(select(Session.id).where(Session.id.between(low, high)).limit(2)).scalars().all()
            )
        if not ids:
            raise NotFound(f"no session with id {id!r}")
        if len(ids) > 1:
            raise AmbiguousId(f"id {id!r} matches several sessions; give more digits")
        return ids[0]

    def request(self, id: str | uuid.UUID) -> MashupRequest:
        """The request a session was started with."""
        session_id = self.resolve_id(id)
        with eng.connect(self.engine) as conn:
            found = conn.execute(select(Session.request).where(Session.id == session_id)).scalar_one_or_none()
        if found is None:
            raise NotFound(f"no session with id {session_id}")
        return MashupRequest.model_validate(found)

    def get_mashup(self, id: str | uuid.UUID) -> Mashup:
        """The mashup of a session, by full id or unique prefix (>= 8 hex digits)."""
        session_id = self.resolve_id(id)
        with eng.connect(self.engine) as conn:
            row = conn.execute(
                select(Session.status, MashupRow.mashup)
                .outerjoin(MashupRow, MashupRow.session_id == Session.id)
                .where(Session.id == session_id)
            ).first()
        if row is None:
            raise NotFound(f"no session with id {session_id}")
        if row.mashup is None:
            raise NotFound(f"session {session_id} has no mashup (status: {row.status})")
        return Mashup.model_validate(row.mashup)

    def _status_expr(self):
        stale = and_(
            Session.status == "running",
            Session.heartbeat_at < func.now() - literal(timedelta(seconds=self.stale_after)),
        )
        return case((stale, "interrupted"), else_=Session.status)

    def _summary_query(self) -> Select:
        return (
            select(
                Session.id,
                self._status_expr().label("status"),
                MashupRow.title,
                func.coalesce(MashupRow.genres, literal([], type_=MashupRow.genres.type)).label("genres"),
                func.coalesce(MashupRow.skill_level, Session.request["skill_level"].astext).label(
                    "skill_level"
                ),
                func.coalesce(MashupRow.context, Session.request["educational_context"].astext).label(
                    "context"
                ),
                User.name.label("user"),
                Session.backend,
                Session.model,
                Session.seed,
                Session.started_at,
                Session.finished_at,
                Session.total_seconds,
                Session.error,
            )
            .join(User, User.id == Session.user_id)
            .outerjoin(MashupRow, MashupRow.session_id == Session.id)
            .order_by(Session.started_at.desc(), Session.id)
        )

    def _summaries(self, query: Select, limit: int | None) -> list[SessionSummary]:
        with eng.connect(self.engine) as conn:
            return [SessionSummary(**row._asdict()) for row in conn.execute(query.limit(limit))]

    def get_session(self, id: str | uuid.UUID) -> SessionSummary:
        """The summary row of one session (any status)."""
        session_id = self.resolve_id(id)
        rows = self._summaries(self._summary_query().where(Session.id == session_id), limit=1)
        if not rows:
            raise NotFound(f"no session with id {session_id}")
        return rows[0]

    def list_sessions(
        self,
        limit: int | None = 20,
        genre: str | None = None,
        level: str | None = None,
        context: str | None = None,
        text: str | None = None,
        status: str | None = None,
    ) -> list[SessionSummary]:
        """Recent sessions first.

        ``genre``, ``level``, ``context`` and ``text`` filter on the stored mashup, so they only
        match completed sessions; ``genre`` is case-insensitive, ``text`` is a full-text query
        (web-search syntax, no stemming) over title and lyrics; ``status`` may be ``interrupted``
        for stale running sessions.
        """
        _choice(level, get_args(SkillLevel), "level")
        _choice(context, get_args(EducationalContext), "context")
        _choice(status, SESSION_STATUSES, "status")
        if limit is not None and limit < 1:
            raise InvalidArgument(f"limit must be a positive number or None; got {limit!r}")
        query = filter_sessions(self._summary_query(), genre=genre, level=level, context=context, text=text,
                                status=status, status_of=self._status_expr())
        return self._summaries(query, limit=limit)

    def history(self, limit: int | None = None, **filters: Any) -> pd.DataFrame:
        """``list_sessions`` as a pandas DataFrame (all sessions by default), one row per session."""
        rows = self.list_sessions(limit=limit, **filters)
        columns = ["id", "short_id"] + [f.name for f in dataclasses.fields(SessionSummary)][1:]
        frame = pd.DataFrame(
            [{"short_id": r.short_id, **dataclasses.asdict(r)} for r in rows], columns=columns
        )
        frame["id"] = frame["id"].astype(str)
        return frame

    def agent_runs(self, session_id: str | uuid.UUID) -> list[AgentRun]:
        """The agent executions of a session, in the order they started."""
        sid = self.resolve_id(session_id)
        r = AgentRunRow
        with eng.connect(self.engine) as conn:
            rows = conn.execute(select(r).where(r.session_id == sid).order_by(r.started_at, r.id)).all()
            if not rows and conn.execute(select(Session.id).where(Session.id == sid)).first() is None:
                raise NotFound(f"no session with id {sid}")
        return [
            AgentRun(
                agent=row.agent,
                round=row.round,
                prompt=PromptRef(name=row.prompt_name, sha256=row.prompt_sha256),
                model=row.model,
                started_at=row.started_at,
                wall_ms=row.latency_ms,
                llm_ms=row.llm_ms,
                attempts=row.attempts,
                prompt_tokens=row.prompt_tokens,
                completion_tokens=row.completion_tokens,
                status=row.status,
                raw_output=row.raw_output,
                parse_error=row.parse_error,
            )
            for row in rows
        ]

    def prompt_text(self, name: str, sha256: str) -> str:
        """The text of a prompt version as it was used."""
        with eng.connect(self.engine) as conn:
            found = conn.execute(
                select(PromptVersion.text).where(PromptVersion.name == name, PromptVersion.sha256 == sha256)
            ).scalar_one_or_none()
        if found is None:
            raise NotFound(f"no prompt version {name}@{sha256[:12]}")
        return found

    def info(self) -> dict[str, Any]:
        """Server kind, URL (no password), schema revision and row counts per table."""
        with eng.connect(self.engine) as conn:
            version = conn.execute(select(func.current_setting("server_version"))).scalar_one()
            counts = {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables
            }
        return {
            "server": "embedded" if eng.is_embedded(self.engine.url) else "external",
            "url": eng.redact(self.engine.url),
            "server_version": version,
            "revision": eng.current_revision(self.engine),
            "head": eng.head_revision(),
            "tables": counts,
        }
