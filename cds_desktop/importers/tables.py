"""Find the plan's tables in a document and give every column a meaning.

A raw table (a run of tab-separated lines, a Word table, a sheet) may hold
title rows above its header, one or several logical tables, and header rows
repeated at page breaks; a logical table may also be cut into several raw
tables (a Word table split by a page break).  :func:`segment` sorts that out
and returns the document as an ordered list of text lines and
:class:`DetectedTable` objects, whose rows :mod:`cds_desktop.importers.rows`
then reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cds_desktop.importers import headers
from cds_desktop.importers.document import Document, RawRow, RawTable
from cds_desktop.importers.headers import Column
from cds_desktop.text import clean_text, fold

KIND_LABELS = {
    "indicators": "Chỉ tiêu (Phụ lục 01)",
    "tasks": "Nhiệm vụ (Phụ lục 02)",
    "unit_plan": "Mẫu kế hoạch của đơn vị (giữ làm mẫu, không nhập dòng)",
    "other": "Bảng khác (không nhập)",
}
_HEADING = re.compile(r"^\**\s*(phụ lục|phu luc|danh mục|biểu|bảng)\b", re.I)


@dataclass
class TableRow:
    """A data row of a detected table, with what the officer changed in the preview."""

    cells: list[str]
    refs: list[int]
    vmerged: set[int] = field(default_factory=set)
    role: str = "item"  # item | group | note | continuation | header | skip
    warnings: list[str] = field(default_factory=list)
    excluded: bool = False  # officer: leave this row out
    merge_up: bool = False  # officer: this row continues the row above
    edits: dict[int, str] = field(default_factory=dict)  # officer: fixed cells
    notes: list[str] = field(default_factory=list)  # the reader's guesses about the row (RawRow.notes)

    def value(self, index: int | None) -> str:
        if index is None:
            return ""
        if index in self.edits:
            return self.edits[index]
        return self.cells[index] if 0 <= index < len(self.cells) else ""

    @property
    def ref(self) -> int:
        return self.refs[0] if self.refs else 0


@dataclass
class DetectedTable:
    """A logical table: its header, the meaning of its columns, its rows and the heading above it."""

    number: int
    origin: RawTable
    header_rows: list[RawRow]
    columns: list[Column]
    rows: list[TableRow]
    heading: list[str] = field(default_factory=list)  # lines between the previous table and this one
    kind: str = "other"
    kind_locked: bool = False  # officer chose the kind
    kind_unsure: bool = False  # neither the title, the headers nor the cells say clearly what the table holds
    declared_total: int | None = None  # a "Tổng cộng" row at the bottom

    def col(self, name: str) -> int | None:
        for column in self.columns:
            if column.field == name:
                return column.index
        return None

    @property
    def header_text(self) -> str:
        return " | ".join(c.header for c in self.columns if c.header)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def describe(self) -> str:
        refs = [r.ref for r in self.header_rows] + [r.ref for r in self.rows if r.refs]
        if self.origin.origin == "text" and refs:
            return f"dòng {min(refs)}–{max(refs)}"
        return self.origin.describe()

    def set_field(self, index: int, field_name: str) -> None:
        """The officer changes what a column means; a field held by another column moves here."""
        if field_name in headers.UNIQUE_FIELDS:
            for column in self.columns:
                if column.field == field_name and column.index != index:
                    column.field = "extra" if column.header else "ignore"
        self.columns[index].field = field_name
        self.columns[index].score = 100


@dataclass
class Layout:
    """The document in order: text lines (``str``) and detected tables."""

    name: str
    origin: str
    segments: list[str | DetectedTable]
    notes: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[DetectedTable]:
        return [s for s in self.segments if isinstance(s, DetectedTable)]

    @property
    def lines(self) -> list[str]:
        return [s for s in self.segments if isinstance(s, str)]


def _row_text(row: RawRow) -> str:
    return " ".join(c.strip() for c in row.cells if c.strip())


def _flatten(table: RawTable) -> list[str]:
    """Lines of a table that is not a plan table (layout tables: national motto, signature)."""
    width = table.width
    order = (
        [(r, c) for c in range(width) for r in range(len(table.rows))]
        if width <= 3 else [(r, c) for r in range(len(table.rows)) for c in range(width)]
    )
    lines: list[str] = []
    for r, c in order:
        text = table.rows[r].cell(c)
        if text.strip():
            lines.extend(text.split("\n"))
    return lines


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.segments: list[str | DetectedTable] = []
        self.current: DetectedTable | None = None
        self.data: list[RawRow] = []
        self.count = 0
        self.lines_since_table: list[str] = []

    def add_line(self, line: str) -> None:
        self.segments.append(line)
        if line.strip():
            self.lines_since_table.append(line)

    def close(self) -> None:
        if self.current is not None:
            _finish(self.current, self.data)
            self.current, self.data = None, []

    def start(self, raw: RawTable, header_rows: list[RawRow]) -> None:
        self.close()
        self.count += 1
        lines = self.lines_since_table
        starts = [i for i, line in enumerate(lines)
                  if re.match(r"^\W*(phụ lục|phu luc|biểu\s*(số\s*)?\d{1,2}\b)", line, re.I)]
        heading = lines[starts[-1]:] if starts else lines[-6:]
        self.current = DetectedTable(self.count, raw, header_rows, [], [], heading)
        self.segments.append(self.current)
        self.lines_since_table = []

    def take_heading_rows(self) -> list[RawRow]:
        """Rows at the end of the current table that are the next table's heading
        ("Phụ lục 2", "DANH MỤC ...", "(Kèm theo ...)", "Tổng số ..."), in one sheet or Word table."""
        cut = len(self.data)
        while cut > 0:
            row = self.data[cut - 1]
            filled = row.filled
            if len(filled) != 1 or len(row.cells[filled[0]]) > 2000:
                break
            cut -= 1
        heading = self.data[cut:]
        if not any(_HEADING.match(r.cells[r.filled[0]].strip()) or
                   re.search(r"(?i)kèm theo|tổng số", r.cells[r.filled[0]]) for r in heading):
            return []
        starts = [i for i, r in enumerate(heading) if _HEADING.match(r.cells[r.filled[0]].strip())
                  or re.search(r"(?i)kèm theo", r.cells[r.filled[0]])]
        heading = heading[starts[0]:] if starts else heading
        del self.data[len(self.data) - len(heading):]
        return heading

    def continues(self, raw: RawTable, first: RawRow) -> bool:
        """Whether *raw* carries on the previous logical table (split by a page break)."""
        last = next((s for s in reversed(self.segments) if isinstance(s, DetectedTable)), None)
        if last is None or last.kind == "other":
            return False
        between = [line for line in self.lines_since_table if line.strip()]
        if len(between) > 2 or any(_HEADING.match(line) or len(line) > 80 for line in between):
            return False
        if headers.is_header_row(first):
            return headers.repeats_header(first, last.header_rows) and (
                headers.header_signature([first]) == headers.header_signature(last.header_rows[:1])
            )
        return abs(raw.width - len(last.columns)) <= 2

    def feed(self, raw: RawTable) -> None:
        rows = raw.rows
        if rows and self.continues(raw, rows[0]):
            last = next(s for s in reversed(self.segments) if isinstance(s, DetectedTable))
            if self.current is not last:
                self.close()
                self.current, self.data = last, _raw_data(last)
                last.rows = []
            self.lines_since_table = []
        i = 0
        preamble: list[RawRow] = []
        while i < len(rows):
            row = rows[i]
            if self.current is None or (headers.is_header_row(row) and not headers.same_header(
                    row, self.current.header_rows)):
                if headers.is_header_row(row):
                    if self.current is not None:  # title lines of the next table ended up as rows
                        preamble = self.take_heading_rows()
                    for pre in preamble:
                        self.add_line(_row_text(pre))
                    preamble = []
                    header_rows = [row]
                    while i + 1 < len(rows) and (headers.is_sub_header_row(rows[i + 1]) or
                                                 headers.is_column_index_row(rows[i + 1])):
                        if headers.is_sub_header_row(rows[i + 1]):
                            header_rows.append(rows[i + 1])
                        i += 1
                    self.start(raw, header_rows)
                elif self.current is None:
                    preamble.append(row)
                else:
                    self.data.append(row)
            else:
                self.data.append(row)
            i += 1
        if preamble:  # a table without any header: layout or unknown table
            for line in _flatten(RawTable(preamble, raw.origin, raw.index, raw.sheet)):
                self.add_line(line)


def _raw_data(table: DetectedTable) -> list[RawRow]:
    return ([RawRow(r.cells, r.ref, vmerged=set(r.vmerged), notes=list(r.notes)) for r in table.rows if r.refs]
            if table.rows else [])


def _finish(table: DetectedTable, data: list[RawRow]) -> None:
    table.columns = headers.map_columns(table.header_rows, data)
    width = len(table.columns)
    table.rows = []
    for raw in data:
        cells = list(raw.cells)
        extra = [c for c in cells[width:] if c.strip()]
        cells = (cells + [""] * width)[:width]
        row = TableRow(cells, [raw.ref], set(raw.vmerged), notes=list(raw.notes))
        row.warnings.extend(raw.notes)  # kept when the rows are read again (rows.interpret)
        if extra:
            row.cells[-1] = " ".join([row.cells[-1], *extra]).strip()
            row.warnings.append("Dòng có nhiều ô hơn tiêu đề bảng: có thể các ô bị lệch cột, hãy kiểm tra.")
        table.rows.append(row)
    title = appendix_title(table.heading)
    table.kind = headers.classify(table.columns, title, data)
    if table.kind in ("indicators", "tasks"):
        indicator, task = headers.kind_scores(table.columns, title, data)
        table.kind_unsure = abs(indicator - task) <= 1
    if table.kind == "indicators" and table.col("target") is None:
        result = table.col("expected_result")
        if result is not None and headers.targetish(data, result):
            table.columns[result].field = "target"
            table.columns[result].inferred = "các ô của cột là chỉ tiêu đo được (≥, %, số)"


def appendix_title(heading: list[str]) -> str:
    """The words of an appendix heading that say what the table holds: from the "Phụ lục" line on, without
    the "(Kèm theo …)" line, the totals and the body text above (the last three lines when there is no label)."""
    lines = [clean_text(line) for line in heading if line.strip()]
    starts = [i for i, line in enumerate(lines) if _HEADING.match(line) or re.match(r"(?i)^\W*danh (mục|sách)", line)]
    lines = lines[starts[0]:] if starts else lines[-3:]
    return " ".join(line for line in lines if len(line) <= 300 and not re.match(
        r"(?i)^\W*(\(?\s*kèm theo|tổng số|tổng cộng|trong đó)", line))


def segment(doc: Document) -> Layout:
    """The document's text lines and detected tables, in order (rows not yet interpreted)."""
    builder = _Builder(doc)
    for block in doc.blocks:
        if isinstance(block, RawTable):
            builder.feed(block)
        else:
            if builder.current is not None and block.strip():
                builder.close()  # text between tables ends the table
            for line in block.split("\n"):
                builder.add_line(line)
    builder.close()
    return Layout(doc.name, doc.origin, builder.segments, list(doc.notes))


def heading_text(table: DetectedTable) -> str:
    return clean_text(" ".join(table.heading))


def is_placeholder(text: str) -> bool:
    """Template placeholders such as "Chỉ tiêu số.....:"."""
    return bool(re.search(r"\.{4,}|…{2,}", text)) and len(fold(text)) < 40
