"""Completeness of reporting: a units x periods matrix and reporting rates.

A unit's report for a period is the set of its reports on the items it is
expected to report on (see :func:`queries.expected_reports`).  A cell is
``on_time`` when the first of them arrived by the due day, ``late`` when after,
``missing`` when none arrived and the due day has passed, ``pending`` when none
arrived yet but the due day is still ahead, ``not_required`` when the unit
had nothing to report on.  Rates count on time + late over on time + late +
missing (pending and not required cells are left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from cds_desktop.models import Plan
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import live_periods, period_label
from cds_desktop.services.tracking.queries import completeness_select
from cds_desktop.services.tracking.refs import unit_infos, unit_order


@dataclass(frozen=True)
class Cell:
    state: str
    expected: int = 0
    received: int = 0
    on_time: int = 0
    first_received: date | None = None

    @property
    def label(self) -> str:
        return codes.CELL_LABELS[self.state]

    @property
    def counted(self) -> bool:
        return self.state in (codes.ON_TIME, codes.LATE, codes.MISSING)

    @property
    def reported(self) -> bool:
        return self.state in (codes.ON_TIME, codes.LATE)


NOT_REQUIRED_CELL = Cell(codes.NOT_REQUIRED)


@dataclass(frozen=True)
class PeriodInfo:
    code: str
    label: str
    start: date
    end: date
    due: date

    def to_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "due": self.due.isoformat()}


@dataclass
class UnitRow:
    uuid: str
    name: str
    kind: str
    cells: dict[str, Cell] = field(default_factory=dict)
    short_name: str = ""

    def cell(self, code: str) -> Cell:
        return self.cells.get(code, NOT_REQUIRED_CELL)

    def count(self, state: str) -> int:
        return sum(1 for c in self.cells.values() if c.state == state)

    @property
    def rate(self) -> float | None:
        """Share (0–100) of the unit's due reports that arrived."""
        counted = [c for c in self.cells.values() if c.counted]
        return round(100 * sum(c.reported for c in counted) / len(counted), 1) if counted else None

    @property
    def on_time_rate(self) -> float | None:
        counted = [c for c in self.cells.values() if c.counted]
        return round(100 * sum(c.state == codes.ON_TIME for c in counted) / len(counted), 1) if counted else None


@dataclass
class Completeness:
    periods: list[PeriodInfo]
    units: list[UnitRow]

    def period_rate(self, code: str) -> float | None:
        counted = [u.cell(code) for u in self.units if u.cell(code).counted]
        return round(100 * sum(c.reported for c in counted) / len(counted), 1) if counted else None

    @property
    def overall_rate(self) -> float | None:
        counted = [c for u in self.units for c in u.cells.values() if c.counted]
        return round(100 * sum(c.reported for c in counted) / len(counted), 1) if counted else None

    def missing_units(self, code: str) -> list[UnitRow]:
        return [u for u in self.units if u.cell(code).state == codes.MISSING]

    def to_dict(self) -> dict:
        return {
            "periods": [p.to_dict() for p in self.periods],
            "units": [
                {"uuid": u.uuid, "name": u.name, "rate": u.rate, "on_time_rate": u.on_time_rate,
                 "cells": {code: {"state": c.state, "label": c.label, "expected": c.expected, "received": c.received,
                                  "first_received": c.first_received.isoformat() if c.first_received else None}
                           for code, c in ((p.code, u.cell(p.code)) for p in self.periods)}}
                for u in self.units
            ],
            "period_rates": {p.code: self.period_rate(p.code) for p in self.periods},
            "overall_rate": self.overall_rate,
        }


def cell_state(expected: int, received: int, first_received: date | None, due: date, today: date) -> str:
    if expected == 0:
        return codes.NOT_REQUIRED
    if received == 0:
        return codes.MISSING if due < today else codes.PENDING
    if first_received is not None and first_received > due:
        return codes.LATE
    return codes.ON_TIME


def compute_completeness(session: Session, plan: Plan, today: date, kind: str) -> Completeness:
    """The matrix over the plan's periods of the reporting *kind* (normally months)."""
    periods = live_periods(session, plan.id, kind)
    by_id = {p.id: p for p in periods}
    rows = session.execute(completeness_select(plan.id, kind)).all()
    units = unit_infos(session, {r.unit_id for r in rows})
    table: dict[int, UnitRow] = {}
    for row in rows:
        period = by_id.get(row.period_id)
        unit = units.get(row.unit_id)
        if period is None or unit is None:
            continue
        entry = table.setdefault(unit.id, UnitRow(unit.uuid, unit.name, unit.kind,
                                                  short_name=unit.short_name or unit.name))
        state = cell_state(row.expected, row.received, row.first_received, period.due_date, today)
        entry.cells[period.code] = Cell(state, row.expected, row.received, row.on_time, row.first_received)
    ordered = sorted(table, key=lambda unit_id: unit_order(units[unit_id]))
    return Completeness(
        periods=[PeriodInfo(p.code, period_label(p.code), p.start_date, p.end_date, p.due_date) for p in periods],
        units=[table[unit_id] for unit_id in ordered],
    )
