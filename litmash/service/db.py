"""The service's database: the store's engine, plus the service's own migration chain."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from litmash.config import Settings
from litmash.service.tables import SCHEMA
from litmash.store import engine as store_engine

MIGRATIONS = Path(__file__).parent / "migrations"
# Every process upgrading the service schema of one database serialises on this key.
_LOCK_KEY = 0x6C6D5F73657276  # "lm_serv"
_migrated: set[str] = set()


def alembic_config() -> Config:
    """Alembic configuration of the service's chain."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest service revision shipped with litmash."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The service revision the database is at (None before the first migration)."""
    with store_engine.connect(engine) as conn:
        return MigrationContext.configure(conn, opts={"version_table_schema": SCHEMA}).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the service schema (and the procrastinate queue's) to head; safe from many processes."""
    with store_engine.connect(engine) as conn, conn.begin():
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        # Alembic writes its version table before the first revision runs: the schema must exist.
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def downgrade(engine: Engine) -> None:
    """Remove the service's tables and the queue schema (tests and manual repair only)."""
    with store_engine.connect(engine) as conn, conn.begin():
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")


def get_engine(settings: Settings) -> Engine:
    """The store's process-wide engine, with the service schema migrated once per process."""
    engine = store_engine.get_engine(settings)
    url = engine.url.render_as_string(hide_password=False)
    if url not in _migrated:
        migrate(engine)
        _migrated.add(url)
    return engine
