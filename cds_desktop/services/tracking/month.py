"""The month-entry screen without Qt: the reports expected for one period, one cell saved at a time,
and saved filters.

A row is one (item, unit) pair: every report expected in the period (see
:func:`queries.expected_reports`) plus any report received from a unit that
was not required to send one.  Tasks and indicators share the columns; a
column that does not apply to a row's kind is not editable there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cds_desktop.models import (
    INDICATOR,
    TASK,
    Assignment,
    IndicatorValue,
    Item,
    ItemTracking,
    Plan,
    ReportingPeriod,
    TaskProgress,
    Unit,
    VillageCheck,
)
from cds_desktop.models.tracking import MEASURE_VILLAGES
from cds_desktop.services.common import ServiceError, get
from cds_desktop.services.tracking import codes, entry
from cds_desktop.services.tracking.evaluation import fmt_number
from cds_desktop.services.tracking.filters import Criteria
from cds_desktop.services.tracking.queries import expected_reports, latest_progress
from cds_desktop.services.tracking.refs import ItemInfo, item_infos, unit_infos, unit_order

TASK_ONLY = {"status", "percent", "difficulties", "proposals"}
INDICATOR_ONLY = {"figure", "data_source"}
EDITABLE = TASK_ONLY | INDICATOR_ONLY | {"result", "received_on", "source"}


@dataclass(frozen=True)
class MonthRow:
    item: ItemInfo
    unit_uuid: str
    unit_id: int
    unit_name: str
    unit_kind: str
    expected: bool
    unit_short: str = ""
    has_report: bool = False
    status: str | None = None
    percent: int | None = None
    result: str = ""  # tasks: result; indicators: note
    difficulties: str = ""
    proposals: str = ""
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    achieved: bool | None = None
    data_source: str = ""
    received_on: date | None = None
    source: str | None = None
    previous: str = ""
    checklist: bool = False  # a village on an indicator's checklist: figure = met (Có) or not
    version: int = 0  # the version of the report shown (0: none); the screen's edits carry it

    @property
    def key(self) -> str:
        return f"{self.item.uuid}:{self.unit_uuid}"

    @property
    def uuid(self) -> str:  # for views that find rows by uuid
        return self.key

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def figure_text(self) -> str:
        """How the figure cell shows (and accepts) the value: ``45/60``, ``12,5``, ``Có``."""
        if self.numerator is not None and self.denominator is not None:
            return f"{fmt_number(self.numerator)}/{fmt_number(self.denominator)}"
        if self.value is not None:
            return fmt_number(self.value)
        return {True: "Có", False: "Không"}.get(self.achieved, "")  # type: ignore[arg-type]

    def editable(self, field: str) -> bool:
        if self.checklist:
            return field in ("figure", "result", "received_on")
        if field not in EDITABLE:
            return False
        if self.kind == TASK:
            return field not in INDICATOR_ONLY
        return field not in TASK_ONLY


def _previous_text(status: str | None, percent: int | None) -> str:
    if status is None:
        return ""
    label = codes.status_label(status)
    return f"{percent}% · {label}" if percent is not None and status not in (codes.DONE,) else label


def month_rows(session: Session, plan: Plan, period: ReportingPeriod, criteria: Criteria | None = None,
               *, only: tuple[int, int] | None = None) -> list[MonthRow]:
    """The rows of the month-entry screen for *period*, filtered by *criteria*, in document order."""
    criteria = (criteria or Criteria()).resolved(session)
    infos = item_infos(session, plan.id)
    expected = {(r.item_id, r.unit_id) for r in session.execute(expected_reports(plan.id, period_ids=[period.id], from_tracking=False))}
    tasks = {(r.item_id, r.unit_id): r for r in session.scalars(
        select(TaskProgress).where(TaskProgress.period_id == period.id))}
    values = {(r.item_id, r.unit_id): r for r in session.scalars(
        select(IndicatorValue).where(IndicatorValue.period_id == period.id, IndicatorValue.unit_id.is_not(None)))}
    keys = [k for k in expected | set(tasks) | set(values) if k[0] in infos and (only is None or k == only)]
    checks = {(c.item_id, c.unit_id): c for c in _checklists(session, plan.id)
              if c.item_id in infos and (only is None or (c.item_id, c.unit_id) == only)}
    units = unit_infos(session, {k[1] for k in keys} | {k[1] for k in checks})
    before = period.start_date - timedelta(days=1)
    latest = latest_progress(plan.id, before)
    previous = {(r.item_id, r.unit_id): _previous_text(r.status, r.percent)
                for r in session.execute(select(latest.c.item_id, latest.c.unit_id, latest.c.status, latest.c.percent))}
    previous |= _previous_values(session, plan.id, before)
    rows = []
    for key in keys:
        info, unit = infos[key[0]], units.get(key[1])
        if unit is None:
            continue
        row = MonthRow(item=info, unit_uuid=unit.uuid, unit_id=unit.id, unit_name=unit.name, unit_kind=unit.kind,
                       expected=key in expected, unit_short=unit.short_name or unit.name,
                       previous=previous.get(key, ""))
        record = tasks.get(key) if info.kind == TASK else values.get(key)
        if record is not None:
            row = _with_record(row, record)
        rows.append(row)
    for key, check in checks.items():
        unit = units.get(key[1])
        if unit is None or key in tasks or key in values:
            continue
        met = check.done_on is not None and check.done_on <= period.end_date
        earlier = check.done_on is not None and check.done_on < period.start_date
        rows.append(MonthRow(item=infos[key[0]], unit_uuid=unit.uuid, unit_id=unit.id, unit_name=unit.name,
                             unit_kind=unit.kind, expected=False, unit_short=unit.short_name or unit.name,
                             has_report=met, achieved=True if met else None, result=check.note,
                             received_on=check.done_on if met else None, previous="Có" if earlier else "",
                             checklist=True))
    led: set[int] = set()
    if criteria.leader_id is not None:
        led = {i.id for i in infos.values() if i.leader_id == criteria.leader_id} | set(session.scalars(
            select(Assignment.item_id).where(Assignment.leader_id == criteria.leader_id)))
    rows = [r for r in rows if _matches(r, criteria, led)]
    rows.sort(key=lambda r: (r.item.kind != INDICATOR, r.item.position, unit_order(units[r.unit_id])))
    return rows


def _with_record(row: MonthRow, record: TaskProgress | IndicatorValue) -> MonthRow:
    common = {"has_report": True, "received_on": record.received_on, "source": record.source,
              "version": record.version}
    if isinstance(record, TaskProgress):
        return replace(row, status=record.status, percent=record.percent, result=record.result,
                       difficulties=record.difficulties, proposals=record.proposals, **common)
    return replace(row, numerator=record.numerator, denominator=record.denominator, value=record.value,
                   achieved=record.achieved, result=record.note, data_source=record.data_source, **common)


def _previous_values(session: Session, plan_id: int, before: date) -> dict[tuple[int, int], str]:
    rn = func.row_number().over(partition_by=(IndicatorValue.item_id, IndicatorValue.unit_id),
                                order_by=(ReportingPeriod.end_date.desc(), IndicatorValue.id.desc()))
    ranked = (
        select(IndicatorValue.item_id, IndicatorValue.unit_id, IndicatorValue.numerator, IndicatorValue.denominator,
               IndicatorValue.value, IndicatorValue.achieved, rn.label("rn"))
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(ReportingPeriod.plan_id == plan_id, ReportingPeriod.end_date <= before,
               IndicatorValue.unit_id.is_not(None))
        .subquery()
    )
    result = {}
    for r in session.execute(select(ranked).where(ranked.c.rn == 1)):
        if r.numerator is not None and r.denominator:
            text = f"{fmt_number(r.numerator)}/{fmt_number(r.denominator)}"
        elif r.value is not None:
            text = fmt_number(r.value)
        else:
            text = {True: "Có", False: "Không"}.get(r.achieved, "")
        result[(r.item_id, r.unit_id)] = text
    return result


def _matches(row: MonthRow, c: Criteria, led: set[int]) -> bool:
    if c.kind and row.kind != c.kind:
        return False
    if c.unit_uuid and row.unit_uuid != c.unit_uuid:
        return False
    if c.village_uuid and row.unit_uuid != c.village_uuid:
        return False
    if c.group_id is not None and c.group_id not in (row.item.group_id, row.item.pillar_id):
        return False
    if c.leader_id is not None and row.item.id not in led:
        return False
    if c.status == codes.NO_REPORT:
        return not row.has_report
    return not c.status or row.status == c.status


# --------------------------------------------------------------------------
# Saving one cell

_DAY_RE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?\s*$")


def parse_day(text: str, year: int) -> date | None:
    """``15/05/2026``, ``15/5``, ``15-5-26`` -> a date (the plan's year when omitted); '' -> None."""
    text = (text or "").strip()
    if not text:
        return None
    match = _DAY_RE.match(text)
    try:
        if not match:
            return date.fromisoformat(text)
        day, month, yr = int(match[1]), int(match[2]), match[3]
        full_year = year if yr is None else (2000 + int(yr) if len(yr) == 2 else int(yr))
        return date(full_year, month, day)
    except ValueError as exc:
        raise ServiceError(f"Ngày không hợp lệ: «{text}» (nhập dd/mm/yyyy).") from exc


def _parse_percent(text: str) -> int | None:
    value = (text or "").strip().rstrip("%").strip()
    if not value:
        return None
    try:
        number = entry.parse_number(value)
    except ValueError as exc:
        raise ServiceError(f"Tỷ lệ hoàn thành không hợp lệ: «{text}» (nhập số từ 0 đến 100).") from exc
    if not 0 <= number <= 100:
        raise ServiceError(f"Tỷ lệ hoàn thành phải từ 0 đến 100%, không phải «{text}».")
    return round(number)


def _parse_source(text: str) -> str:
    from cds_desktop.text import fold

    value = (text or "").strip()
    for code, label in codes.SOURCE_LABELS.items():
        if value == code or fold(label) == fold(value) or (value and fold(label).startswith(fold(value))):
            return code
    raise ServiceError(f"Hình thức nhận không hợp lệ: «{text}» ({', '.join(codes.SOURCE_LABELS.values())}).")


def save_cell(session: Session, plan: Plan, period: ReportingPeriod, item_uuid: str, unit_uuid: str, field: str,
              text: Any, *, today: date, default_source: str = "paper",
              seen_version: int | None = None) -> MonthRow:
    """Save what the officer typed in one cell; returns the row as it now is.  *seen_version*: the
    version of the report the screen showed (0: none), refused if it changed elsewhere since."""
    item, unit = get(session, Item, item_uuid), get(session, Unit, unit_uuid)
    if item.plan_id != plan.id:
        raise ServiceError("Mục này không thuộc kế hoạch đang mở.")
    if seen_version is not None:
        _as_seen(session, _current(session, item, unit, period), seen_version, f"«{item.content[:50]}» — {unit.name}")
    check = next((c for c in _checklists(session, plan.id) if (c.item_id, c.unit_id) == (item.id, unit.id)), None)
    probe = MonthRow(item=item_infos(session, plan.id)[item.id], unit_uuid=unit.uuid, unit_id=unit.id,
                     unit_name=unit.name, unit_kind=unit.kind, expected=True, checklist=check is not None)
    if not probe.editable(field):
        raise ServiceError("Ô này không nhập được cho loại mục này.")
    text = "" if text is None else str(text)
    if check is not None:
        _save_check(session, item, unit, period, check, field, text, today)
        return month_rows(session, plan, period, only=(item.id, unit.id))[0]
    fields: dict[str, Any] = {}
    if field == "status":
        try:
            status = codes.status_from_text(text)
        except ValueError as exc:
            raise ServiceError(f"Trạng thái không hợp lệ: «{text}».") from exc
        fields["status"] = status or codes.NOT_STARTED
    elif field == "percent":
        fields["percent"] = _parse_percent(text)
    elif field == "figure":
        fields.update(entry.parse_value_text(text))
    elif field == "received_on":
        fields["received_on"] = parse_day(text, period.start_date.year) or today
    elif field == "source":
        fields["source"] = _parse_source(text)
    elif field == "result" and item.kind == INDICATOR:
        fields["note"] = text.strip()
    else:
        fields[field] = text.strip()
    new = _current(session, item, unit, period) is None
    if new and "source" not in fields:
        fields["source"] = default_source
    if item.kind == TASK:
        entry.record_progress(session, item, unit, period, today=today, **fields)
    else:
        entry.record_indicator_value(session, item, unit, period, today=today, **fields)
    rows = month_rows(session, plan, period, only=(item.id, unit.id))
    if not rows:
        raise ServiceError("Không đọc lại được dòng vừa lưu.")
    return rows[0]


def _checklists(session: Session, plan_id: int) -> list:
    """(item_id, unit_id, done_on, note) of the villages on the plan's checklist indicators."""
    return session.execute(
        select(VillageCheck.item_id, VillageCheck.unit_id, VillageCheck.done_on, VillageCheck.note)
        .join(Item, Item.id == VillageCheck.item_id)
        .join(ItemTracking, ItemTracking.item_id == VillageCheck.item_id)
        .where(Item.plan_id == plan_id, ItemTracking.measure == MEASURE_VILLAGES)
    ).all()


def _save_check(session: Session, item: Item, unit: Unit, period: ReportingPeriod, check, field: str, text: str,
                today: date) -> None:
    """A village of a checklist: "Có" ticks it (by the end of the period), "Không"/empty unticks it."""
    done_on, note = check.done_on, None
    if field == "figure":
        met = entry.parse_value_text(text)
        if met["achieved"] is None and any(met[k] is not None for k in ("numerator", "denominator", "value")):
            raise ServiceError("Với danh sách thôn, nhập Có (thôn đã đạt) hoặc Không.")
        if met["achieved"]:
            if done_on is None or done_on > period.end_date:
                done_on = min(today, period.end_date)
        else:
            done_on = None
    elif field == "received_on":
        done_on = parse_day(text, period.start_date.year)
    else:
        note = text.strip()
    entry.set_village_done(session, item, unit, done_on, note)


def _current(session: Session, item: Item, unit: Unit, period: ReportingPeriod):
    model = TaskProgress if item.kind == TASK else IndicatorValue
    return session.scalar(select(model).where(model.item_id == item.id, model.unit_id == unit.id,
                                              model.period_id == period.id))



def _as_seen(session: Session, record: Any, seen_version: int, label: str) -> None:
    from cds_desktop.database.conflicts import check_seen_version
    from cds_desktop.database.errors import StaleWriteError

    if record is not None:
        check_seen_version(session, record, seen_version)
    elif seen_version:
        raise StaleWriteError(f"Không lưu được: báo cáo {label} vừa bị xóa ở nơi khác sau khi anh/chị mở ra. "
                              "Thay đổi của anh/chị chưa được ghi; hãy tải lại rồi nhập lại.")
