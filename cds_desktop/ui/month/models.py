"""Qt item models of the tracking screens: one QAbstractTableModel per table.

Read-only tables over plain rows from :mod:`cds_desktop.services.tracking`
(warnings, units missing reports, coming deadlines, items behind a figure,
the completeness matrix) and the editable month-entry table.  Every row
knows the item uuids behind it (``ITEMS_ROLE``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from cds_desktop.services.common import ServiceError
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.completeness import Completeness
from cds_desktop.services.tracking.dashboard import ItemLine, MissingUnit, Upcoming
from cds_desktop.services.tracking.month import MonthRow
from cds_desktop.services.tracking.warnings import StatusWarning

log = logging.getLogger(__name__)

ITEMS_ROLE = Qt.ItemDataRole.UserRole + 10  # list of item uuids behind a row
KEY_ROLE = Qt.ItemDataRole.UserRole + 11  # the row's key
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

WARNING_COLORS = {codes.OVERDUE: "#c62828", codes.MISSING_REPORT: "#ad1457", codes.BEHIND_SCHEDULE: "#e65100",
                  codes.AT_RISK: "#6a1b9a", codes.DUE_SOON: "#1565c0"}
CELL_COLORS = {codes.ON_TIME: "#c8e6c9", codes.LATE: "#ffe0b2", codes.MISSING: "#ffcdd2",
               codes.PENDING: "#eceff1", codes.NOT_REQUIRED: "#ffffff"}
CELL_MARKS = {codes.ON_TIME: "✓", codes.LATE: "M", codes.MISSING: "✗", codes.PENDING: "·",
              codes.NOT_REQUIRED: "–"}
CELL_LEGEND = "✓ đúng hạn · M muộn · ✗ thiếu · · chưa đến hạn · – không yêu cầu"


def fmt_day(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class RowsModel(QAbstractTableModel):
    """Read-only table over ``self.rows``; subclasses say what each column shows."""

    headers: Sequence[str] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def valid(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self.rows) and 0 <= index.column() < self.columnCount()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        if role == ITEMS_ROLE:
            return list(self.items_of(row))
        return self.extra(row, index.column(), role)

    # hooks
    def display(self, row: Any, column: int) -> str:
        return ""

    def tooltip(self, row: Any, column: int) -> str | None:
        text = self.display(row, column)
        return text if len(text) > 40 else None

    def items_of(self, row: Any) -> Sequence[str]:
        return ()

    def extra(self, row: Any, column: int, role: int):
        return None

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def items_at(self, row: int) -> list[str]:
        return list(self.items_of(self.rows[row])) if 0 <= row < len(self.rows) else []


class WarningsModel(RowsModel):
    headers = ("Loại", "Mục", "Đơn vị", "Cảnh báo")

    def display(self, row: StatusWarning, column: int) -> str:
        kind = "Nhiệm vụ" if row.item_kind == "task" else "Chỉ tiêu"
        return (row.kind_label, f"{kind} {row.item_ref}", row.unit_short or row.unit_name, row.message)[column]

    def tooltip(self, row: StatusWarning, column: int) -> str | None:
        return f"{row.text}\n{row.item_content}"

    def items_of(self, row: StatusWarning) -> Sequence[str]:
        return (row.item_uuid,)

    def extra(self, row: StatusWarning, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(QColor(WARNING_COLORS[row.kind]))
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        return None


class MissingUnitsModel(RowsModel):
    headers = ("Đơn vị", "Kỳ chưa gửi", "Mục")

    def display(self, row: MissingUnit, column: int) -> str:
        return (row.name, row.periods_text, str(len(row.items)))[column]

    def items_of(self, row: MissingUnit) -> Sequence[str]:
        return row.items

    def extra(self, row: MissingUnit, column: int, role: int):
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class UpcomingModel(RowsModel):
    headers = ("Ngày", "Còn", "Nội dung")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.today = date.today()

    def display(self, row: Upcoming, column: int) -> str:
        days = (row.day - self.today).days
        left = "hôm nay" if days == 0 else f"{days} ngày"
        return (fmt_day(row.day), left, row.text)[column]

    def items_of(self, row: Upcoming) -> Sequence[str]:
        return row.uuids

    def extra(self, row: Upcoming, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and row.kind == "task":
            return QBrush(QColor("#1565c0"))
        return None


class ItemListModel(RowsModel):
    headers = ("Loại", "Số", "Nội dung", "Tình trạng", "Chi tiết")

    def display(self, row: ItemLine, column: int) -> str:
        kind = "Nhiệm vụ" if row.kind == "task" else "Chỉ tiêu"
        return (kind, row.ref, row.content, row.state, row.detail)[column]

    def items_of(self, row: ItemLine) -> Sequence[str]:
        return (row.uuid,)


class CompletenessModel(RowsModel):
    """Units x reporting periods (only the periods someone had to report for), then the rate."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.matrix: Completeness | None = None
        self.codes: list[str] = []
        self.headers = ("Đơn vị", "Tỷ lệ")

    def set_matrix(self, matrix: Completeness, today: date | None = None) -> None:
        """Show the periods someone had to report for (up to the one containing *today*)."""
        self.beginResetModel()
        self.matrix = matrix
        self.codes = [p.code for p in matrix.periods
                      if any(u.cell(p.code).state != codes.NOT_REQUIRED for u in matrix.units)
                      and (today is None or p.start <= today)]
        self.headers = ("Đơn vị", *[f"T{int(c[-2:])}" if c[-2:].isdigit() else c for c in self.codes], "Tỷ lệ")
        self.rows = list(matrix.units)
        self.endResetModel()

    def display(self, row, column: int) -> str:
        if column == 0:
            return row.short_name or row.name
        if column == len(self.headers) - 1:
            return "—" if row.rate is None else f"{row.rate:.0f}%"
        return CELL_MARKS[row.cell(self.codes[column - 1]).state]

    def tooltip(self, row, column: int) -> str | None:
        if column == 0:
            return row.name
        if 0 < column < len(self.headers) - 1:
            cell = row.cell(self.codes[column - 1])
            received = f", nhận ngày {fmt_day(cell.first_received)}" if cell.first_received else ""
            return f"{row.name} — {self.codes[column - 1]}: {cell.label} ({cell.received}/{cell.expected} mục{received})"
        return None

    def extra(self, row, column: int, role: int):
        if 0 < column < len(self.headers) - 1:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(CELL_COLORS[row.cell(self.codes[column - 1]).state]))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        return None


