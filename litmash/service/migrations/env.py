"""Alembic environment of the service's own chain; ``litmash.service.db.migrate`` passes the connection."""

from __future__ import annotations

from alembic import context

from litmash.service.tables import SCHEMA, metadata

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=metadata, version_table_schema=SCHEMA, include_schemas=True,
    include_name=lambda name, kind, parent: kind != "schema" or name == SCHEMA,
)
with context.begin_transaction():
    context.run_migrations()
