"""Qt models of the exchange screen: the import preview (one row per record or
workbook row, with the officer's choice for conflicts), the side-by-side view of
one conflict, and the exchange history.  Rows are plain data built from the
exchange services' results (:func:`package_rows`, :func:`workbook_rows`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from cds_desktop.exchange.history import HistoryRow, load_history
from cds_desktop.ui.common.table_model import Column, QueryTableModel, RowTableModel
from cds_desktop.ui.exchange.preview_rows import (  # noqa: F401 (the screen's and the tests' names)
    ACTION_LABELS,
    WORKBOOK_CHOICES,
    PreviewRow,
    package_rows,
    workbook_rows,
)

STATUS_COLORS = {"conflict": "#fde7c7", "invalid": "#f8d7da", "rejected": "#f8d7da", "new": "#e2f0d9",
                 "create": "#e2f0d9", "changed": "#ddebf7", "update": "#ddebf7", "delete": "#eeeeee"}

class PreviewModel(RowTableModel):
    columns = (
        Column("status_label", "Kết quả", 110),
        Column("file", "Tệp", 200, tooltip=True),
        Column("place", "Bảng / vị trí", 130, tooltip=True),
        Column("label", "Nội dung", 360, tooltip=True),
        Column("detail", "Ghi chú", 280, tooltip=True),
        Column("choice_label", "Lựa chọn", 160),
    )

    def extra_data(self, row: PreviewRow, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and column.key == "status_label":
            color = STATUS_COLORS.get(row.status)
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.FontRole and column.key == "choice_label" and row.is_conflict and not row.choice:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setItalic(True)
            return font
        return None

    def set_choice(self, row_index: int, choice: str) -> bool:
        row = self.row_at(row_index)
        if row is None or choice not in row.choices:
            return False
        row.choice = choice
        index = self.index(row_index, len(self.columns) - 1)
        self.dataChanged.emit(index, index)
        return True

    def set_all(self, choice: str) -> int:
        changed = 0
        for row in self.rows:
            if row.is_conflict and choice in row.choices:
                row.choice = choice
                changed += 1
        if self.rows:
            self.dataChanged.emit(self.index(0, len(self.columns) - 1),
                                  self.index(len(self.rows) - 1, len(self.columns) - 1))
        return changed

    def resolutions(self) -> dict[str, str]:
        return {row.uuid: row.choice for row in self.rows if row.is_conflict and row.choice}


@dataclass(frozen=True)
class FieldRow:
    uuid: str
    field: str
    mine: str
    theirs: str


class ConflictModel(RowTableModel):
    """The two versions of one conflicting record, field by field."""

    columns = (
        Column("field", "Thông tin", 150),
        Column("mine", "Trên máy này", 300, tooltip=True),
        Column("theirs", "Trong tệp nhận được", 300, tooltip=True),
    )

    def __init__(self, parent=None) -> None:
        super().__init__(None, parent)
        self.mine_header = "Trên máy này"
        self.theirs_header = "Trong tệp nhận được"

    def show_row(self, row: PreviewRow | None, *, workbook: bool = False) -> None:
        self.mine_header = "Số liệu đã có" if workbook else "Trên máy này"
        self.theirs_header = "Đơn vị báo cáo trong phiếu" if workbook else "Trong gói dữ liệu"
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 1, 2)
        fields = row.fields if row is not None else []
        self.set_rows([FieldRow(f"{i}", f, a, b) for i, (f, a, b) in enumerate(fields)])

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section in (1, 2):
            return self.mine_header if section == 1 else self.theirs_header
        return super().headerData(section, orientation, role)

    def extra_data(self, row: FieldRow, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and column.key in ("mine", "theirs"):
            return QColor("#eef5fb" if column.key == "mine" else "#fdf3e1")
        return None


class HistoryModel(QueryTableModel):
    columns = (
        Column("when", "Thời gian", 120),
        Column("direction_label", "Việc", 150),
        Column("file_name", "Tệp", 250, tooltip=True),
        Column("peer_name", "Gửi cho / nhận từ", 190, tooltip=True),
        Column("scope_label", "Phạm vi", 200, tooltip=True),
        Column("counts_label", "Kết quả", 280, tooltip=True),
    )

    def __init__(self, db, parent=None) -> None:
        super().__init__(db, load_history, parent)

    def display(self, row: HistoryRow, column: Column) -> str:
        if column.key == "peer_name":
            peer = row.peer_name or ""
            if row.peer_installation and not peer:
                peer = f"máy {row.peer_installation[:8]}"
            return peer
        return super().display(row, column)