# --------------------------------------------------------------------------
# Month entry


@dataclass(frozen=True)
class EntryColumn:
    key: str  # a MonthRow field ("figure" = % for tasks, the figure for indicators)
    header: str
    width: int


ENTRY_COLUMNS = (
    EntryColumn("ref", "STT", 50),
    EntryColumn("content", "Nội dung", 200),
    EntryColumn("unit", "Đơn vị", 118),
    EntryColumn("previous", "Kỳ trước", 128),
    EntryColumn("status", "Trạng thái", 124),
    EntryColumn("figure", "% HT / Số liệu", 106),
    EntryColumn("result", "Kết quả / Ghi chú", 165),
    EntryColumn("difficulties", "Khó khăn", 110),
    EntryColumn("proposals", "Đề xuất", 105),
    EntryColumn("data_source", "Nguồn số liệu", 100),
    EntryColumn("received_on", "Ngày nhận", 86),
    EntryColumn("source", "Hình thức", 100),
)
HEADER_TIPS = {"figure": "% hoàn thành (nhiệm vụ) hoặc số liệu (chỉ tiêu): 45/60, 12,5, Có/Không",
               "difficulties": "Khó khăn, vướng mắc", "proposals": "Đề xuất, kiến nghị",
               "previous": "Trạng thái hoặc số liệu kỳ trước"}
COLUMN_INDEX = {c.key: i for i, c in enumerate(ENTRY_COLUMNS)}
READ_ONLY_BG = QColor("#f3f4f6")
NOT_APPLICABLE_BG = QColor("#e0e3e8")
MISSING_BG = QColor("#fff4d6")
REFUSED_BG = QColor("#fde0e0")

Saver = Callable[[MonthRow, str, str], MonthRow]


