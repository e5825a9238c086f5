"""The reminder list (danh sách đôn đốc): per unit, its overdue tasks and its
missing reports, laid out to be attached to a reminder letter of the commune
People's Committee."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cds_desktop.models import Plan
from cds_desktop.reports.document import (
    GROUP,
    LANDSCAPE,
    Column,
    Para,
    ReportDocument,
    Row,
    Section,
    TableBlock,
    normalize_document,
)
from cds_desktop.reports.progress_data import REMINDER_KINDS, ProgressData
from cds_desktop.reports.wording import BLANK_NUMBER, commune_words, count_words, date_words
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import lower_first, period_label
from cds_desktop.services.tracking.warnings import StatusWarning

log = logging.getLogger(__name__)

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
         "XVII", "XVIII", "XIX", "XX")
COLUMNS = [
    Column("number", "STT", 0.0, "center", 12.0),
    Column("item", "Chỉ tiêu, nhiệm vụ", 4.2, "left", 45.0),
    Column("deadline", "Thời hạn", 1.1, "center", 18.0),
    Column("kind", "Nội dung đôn đốc", 1.2, "center", 20.0),
    Column("message", "Chi tiết", 3.2, "left", 30.0),
]


def roman(n: int) -> str:
    return ROMAN[n - 1] if 0 < n <= len(ROMAN) else str(n)


def reminder_warnings(data: ProgressData, unit: str | None = None) -> dict[str, list[StatusWarning]]:
    """Overdue tasks and missing reports, per unit (departments first, villages last)."""
    from cds_desktop.text import fold

    per_unit: dict[str, list[StatusWarning]] = {}
    for w in data.status.warnings:
        if w.kind in REMINDER_KINDS and w.unit_name:
            if unit and fold(unit) not in (fold(w.unit_name), fold(w.unit_short), (w.unit_uuid or "").lower()):
                continue
            per_unit.setdefault(w.unit_name, []).append(w)
    order = {u.name: n for n, u in enumerate(data.status.completeness.units)}
    return dict(sorted(per_unit.items(), key=lambda kv: (order.get(kv[0], 10**6), kv[0])))


@dataclass
class Reminder:
    kind: str  # warning kind label
    item: str  # "Nhiệm vụ II.2: …"
    item_uuid: str
    message: str


def _merged(found: list[StatusWarning]) -> list[Reminder]:
    """One line per item: the missing reports of several periods are named together."""
    out: list[Reminder] = []
    missing: dict[str, list[StatusWarning]] = {}
    for w in found:
        noun = "Nhiệm vụ" if w.item_kind == "task" else "Chỉ tiêu"
        item = f"{noun} {w.item_ref}: {w.item_content}"
        if w.kind != codes.MISSING_REPORT:
            out.append(Reminder(w.kind_label, item, w.item_uuid, w.message))
            continue
        if w.item_uuid not in missing:
            missing[w.item_uuid] = []
            out.append(Reminder(w.kind_label, item, w.item_uuid, ""))
        missing[w.item_uuid].append(w)
    for r in out:
        if r.item_uuid in missing and not r.message:
            periods = sorted(missing[r.item_uuid], key=lambda w: w.due_date or date.min)
            what = "báo cáo" if periods[0].item_kind == "task" else "số liệu"
            names = ", ".join(lower_first(period_label(w.period_code)) for w in periods)
            first = "kỳ đầu đã quá hạn" if len(periods) > 1 else "đã quá hạn"
            r.message = f"Chưa nhận {what} {names} ({first} {periods[0].days} ngày)."
    return out


def build_reminders(session: Session, plan: Plan, data: ProgressData, unit: str | None = None) -> ReportDocument:
    per_unit = {name: _merged(found) for name, found in reminder_warnings(data, unit).items()}
    deadlines = {i.uuid: i.deadline_text for i in data.status.infos.values()}
    n = len(COLUMNS)
    rows: list[Row] = []
    total = 0
    for number, (unit_name, found) in enumerate(per_unit.items(), start=1):
        rows.append(Row([roman(number), f"{unit_name} ({count_words(len(found))} nội dung)"] + [""] * (n - 2), GROUP))
        for k, r in enumerate(found, start=1):
            rows.append(Row([str(k), r.item, deadlines.get(r.item_uuid, ""), r.kind, r.message]))
            total += 1
    table = TableBlock(list(COLUMNS), [[c.header for c in COLUMNS]], rows, font_size=12,
                       empty_text="Không có đơn vị nào cần đôn đốc trong kỳ này.")
    section = Section(name="Danh sách đôn đốc", orientation=LANDSCAPE)
    section.add(
        Para("DANH SÁCH", "label"),
        Para("CÁC ĐƠN VỊ CÓ NHIỆM VỤ QUÁ HẠN, CHƯA GỬI BÁO CÁO", "title"),
        Para(f"Kỳ báo cáo: {data.status.period.label} (tính đến ngày {data.status.today:%d/%m/%Y})", "subtitle"),
        Para(f"(Kèm theo Công văn số{BLANK_NUMBER}/UBND {date_words(None, data.status.today.year)} "
             f"của UBND {commune_words(plan)})", "attached"),
        Para(f"Tổng số: {count_words(len(per_unit))} đơn vị, {count_words(total)} nội dung cần đôn đốc.", "summary"),
        table,
    )
    doc = ReportDocument(title=f"Danh sách đôn đốc {data.period_text}", sections=[section],
                         author=f"UBND {commune_words(plan)}", subject=plan.title)
    log.info("Built reminder list of plan %s for %s: %d units, %d rows", plan.uuid, data.period_code,
             len(per_unit), total)
    return normalize_document(doc)  # type: ignore[return-value]

