"""exchange: merge clocks and the exchange history (local bookkeeping)

``exchange_clocks`` keeps the version vector of every record merged from another
copy of the database; ``exchange_history`` lists the packages and unit report
workbooks sent and received (and remembers imported package uuids).  Neither is
ever exchanged.  Self-contained (no import from cds_desktop.models).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 05:01:00.862990
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_clocks",
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("vector", sa.JSON(), nullable=False),
        sa.Column("version_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("record_uuid", name=op.f("pk_exchange_clocks")),
    )
    op.create_table(
        "exchange_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("package_uuid", sa.String(length=36), nullable=False),
        sa.Column("peer_installation", sa.String(length=36), nullable=False),
        sa.Column("peer_name", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_history")),
        sa.UniqueConstraint("uuid", name=op.f("uq_exchange_history_uuid")),
    )
    with op.batch_alter_table("exchange_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_history_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_exchange_history_direction"), ["direction"], unique=False)
        batch_op.create_index(batch_op.f("ix_exchange_history_package_uuid"), ["package_uuid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exchange_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_history_package_uuid"))
        batch_op.drop_index(batch_op.f("ix_exchange_history_direction"))
        batch_op.drop_index(batch_op.f("ix_exchange_history_at"))
    op.drop_table("exchange_history")
    op.drop_table("exchange_clocks")
