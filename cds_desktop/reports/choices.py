"""What the Reports screen offers for one plan (Qt-free): units, periods, columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import SECTION_INDICATORS, SECTION_TASKS
from cds_desktop.reports.columns import available_columns, default_column_keys
from cds_desktop.reports.loading import plan_units
from cds_desktop.services.lookup import resolve_plan

ALWAYS_COLUMNS = ("number", "content")  # every appendix has them


@dataclass
class ReportChoices:
    plan_uuid: str
    plan_label: str
    units: list[tuple[str, str]] = field(default_factory=list)  # (uuid, name)
    periods: list[tuple[str, str]] = field(default_factory=list)  # (code, label), chronological
    default_period: str | None = None
    columns: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # section -> (key, header)
    default_columns: dict[str, list[str]] = field(default_factory=dict)


def load_report_choices(db: Database, plan_uuid: str | None, today: date) -> ReportChoices:
    """What the Reports screen offers, in one unit of work."""
    with db.session(source="ui") as session:
        return report_choices(session, plan_uuid, today)


def report_choices(session: Session, plan_uuid: str | None, today: date) -> ReportChoices:
    plan = resolve_plan(session, plan_uuid)
    label = f"{plan.number or '(chưa có số)'} — {plan.title or plan.year}"
    choices = ReportChoices(plan.uuid, label)
    choices.units = [(u.uuid, u.name) for u in plan_units(session, plan)]
    for section in (SECTION_INDICATORS, SECTION_TASKS):
        choices.columns[section] = available_columns(plan, section)
        choices.default_columns[section] = default_column_keys(plan, section)
    from cds_desktop.services.tracking.calendar import live_periods, period_for_day, period_label

    choices.periods = [(p.code, period_label(p.code)) for p in live_periods(session, plan.id)]
    current = period_for_day(session, plan, today)
    choices.default_period = current.code if current is not None else None
    return choices
