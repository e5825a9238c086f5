"""data_version: a token that every write changes (validates the dashboard's snapshot)

One row (``counter``, random ``stamp``); on SQLite, triggers on every table bump it after
each row written, in the same transaction (see ``database.data_version``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cds_desktop.database import data_version

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        data_version.TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.execute(f"INSERT INTO {data_version.TABLE} (id, counter, stamp) VALUES (1, 0, '')")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table in data_version.tracked_tables(bind.exec_driver_sql):
            for statement in data_version.trigger_statements(table):
                op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table in data_version.tracked_tables(bind.exec_driver_sql):
            for statement in data_version.drop_statements(table):
                op.execute(statement)
    op.drop_table(data_version.TABLE)
