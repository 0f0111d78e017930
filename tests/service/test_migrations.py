"""The service's migration chain: through the store's one migration helper, with its guard against newer databases."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from litmash.config import Settings
from litmash.service import db
from litmash.service.tables import SCHEMA
from litmash.store import StoreError, create_database, drop_database
from litmash.store import engine as eng


@pytest.fixture
def fresh_url(pg_server):
    """A new, empty database (not the session stack's), dropped after the test."""
    url = create_database(pg_server)
    yield url
    drop_database(url)


def test_a_fresh_database_gets_the_service_chain_at_head(fresh_url):
    engine = db.get_engine(Settings(database_url=fresh_url))
    assert db.current_revision(engine) == db.head_revision()
    assert eng.current_revision(engine) == eng.head_revision()
    db.migrate(engine)  # a second run is a no-op
    assert db.current_revision(engine) == db.head_revision()


def test_a_database_with_a_newer_service_revision_is_refused_clearly(fresh_url):
    eng.upgrade(fresh_url)  # the store's chain is current: only the service's is from the future
    raw = create_engine(fresh_url, poolclass=NullPool)
    with raw.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        conn.execute(text(f"CREATE TABLE {SCHEMA}.alembic_version (version_num varchar(32) PRIMARY KEY)"))
        conn.execute(text(f"INSERT INTO {SCHEMA}.alembic_version VALUES ('s9999_future')"))
    with pytest.raises(StoreError) as caught:
        db.get_engine(Settings(database_url=fresh_url))
    message = str(caught.value)
    assert "\n" not in message
    assert "service schema revision s9999_future, newer than this litmash knows" in message
    assert f"(head {db.head_revision()})" in message
    assert "jobs" not in inspect(raw).get_table_names(schema=SCHEMA)  # refused before any revision ran
    raw.dispose()