class MonthEntryModel(QAbstractTableModel):
    """The reports expected for one period; editing a cell saves it at once (one session per edit)."""

    errorOccurred = Signal(str)  # a Vietnamese message: the edit was refused
    rowSaved = Signal(int)

    def __init__(self, saver: Saver | None = None, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[MonthRow] = []
        self.saver = saver
        self.locked = False
        # Text the officer typed that was refused, kept in its cell for correction:
        # (row key, column) -> (text, Vietnamese reason).
        self.refused: dict[tuple, tuple[str, str]] = {}

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(ENTRY_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(ENTRY_COLUMNS)
        if role == Qt.ItemDataRole.ToolTipRole and horizontal:
            return HEADER_TIPS.get(ENTRY_COLUMNS[section].key, ENTRY_COLUMNS[section].header)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if horizontal:
            return ENTRY_COLUMNS[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return str(section + 1)
        return None

    def set_rows(self, rows: Sequence[MonthRow], locked: bool = False) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.locked = locked
        self.refused = {}
        self.endResetModel()

    def refused_text(self, index: Index) -> str | None:
        """The refused text shown in *index*'s cell, if any."""
        if not self._valid(index):
            return None
        entry = self.refused.get((self.rows[index.row()].key, index.column()))
        return entry[0] if entry else None

    def field(self, row: MonthRow, column: int) -> str:
        key = ENTRY_COLUMNS[column].key
        if key == "figure" and row.kind == "task":
            return "percent"
        return key

    def is_editable(self, index: Index) -> bool:
        if self.locked or not self._valid(index):
            return False
        row = self.rows[index.row()]
        return row.editable(self.field(row, index.column()))

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if self.is_editable(index) else flags

    def _valid(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self.rows) and 0 <= index.column() < len(ENTRY_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self._valid(index):
            return None
        row, column = self.rows[index.row()], index.column()
        key = ENTRY_COLUMNS[column].key
        refused = self.refused.get((row.key, column))
        if refused is not None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return refused[0]
            if role == Qt.ItemDataRole.ToolTipRole:
                return refused[1]
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(REFUSED_BG)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, key)
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, key)
        if role == KEY_ROLE:
            return row.key
        if role == ITEMS_ROLE:
            return [row.item.uuid]
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and key == "status" and row.kind == "indicator":
            return QBrush(QColor("#5f6b7a"))
        return None

    def display(self, row: MonthRow, key: str) -> str:
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

    def edit_text(self, row: MonthRow, key: str) -> str:
        if key == "figure" and row.kind == "task":
            return "" if row.percent is None else str(row.percent)
        return self.display(row, key)

    def tooltip(self, row: MonthRow, key: str) -> str | None:
        if key in ("content", "ref"):
            return f"{row.item.title}\n{row.item.content}"
        if key == "unit":
            return row.unit_name
        if key == "figure" and row.kind == "indicator":
            return "Nhập tử số/mẫu số (45/60), một số (12,5) hoặc Có/Không"
        if key == "status" and row.kind == "task":
            return "Chọn trạng thái; để trống thì theo % hoàn thành"
        text = self.display(row, key)
        return text if len(text) > 30 else None

    def background(self, row: MonthRow, column: int):
        key = ENTRY_COLUMNS[column].key
        if key in ("ref", "content", "unit", "previous"):
            return QBrush(READ_ONLY_BG)
        if not row.editable(self.field(row, column)):
            return QBrush(NOT_APPLICABLE_BG)
        if row.expected and not row.has_report:
            return QBrush(MISSING_BG)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.is_editable(index) or self.saver is None:
            return False
        row = self.rows[index.row()]
        text = "" if value is None else str(value)
        cell = (row.key, index.column())
        if cell not in self.refused and text == self.edit_text(row, ENTRY_COLUMNS[index.column()].key) \
                and row.has_report:
            return False
        try:
            new = self.saver(row, self.field(row, index.column()), text)
        except ServiceError as exc:
            self.refused[cell] = (text, str(exc))
            self.dataChanged.emit(index, index)
            self.errorOccurred.emit(str(exc))
            return False
        self.refused.pop(cell, None)
        self.rows[index.row()] = new
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(ENTRY_COLUMNS) - 1))
        self.rowSaved.emit(index.row())
        return True

    def row_at(self, row: int) -> MonthRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None
