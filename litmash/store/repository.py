"""Store: record generation runs and read mashups back. Core SQL, parameterised, one transaction per call."""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, case, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from litmash.config import Settings
from litmash.domain.mashup import AgentRun, Mashup
from litmash.domain.request import MashupRequest
from litmash.store import engine as eng
from litmash.store.errors import NotFound, StoreError
from litmash.store.queries import Reads
from litmash.store.tables import SECTION_COLUMNS, AgentRunRow, MashupRow, PromptVersion, Session, User


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


class Store(Reads):
    """Repository over the litmash schema: the writes here, the reads in ``queries.Reads``.

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
