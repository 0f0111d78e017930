"""Alembic environment: uses the connection litmash passes in, else builds one from the settings.

Programmatic use (what litmash does): ``engine.upgrade()`` puts a connection in
``config.attributes["connection"]``. Command-line use, for writing a new revision:
``alembic -c litmash/store/alembic.ini revision -m "..."`` (URL from ``-x url=...`` or LITMASH_*).
"""

from __future__ import annotations

from alembic import context

from litmash.store.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_server_default=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from litmash.store.engine import database_url, normalise_url

    url = context.get_x_argument(as_dictionary=True).get("url")
    engine = create_engine(normalise_url(url) if url else database_url(), poolclass=NullPool)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
