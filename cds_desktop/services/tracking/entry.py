"""Writing progress: task reports, indicator values, village checklists, officer flags.

Every write to a period checks the period lock first.  Reports are upserted by
(item, period, unit): entering the same report twice edits it, a deleted one
comes back.  ``today`` is a parameter (the date a report is taken as received
when none is given); nothing here reads the clock.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.models import (
    INDICATOR,
    MEASURES,
    TASK,
    IndicatorValue,
    Item,
    ItemTracking,
    ReportingPeriod,
    ReportRequirement,
    TaskProgress,
    Unit,
    VillageCheck,
)
from cds_desktop.models.tracking import MEASURE_VILLAGES, MONTH
from cds_desktop.services.common import ServiceError, apply_fields, tombstone
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import period_for_day
from cds_desktop.services.tracking.locks import check_writable
from cds_desktop.text import fold, nfc

PROGRESS_FIELDS = {"status", "percent", "result", "difficulties", "proposals", "received_on", "source", "note"}
VALUE_FIELDS = {"numerator", "denominator", "value", "achieved", "note", "data_source", "received_on", "source"}
_AUTO_STATUSES = {codes.NOT_STARTED, codes.IN_PROGRESS, codes.DONE, codes.DONE_LATE}


# --------------------------------------------------------------------------
# Task progress


def _status_for_percent(item: Item, period: ReportingPeriod, percent: int | None) -> str:
    if not percent:
        return codes.NOT_STARTED
    if percent < 100:
        return codes.IN_PROGRESS
    late = item.deadline_kind == "date" and item.due_date is not None and period.start_date > item.due_date
    return codes.DONE_LATE if late else codes.DONE


def _check_progress(fields: dict[str, Any]) -> None:
    status = fields.get("status")
    if status is not None and status not in codes.STATUSES:
        raise ServiceError(f"Trạng thái không hợp lệ: {status}")
    percent = fields.get("percent")
    if percent is not None:
        if isinstance(percent, bool) or not isinstance(percent, int | float) or not 0 <= percent <= 100:
            raise ServiceError(f"Tỷ lệ hoàn thành phải từ 0 đến 100%, không phải «{percent}».")
        fields["percent"] = round(percent)
    if fields.get("source") is not None and fields["source"] not in codes.SOURCES:
        raise ServiceError(f"Hình thức nhận báo cáo không hợp lệ: {fields['source']}")


def record_progress(
    session: Session, item: Item, unit: Unit, period: ReportingPeriod, *, today: date, **fields: Any
) -> TaskProgress:
    """Enter or edit *unit*'s report on task *item* for *period*.

    Without an explicit status the status follows the % done (0 → Chưa triển khai,
    1–99 → Đang thực hiện, 100 → Hoàn thành, or Hoàn thành quá hạn when reported
    in a period after the deadline); "Hoàn thành" without a % means 100%.
    """
    if item.kind != TASK:
        raise ServiceError("Chỉ nhập tiến độ cho nhiệm vụ; chỉ tiêu được nhập bằng số liệu.")
    if item.plan_id != period.plan_id:
        raise ServiceError("Kỳ báo cáo không thuộc kế hoạch của nhiệm vụ này.")
    check_writable(session, period)
    _check_progress(fields)
    row = session.scalar(
        select(TaskProgress).where(
            TaskProgress.item_id == item.id, TaskProgress.period_id == period.id, TaskProgress.unit_id == unit.id
        ).execution_options(include_deleted=True)
    )
    explicit_status = "status" in fields and fields["status"] is not None
    if row is None:
        row = TaskProgress(item=item, period=period, unit=unit, received_on=today)
        session.add(row)
    elif row.deleted_at is not None:
        row.deleted_at = None
    if fields.get("status") is None:
        fields.pop("status", None)
    apply_fields(row, fields, PROGRESS_FIELDS)
    if not explicit_status and row.status in _AUTO_STATUSES and ("percent" in fields or row.id is None):
        row.status = _status_for_percent(item, period, row.percent)
    if explicit_status and row.status in (codes.DONE, codes.DONE_LATE) and row.percent is None:
        row.percent = 100
    if row.received_on is None:
        row.received_on = today
    session.flush()
    return row


def delete_progress(session: Session, row: TaskProgress) -> None:
    check_writable(session, row.period)
    tombstone(row)
    session.flush()


# --------------------------------------------------------------------------
# Indicator values

_YES = {"co", "dat", "x", "yes", "y", "v", "✓", "✔", "roi", "da dat", "hoan thanh", "khong phat sinh"}
_NO = {"khong", "chua", "chua dat", "no", "n", "khong dat", "-"}
_FRACTION = re.compile(r"^\s*([\d.,\s]+)\s*/\s*([\d.,\s]+)\s*$")


def parse_number(text: str) -> float:
    """Vietnamese or English numbers: ``12,5`` ``12.5`` ``1.000`` ``1.000,5`` ``85%``."""
    raw = text.strip().rstrip("%").strip().replace(" ", "")
    if not raw:
        raise ValueError(text)
    if "," in raw and "." in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif "," in raw:
        raw = raw.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        raw = raw.replace(".", "")
    return float(raw)


def parse_value_text(text: str | None) -> dict[str, Any]:
    """What the officer typed in a figure cell: ``45/60``, ``12,5``, ``85%``, ``có``, ``không``.

    Returns the fields of an indicator value (all None for an empty cell).
    Raises ServiceError (Vietnamese) when the text is none of these.
    """
    value = nfc(text or "").strip()
    result: dict[str, Any] = {"numerator": None, "denominator": None, "value": None, "achieved": None}
    if not value:
        return result
    folded = fold(value)
    if folded in _YES:
        result["achieved"] = True
        return result
    if folded in _NO:
        result["achieved"] = False
        return result
    try:
        match = _FRACTION.match(value)
        if match:
            result["numerator"] = parse_number(match.group(1))
            result["denominator"] = parse_number(match.group(2))
        else:
            result["value"] = parse_number(value)
    except ValueError as exc:
        raise ServiceError(
            f"Không hiểu số liệu «{value}»: nhập tử số/mẫu số (45/60), một số (12,5) hoặc Có/Không."
        ) from exc
    return result


def _check_value(fields: dict[str, Any]) -> None:
    for key in ("numerator", "denominator", "value"):
        number = fields.get(key)
        if number is not None and (isinstance(number, bool) or not isinstance(number, int | float)):
            raise ServiceError(f"Số liệu không hợp lệ: {number}")
        if number is not None:
            fields[key] = float(number)
    if fields.get("denominator") is not None and fields["denominator"] <= 0:
        raise ServiceError("Mẫu số phải lớn hơn 0.")
    if fields.get("numerator") is not None and fields["numerator"] < 0:
        raise ServiceError("Tử số không được âm.")
    if fields.get("source") is not None and fields["source"] not in codes.SOURCES:
        raise ServiceError(f"Hình thức nhận số liệu không hợp lệ: {fields['source']}")


def check_value_range(item: Item, fields: dict[str, Any], row: IndicatorValue | None = None) -> None:
    """The figure must be possible: a share within 0–100%, a numerator within its
    denominator, a count not negative.  *row* gives the parts the edit leaves unchanged."""
    def merged(key: str):
        return fields[key] if key in fields else (getattr(row, key) if row is not None else None)

    numerator, denominator, value = merged("numerator"), merged("denominator"), merged("value")
    if numerator is not None and denominator is not None and numerator > denominator + 1e-9:
        raise ServiceError(f"Tử số ({fmt_plain(numerator)}) không được lớn hơn mẫu số ({fmt_plain(denominator)}).")
    if value is None:
        return
    if (item.target_unit or "") == "%":
        if not 0 <= value <= 100:
            raise ServiceError(f"Chỉ tiêu tính theo tỷ lệ: nhập từ 0 đến 100%, không phải {fmt_plain(value)}.")
    elif value < 0:
        raise ServiceError(f"Số liệu không được âm ({fmt_plain(value)}).")


def fmt_plain(number: float) -> str:
    """``12,5`` ``150`` — a number as the officer typed it (Vietnamese decimal comma)."""
    return (f"{number:g}" if abs(number) < 1e15 else str(number)).replace(".", ",")


def record_indicator_value(
    session: Session, item: Item, unit: Unit | None, period: ReportingPeriod, *, today: date, **fields: Any
) -> IndicatorValue:
    """Enter or edit an indicator's figure for *period*, for *unit* (None: the whole commune)."""
    if item.kind != INDICATOR:
        raise ServiceError("Chỉ nhập số liệu cho chỉ tiêu; nhiệm vụ được nhập bằng tiến độ.")
    if item.plan_id != period.plan_id:
        raise ServiceError("Kỳ báo cáo không thuộc kế hoạch của chỉ tiêu này.")
    check_writable(session, period)
    _check_value(fields)
    unit_clause = IndicatorValue.unit_id.is_(None) if unit is None else IndicatorValue.unit_id == unit.id
    row = session.scalar(
        select(IndicatorValue)
        .where(IndicatorValue.item_id == item.id, IndicatorValue.period_id == period.id, unit_clause)
        .order_by(IndicatorValue.id).execution_options(include_deleted=True)
    )
    check_value_range(item, fields, row if row is not None and row.deleted_at is None else None)
    if row is None:
        row = IndicatorValue(item=item, period=period, unit=unit, received_on=today)
        session.add(row)
    elif row.deleted_at is not None:
        row.deleted_at = None
    apply_fields(row, fields, VALUE_FIELDS)
    if row.received_on is None:
        row.received_on = today
    session.flush()
    return row


