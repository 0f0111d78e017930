"""Store: record generation runs and read mashups back. Core SQL, parameterised, one transaction per call."""

from __future__ import annotations

import dataclasses
import getpass
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, get_args

import pandas as pd
from sqlalchemy import Connection, Engine, and_, case, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from litmash.config import Settings
from litmash.domain.mashup import AgentRun, Mashup, PromptRef
from litmash.domain.request import EducationalContext, MashupRequest, SkillLevel
from litmash.knowledge import knowledge
from litmash.store import engine as eng
from litmash.store.errors import AmbiguousId, InvalidArgument, InvalidId, NotFound, StoreError
from litmash.store.tables import (
    SECTION_COLUMNS,
    SESSION_STATUSES,
    AgentRunRow,
    Base,
    MashupRow,
    PromptVersion,
    Session,
    User,
)

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


def current_user() -> str:
    """The OS user name (``'unknown'`` where there is none, e.g. some containers)."""
    try:
        return getpass.getuser()
    except Exception:  # getpass raises KeyError or OSError depending on the Python version
        return "unknown"


def _clean(value: Any) -> Any:
    """Drop NUL characters, the one thing PostgreSQL text and JSONB cannot hold; all else is kept."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _choice(value: str | None, allowed: tuple[str, ...], field: str) -> str | None:
    if value is not None and value not in allowed:
        raise InvalidArgument(f"{field} must be one of {', '.join(allowed)}; got {value!r}")
    return value


class Store:
    """Repository over the litmash schema.

    ``source`` is the Settings (default: from the environment), a database URL, or an Engine
    (used as given: its schema must already be at head). A ``running`` session whose last
    heartbeat is older than ``stale_after`` seconds is reported as ``interrupted``.
    """

    def __init__(self, source: Settings | Engine | str | None = None, *, stale_after: float = 600.0):
        self.engine: Engine = source if isinstance(source, Engine) else eng.get_engine(source)
        self.stale_after = stale_after

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with eng.connect(self.engine) as conn, conn.begin():
            yield conn

    # ----------------------------------------------------------------------- writing a run

    def start_session(
        self,
        request: MashupRequest,
        backend: str,
        model: str,
        seed: int | None,
        user: str | None = None,
    ) -> uuid.UUID:
        """Record a new running session (call before the first LLM call); return its id."""
        session_id = uuid.uuid4()
        name = _clean(user or current_user())
        with self._tx() as conn:
            # DO UPDATE (a no-op change) so RETURNING yields the id of an existing user too.
            user_id = conn.execute(
                pg_insert(User)
                .values(name=name)
                .on_conflict_do_update(index_elements=[User.name], set_={"name": name})
                .returning(User.id)
            ).scalar_one()
            conn.execute(
                insert(Session).values(
                    id=session_id,
                    user_id=user_id,
                    request=_clean(request.model_dump(mode="json")),
                    status="running",
                    backend=backend,
                    model=model,
                    seed=seed,
                )
            )
        return session_id

    def _touch(self, conn: Connection, session_id: uuid.UUID) -> None:
        """Refresh a running session's heartbeat; NotFound if the session does not exist."""
        found = conn.execute(
            update(Session)
            .where(Session.id == session_id)
            .values(heartbeat_at=case((Session.status == "running", func.now()), else_=Session.heartbeat_at))
            .returning(Session.id)
        ).first()
        if found is None:
            raise NotFound(f"no session with id {session_id}")

    def heartbeat(self, session_id: uuid.UUID) -> None:
        """Mark a running session as alive (see ``stale_after``)."""
        with self._tx() as conn:
            self._touch(conn, session_id)

    def record_agent_run(self, session_id: uuid.UUID, run: AgentRun, prompt_text: str) -> None:
        """Store one agent execution and, the first time it is seen, the prompt version it used."""
        with self._tx() as conn:
            self._touch(conn, session_id)  # an agent finishing is also a sign of life
            _insert_prompt_version(conn, run.prompt.name, run.prompt.sha256, prompt_text)
            conn.execute(
                insert(AgentRunRow).values(
                    session_id=session_id,
                    agent=run.agent,
                    round=run.round,
                    prompt_name=run.prompt.name,
                    prompt_sha256=run.prompt.sha256,
                    model=run.model,
                    started_at=run.started_at,
                    finished_at=run.started_at + timedelta(milliseconds=run.wall_ms),
                    latency_ms=run.wall_ms,
                    llm_ms=run.llm_ms,
                    prompt_tokens=run.prompt_tokens,
                    completion_tokens=run.completion_tokens,
                    attempts=run.attempts,
                    status=run.status,
                    raw_output=_clean(run.raw_output),
                    parse_error=_clean(run.parse_error),
                )
            )

    def _lock_open_session(self, conn: Connection, session_id: uuid.UUID) -> str:
        status = conn.execute(
            select(Session.status).where(Session.id == session_id).with_for_update()
        ).scalar_one_or_none()
        if status is None:
            raise NotFound(f"no session with id {session_id}")
        return status

    def complete_session(self, session_id: uuid.UUID, mashup: Mashup) -> None:
        """Store the mashup and mark the session completed, in one transaction."""
        data = _clean(mashup.model_dump(mode="json"))
        with self._tx() as conn:
            status = self._lock_open_session(conn, session_id)
            if status not in ("running", "interrupted"):
                raise StoreError(f"session {session_id} is {status}; only a running session can be completed")
            conn.execute(
                insert(MashupRow).values(
                    session_id=session_id,
                    title=data["title"],
                    genres=[g.name.strip().lower() for g in mashup.genre_blend],
                    skill_level=mashup.educational_content.level,
                    context=mashup.educational_content.context,
                    lyrics_text=_clean("\n".join(line for s in mashup.lyrics for line in s.lines)),
                    mashup=data,
                    metadata_=data["metadata"],
                    **{c: data[c] for c in SECTION_COLUMNS if c != "metadata"},
                )
            )
            conn.execute(
                update(Session)
                .where(Session.id == session_id)
                .values(
                    status="completed",
                    error=None,
                    finished_at=func.now(),
                    heartbeat_at=func.now(),
                    total_seconds=mashup.metadata.total_seconds,
                )
            )

    def fail_session(
        self, session_id: uuid.UUID, error: str | BaseException, *, interrupted: bool = False
    ) -> bool:
        """Mark a running session failed (or interrupted); return False if it had already ended."""
        if isinstance(error, BaseException):
            error = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        with self._tx() as conn:
            if self._lock_open_session(conn, session_id) not in ("running", "interrupted"):
                return False
            conn.execute(
                update(Session)
                .where(Session.id == session_id)
                .values(
                    status="interrupted" if interrupted else "failed",
                    error=_clean(error),
                    finished_at=func.now(),
                    total_seconds=func.extract("epoch", func.now() - Session.started_at),
                )
            )
        return True

    def reopen_session(self, session_id: uuid.UUID) -> None:
        """Mark a failed or interrupted session running again (before resuming it)."""
        with self._tx() as conn:
            status = self._lock_open_session(conn, session_id)
            if status == "completed":
                raise StoreError(f"session {session_id} is already completed; nothing to resume")
            conn.execute(
                update(Session)
                .where(Session.id == session_id)
                .values(status="running", error=None, finished_at=None, heartbeat_at=func.now())
            )

    # ----------------------------------------------------------------------- reading

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

    def _summaries(self, *where, limit: int | None) -> list[SessionSummary]:
        status = self._status_expr()
        query = (
            select(
                Session.id,
                status.label("status"),
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
            .where(*where)
            .order_by(Session.started_at.desc(), Session.id)
            .limit(limit)
        )
        with eng.connect(self.engine) as conn:
            return [SessionSummary(**row._asdict()) for row in conn.execute(query)]

    def get_session(self, id: str | uuid.UUID) -> SessionSummary:
        """The summary row of one session (any status)."""
        session_id = self.resolve_id(id)
        rows = self._summaries(Session.id == session_id, limit=1)
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
        where: list[Any] = []
        if genre is not None:
            # Any name of the genre finds it ('hip-hop', 'rap' -> 'hip hop', as the blend stores it).
            known = knowledge().find(genre)
            names = {genre.strip().lower(), *([known.name.lower()] if known else [])}
            where.append(MashupRow.genres.overlap(sorted(names)))
        if level is not None:
            where.append(MashupRow.skill_level == level)
        if context is not None:
            where.append(MashupRow.context == context)
        if text is not None and text.strip():
            where.append(MashupRow.search.op("@@")(func.websearch_to_tsquery("simple", text)))
        if status is not None:
            where.append(self._status_expr() == status)
        return self._summaries(*where, limit=limit)

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

    def save_prompt_version(self, name: str, sha256: str, text: str) -> bool:
        """Record a prompt version (e.g. saved from the prompt lab); False if it was already known."""
        with self._tx() as conn:
            return _insert_prompt_version(conn, name, sha256, text)


def _insert_prompt_version(conn: Connection, name: str, sha256: str, text: str) -> bool:
    """Store a prompt text once per (name, hash); whether it was new."""
    added = conn.execute(
        pg_insert(PromptVersion)
        .values(name=name, sha256=sha256, text=_clean(text))
        .on_conflict_do_nothing(index_elements=[PromptVersion.name, PromptVersion.sha256])
        .returning(PromptVersion.id)
    ).first()
    return added is not None
