"""music: the computed music block of a mashup as its own JSONB column

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: mashups stored before the music block existed have none.
    op.add_column("mashups", sa.Column("music", pg.JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column("mashups", "music")
