"""The tables of the import preview: every data row of the plan tables (what it was
read as, its parsed values and warnings; the officer can exclude a row or correct a
cell, the correction is kept on the row and the draft is rebuilt), the group tree
and the units of the draft."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem, QWidget

from cds_desktop.importers.build import Analysis
from cds_desktop.importers.preview import group_lines, preview_rows, row_text, row_warnings
from cds_desktop.importers.rows import Entry
from cds_desktop.importers.tables import DetectedTable, TableRow
from cds_desktop.models import UNIT_KINDS
from cds_desktop.ui.common.table_model import Column, RowTableModel

WARN_BRUSH = QBrush(QColor("#fff3c4"))
OFF_BRUSH = QBrush(QColor("#e6e6e6"))
PreviewRow = tuple[DetectedTable, TableRow, Entry | None]


class PreviewRowsModel(RowTableModel):
    """Every data row of the plan tables: what it was read as, parsed values, warnings; editable."""

    columns = (
        Column("include", "Nhập", 50, checkable=True),
        Column("where", "Bảng / dòng", 85),
        Column("role", "Loại dòng", 95),
        Column("number", "Số", 45, editable=True),
        Column("content", "Nội dung", 300, editable=True),
        Column("lead", "Chủ trì", 160, editable=True),
        Column("coordinating", "Phối hợp", 150, editable=True),
        Column("deadline", "Thời hạn", 90, editable=True),
        Column("parsed", "Hiểu là", 150),
        Column("warnings", "Cảnh báo", 150),
    )
    alignment = None
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(None, parent)
        self.rows: list[PreviewRow] = []
        self.year: int | None = None
        self.dataChanged.connect(lambda *_args: self.changed.emit())

    def reload(self, analysis: Analysis | None) -> None:
        self.beginResetModel()
        self.rows = preview_rows(analysis) if analysis is not None else []
        self.year = analysis.draft.get("plan", {}).get("year") if analysis is not None else None
        self.endResetModel()

    def display(self, row: PreviewRow, column: Column) -> str:
        if column.key == "include":
            return ""
        table, table_row, entry = row
        return row_text(column.key, table, table_row, entry, self.year)

    def tooltip(self, row: PreviewRow, column: Column) -> str | None:
        _table, table_row, entry = row
        return "\n".join(row_warnings(table_row, entry)) or None

    def check_state(self, row: PreviewRow, column: Column) -> Qt.CheckState:
        return Qt.CheckState.Unchecked if row[1].excluded else Qt.CheckState.Checked

    def extra_data(self, row: PreviewRow, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole:
            _table, table_row, entry = row
            if table_row.excluded or table_row.role in ("skip", "header"):
                return OFF_BRUSH
            if row_warnings(table_row, entry):
                return WARN_BRUSH
        return None

    def is_editable(self, row: PreviewRow, column: Column) -> bool:
        return column.editable and row[0].col(column.key) is not None

    def edit(self, row_index: int, column: Column, value: Any, role: int) -> bool:
        table, table_row, _entry = self.rows[row_index]
        if column.checkable:
            table_row.excluded = Qt.CheckState(value) != Qt.CheckState.Checked
        else:
            table_row.edits[table.col(column.key)] = str(value)
        return True


def fill_group_tree(tree: QTreeWidget, draft: dict) -> None:
    """The groups of the draft, nested, with their item counts and notes."""
    tree.clear()
    nodes: dict[str, QTreeWidgetItem] = {}
    for key, parent_key, text, count, note in group_lines(draft):
        node = nodes[key] = QTreeWidgetItem([text, str(count), note])
        parent = nodes.get(parent_key or "")
        tree.addTopLevelItem(node) if parent is None else parent.addChild(node)
    tree.expandAll()


def fill_units_table(table: QTableWidget, units: list[dict], matches: dict[str, str | None]) -> None:
    """The units of the draft: name, kind, spellings in the file, found in the catalogue or new."""
    table.setRowCount(len(units))
    for r, spec in enumerate(units):
        match = matches.get(spec["name"])
        status = f"Đã có: {match}" if match else "Sẽ tạo mới"
        for c, text in enumerate((spec["name"], UNIT_KINDS.get(spec["kind"], spec["kind"]),
                                  "; ".join(spec["aliases"]), status)):
            table.setItem(r, c, QTableWidgetItem(text))
