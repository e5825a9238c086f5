"""Qt item models of the tracking screens, on the one table-model base.

Read-only tables over plain rows from :mod:`cds_desktop.services.tracking`
(warnings, units missing reports, coming deadlines, items behind a figure,
the completeness matrix) and the editable month-entry table.  Every row
knows the item uuids behind it (``ITEMS_ROLE``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from cds_desktop.services.common import ServiceError
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.completeness import Completeness
from cds_desktop.services.tracking.dashboard import ItemLine, MissingUnit, Upcoming
from cds_desktop.services.tracking.month import MonthRow
from cds_desktop.services.tracking.warnings import StatusWarning
from cds_desktop.ui.common.table_model import Column, Index, RowTableModel
from cds_desktop.ui.month.marks import (  # noqa: F401 (imported from here by the screens)
    CELL_COLORS,
    CELL_LEGEND,
    CELL_MARKS,
    ITEM_LINE_COLUMNS,
    ITEMS_ROLE,
    KEY_ROLE,
    MISSING_COLUMNS,
    UPCOMING_COLUMNS,
    WARNING_COLORS,
    WARNING_COLUMNS,
)

log = logging.getLogger(__name__)



def fmt_day(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class RowsModel(RowTableModel):
    """Read-only tracking table: every row knows the item uuids behind it (``ITEMS_ROLE``)."""

    alignment = None

    def tooltip(self, row: Any, column: Column) -> str | None:
        text = self.display(row, column)
        return text if len(text) > 40 else None

    def items_of(self, row: Any) -> Sequence[str]:
        return ()

    def extra_data(self, row: Any, column: Column, role: int):
        if role == ITEMS_ROLE:
            return list(self.items_of(row))
        return None

    def items_at(self, row: int) -> list[str]:
        return list(self.items_of(self.rows[row])) if 0 <= row < len(self.rows) else []


class WarningsModel(RowsModel):
    columns = WARNING_COLUMNS

    def display(self, row: StatusWarning, column: Column) -> str:
        if column.key == "kind":
            return row.kind_label
        if column.key == "item":
            return f"{'Nhiệm vụ' if row.item_kind == 'task' else 'Chỉ tiêu'} {row.item_ref}"
        if column.key == "unit":
            return row.unit_short or row.unit_name
        return row.message

    def tooltip(self, row: StatusWarning, column: Column) -> str | None:
        return f"{row.text}\n{row.item_content}"

    def items_of(self, row: StatusWarning) -> Sequence[str]:
        return (row.item_uuid,)

    def extra_data(self, row: StatusWarning, column: Column, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "kind":
            return QBrush(QColor(WARNING_COLORS[row.kind]))
        if role == Qt.ItemDataRole.FontRole and column.key == "kind":
            font = QFont()
            font.setBold(True)
            return font
        return super().extra_data(row, column, role)


class MissingUnitsModel(RowsModel):
    columns = MISSING_COLUMNS

    def display(self, row: MissingUnit, column: Column) -> str:
        return str(len(row.items)) if column.key == "items" else super().display(row, column)

    def items_of(self, row: MissingUnit) -> Sequence[str]:
        return row.items


class UpcomingModel(RowsModel):
    columns = UPCOMING_COLUMNS

    def __init__(self, parent=None) -> None:
        super().__init__(None, parent)
        self.today = date.today()

    def display(self, row: Upcoming, column: Column) -> str:
        if column.key == "day":
            return fmt_day(row.day)
        if column.key == "left":
            days = (row.day - self.today).days
            return "hôm nay" if days == 0 else f"{days} ngày"
        return row.text

    def items_of(self, row: Upcoming) -> Sequence[str]:
        return row.uuids

    def extra_data(self, row: Upcoming, column: Column, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and row.kind == "task":
            return QBrush(QColor("#1565c0"))
        return super().extra_data(row, column, role)


class ItemListModel(RowsModel):
    columns = ITEM_LINE_COLUMNS

    def display(self, row: ItemLine, column: Column) -> str:
        if column.key == "kind":
            return "Nhiệm vụ" if row.kind == "task" else "Chỉ tiêu"
        return super().display(row, column)

    def items_of(self, row: ItemLine) -> Sequence[str]:
        return (row.uuid,)


class CompletenessModel(RowsModel):
    """Units x reporting periods (only the periods someone had to report for), then the rate."""

    def __init__(self, parent=None) -> None:
        super().__init__(None, parent)
        self.matrix: Completeness | None = None
        self.codes: list[str] = []
        self.columns = (Column("unit", "Đơn vị"), Column("rate", "Tỷ lệ"))

    def set_matrix(self, matrix: Completeness, today: date | None = None) -> None:
        """Show the periods someone had to report for (up to the one containing *today*)."""
        self.beginResetModel()
        self.matrix = matrix
        self.codes = [p.code for p in matrix.periods
                      if any(u.cell(p.code).state != codes.NOT_REQUIRED for u in matrix.units)
                      and (today is None or p.start <= today)]
        self.columns = (Column("unit", "Đơn vị"),
                        *[Column(c, f"T{int(c[-2:])}" if c[-2:].isdigit() else c, align=int(Qt.AlignmentFlag.AlignCenter))
                          for c in self.codes],
                        Column("rate", "Tỷ lệ"))
        self.rows = list(matrix.units)
        self.endResetModel()

    def display(self, row, column: Column) -> str:
        if column.key == "unit":
            return row.short_name or row.name
        if column.key == "rate":
            return "—" if row.rate is None else f"{row.rate:.0f}%"
        return CELL_MARKS[row.cell(column.key).state]

    def tooltip(self, row, column: Column) -> str | None:
        if column.key == "unit":
            return row.name
        if column.key == "rate":
            return None
        cell = row.cell(column.key)
        received = f", nhận ngày {fmt_day(cell.first_received)}" if cell.first_received else ""
        return f"{row.name} — {column.key}: {cell.label} ({cell.received}/{cell.expected} mục{received})"

    def extra_data(self, row, column: Column, role: int):
        if role == Qt.ItemDataRole.BackgroundRole and column.key not in ("unit", "rate"):
            return QBrush(QColor(CELL_COLORS[row.cell(column.key).state]))
        return super().extra_data(row, column, role)


# --------------------------------------------------------------------------
# Month entry


TIPS = {"figure": "% hoàn thành (nhiệm vụ) hoặc số liệu (chỉ tiêu): 45/60, 12,5, Có/Không",
        "difficulties": "Khó khăn, vướng mắc", "proposals": "Đề xuất, kiến nghị",
        "previous": "Trạng thái hoặc số liệu kỳ trước"}
ENTRY_COLUMNS = tuple(
    Column(key, header, width, editable=editable, tip=TIPS.get(key))
    for key, header, width, editable in (
        ("ref", "STT", 50, False),  # "figure": % for tasks, the figure for indicators
        ("content", "Nội dung", 200, False),
        ("unit", "Đơn vị", 118, False),
        ("previous", "Kỳ trước", 128, False),
        ("status", "Trạng thái", 124, True),
        ("figure", "% HT / Số liệu", 106, True),
        ("result", "Kết quả / Ghi chú", 165, True),
        ("difficulties", "Khó khăn", 110, True),
        ("proposals", "Đề xuất", 105, True),
        ("data_source", "Nguồn số liệu", 100, True),
        ("received_on", "Ngày nhận", 86, True),
        ("source", "Hình thức", 100, True),
    )
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(ENTRY_COLUMNS)}
READ_ONLY_BG = QColor("#f3f4f6")
NOT_APPLICABLE_BG = QColor("#e0e3e8")
MISSING_BG = QColor("#fff4d6")
REFUSED_BG = QColor("#fde0e0")
LOCKED_BG = QColor("#eceff1")
LOCKED_MESSAGE = "Kỳ này đã khóa: bấm «Mở khóa…» và nêu lý do để sửa."

Saver = Callable[[MonthRow, str, str], MonthRow]


class MonthEntryModel(RowTableModel):
    """The reports expected for one period; editing a cell saves it at once (one session per edit)."""

    errorOccurred = Signal(str)  # a Vietnamese message: the edit was refused
    rowSaved = Signal(int)
    columns = ENTRY_COLUMNS
    alignment = None

    def __init__(self, saver: Saver | None = None, parent=None) -> None:
        super().__init__(None, parent)
        self.saver = saver
        self.locked = False
        self.locked_message = LOCKED_MESSAGE  # what a key pressed on a locked cell says
        # Text the officer typed that was refused, kept in its cell for correction:
        # (row key, column) -> (text, Vietnamese reason).
        self.refused: dict[tuple, tuple[str, str]] = {}

    def set_rows(self, rows: Sequence[MonthRow], locked: bool = False, message: str = "") -> None:
        """*locked*: a locked period or a received commune's plan (*message* says why, else LOCKED_MESSAGE)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.locked = locked
        self.locked_message = message or LOCKED_MESSAGE
        self.refused = {}
        self.endResetModel()

    def refused_text(self, index: Index) -> str | None:
        """The refused text shown in *index*'s cell, if any."""
        if not self.valid(index):
            return None
        entry = self.refused.get((self.rows[index.row()].key, self.columns[index.column()].key))
        return entry[0] if entry else None

    def field(self, row: MonthRow, column: Column) -> str:
        if column.key == "figure" and row.kind == "task":
            return "percent"
        return column.key

    def is_editable(self, row: MonthRow, column: Column) -> bool:
        return column.editable and not self.locked and row.editable(self.field(row, column))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        refused = self.refused.get((self.rows[index.row()].key, self.columns[index.column()].key)) \
            if self.valid(index) else None
        if refused is not None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return refused[0]
            if role == Qt.ItemDataRole.ToolTipRole:
                return refused[1]
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(REFUSED_BG)
        return super().data(index, role)

    def extra_data(self, row: MonthRow, column: Column, role: int):
        if role == KEY_ROLE:
            return row.key
        if role == ITEMS_ROLE:
            return [row.item.uuid]
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "status" and row.kind == "indicator":
            return QBrush(QColor("#5f6b7a"))
        return None

    def display(self, row: MonthRow, column: Column) -> str:
        key = column.key
        if key == "ref":
            return row.item.ref
        if key == "content":
            return row.item.content
        if key == "unit":
            return row.unit_short or row.unit_name
        if key == "previous":
            return row.previous
        if key == "status":
            if row.kind == "indicator":
                return f"Chỉ tiêu {row.item.target_display}".strip()
            return codes.status_label(row.status) if row.has_report else ""
        if key == "figure":
            if row.kind == "task":
                return "" if row.percent is None else f"{row.percent}%"
            return row.figure_text
        if key == "received_on":
            return fmt_day(row.received_on)
        if key == "source":
            return codes.SOURCE_LABELS.get(row.source or "", "")
        return str(getattr(row, key, "") or "")

    def edit_text(self, row: MonthRow, column: Column) -> str:
        if column.key == "figure" and row.kind == "task":
            return "" if row.percent is None else str(row.percent)
        return self.display(row, column)

    def tooltip(self, row: MonthRow, column: Column) -> str | None:
        key = column.key
        if key in ("content", "ref"):
            return f"{row.item.title}\n{row.item.content}"
        if key == "unit":
            return row.unit_name
        if key == "figure" and row.kind == "indicator":
            return "Nhập tử số/mẫu số (45/60), một số (12,5) hoặc Có/Không"
        if key == "status" and row.kind == "task":
            return "Chọn trạng thái; để trống thì theo % hoàn thành"
        text = self.display(row, column)
        return text if len(text) > 30 else None

    def background(self, row: MonthRow, column: Column):
        if not column.editable:
            return QBrush(READ_ONLY_BG)
        if self.locked:  # nothing to enter: no "missing" yellow either
            return QBrush(LOCKED_BG)
        if not row.editable(self.field(row, column)):
            return QBrush(NOT_APPLICABLE_BG)
        if row.expected and not row.has_report:
            return QBrush(MISSING_BG)
        return None

    def edit(self, row_index: int, column: Column, value: Any, role: int) -> bool:
        if self.saver is None:
            return False
        row = self.rows[row_index]
        text = "" if value is None else str(value)
        cell = (row.key, column.key)
        if cell not in self.refused and text == self.edit_text(row, column) and row.has_report:
            return False
        try:
            new = self.saver(row, self.field(row, column), text)
        except ServiceError as exc:
            self.refused[cell] = (text, str(exc))
            changed = self.index(row_index, self.columns.index(column))
            self.dataChanged.emit(changed, changed)
            self.errorOccurred.emit(str(exc))
            return False
        self.refused.pop(cell, None)
        self.rows[row_index] = new
        self.dataChanged.emit(self.index(row_index, 0), self.index(row_index, len(self.columns) - 1))
        self.rowSaved.emit(row_index)
        return True
