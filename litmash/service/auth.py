"""Users and API keys: a key is shown once and stored as its SHA-256 only."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from litmash.service.errors import Unauthorized
from litmash.service.tables import api_keys
from litmash.store import current_user
from litmash.store import engine as store_engine
from litmash.store.errors import InvalidArgument
from litmash.store.tables import User

KEY_PREFIX = "lmk_"


@dataclass(frozen=True)
class Caller:
    """Who is calling: the user's id and name."""

    user_id: int
    name: str


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def add_user(engine: Engine, name: str, email: str | None = None) -> int:
    """Create a user; InvalidArgument if the name is taken or empty."""
    name = name.strip()
    if not name:
        raise InvalidArgument("name: must not be empty")
    with store_engine.connect(engine) as conn, conn.begin():
        user_id = conn.execute(
            pg_insert(User).values(name=name, email=email).on_conflict_do_nothing().returning(User.id)
        ).scalar()
    if user_id is None:
        raise InvalidArgument(f"name: a user called {name!r} already exists")
    return user_id


def list_users(engine: Engine) -> list[tuple[str, int]]:
    """Every user's name and how many live keys they have."""
    live = select(func.count()).where(api_keys.c.user_id == User.id, api_keys.c.revoked_at.is_(None))
    with store_engine.connect(engine) as conn:
        return [(r[0], r[1]) for r in conn.execute(select(User.name, live.scalar_subquery()).order_by(User.name))]


def create_key(engine: Engine, user: str) -> str:
    """A new key for ``user`` (returned once; only its hash is stored)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with store_engine.connect(engine) as conn, conn.begin():
        user_id = conn.execute(select(User.id).where(User.name == user)).scalar()
        if user_id is None:
            raise InvalidArgument(f"user: no user called {user!r} (add one with `litmash users add NAME`)")
        conn.execute(insert(api_keys).values(user_id=user_id, prefix=key[:12], sha256=_hash(key)))
    return key


def revoke_key(engine: Engine, prefix: str) -> int:
    """Revoke the live keys starting with ``prefix`` (at least 8 characters); return how many."""
    if len(prefix) < 8:
        raise InvalidArgument("prefix: give at least the first 8 characters of the key")
    with store_engine.connect(engine) as conn, conn.begin():
        return conn.execute(
            update(api_keys).where(api_keys.c.prefix.startswith(prefix[:12]), api_keys.c.revoked_at.is_(None))
            .values(revoked_at=func.now())
        ).rowcount


def verify(engine: Engine, authorization: str | None) -> Caller:
    """The caller an ``Authorization: Bearer KEY`` header names; Unauthorized otherwise."""
    if not authorization:
        raise Unauthorized("Authorization: missing; send 'Authorization: Bearer KEY'")
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("Authorization: expected 'Bearer KEY'")
    with store_engine.connect(engine) as conn:
        row = conn.execute(
            select(User.id, User.name).join(api_keys, api_keys.c.user_id == User.id)
            .where(api_keys.c.sha256 == _hash(key.strip()), api_keys.c.revoked_at.is_(None))
        ).first()
    if row is None:
        raise Unauthorized("Authorization: unknown or revoked API key")
    return Caller(row.id, row.name)


def local_caller(engine: Engine) -> Caller:
    """With auth off, every request acts as the OS user running the server (created on first use)."""
    name = current_user()
    with store_engine.connect(engine) as conn, conn.begin():
        user_id = conn.execute(
            pg_insert(User).values(name=name).on_conflict_do_update(index_elements=[User.name], set_={"name": name})
            .returning(User.id)
        ).scalar_one()
    return Caller(user_id, name)