def delete_indicator_value(session: Session, row: IndicatorValue) -> None:
    check_writable(session, row.period)
    tombstone(row)
    session.flush()


# --------------------------------------------------------------------------
# Officer settings of an item


def item_tracking(session: Session, item: Item, *, create: bool = False) -> ItemTracking | None:
    row = session.scalar(select(ItemTracking).where(ItemTracking.item_id == item.id)
            .execution_options(include_deleted=True))
    if row is None and create:
        row = ItemTracking(item=item)
        session.add(row)
    elif row is not None and row.deleted_at is not None and create:
        row.deleted_at = None
    return row


def set_at_risk(session: Session, item: Item, at_risk: bool, reason: str = "") -> ItemTracking:
    """The officer's "at risk of being late" flag, with the reason shown in the warning."""
    row = item_tracking(session, item, create=True)
    assert row is not None
    apply_fields(row, {"at_risk": bool(at_risk), "at_risk_reason": reason if at_risk else ""},
                 {"at_risk", "at_risk_reason"})
    session.flush()
    return row


def set_measure(session: Session, item: Item, measure: str, villages: list[Unit] | None = None) -> ItemTracking:
    """How an indicator is measured: one figure, per unit/village, or a village checklist.

    For a checklist, *villages* (default: the live villages of the plan's commune) are put on it.
    """
    if measure not in MEASURES:
        raise ServiceError(f"Cách đo chỉ tiêu không hợp lệ: {measure}")
    if item.kind != INDICATOR:
        raise ServiceError("Chỉ chỉ tiêu mới có cách đo.")
    row = item_tracking(session, item, create=True)
    assert row is not None
    if row.measure != measure:
        row.measure = measure
    if measure == MEASURE_VILLAGES:
        if villages is None:
            villages = list(session.scalars(
                select(Unit).where(Unit.kind == "village", Unit.commune_id == item.plan.commune_id).order_by(Unit.position, Unit.sort_key)
            ))
        if not villages:
            raise ServiceError("Xã chưa có thôn nào trong danh mục: hãy thêm thôn trước khi lập danh sách.")
        for village in villages:
            _village_row(session, item, village, create=True)
    session.flush()
    return row


