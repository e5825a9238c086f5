"""The reporting calendar of a commune and the reporting periods of a plan's year.

Period codes are stable: ``2026-05`` (month), ``2026-Q2`` (quarter), ``2026-H1``
(half year), ``2026`` (year).  A period covers whole calendar months; its report
is due on the commune's due day of the period's *last* month ("báo cáo trước
ngày 15 hằng tháng": the May report is due 15/05, the Q2 and H1 reports 15/06,
the yearly report 15/12), clamped to the month's length.

Units report at the finest period kind the calendar enables (normally the
month); coarser periods are views for consolidation and evaluation.
"""

from __future__ import annotations

import calendar as pycal
import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cds_desktop.models import Plan, ReportingCalendar, ReportingPeriod
from cds_desktop.models.tracking import HALF, MONTH, PERIOD_KINDS, QUARTER, YEAR
from cds_desktop.services.common import BadValueError, NotFoundError, ServiceError, get, restore
from cds_desktop.services.tracking.codes import ROMAN

if TYPE_CHECKING:
    from cds_desktop.database import Database

log = logging.getLogger(__name__)

DEFAULT_DUE_DAY = 15
CALENDAR_FIELDS = {"due_day", "monthly", "quarterly", "half_yearly", "yearly", "due_soon_days", "behind_margin"}
_CODE_RE = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<m>\d{2})|Q(?P<q>[1-4])|H(?P<h>[12])))?$")


@dataclass(frozen=True)
class CalendarSettings:
    """A commune's reporting regime (defaults when the officer has not set one)."""

    due_day: int = DEFAULT_DUE_DAY
    monthly: bool = True
    quarterly: bool = True
    half_yearly: bool = True
    yearly: bool = True
    due_soon_days: int = 14
    behind_margin: int = 20

    @property
    def kinds(self) -> tuple[str, ...]:
        enabled = (self.monthly, self.quarterly, self.half_yearly, self.yearly)
        return tuple(kind for kind, on in zip(PERIOD_KINDS, enabled, strict=True) if on)

    @property
    def reporting_kind(self) -> str:
        """The period kind units report at: the finest one enabled."""
        return self.kinds[0] if self.kinds else YEAR


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    kind: str
    start: date
    end: date
    due: date


def parse_code(code: str) -> tuple[str, int, int]:
    """``"2026-05"`` -> ``("month", 2026, 5)``; ``"2026"`` -> ``("year", 2026, 1)``."""
    match = _CODE_RE.match((code or "").strip().upper())
    if not match:
        raise BadValueError(f"Mã kỳ báo cáo không hợp lệ: «{code}» (ví dụ: 2026-05, 2026-Q2, 2026-H1, 2026).")
    year = int(match["y"])
    if match["m"]:
        month = int(match["m"])
        if not 1 <= month <= 12:
            raise BadValueError(f"Tháng không hợp lệ trong mã kỳ «{code}».")
        return MONTH, year, month
    if match["q"]:
        return QUARTER, year, int(match["q"])
    if match["h"]:
        return HALF, year, int(match["h"])
    return YEAR, year, 1


def _months(kind: str, number: int) -> tuple[int, int]:
    if kind == MONTH:
        return number, number
    if kind == QUARTER:
        return 3 * number - 2, 3 * number
    if kind == HALF:
        return 6 * number - 5, 6 * number
    return 1, 12


def make_spec(code: str, due_day: int = DEFAULT_DUE_DAY) -> PeriodSpec:
    kind, year, number = parse_code(code)
    first, last = _months(kind, number)
    last_day = pycal.monthrange(year, last)[1]
    due = date(year, last, min(max(due_day, 1), last_day))
    return PeriodSpec(code=normal_code(code), kind=kind, start=date(year, first, 1), end=date(year, last, last_day),
                      due=due)


def normal_code(code: str) -> str:
    kind, year, number = parse_code(code)
    return {MONTH: f"{year}-{number:02d}", QUARTER: f"{year}-Q{number}", HALF: f"{year}-H{number}"}.get(
        kind, str(year))


