"""Phụ lục 01 (indicators) and Phụ lục 02 (tasks) of a plan as report documents:
grouped and numbered as in the plan, with the plan's own columns by default."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from cds_desktop.reports.columns import EXTRA_PREFIX, CellContext, read_cell, resolve_columns
from cds_desktop.reports.document import (
    GROUP,
    LANDSCAPE,
    NOTE,
    Column,
    DocHeader,
    Para,
    ReportDocument,
    Row,
    Section,
    TableBlock,
    normalize_document,
)
from cds_desktop.reports.tree import GroupNode, Progress, SectionTree, no_progress
from cds_desktop.reports.wording import (
    attached_line,
    count_words,
    issuing_body,
    number_line,
    place_date_line,
    plan_issuer,
    plan_place,
    upper,
)
from cds_desktop.services.measure_units import is_unit_header
from cds_desktop.text import fold
from cds_desktop.vocabulary import SECTION_INDICATORS, SECTION_TASKS

if TYPE_CHECKING:  # the builder also takes the light path's plain rows (reports.light), without SQLAlchemy
    from sqlalchemy.orm import Session

    from cds_desktop.models import Plan

log = logging.getLogger(__name__)

DEFAULT_LABELS = {SECTION_INDICATORS: "Phụ lục 01", SECTION_TASKS: "Phụ lục 02"}
NOUNS = {SECTION_INDICATORS: "chỉ tiêu", SECTION_TASKS: "nhiệm vụ"}


def default_title(plan: Plan, section: str) -> str:
    if section == SECTION_INDICATORS:
        return f"DANH MỤC CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM {plan.year}"
    return f"DANH MỤC CÁC NHIỆM VỤ, GIẢI PHÁP CHUYỂN ĐỔI SỐ NĂM {plan.year}"


def plan_header(plan: Plan) -> DocHeader:
    """The commune People's Committee's header for documents of *plan*."""
    return DocHeader(
        body_lines=issuing_body(plan),
        body_bold=[True, True],
        number_line=number_line(plan.number),
        date_line=place_date_line(plan_place(plan), plan.issue_date, plan.year),
    )


def plan_own_header(plan: Plan) -> DocHeader:
    """The header of the plan's own pages (its appendices): the body that issued it, as its document
    printed it (a Party committee's plan: its committee and "ĐẢNG CỘNG SẢN VIỆT NAM", no motto)."""
    issuer = plan_issuer(plan)
    if not issuer:
        return plan_header(plan)
    lines = [upper(str(line)) for line in issuer["issuer"]]
    nation = str(issuer.get("national_title") or "")
    return DocHeader(
        body_lines=lines,
        body_bold=[False] * (len(lines) - 1) + [True],
        number_line=number_line(plan.number),
        date_line=place_date_line(plan_place(plan), plan.issue_date, plan.year),
        **({"national_title": nation, "motto": ""} if nation else {}),
    )


def appendix_heading(plan: Plan, section: str) -> tuple[str, str]:
    """(label, title) of the appendix as the plan wrote them, or the standard ones."""
    spec = (plan.appendices or {}).get(section) or {}
    label = str(spec.get("label") or DEFAULT_LABELS[section]).strip()
    title = str(spec.get("title") or default_title(plan, section)).strip()
    return label, upper(title)


def title_names_appendix(title: str) -> bool:
    """True when the plan's own appendix title starts with "Phụ lục" (no separate label line then)."""
    return fold(title).lstrip(" *").startswith("phu luc")


def summary_lines(plan: Plan, section: str, tree: SectionTree) -> list[str]:
    """"Tổng số chỉ tiêu: 27 chỉ tiêu" / "Trong đó: …" — only when the plan printed such a total."""
    spec = (plan.appendices or {}).get(section) or {}
    if spec.get("declared_total") is None:
        return []
    noun = NOUNS[section]
    lines = [f"Tổng số {noun}: {count_words(len(tree.items))} {noun}"]
    parts = [
        f"{node.group.title}: {count_words(node.count())} {noun}"
        for node in tree.top_groups
        if node.group is not None and node.count()
    ]
    if len(parts) > 1:
        lines.append("Trong đó: " + "; ".join(parts) + ".")
    return lines


def appendix_table(
    names: CellContext, section: str, tree: SectionTree, columns: list[Column], progress: Progress = no_progress,
) -> TableBlock:
    """The table of one appendix; *names* holds the assigned units' and leaders' names by item."""
    ctx = names
    ctx.unit_column = any(is_unit_header(c.key.removeprefix(EXTRA_PREFIX)) for c in columns
                          if c.key.startswith(EXTRA_PREFIX))
    keys = [c.key for c in columns]
    n = len(columns)
    rows: list[Row] = []
    total = max(len(tree.items), 1)

    def group_rows(node: GroupNode) -> None:
        group = node.group
        if group is not None:
            # Label in the first column; with two numbering columns a nested group's
            # label goes to the second, as the Phù Đổng plan prints "I." under "A".
            cells = [""] * n
            label_col = 1 if node.depth > 0 and n > 2 and keys[1] == "local_number" else 0
            cells[label_col] = group.label
            cells[label_col + 1] = group.title
            rows.append(Row(cells, GROUP))
            if group.note:
                rows.append(Row([group.note] + [""] * (n - 1), NOTE))
        for item in node.items:
            rows.append(Row([read_cell(k, item, ctx) for k in keys]))
            if len(rows) % 50 == 0:
                progress(len(rows), total, "Đang lập bảng…")
        for child in node.children:
            group_rows(child)

    group_rows(tree.root)
    font_size = 12.0 if n <= 7 else 11.0
    header_rows, spans = header_grid(columns)
    return TableBlock(columns=columns, header_rows=header_rows, rows=rows, header_spans=spans, font_size=font_size)


def header_grid(columns: list[Column]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The header as the plan printed it: one row, or two when the plan had an upper cell over several columns
    ("Đơn vị thực hiện" over "Chủ trì | Phối hợp"); a column without one spans both rows."""
    keys = [c.key for c in columns]
    n = len(columns)
    number_pair = n > 2 and keys[:2] == ["number", "local_number"] and "/" in columns[0].header
    if not any(c.parent for c in columns):
        header = [c.header for c in columns]
        if not number_pair:
            return [header], []
        header[1] = ""  # "STT/chi tiết" over both numbering columns, as the plan printed it
        return [header], [(0, 0, 0, 1)]
    top: list[str] = []
    low: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    i = 0
    while i < n:
        parent = columns[i].parent
        if number_pair and i == 0:
            top += [columns[0].header, ""]
            low += ["", ""]
            spans.append((0, 0, 1, 1))
            i = 2
            continue
        if not parent:
            top.append(columns[i].header)
            low.append("")
            spans.append((0, i, 1, i))
            i += 1
            continue
        j = i
        while j + 1 < n and columns[j + 1].parent == parent:
            j += 1
        top += [parent] + [""] * (j - i)
        low += [c.header for c in columns[i:j + 1]]
        if j > i:
            spans.append((0, i, 0, j))
        i = j + 1
    return [top, low], spans


def build_appendix(
    session: Session, plan: Plan, section: str, column_keys: list[str] | None = None,
    progress: Progress = no_progress,
) -> ReportDocument:
    """Phụ lục 01 (``section="indicators"``) or 02 (``"tasks"``) of *plan*."""
    from cds_desktop.reports.loading import assigned_names, leader_names, section_tree

    tree = section_tree(session, plan, section)
    lead, coordinating = assigned_names(tree.items)
    names = CellContext(lead, coordinating, leader_names(session, tree.items))
    return appendix_document(plan, section, tree, names, column_keys, progress)


def appendix_document(
    plan: Plan, section: str, tree: SectionTree, names: CellContext, column_keys: list[str] | None = None,
    progress: Progress = no_progress,
) -> ReportDocument:
    """The appendix of *plan* from its *tree* and the *names* of its units and leaders (no database:
    the ORM path above and the light path of :mod:`.light` both end here)."""
    columns = resolve_columns(plan, section, column_keys, tree.two_level)
    label, title = appendix_heading(plan, section)
    part = Section(name=label, orientation=LANDSCAPE)
    part.add(plan_own_header(plan))
    if not title_names_appendix(title):  # "PHỤ LỤC BẢNG PHÂN CÔNG NHIỆM VỤ…" is label and title in one line
        part.add(Para(label, "label"))
    part.add(Para(title, "title"), Para(attached_line(plan), "attached"))
    for line in summary_lines(plan, section, tree):
        part.add(Para(line, "summary"))
    part.add(appendix_table(names, section, tree, columns, progress))
    doc = ReportDocument(
        title=f"{label} — {title.capitalize()}", sections=[part],
        author=f"UBND {plan.commune.kind} {plan.commune.name}", subject=plan.title,
    )
    log.info("Built %s of plan %s: %d rows, %d columns", label, plan.uuid, len(part.tables[0].rows), len(columns))
    return normalize_document(doc)  # type: ignore[return-value]