def set_report_requirement(session: Session, item: Item, unit: Unit, required: bool) -> ReportRequirement:
    """Ask *unit* (a coordinating unit, a village) to report on *item*, or excuse a lead unit."""
    row = session.scalar(
        select(ReportRequirement).where(ReportRequirement.item_id == item.id, ReportRequirement.unit_id == unit.id)
        .execution_options(include_deleted=True)
    )
    if row is None:
        row = ReportRequirement(item=item, unit=unit, required=bool(required))
        session.add(row)
    else:
        row.deleted_at = None
        if row.required != bool(required):
            row.required = bool(required)
    session.flush()
    return row


# --------------------------------------------------------------------------
# Village checklist


def _village_row(session: Session, item: Item, village: Unit, *, create: bool) -> VillageCheck | None:
    row = session.scalar(select(VillageCheck).where(VillageCheck.item_id == item.id, VillageCheck.unit_id == village.id)
                         .execution_options(include_deleted=True))
    if row is None and create:
        row = VillageCheck(item=item, unit=village)
        session.add(row)
    elif row is not None and row.deleted_at is not None and create:
        row.deleted_at = None
    return row


def set_village_done(
    session: Session, item: Item, village: Unit, done_on: date | None, note: str | None = None
) -> VillageCheck:
    """Tick (with the day it was met) or untick a village on an indicator's checklist.

    Refused when the month of the old or the new day is locked.
    """
    row = _village_row(session, item, village, create=False)
    if row is None or row.deleted_at is not None:
        raise ServiceError(f"{village.name} không có trong danh sách thôn của chỉ tiêu này.")
    plan = item.plan
    for day in {row.done_on, done_on} - {None}:
        period = period_for_day(session, plan, day, MONTH) or period_for_day(session, plan, day)
        if period is not None and period.start_date <= day <= period.end_date:
            check_writable(session, period)
    fields: dict[str, Any] = {"done_on": done_on}
    if note is not None:
        fields["note"] = note
    apply_fields(row, fields, {"done_on", "note"})
    session.flush()
    return row
