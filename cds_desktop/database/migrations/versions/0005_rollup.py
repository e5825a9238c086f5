"""rollup: receiving mode (sources, figures snapshot, indicators snapshot, matches)

Local bookkeeping of a data folder that receives many communes' packages
(issue 16).  None of these tables is ever exchanged.  Self-contained (no import
from cds_desktop.models).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rollup_sources",
        sa.Column("commune_uuid", sa.String(length=36), nullable=False),
        sa.Column("commune_name", sa.Text(), nullable=False),
        sa.Column("installation", sa.String(length=36), nullable=False),
        sa.Column("package_uuid", sa.String(length=36), nullable=False),
        sa.Column("package_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("packages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("commune_uuid", name=op.f("pk_rollup_sources")),
    )
    op.create_table(
        "rollup_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_uuid", sa.String(length=36), nullable=False),
        sa.Column("plan_uuid", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("pillar", sa.String(length=10), nullable=False),
        sa.Column("indicators_total", sa.Integer(), nullable=False),
        sa.Column("indicators_met", sa.Integer(), nullable=False),
        sa.Column("tasks_total", sa.Integer(), nullable=False),
        sa.Column("tasks_done", sa.Integer(), nullable=False),
        sa.Column("tasks_overdue", sa.Integer(), nullable=False),
        sa.Column("reports_missing", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_figures")),
    )
    with op.batch_alter_table("rollup_figures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rollup_figures_commune_uuid"), ["commune_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_rollup_figures_plan_uuid"), ["plan_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_rollup_figures_year"), ["year"], unique=False)
    op.create_table(
        "rollup_indicators",
        sa.Column("item_uuid", sa.String(length=36), nullable=False),
        sa.Column("commune_uuid", sa.String(length=36), nullable=False),
        sa.Column("plan_uuid", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("pillar", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("target_text", sa.Text(), nullable=False),
        sa.Column("target_unit", sa.String(length=20), nullable=False),
        sa.Column("match_key", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("evaluation", sa.String(length=20), nullable=False),
        sa.Column("figure_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("item_uuid", name=op.f("pk_rollup_indicators")),
    )
    with op.batch_alter_table("rollup_indicators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rollup_indicators_commune_uuid"), ["commune_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_rollup_indicators_plan_uuid"), ["plan_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_rollup_indicators_year"), ["year"], unique=False)
        batch_op.create_index(batch_op.f("ix_rollup_indicators_match_key"), ["match_key"], unique=False)
    op.create_table(
        "rollup_matches",
        sa.Column("item_uuid", sa.String(length=36), nullable=False),
        sa.Column("shared_key", sa.Text(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("item_uuid", name=op.f("pk_rollup_matches")),
    )


def downgrade() -> None:
    op.drop_table("rollup_matches")
    with op.batch_alter_table("rollup_indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rollup_indicators_match_key"))
        batch_op.drop_index(batch_op.f("ix_rollup_indicators_year"))
        batch_op.drop_index(batch_op.f("ix_rollup_indicators_plan_uuid"))
        batch_op.drop_index(batch_op.f("ix_rollup_indicators_commune_uuid"))
    op.drop_table("rollup_indicators")
    with op.batch_alter_table("rollup_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rollup_figures_year"))
        batch_op.drop_index(batch_op.f("ix_rollup_figures_plan_uuid"))
        batch_op.drop_index(batch_op.f("ix_rollup_figures_commune_uuid"))
    op.drop_table("rollup_figures")
    op.drop_table("rollup_sources")