def period_specs(year: int, settings: CalendarSettings) -> list[PeriodSpec]:
    """Every period of *year* the calendar enables, in chronological order of their end, finest first."""
    codes: list[str] = []
    if settings.monthly:
        codes += [f"{year}-{m:02d}" for m in range(1, 13)]
    if settings.quarterly:
        codes += [f"{year}-Q{q}" for q in range(1, 5)]
    if settings.half_yearly:
        codes += [f"{year}-H{h}" for h in (1, 2)]
    if settings.yearly:
        codes.append(str(year))
    specs = [make_spec(code, settings.due_day) for code in codes]
    return sorted(specs, key=lambda s: (s.end, PERIOD_KINDS.index(s.kind)))


def period_label(code: str) -> str:
    """``Tháng 5/2026``, ``Quý II/2026``, ``6 tháng đầu năm 2026``, ``Năm 2026``."""
    kind, year, number = parse_code(code)
    if kind == MONTH:
        return f"Tháng {number}/{year}"
    if kind == QUARTER:
        return f"Quý {ROMAN[number]}/{year}"
    if kind == HALF:
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    return f"Năm {year}"


def lower_first(text: str) -> str:
    """``Quý II/2026`` -> ``quý II/2026`` (only the first letter: Roman numerals stay)."""
    return text[:1].lower() + text[1:]


def report_title(code: str) -> str:
    """``Báo cáo tháng 5/2026``, ``Báo cáo quý II/2026``, ``Báo cáo 6 tháng đầu năm 2026``."""
    return "Báo cáo " + lower_first(period_label(code))


# --------------------------------------------------------------------------
# Calendar


def _calendar_row(session: Session, commune_id: int, include_deleted: bool = False) -> ReportingCalendar | None:
    return session.scalar(
        select(ReportingCalendar).where(ReportingCalendar.commune_id == commune_id)
        .execution_options(include_deleted=include_deleted)
    )


def calendar_settings(session: Session, plan: Plan) -> CalendarSettings:
    """The plan's commune calendar; without one, the plan's monthly day (or the 15th)."""
    row = _calendar_row(session, plan.commune_id)
    if row is None:
        return CalendarSettings(due_day=plan.report_day or DEFAULT_DUE_DAY)
    return CalendarSettings(**{name: getattr(row, name) for name in CALENDAR_FIELDS})


def set_calendar(session: Session, plan: Plan, **fields: object) -> CalendarSettings:
    """Set the commune's reporting regime and bring the periods of its plans in line."""
    unknown = set(fields) - CALENDAR_FIELDS
    if unknown:
        raise ServiceError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}")
    current = calendar_settings(session, plan)
    values = {name: getattr(current, name) for name in CALENDAR_FIELDS} | fields
    if not 1 <= int(values["due_day"]) <= 31:
        raise ServiceError(f"Ngày hạn báo cáo không hợp lệ: {values['due_day']} (từ 1 đến 31).")
    if not any(values[k] for k in ("monthly", "quarterly", "half_yearly", "yearly")):
        raise ServiceError("Cần ít nhất một loại kỳ báo cáo (tháng, quý, 6 tháng hoặc năm).")
    if int(values["due_soon_days"]) < 0 or not 0 <= int(values["behind_margin"]) <= 100:
        raise ServiceError("Số ngày cảnh báo hoặc ngưỡng chậm tiến độ không hợp lệ.")
    # a tombstoned calendar is taken up again (commune_id is unique: a second row is refused)
    row = _calendar_row(session, plan.commune_id, include_deleted=True)
    if row is None:
        row = ReportingCalendar(commune_id=plan.commune_id)
        session.add(row)
    elif row.deleted_at is not None:
        restore(row)
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    session.flush()
    for other in session.scalars(
        select(Plan).where(Plan.commune_id == plan.commune_id)
    ):
        ensure_periods(session, other)
    return calendar_settings(session, plan)


# --------------------------------------------------------------------------
# Periods


