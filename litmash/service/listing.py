"""The paginated mashup list: a user's jobs with their stored mashup's headline, newest first."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import get_args

from sqlalchemy import Engine, and_, or_, select

from litmash.domain.request import EducationalContext, SkillLevel
from litmash.service.errors import BadRequest
from litmash.service.responses import JobSummary
from litmash.service.tables import JOB_STATUSES, jobs
from litmash.store import engine as store_engine
from litmash.store.queries import filter_sessions
from litmash.store.tables import MashupRow


def _choice(value: str | None, allowed: tuple[str, ...], field: str) -> None:
    if value is not None and value not in allowed:
        raise BadRequest(f"{field}: must be one of {', '.join(allowed)}; got {value[:40]!r}")


def encode_cursor(created_at: datetime, job_id: uuid.UUID) -> str:
    """An opaque position after which the next page starts."""
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{job_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, _, job_id = text.partition("|")
        return datetime.fromisoformat(when), uuid.UUID(job_id)
    except ValueError:
        raise BadRequest("cursor: not a cursor from a previous page's `next`") from None


def page(
    engine: Engine, user_id: int, *, limit: int, cursor: str | None = None, genre: str | None = None,
    level: str | None = None, context: str | None = None, search: str | None = None, status: str | None = None,
) -> tuple[list[JobSummary], str | None]:
    """One page of the user's jobs and the cursor of the next page (None on the last)."""
    _choice(level, get_args(SkillLevel), "level")
    _choice(context, get_args(EducationalContext), "context")
    _choice(status, JOB_STATUSES, "status")
    after = []
    if cursor:
        when, job_id = _decode_cursor(cursor)
        after.append(or_(jobs.c.created_at < when, and_(jobs.c.created_at == when, jobs.c.id < job_id)))
    m = MashupRow
    query = select(
        jobs.c.id, jobs.c.session_id, jobs.c.status, m.title, m.genres, jobs.c.created_at, jobs.c.seconds,
        jobs.c.error, jobs.c.request["skill_level"].astext.label("skill_level"),
        jobs.c.request["educational_context"].astext.label("context"),
    ).outerjoin(m, m.session_id == jobs.c.session_id)
    # The store's list filters; level and context are the request's, so they match unfinished jobs too.
    query = filter_sessions(
        query, genre=genre or None, level=level, context=context, text=search, status=status,
        level_of=jobs.c.request["skill_level"].astext, context_of=jobs.c.request["educational_context"].astext,
        status_of=jobs.c.status, where=[jobs.c.user_id == user_id, *after],
    ).order_by(jobs.c.created_at.desc(), jobs.c.id.desc()).limit(limit + 1)
    with store_engine.connect(engine) as conn:
        rows = conn.execute(query).all()
    items = [
        JobSummary(id=r.id, session_id=r.session_id, status=r.status, title=r.title, genres=r.genres or [],
                   skill_level=r.skill_level, context=r.context, created_at=r.created_at, seconds=r.seconds,
                   error=r.error)
        for r in rows[:limit]
    ]
    more = len(rows) > limit
    return items, encode_cursor(rows[limit - 1].created_at, rows[limit - 1].id) if more else None
