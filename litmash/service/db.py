"""The service's database: the store's engine, plus the service's own migration chain."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from litmash.config import Settings
from litmash.service.tables import SCHEMA
from litmash.store import engine as store_engine

MIGRATIONS = Path(__file__).parent / "migrations"
# The chain's version table lives in the service's schema; every process upgrading the service
# schema of one database serialises on its own lock key ("lm_serv"), apart from the store's.
CHAIN = store_engine.Migrations(MIGRATIONS, lock_key=0x6C6D5F73657276, schema=SCHEMA, kind="service schema")
_migrated: set[str] = set()


def head_revision() -> str:
    """The newest service revision shipped with litmash."""
    return CHAIN.head()


def current_revision(engine: Engine) -> str | None:
    """The service revision the database is at (None before the first migration)."""
    return CHAIN.current(engine)


def migrate(engine: Engine) -> None:
    """Bring the service schema (and the procrastinate queue's) to head; safe from many processes.

    A database whose service revision this litmash does not know is refused (a one-line StoreError).
    """
    CHAIN.upgrade(engine)


def downgrade(engine: Engine) -> None:
    """Remove the service's tables and the queue schema (tests and manual repair only)."""
    CHAIN.downgrade(engine)


def get_engine(settings: Settings) -> Engine:
    """The store's process-wide engine, with the service schema migrated once per process."""
    engine = store_engine.get_engine(settings)
    url = engine.url.render_as_string(hide_password=False)
    if url not in _migrated:
        migrate(engine)
        _migrated.add(url)
    return engine
