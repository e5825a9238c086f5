"""Tracking the plan through the year: reporting calendar and periods, task
progress, indicator values, village checklists, period locks, officer flags
and saved filters.

Status, source and evaluation values are stored as stable English codes; the
Vietnamese labels live in :mod:`cds_desktop.services.tracking.codes`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cds_desktop.models.base import Base, Synced
from cds_desktop.models.catalog import Unit
from cds_desktop.models.plan import Commune, Item, Plan

# Period kinds, finest first.
MONTH = "month"
QUARTER = "quarter"
HALF = "half"
YEAR = "year"
PERIOD_KINDS = (MONTH, QUARTER, HALF, YEAR)

# How an indicator's value for the commune is obtained.
MEASURE_TOTAL = "total"  # one figure for the commune (the latest one reported)
MEASURE_PER_UNIT = "per_unit"  # summed over the reporting units / villages
MEASURE_VILLAGES = "villages"  # computed from the village checklist
MEASURES = (MEASURE_TOTAL, MEASURE_PER_UNIT, MEASURE_VILLAGES)


class ReportingCalendar(Synced, Base):
    """A commune's reporting regime: the due day and which periodic reports exist."""

    __tablename__ = "reporting_calendars"

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), unique=True)
    due_day: Mapped[int] = mapped_column(Integer, default=15)  # reports due before this day of the month
    monthly: Mapped[bool] = mapped_column(Boolean, default=True)
    quarterly: Mapped[bool] = mapped_column(Boolean, default=True)
    half_yearly: Mapped[bool] = mapped_column(Boolean, default=True)
    yearly: Mapped[bool] = mapped_column(Boolean, default=True)
    due_soon_days: Mapped[int] = mapped_column(Integer, default=14)  # "sắp đến hạn" window
    behind_margin: Mapped[int] = mapped_column(Integer, default=20)  # % points of elapsed time ahead of % done

    commune: Mapped[Commune] = relationship()


class ReportingPeriod(Synced, Base):
    """One reporting period of a plan's year: ``2026-05``, ``2026-Q2``, ``2026-H1``, ``2026``."""

    __tablename__ = "reporting_periods"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_reporting_periods_plan_code"),)

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))  # PERIOD_KINDS
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)

    plan: Mapped[Plan] = relationship()


class PeriodLock(Synced, Base):
    """The lock of a consolidated period; unlocking needs a reason (kept in the audit log)."""

    __tablename__ = "period_locks"

    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_periods.id"), unique=True)
    locked: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str] = mapped_column(Text, default="")  # reason of the last lock/unlock

    period: Mapped[ReportingPeriod] = relationship()


class ItemTracking(Synced, Base):
    """Officer settings of one item: "at risk" flag and how an indicator is measured."""

    __tablename__ = "item_tracking"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), unique=True)
    at_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    at_risk_reason: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(String(20), default=MEASURE_TOTAL)

    item: Mapped[Item] = relationship()


class ReportRequirement(Synced, Base):
    """Overrides who reports on an item: lead units report unless ``required`` is false;
    coordinating units (or villages) report when a row says ``required``."""

    __tablename__ = "report_requirements"
    __table_args__ = (UniqueConstraint("item_id", "unit_id", name="uq_report_requirements_item_unit"),)

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    required: Mapped[bool] = mapped_column(Boolean, default=True)

    item: Mapped[Item] = relationship()
    unit: Mapped[Unit] = relationship()


class TaskProgress(Synced, Base):
    """A unit's report on a task for a period."""

    __tablename__ = "task_progress"
    __table_args__ = (
        UniqueConstraint("item_id", "period_id", "unit_id", name="uq_task_progress_item_period_unit"),
        Index("ix_task_progress_period_unit", "period_id", "unit_id"),
        Index("ix_task_progress_item_unit", "item_id", "unit_id"),
    )

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_periods.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    percent: Mapped[int | None] = mapped_column(Integer, default=None)
    result: Mapped[str] = mapped_column(Text, default="")  # kết quả thực hiện
    difficulties: Mapped[str] = mapped_column(Text, default="")  # khó khăn, vướng mắc
    proposals: Mapped[str] = mapped_column(Text, default="")  # đề xuất, kiến nghị
    received_on: Mapped[date | None] = mapped_column(Date, default=None)
    source: Mapped[str] = mapped_column(String(20), default="paper")  # paper|phone|email|import
    note: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[Item] = relationship()
    period: Mapped[ReportingPeriod] = relationship()
    unit: Mapped[Unit] = relationship()


class IndicatorValue(Synced, Base):
    """An indicator's figure for a period, for one unit/village or (unit empty) the whole commune."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        Index("ix_indicator_values_period_item", "period_id", "item_id"),
        Index("ix_indicator_values_item_unit", "item_id", "unit_id"),
    )

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_periods.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None)
    numerator: Mapped[float | None] = mapped_column(Float, default=None)
    denominator: Mapped[float | None] = mapped_column(Float, default=None)
    value: Mapped[float | None] = mapped_column(Float, default=None)  # a direct value (%, count)
    achieved: Mapped[bool | None] = mapped_column(Boolean, default=None)  # yes/no for qualitative targets
    note: Mapped[str] = mapped_column(Text, default="")
    data_source: Mapped[str] = mapped_column(Text, default="")  # nguồn số liệu
    received_on: Mapped[date | None] = mapped_column(Date, default=None)
    source: Mapped[str] = mapped_column(String(20), default="paper")

    item: Mapped[Item] = relationship()
    period: Mapped[ReportingPeriod] = relationship()
    unit: Mapped[Unit | None] = relationship()


class VillageCheck(Synced, Base):
    """One village on an indicator's checklist, and the day it met the indicator (if it has)."""

    __tablename__ = "village_checks"
    __table_args__ = (UniqueConstraint("item_id", "unit_id", name="uq_village_checks_item_unit"),)

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[Item] = relationship()
    unit: Mapped[Unit] = relationship()


class SavedFilter(Synced, Base):
    """A named filter of the tracking screens (unit, village, leader, status, pillar, period)."""

    __tablename__ = "saved_filters"

    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), default=None, index=True)
    name: Mapped[str] = mapped_column(String(200))
    criteria: Mapped[dict] = mapped_column(default=dict)