def ensure_periods(session: Session, plan: Plan) -> list[ReportingPeriod]:
    """Create the plan's periods the calendar asks for, update due dates, tombstone the
    kinds the calendar no longer has (their records are kept).  Idempotent."""
    settings = calendar_settings(session, plan)
    wanted = {spec.code: spec for spec in period_specs(plan.year, settings)}
    existing = {p.code: p for p in session.scalars(
        select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id).execution_options(include_deleted=True))}
    for code, period in existing.items():
        spec = wanted.get(code)
        if spec is None:
            if period.deleted_at is None:
                from cds_desktop.services.common import tombstone

                tombstone(period)
            continue
        if period.deleted_at is not None:
            period.deleted_at = None
        if period.due_date != spec.due:
            period.due_date = spec.due
    session.flush()
    missing = [spec for code, spec in wanted.items() if code not in existing]
    if missing:
        _add_periods(session, plan, missing)
    return live_periods(session, plan.id)


def ensure_plan_periods(db: Database, plan_uuid: str) -> None:
    """``ensure_periods`` in a transaction of its own, committed at once: a screen that then reads for
    seconds (the dashboard's figures, the month view) does not hold the database's write lock meanwhile
    (another screen making the same periods waited past the busy timeout: «Cơ sở dữ liệu đang bận»).
    Run again when busy: SQLite refuses at once to write from a read that another writer's commit
    has made stale (WAL's busy snapshot, e.g. the window's own edit committed while the dashboard's
    worker read the periods); a fresh transaction then sees that commit."""
    from cds_desktop.services import lookup

    db.transaction(lambda session: ensure_periods(session, lookup.resolve_plan(session, plan_uuid)),
                   source="ui")


def _add_periods(session: Session, plan: Plan, specs: list) -> None:
    """Insert the missing periods; another session (a second screen, the CLI) may insert
    the same ones at the same moment: then its rows are taken (get-or-create)."""
    try:
        with session.begin_nested():
            for spec in specs:
                session.add(ReportingPeriod(plan_id=plan.id, code=spec.code, kind=spec.kind,
                                            start_date=spec.start, end_date=spec.end, due_date=spec.due))
    except IntegrityError:
        log.info("Periods of plan %s were created meanwhile by another session", plan.id)
        have = set(session.scalars(select(ReportingPeriod.code).where(ReportingPeriod.plan_id == plan.id)))
        for spec in specs:
            if spec.code not in have:
                session.add(ReportingPeriod(plan_id=plan.id, code=spec.code, kind=spec.kind,
                                            start_date=spec.start, end_date=spec.end, due_date=spec.due))
        session.flush()


def live_periods(session: Session, plan_id: int, kind: str | None = None) -> list[ReportingPeriod]:
    stmt = select(ReportingPeriod).where(ReportingPeriod.plan_id == plan_id)
    if kind:
        stmt = stmt.where(ReportingPeriod.kind == kind)
    periods = list(session.scalars(stmt))
    return sorted(periods, key=lambda p: (p.end_date, PERIOD_KINDS.index(p.kind)))


def get_period(session: Session, plan: Plan, code: str) -> ReportingPeriod:
    code = normal_code(code)
    period = session.scalar(
        select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id, ReportingPeriod.code == code)
    )
    if period is None:
        raise NotFoundError(f"Kế hoạch năm {plan.year} không có kỳ báo cáo {period_label(code)} ({code}).")
    return period


def period_for_day(session: Session, plan: Plan, day: date, kind: str | None = None) -> ReportingPeriod | None:
    """The period of *kind* (default: the reporting kind) containing *day*, clamped to the plan's year."""
    kind = kind or calendar_settings(session, plan).reporting_kind
    periods = live_periods(session, plan.id, kind)
    if not periods:
        return None
    for period in periods:
        if period.start_date <= day <= period.end_date:
            return period
    return periods[0] if day < periods[0].start_date else periods[-1]


def last_due_period(session: Session, plan: Plan, today: date) -> ReportingPeriod | None:
    """The latest reporting period whose due day has passed (``due_date < today``)."""
    kind = calendar_settings(session, plan).reporting_kind
    due = [p for p in live_periods(session, plan.id, kind) if p.due_date < today]
    return due[-1] if due else None


def plan_by_uuid(session: Session, uuid: str) -> Plan:
    return get(session, Plan, uuid)
