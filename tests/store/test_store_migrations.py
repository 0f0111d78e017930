"""Alembic migrations: empty -> head, idempotent, reversible, and in step with tables.py."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from litmash.store import Store, upgrade
from litmash.store import engine as eng
from litmash.store.tables import Base

TABLES = {"users", "sessions", "mashups", "agent_runs", "prompt_versions", "eval_runs", "eval_results", "llm_cache"}


def _tables(url: str) -> set[str]:
    e = create_engine(url, poolclass=NullPool)
    try:
        return set(inspect(e).get_table_names())
    finally:
        e.dispose()


def test_empty_database_upgrades_to_head(db_url):
    e = create_engine(db_url, poolclass=NullPool)
    assert eng.current_revision(e) is None
    upgrade(db_url)
    assert TABLES | {"alembic_version"} == _tables(db_url)
    assert eng.current_revision(e) == eng.head_revision() == "0003"
    upgrade(db_url)  # a second run is a no-op
    assert eng.current_revision(e) == "0003"
    e.dispose()


def test_store_migrates_a_fresh_database_on_first_use(db_url):
    store = Store(db_url)
    assert store.info()["revision"] == eng.head_revision()
    assert TABLES <= _tables(db_url)


def test_downgrade_to_base_and_back(db_url):
    upgrade(db_url)
    eng.downgrade(db_url)
    assert _tables(db_url) == {"alembic_version"}
    upgrade(db_url)
    assert TABLES <= _tables(db_url)


def test_migrations_match_tables_module(db_url):
    upgrade(db_url)
    e = create_engine(db_url, poolclass=NullPool)
    with e.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    e.dispose()
    assert diff == []


def test_full_text_index_and_generated_column_exist(db_url):
    upgrade(db_url)
    e = create_engine(db_url, poolclass=NullPool)
    insp = inspect(e)
    indexes = {i["name"]: i for i in insp.get_indexes("mashups")}
    columns = {c["name"]: c for c in insp.get_columns("mashups")}
    e.dispose()
    assert {"ix_mashups_search", "ix_mashups_genres", "ix_mashups_skill_level", "ix_mashups_context"} <= set(
        indexes
    )
    assert "to_tsvector" in columns["search"]["computed"]["sqltext"]


def test_a_database_from_a_newer_litmash_is_refused_clearly(db_url):
    from sqlalchemy import create_engine, text

    from litmash.store import StoreError, get_engine

    eng.upgrade(db_url)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(StoreError, match="schema revision 9999_future, newer than this litmash knows"):
        get_engine(db_url)
