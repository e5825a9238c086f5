"""plans.tracking_start: the day the officer starts tracking a plan

A plan imported late in the year (the officer starts using the app in November)
must not count every period since January as missing and every earlier deadline
as overdue.  ``tracking_start`` is that day; empty means the plan's issue date.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("tracking_start", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("tracking_start")
