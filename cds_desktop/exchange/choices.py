"""What the Exchange screen offers for one plan (Qt-free): units and reporting periods."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from cds_desktop.database import Database
from cds_desktop.models import Plan, ReportingPeriod, Unit
from cds_desktop.services.tracking.calendar import period_label


@dataclass
class ExchangeChoices:
    has_plan: bool = False
    units: list[tuple[str, str]] = field(default_factory=list)  # (name, uuid): departments first, villages last
    periods: list[tuple[str, str]] = field(default_factory=list)  # (label, code), by end date


def exchange_choices(db: Database, plan_uuid: str | None) -> ExchangeChoices:
    """One read for the screen: the catalogue's units and the plan's reporting periods."""
    with db.session(source="ui") as session:
        plan = session.scalar(select(Plan).where(Plan.uuid == plan_uuid)) \
            if plan_uuid else None
        units = [(u.name, u.uuid) for u in session.scalars(
            select(Unit).order_by(Unit.kind == "village", Unit.position,
                                                                   Unit.sort_key))]
        if plan is None:
            return ExchangeChoices(False, units)
        rows = session.scalars(select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id)
                               .order_by(ReportingPeriod.end_date, ReportingPeriod.start_date.desc()))
        return ExchangeChoices(True, units, [(period_label(p.code), p.code) for p in rows])
