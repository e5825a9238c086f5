"""Receiving mode (*Tổng hợp*): local bookkeeping of the communes' packages received,
a snapshot of each commune's figures, and the matches of shared indicators.

All four tables are *local* (no ``Synced`` columns, never exported, never audited):
they are derived from the communes' data or are the receiver's own choices.

- :class:`RollupSource` — one row per commune whose packages were received: the
  newest package (by its creation time) and when it came;
- :class:`RollupFigure` — per plan and pillar: indicators met / total, tasks done /
  overdue, reports missing, as of a day (recomputed after each import);
- :class:`RollupIndicator` — per indicator: its figure and evaluation, and the key
  that matches it with the same indicator of other communes;
- :class:`RollupMatch` — the receiver's confirmation or correction of a match.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cds_desktop.models.base import Base, utcnow

RECEIVING_MODE_KEY = "receiving_mode"  # Setting: true when this data folder receives communes' packages

# Pillars (trụ cột); "other" for items filed under no pillar.
PILLAR_GOVERNMENT = "cqs"
PILLAR_ECONOMY = "kts"
PILLAR_SOCIETY = "xhs"
PILLAR_OTHER = "other"
PILLARS: dict[str, str] = {
    PILLAR_GOVERNMENT: "Chính quyền số",
    PILLAR_ECONOMY: "Kinh tế số",
    PILLAR_SOCIETY: "Xã hội số",
    PILLAR_OTHER: "Chung",
}


class RollupSource(Base):
    """A commune whose data came through a received package (read-only in receiving mode)."""

    __tablename__ = "rollup_sources"

    commune_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    commune_name: Mapped[str] = mapped_column(Text, default="")
    installation: Mapped[str] = mapped_column(String(36), default="")
    package_uuid: Mapped[str] = mapped_column(String(36), default="")
    package_created_at: Mapped[datetime | None] = mapped_column(default=None)  # newest package received
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    file_name: Mapped[str] = mapped_column(Text, default="")
    packages: Mapped[int] = mapped_column(Integer, default=0)  # packages received from it


class RollupFigure(Base):
    """A commune plan's figures for one pillar, as of a day."""

    __tablename__ = "rollup_figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_uuid: Mapped[str] = mapped_column(String(36), index=True)
    plan_uuid: Mapped[str] = mapped_column(String(36), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    pillar: Mapped[str] = mapped_column(String(10))
    indicators_total: Mapped[int] = mapped_column(Integer, default=0)
    indicators_met: Mapped[int] = mapped_column(Integer, default=0)
    tasks_total: Mapped[int] = mapped_column(Integer, default=0)
    tasks_done: Mapped[int] = mapped_column(Integer, default=0)
    tasks_overdue: Mapped[int] = mapped_column(Integer, default=0)
    reports_missing: Mapped[int] = mapped_column(Integer, default=0)
    as_of: Mapped[date] = mapped_column(Date)


class RollupIndicator(Base):
    """One indicator of a received plan: figure, evaluation and its matching key."""

    __tablename__ = "rollup_indicators"

    item_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    commune_uuid: Mapped[str] = mapped_column(String(36), index=True)
    plan_uuid: Mapped[str] = mapped_column(String(36), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    pillar: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(20), default="")
    content: Mapped[str] = mapped_column(Text, default="")
    target_text: Mapped[str] = mapped_column(Text, default="")
    target_unit: Mapped[str] = mapped_column(String(20), default="")
    match_key: Mapped[str] = mapped_column(Text, default="", index=True)  # folded text | target
    value: Mapped[float | None] = mapped_column(Float, default=None)
    numerator: Mapped[float | None] = mapped_column(Float, default=None)
    denominator: Mapped[float | None] = mapped_column(Float, default=None)
    evaluation: Mapped[str] = mapped_column(String(20), default="no_data")
    figure_text: Mapped[str] = mapped_column(Text, default="")


class RollupMatch(Base):
    """The receiver's word on one indicator's match: confirmed under ``shared_key``, moved to
    another key, or left out of every shared indicator (``shared_key`` empty)."""

    __tablename__ = "rollup_matches"

    item_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    shared_key: Mapped[str] = mapped_column(Text, default="")
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
