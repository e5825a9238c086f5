"""A unit's own plan (the "Mẫu kế hoạch của cơ quan/đơn vị" attached to the
commune plan): for one unit, every indicator and task it leads or
coordinates, sections I CHỈ TIÊU and II NHIỆM VỤ, the template's columns.

When the plan brought its own template (``plan.appendices["unit_plan"]``, kept
at import), the unit plan follows it: its title lines, opening sentence,
columns in its order with its headers, sections, note, recipients and signing
position.  Otherwise the Phù Đổng template below is used."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace

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
from cds_desktop.text import fold

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
UNIT_POSITION = "TRƯỞNG CƠ QUAN/ĐƠN VỊ"
_LAYOUT = {c.key: c for c in UNIT_PLAN_COLUMNS}
_OTHER = Column("", "", 1.2, "left", 18.0)  # a column of the plan's template the program has no value for


@dataclass
class UnitTemplate:
    """How a unit plan is laid out: the plan's own template, or the standard one."""

    columns: list[Column]
    sections: list[tuple[str, str, str, str]]  # (item kind, label, title, how a row names its item)
    title: list[str] = field(default_factory=list)
    intro: str = ""
    note: str = ""
    recipients: list[str] = field(default_factory=lambda: list(UNIT_RECIPIENTS))
    position: str = UNIT_POSITION


def unit_template(plan: Plan) -> UnitTemplate:
    """The plan's own unit-plan template when it brought one, else the standard one."""
    spec = (plan.appendices or {}).get("unit_plan") or {}
    columns = []
    for col in spec.get("columns") or []:
        key = str(col.get("key") or "")
        base = _LAYOUT.get(key, _OTHER)
        columns.append(replace(base, key=key if key in _LAYOUT else f"extra:{col.get('header', '')}",
                               header=str(col.get("header") or base.header)))
    if not any(c.key == "content" for c in columns):
        return UnitTemplate(list(UNIT_PLAN_COLUMNS), list(SECTIONS))
    nouns = {kind: noun for kind, _l, _t, noun in SECTIONS}
    sections = [(s["kind"], str(s.get("label") or ""), str(s.get("title") or ""),
                 re.sub(r"(?i)\s*số$", "", str(s.get("row") or "")) or nouns[s["kind"]])
                for s in spec.get("sections") or [] if s.get("kind") in nouns] or list(SECTIONS)
    return UnitTemplate(
        columns, sections, [str(t) for t in spec.get("title") or []], str(spec.get("intro") or ""),
        str(spec.get("note") or ""), [str(r) for r in spec.get("recipients") or []] or list(UNIT_RECIPIENTS),
        str(spec.get("position") or UNIT_POSITION),
    )


def unit_assignments(session: Session, plan: Plan, unit: Unit) -> list[tuple[Item, Assignment]]:
    """The unit's live assignments on live items of *plan*, indicators then tasks, in document order."""
    stmt = (
        select(Item, Assignment)
        .join(Assignment, Assignment.item_id == Item.id)
        .where(Assignment.unit_id == unit.id)
        .where(Item.plan_id == plan.id)
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
            select(Item.kind, Item.number).where(Item.plan_id == plan.id)
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


def _cells(item: Item, a: Assignment, number: int, content: str) -> dict[str, str]:
    return {
        "number": str(number), "content": content,
        "leader": a.leader.name if a.leader else item.leader_text,
        "specialist": a.specialist.name if a.specialist else "",
        "co_specialist": a.co_specialist.name if a.co_specialist else "",
        "solution": a.solution, "schedule": a.schedule, "completion": a.completion or item.deadline_text,
        "note": "; ".join(t for t in (ROLE_NOTES.get(a.role, ""), a.note) if t),
    }


def unit_plan_table(session: Session, plan: Plan, unit: Unit, template: UnitTemplate | None = None) -> TableBlock:
    template = template or unit_template(plan)
    pairs = unit_assignments(session, plan, unit)
    labels = _item_labels(session, plan, [i for i, _ in pairs])
    keys = [c.key for c in template.columns]
    n = len(keys)
    label_col = keys.index("number") if "number" in keys else 0
    rows: list[Row] = []
    for kind, roman, title, noun in template.sections:
        cells = [""] * n
        cells[label_col] = roman
        cells[min(label_col + 1, n - 1)] = title
        rows.append(Row(cells, GROUP))
        for number, (item, a) in enumerate(((i, a) for i, a in pairs if i.kind == kind), start=1):
            content = f"{noun} {labels[item.id]}: {item.content}" if labels[item.id] else item.content
            values = _cells(item, a, number, content)
            rows.append(Row([values.get(k, "") for k in keys]))
    return TableBlock(columns=list(template.columns), header_rows=[[c.header for c in template.columns]],
                      rows=rows, font_size=11.0)


def _intro(template: UnitTemplate, plan: Plan, unit: Unit) -> str:
    """The template's opening sentence filled in: the plan's own reference and the unit's name."""
    if not template.intro:
        return (f"Thực hiện {plan_reference(plan)} về chuyển đổi số năm {plan.year}, căn cứ vào các chỉ tiêu, "
                f"nhiệm vụ được giao, {unit.name} xây dựng kế hoạch triển khai cụ thể như sau:")
    text = re.sub(r"(?i)kế hoạch số\s*[^,;]*?của\s+(ubnd|ủy ban nhân dân)\s+(xã|phường)\s+[^,;]+?(?=\s+về\b|[,;])",
                  lambda _m: plan_reference(plan), template.intro, count=1)
    if fold(unit.name) not in fold(text):
        text = re.sub(r"(?i),\s*(xây dựng kế hoạch)", lambda m: f", {unit.name} {m.group(1)}", text, count=1)
    return text


def _title_paras(template: UnitTemplate, plan: Plan, unit: Unit) -> list[Para]:
    lines = list(template.title) or ["KẾ HOẠCH", f"CÔNG TÁC CHUYỂN ĐỔI SỐ NĂM {plan.year}"]
    # "CỦA ....." is where the unit's name goes; a template without it still names the unit.
    lines = [line for line in lines if not re.fullmatch(r"(?i)của\b[\s.…_]*", line.strip())]
    lines.append(f"CỦA {upper(unit.name)}")
    return [Para(line, "label" if index == 0 else "title" if index < len(lines) - 1 else "subtitle")
            for index, line in enumerate(lines)]


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
    template = unit_template(plan)
    table = unit_plan_table(session, plan, unit, template)
    section = Section(name=unit.short_name or unit.name, orientation=LANDSCAPE)
    section.add(unit_header(plan, unit), *_title_paras(template, plan, unit),
                Para(_intro(template, plan, unit), "body"), table)
    if template.note:
        section.add(Para(template.note, "body"))
    section.add(Signature(recipients=list(template.recipients), authority="", position=template.position, signer=""))
    doc = ReportDocument(
        title=f"Kế hoạch chuyển đổi số năm {plan.year} của {unit.name}", sections=[section],
        author=unit.name, subject=plan.title,
    )
    progress(1, 1, "")
    log.info("Built unit plan of %s for plan %s: %d rows", unit.name, plan.uuid, len(table.rows))
    return normalize_document(doc)  # type: ignore[return-value]

