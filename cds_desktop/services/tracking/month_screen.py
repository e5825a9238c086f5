"""What the month-entry screen shows around its rows: the choices of the filter bar
and a "view" of one period (title, due day, lock, rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import Assignment, Group, Item, Person, Plan
from cds_desktop.services.lookup import resolve_plan
from cds_desktop.services.tracking.calendar import (
    calendar_settings,
    get_period,
    live_periods,
    period_for_day,
    period_label,
    report_title,
)
from cds_desktop.services.tracking.filters import Criteria
from cds_desktop.services.tracking.locks import locking_period
from cds_desktop.services.tracking.month import MonthRow, month_rows
from cds_desktop.services.tracking.queries import reporting_pairs
from cds_desktop.services.tracking.refs import unit_infos, unit_order


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    depth: int = 0


@dataclass(frozen=True)
class MonthOptions:
    """The choices of the filter bar for one plan."""

    periods: tuple[Choice, ...]
    units: tuple[Choice, ...]
    villages: tuple[Choice, ...]
    leaders: tuple[Choice, ...]
    groups: tuple[Choice, ...]
    default_period: str


@dataclass(frozen=True)
class MonthView:
    plan_uuid: str
    period_code: str
    title: str  # "Báo cáo tháng 9/2026"
    due: date
    locked: bool
    locked_by: str  # label of the locked period that forbids writing ("" if none)
    rows: tuple[MonthRow, ...]
    read_only: str = ""  # «Chỉ xem: …» for a received commune's plan (receiving mode), see database.readonly

    @property
    def expected(self) -> int:
        return sum(r.expected for r in self.rows)

    @property
    def received(self) -> int:
        return sum(r.expected and r.has_report for r in self.rows)


def month_options(session: Session, plan: Plan, today: date) -> MonthOptions:
    periods = live_periods(session, plan.id)
    pairs = reporting_pairs(plan.id).subquery()
    unit_ids = set(session.scalars(select(pairs.c.unit_id)))
    units = sorted(unit_infos(session, unit_ids).values(), key=unit_order)
    item_ids = select(Item.id).where(Item.plan_id == plan.id)
    leader_ids = set(session.scalars(select(Item.leader_id).where(Item.id.in_(item_ids)))) | set(session.scalars(
        select(Assignment.leader_id).where(Assignment.item_id.in_(item_ids))))
    leaders = session.scalars(select(Person).where(Person.id.in_(leader_ids - {None}))
                              .order_by(Person.sort_key)).all()
    groups = session.scalars(select(Group).where(Group.plan_id == plan.id)
                             .order_by(Group.section, Group.position)).all()
    depth = {g.id: (1 if g.parent_id else 0) for g in groups}
    section_name = {"indicators": "Chỉ tiêu", "tasks": "Nhiệm vụ"}
    current = period_for_day(session, plan, today, calendar_settings(session, plan).reporting_kind)
    return MonthOptions(
        periods=tuple(Choice(p.code, period_label(p.code)) for p in periods),
        units=tuple(Choice(u.uuid, u.name) for u in units if u.kind != "village"),
        villages=tuple(Choice(u.uuid, u.name) for u in units if u.kind == "village"),
        leaders=tuple(Choice(p.uuid, f"{p.name} — {p.title}" if p.title else p.name) for p in leaders),
        groups=tuple(Choice(g.uuid, f"{section_name.get(g.section, '')} {g.label}. {g.title}".strip(), depth[g.id])
                     for g in groups),
        default_period=current.code if current is not None else (periods[0].code if periods else ""),
    )


def month_view(session: Session, plan: Plan, period_code: str, criteria: Criteria | None = None) -> MonthView:
    from cds_desktop.database.readonly import plan_received_from, read_only_note

    period = get_period(session, plan, period_code)
    locker = locking_period(session, period)
    rows = month_rows(session, plan, period, criteria)
    return MonthView(plan.uuid, period.code, report_title(period.code), period.due_date, locker is not None,
                     period_label(locker.code) if locker is not None else "", tuple(rows),
                     read_only_note(plan_received_from(session, plan.id)))


# --------------------------------------------------------------------------
# The screen's actions: each one unit of work (one session), called from the UI
# (usually in a background job).  The plan and period are named by uuid and code.


def load_month_screen(db: Database, plan_uuid: str, today: date, criteria: Criteria, *,
                      with_options: bool = True) -> tuple[MonthOptions | None, MonthView | None, list]:
    """Filter-bar choices (if asked), the view of the chosen period and the saved filters."""
    from cds_desktop.services.tracking.calendar import ensure_plan_periods
    from cds_desktop.services.tracking.filters import list_filters

    ensure_plan_periods(db, plan_uuid)
    with db.session(source="ui") as session:
        plan = resolve_plan(session, plan_uuid)
        options = month_options(session, plan, today) if with_options else None
        code = criteria.period_code or (options.default_period if options else None)
        view = month_view(session, plan, code, criteria) if code else None
        return options, view, list_filters(session, plan)


def save_month_cell(db: Database, plan_uuid: str, period_code: str, item_uuid: str, unit_uuid: str,
                    field: str, text: str, *, today: date, default_source: str | None = None,
                    seen_version: int | None = None) -> MonthRow:
    from cds_desktop.services.tracking.month import save_cell

    with db.session(source="ui") as session:
        plan = resolve_plan(session, plan_uuid)
        period = get_period(session, plan, period_code)
        return save_cell(session, plan, period, item_uuid, unit_uuid, field, text, today=today,
                         default_source=default_source, seen_version=seen_version)


def save_month_filter(db: Database, plan_uuid: str, name: str, criteria: Criteria) -> None:
    from cds_desktop.services.tracking.filters import save_filter

    with db.session(source="ui") as session:
        save_filter(session, resolve_plan(session, plan_uuid), name, criteria)


def set_period_locked(db: Database, plan_uuid: str, period_code: str, locked: bool, reason: str = "") -> None:
    """Lock a period ("Đã tổng hợp") or unlock it with the officer's reason (kept in the audit log)."""
    from cds_desktop.services.tracking.locks import lock_period, unlock_period

    with db.session(source="ui", reason=reason.strip()) as session:
        period = get_period(session, resolve_plan(session, plan_uuid), period_code)
        if locked:
            lock_period(session, period, "Đã tổng hợp")
        else:
            unlock_period(session, period, reason)


def item_at_risk(db: Database, item_uuid: str) -> bool:
    """Whether the officer flagged the item "at risk of being late"."""
    from cds_desktop.services.common import get
    from cds_desktop.services.tracking.entry import item_tracking

    with db.session(source="ui") as session:
        current = item_tracking(session, get(session, Item, item_uuid))
        return bool(current is not None and current.deleted_at is None and current.at_risk)


def flag_item_at_risk(db: Database, item_uuid: str, flagged: bool, reason: str = "") -> None:
    from cds_desktop.services.common import get
    from cds_desktop.services.tracking.entry import set_at_risk

    with db.session(source="ui") as session:
        set_at_risk(session, get(session, Item, item_uuid), flagged, reason)
