"""Qt models of the exchange screen: the import preview (one row per record or
workbook row, with the officer's choice for conflicts), the side-by-side view of
one conflict, and the exchange history.  Rows are plain data built from the
exchange services' results (:func:`package_rows`, :func:`workbook_rows`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from cds_desktop.exchange.history import HistoryRow, load_history
from cds_desktop.exchange.merge import CHOICE_LABELS, CONFLICT_KINDS, FIELD_LABELS
from cds_desktop.exchange.packages import ImportResult
from cds_desktop.exchange.workbook_import import _header
from cds_desktop.exchange.workbooks import WorkbookImportResult
from cds_desktop.ui.common.table_model import Column, QueryTableModel, RowTableModel

ACTION_LABELS = {"create": "Mới", "update": "Cập nhật", "delete": "Xóa", "sync": "Không đổi", "conflict": "Xung đột"}
STATUS_COLORS = {"conflict": "#fde7c7", "invalid": "#f8d7da", "rejected": "#f8d7da", "new": "#e2f0d9",
                 "create": "#e2f0d9", "changed": "#ddebf7", "update": "#ddebf7", "delete": "#eeeeee"}
WORKBOOK_CHOICES = {"mine": "Giữ số liệu đã có", "theirs": "Lấy theo phiếu"}


@dataclass
class PreviewRow:
    """One line of an import preview."""

    uuid: str  # key: incoming record uuid, or "<workbook uuid>:<item uuid>" for a workbook row
    file: str
    place: str  # table, or "dòng 12"
    label: str
    status: str  # create/update/delete/conflict (package) | new/changed/unchanged/invalid/conflict/missing/rejected
    status_label: str
    detail: str = ""
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, mine/recorded, theirs/workbook)
    choices: tuple[str, ...] = ()
    choice: str = ""
    choice_labels: dict[str, str] = field(default_factory=dict)

    @property
    def is_conflict(self) -> bool:
        return self.status == "conflict"

    @property
    def choice_label(self) -> str:
        if not self.is_conflict:
            return ""
        return self.choice_labels.get(self.choice, "Chưa chọn (giữ nguyên)")


def package_rows(result: ImportResult, limit: int = 5000) -> list[PreviewRow]:
    """Conflicts first, then what would be created, updated or deleted (up to *limit* lines)."""
    rows = []
    decisions = sorted(result.plan.decisions, key=lambda d: (d.action != "conflict", d.spec.name))
    for decision in decisions:
        if decision.action == "sync":
            continue
        if len(rows) >= limit:
            break
        label = decision.label
        if not label:
            from cds_desktop.exchange.records import describe

            label = describe(decision.spec, decision.theirs)
        detail = CONFLICT_KINDS.get(decision.kind, "")
        fields = [(FIELD_LABELS.get(f, f), a, b) for f, a, b in decision.fields]
        rows.append(PreviewRow(decision.uuid, result.plan.file_name, decision.spec.label, label, decision.action,
                               ACTION_LABELS.get(decision.action, decision.action), detail, fields,
                               decision.choices, result.resolutions.get(decision.uuid, ""), dict(CHOICE_LABELS)))
    return rows


def workbook_rows(result: WorkbookImportResult) -> list[PreviewRow]:
    rows = [PreviewRow(f"rejected:{r.file_name}", r.file_name, "", "Tệp bị từ chối", "rejected", "Bị từ chối",
                       r.reason) for r in result.rejected]
    for row in result.rows:
        place = f"dòng {row.row}" if row.row else ""
        detail = "; ".join(m.text for m in row.messages)
        if row.status == "conflict" and not detail:
            detail = "Đơn vị báo cáo khác số liệu đã ghi nhận cho kỳ này"
        fields = [(_header(f), a, b) for f, a, b in row.conflicts]
        rows.append(PreviewRow(row.key, row.file, place, row.label, row.status, row.status_label, detail, fields,
                               ("mine", "theirs") if row.status == "conflict" else (),
                               result.resolutions.get(row.key, ""), dict(WORKBOOK_CHOICES)))
    order = {"rejected": 0, "conflict": 1, "invalid": 2, "new": 3, "changed": 4, "missing": 5, "unchanged": 6}
    return sorted(rows, key=lambda r: order.get(r.status, 9))


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
