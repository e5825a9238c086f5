"""user_roles: who may see and change which commune's data on a shared database

One row per login (``models.access``).  On PostgreSQL the commune-owned tables also get
row-level security (``database.access_rls``): the database login role is the identity.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], name=op.f("fk_user_roles_commune_id_communes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_roles")),
        sa.UniqueConstraint("login", name=op.f("uq_user_roles_login")),
    )
    if op.get_bind().dialect.name == "postgresql":
        from cds_desktop.database.access_rls import enable_sql

        for statement in enable_sql():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        from cds_desktop.database.access_rls import disable_sql

        for statement in disable_sql():
            op.execute(statement)
    op.drop_table("user_roles")
