"""A unit's own plan (the "Mẫu kế hoạch của cơ quan/đơn vị" attached to the
commune plan): for one unit, every indicator and task it leads or
coordinates, sections I CHỈ TIÊU and II NHIỆM VỤ, the template's columns."""

from __future__ import annotations

import logging
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cds_desktop.models import INDICATOR, LEAD, TASK, Assignment, Group, Item, Plan, Unit
from cds_desktop.reports.appendix import plan_header
from cds_desktop.reports.document import (
    GROUP,
    LANDSCAPE,
    Column,
    DocHeader,
    Para,
    ReportDocument,
    Row,
    Section,
    Signature,
    TableBlock,
    normalize_document,
)
from cds_desktop.reports.loading import Progress, no_progress
from cds_desktop.reports.wording import (
    BLANK_NUMBER,
    commune_words,
    place_date_line,
    plan_place,
    plan_reference,
    upper,
)

log = logging.getLogger(__name__)

# The unit fills most of these columns in by hand: they keep room to write even when empty.
UNIT_PLAN_COLUMNS = [
    Column("number", "STT", 0.0, "center", 12.0),
    Column("content", "Nội dung chỉ tiêu/ nhiệm vụ được giao tại Kế hoạch của UBND xã", 4.2, "left", 60.0),
    Column("leader", "Lãnh đạo theo dõi, phụ trách", 1.3, "center", 22.0),
    Column("specialist", "Chuyên viên chủ trì tham mưu", 1.3, "center", 22.0),
    Column("co_specialist", "Chuyên viên phối hợp", 1.3, "center", 22.0),
    Column("solution", "Giải pháp thực hiện", 2.2, "left", 38.0),
    Column("schedule", "Tiến độ thực hiện", 1.2, "center", 22.0),
    Column("completion", "Tiến độ hoàn thành", 1.2, "center", 22.0),
    Column("note", "Ghi chú", 1.0, "left", 18.0),
]
SECTIONS = ((INDICATOR, "I", "CHỈ TIÊU", "Chỉ tiêu"), (TASK, "II", "NHIỆM VỤ", "Nhiệm vụ"))
ROLE_NOTES = {LEAD: "Chủ trì", "coordinating": "Phối hợp"}
UNIT_RECIPIENTS = ["UBND xã;", "BCĐ xã;", "Lưu."]


def unit_assignments(session: Session, plan: Plan, unit: Unit) -> list[tuple[Item, Assignment]]:
    """The unit's live assignments on live items of *plan*, indicators then tasks, in document order."""
    stmt = (
        select(Item, Assignment)
        .join(Assignment, Assignment.item_id == Item.id)
        .where(Assignment.unit_id == unit.id, Assignment.deleted_at.is_(None))
        .where(Item.plan_id == plan.id, Item.deleted_at.is_(None))
        .options(
            selectinload(Assignment.leader), selectinload(Assignment.specialist),
            selectinload(Assignment.co_specialist),
        )
        .order_by(Item.kind, Item.position, Assignment.role.desc())
    )
    pairs = [(item, assignment) for item, assignment in session.execute(stmt).all()]
    seen: set[int] = set()
    out = []
    for item, assignment in pairs:  # a unit both leading and coordinating an item: one row, lead first
        if item.id not in seen:
            seen.add(item.id)
            out.append((item, assignment))
    return out


def _item_labels(session: Session, plan: Plan, items: list[Item]) -> dict[int, str]:
    """"số 3" — or "số I.1" where numbers restart in every group (Bát Tràng style)."""
    numbers = Counter(
        (kind, number)
        for kind, number in session.execute(
            select(Item.kind, Item.number).where(Item.plan_id == plan.id, Item.deleted_at.is_(None))
        )
    )
    group_ids = {i.group_id for i in items if i.group_id}
    labels = {
        g.id: g.label for g in session.scalars(select(Group).where(Group.id.in_(group_ids)))
    } if group_ids else {}
    out = {}
    for item in items:
        number = item.number or item.local_number
        if number and numbers[(item.kind, item.number)] > 1 and labels.get(item.group_id or -1):
            number = f"{labels[item.group_id]}.{number}"
        out[item.id] = f"số {number}" if number else ""
    return out


def unit_plan_table(session: Session, plan: Plan, unit: Unit) -> TableBlock:
    pairs = unit_assignments(session, plan, unit)
    labels = _item_labels(session, plan, [i for i, _ in pairs])
    n = len(UNIT_PLAN_COLUMNS)
    rows: list[Row] = []
    for kind, roman, title, noun in SECTIONS:
        rows.append(Row([roman, title] + [""] * (n - 2), GROUP))
        for number, (item, a) in enumerate(((i, a) for i, a in pairs if i.kind == kind), start=1):
            content = f"{noun} {labels[item.id]}: {item.content}" if labels[item.id] else item.content
            note = "; ".join(t for t in (ROLE_NOTES.get(a.role, ""), a.note) if t)
            rows.append(Row([
                str(number), content,
                a.leader.name if a.leader else item.leader_text,
                a.specialist.name if a.specialist else "",
                a.co_specialist.name if a.co_specialist else "",
                a.solution, a.schedule, a.completion or item.deadline_text, note,
            ]))
    return TableBlock(columns=list(UNIT_PLAN_COLUMNS), header_rows=[[c.header for c in UNIT_PLAN_COLUMNS]],
                      rows=rows, font_size=11.0)


def unit_header(plan: Plan, unit: Unit) -> DocHeader:
    base = plan_header(plan)
    return DocHeader(
        body_lines=[f"UBND {upper(commune_words(plan))}", upper(unit.name)],
        body_bold=[False, True],
        number_line=f"Số:{BLANK_NUMBER}/KH-{BLANK_NUMBER}",
        date_line=place_date_line(plan_place(plan), None, plan.year),
        national_title=base.national_title,
        motto=base.motto,
    )


def build_unit_plan(session: Session, plan: Plan, unit: Unit, progress: Progress = no_progress) -> ReportDocument:
    """The unit plan of *unit* for *plan* (landscape: it is a table document)."""
    progress(0, 1, f"Đang lập kế hoạch của {unit.name}…")
    table = unit_plan_table(session, plan, unit)
    section = Section(name=unit.short_name or unit.name, orientation=LANDSCAPE)
    section.add(
        unit_header(plan, unit),
        Para("KẾ HOẠCH", "label"),
        Para(f"CÔNG TÁC CHUYỂN ĐỔI SỐ NĂM {plan.year}", "title"),
        Para(f"CỦA {upper(unit.name)}", "subtitle"),
        Para(
            f"Thực hiện {plan_reference(plan)} về chuyển đổi số năm {plan.year}, căn cứ vào các chỉ tiêu, "
            f"nhiệm vụ được giao, {unit.name} xây dựng kế hoạch triển khai cụ thể như sau:",
            "body",
        ),
        table,
        Signature(recipients=list(UNIT_RECIPIENTS), authority="", position="TRƯỞNG CƠ QUAN/ĐƠN VỊ", signer=""),
    )
    doc = ReportDocument(
        title=f"Kế hoạch chuyển đổi số năm {plan.year} của {unit.name}", sections=[section],
        author=unit.name, subject=plan.title,
    )
    progress(1, 1, "")
    log.info("Built unit plan of %s for plan %s: %d rows", unit.name, plan.uuid, len(table.rows))
    return normalize_document(doc)  # type: ignore[return-value]

