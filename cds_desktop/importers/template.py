"""The unit-plan template ("Mẫu kế hoạch của cơ quan/đơn vị") a commune plan may attach: kept with
the plan (``plan.appendices["unit_plan"]``) so that every unit's own plan prints the way the commune
asked for it.

What is kept, as written: the title lines ("KẾ HOẠCH", "CÔNG TÁC CHUYỂN ĐỔI SỐ NĂM 2026", "CỦA"),
the opening sentence, the table's columns with their headers in their order, its sections
("I | CHỈ TIÊU", "II | NHIỆM VỤ") with the way a row names its item ("Chỉ tiêu số…"), the note below
the table ("Lưu ý: …"), the recipients and the signing position ("TRƯỞNG CƠ QUAN/ĐƠN VỊ").
"""

from __future__ import annotations

import re
from typing import Any

from cds_desktop.importers.tables import DetectedTable, Layout
from cds_desktop.text import clean_text, fold

UNIT_PLAN = "unit_plan"  # the key of the template in plan.appendices, and the table kind
_ROMAN = re.compile(r"^([IVX]{1,5}|[A-H])\.?$")
_NUMBER = re.compile(r"^\d{1,3}\.?$")
_LABEL = re.compile(r"^\W*m[aã][uũ]\W*$", re.I)  # "MẪU" (or the frequent typo "MÃU") alone on its line


def _lines_after(layout: Layout, table: DetectedTable) -> list[str]:
    """The text lines between *table* and the next table."""
    out: list[str] = []
    found = False
    for segment in layout.segments:
        if segment is table:
            found = True
        elif found:
            if isinstance(segment, DetectedTable):
                break
            out.append(segment)
    return [clean_text(line) for line in out if line.strip()]


def _title(heading: list[str]) -> tuple[str, list[str], str]:
    """(label, title lines, opening sentence) from the lines above the template's table."""
    label = next((line.strip(" *") for line in heading if _LABEL.match(line)), "")
    start = next((i for i, line in enumerate(heading) if fold(line).strip(" *:") == "ke hoach"), None)
    if start is None:
        return label, [], ""
    title: list[str] = []
    intro = ""
    for line in heading[start:]:
        folded = fold(line)
        if folded.startswith(("thuc hien", "can cu", "de trien khai", "trien khai")) or len(line) > 120:
            intro = line
            break
        title.append(line.strip(" *"))
    return label, title, intro


def _sections(table: DetectedTable) -> list[dict[str, str]]:
    """The template's sections and how a row of each names its item ("Chỉ tiêu số.....:")."""
    number_col = table.col("number")
    content_col = table.col("content")
    sections: list[dict[str, str]] = []
    for row in table.rows:
        cells = [clean_text(c) for c in row.cells]
        filled = [(i, c) for i, c in enumerate(cells) if c]
        if not filled:
            continue
        first = filled[0][1]
        if _ROMAN.match(first) and len(filled) >= 2:
            title = filled[1][1]
            kind = "indicator" if "chi tieu" in fold(title) else "task" if "nhiem vu" in fold(title) else ""
            sections.append({"kind": kind, "label": first.rstrip("."), "title": title, "row": ""})
        elif sections and not sections[-1]["row"]:
            number = cells[number_col] if number_col is not None and number_col < len(cells) else ""
            content = cells[content_col] if content_col is not None and content_col < len(cells) else ""
            if _NUMBER.match(number) and content:
                # "Chỉ tiêu số.....:" → "Chỉ tiêu số" (the blanks are where the item's number goes)
                sections[-1]["row"] = re.split(r"[.…_]{2,}", content)[0].strip(" :")
    return [s for s in sections if s["kind"]]


def _closing(lines: list[str]) -> tuple[str, list[str], str]:
    """(note, recipients, signing position) from the lines below the template's table."""
    note, recipients, position = "", [], ""
    in_recipients = False
    for line in lines:
        folded = fold(line).strip(" *")
        if folded.startswith("phu luc") or position:
            break
        if folded.startswith(("luu y", "ghi chu")) and not note:
            note = line.strip(" *")
            continue
        if folded.startswith("noi nhan"):
            in_recipients = True
            continue
        if in_recipients and line.lstrip().startswith(("-", "+", "•")):
            recipients.append(line.lstrip("-+• ").strip())
            continue
        if line.strip(" *") == line.strip(" *").upper() and re.search(r"(?i)trưởng|giám đốc|chủ tịch|đơn vị", line):
            position = line.strip(" *")
        in_recipients = False
    return note, recipients, position


def read_unit_template(layout: Layout, table: DetectedTable) -> dict[str, Any]:
    """The template of *table* (a table of kind ``unit_plan``), as ``plan.appendices["unit_plan"]`` keeps it."""
    heading = [clean_text(h) for h in table.heading if h.strip()]
    label, title, intro = _title(heading)
    note, recipients, position = _closing(_lines_after(layout, table))
    columns = [{"key": c.field, "header": c.header} for c in table.columns if c.field != "ignore"]
    return {
        "label": label, "title": title, "intro": intro, "columns": columns, "sections": _sections(table),
        "note": note, "recipients": recipients, "position": position,
    }
