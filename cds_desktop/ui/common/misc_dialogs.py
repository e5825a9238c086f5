"""Small dialogs of the main window: deleted items, database check result, about."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cds_desktop import APP_NAME, __version__
from cds_desktop.database import Database
from cds_desktop.models import INDICATOR
from cds_desktop.services import item_panels
from cds_desktop.ui.common.errors import show_error
from cds_desktop.ui.common.table_model import Column, QueryTableModel


class DeletedItemsModel(QueryTableModel):
    columns = (
        Column("kind", "Loại", 80),
        Column("number", "STT", 50),
        Column("content", "Nội dung", 520, tooltip=True),
    )

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(db, item_panels.load_deleted_items, parent)

    def display(self, row: Any, column: Column) -> str:
        if column.key == "kind":
            return "Chỉ tiêu" if row.kind == INDICATOR else "Nhiệm vụ"
        return super().display(row, column)


class DeletedItemsDialog(QDialog):
    """Items of the plan that were deleted (tombstoned), with "Khôi phục"."""

    itemRestored = Signal(str)

    def __init__(self, db: Database, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Mục đã xóa")
        self.resize(760, 420)
        self.model = DeletedItemsModel(db, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().setMaximumSectionSize(70)
        for i, column in enumerate(self.model.columns):
            self.view.horizontalHeader().resizeSection(i, column.width)
        self.view.horizontalHeader().setStretchLastSection(True)
        restore = QPushButton("Khôi phục")
        restore.clicked.connect(self.restore_selected)
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(restore)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Các chỉ tiêu, nhiệm vụ đã xóa khỏi kế hoạch (mới xóa ở trên):"))
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.model.load(plan_id=plan_id)

    def restore_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        uuid = self.model.uuid_at(rows[0].row())
        try:
            item_panels.restore_deleted_item(self.db, uuid)
        except Exception as exc:
            show_error(exc, self)
            return
        self.model.reload()
        self.itemRestored.emit(uuid)


def show_check_result(result: dict, parent: QWidget | None) -> QMessageBox:
    """Show what ``services.check.check_database`` found (non-blocking)."""
    version = result.get("schema_version") or "?"
    if result.get("ok"):
        text = f"Cơ sở dữ liệu không có lỗi.\nPhiên bản lược đồ dữ liệu: {version}."
        box = QMessageBox(QMessageBox.Icon.Information, "Kiểm tra cơ sở dữ liệu", text, parent=parent)
    else:
        problems = "\n".join(f"• {p}" for p in result.get("problems", []))
        text = f"Phát hiện vấn đề trong cơ sở dữ liệu:\n{problems}\n\nHãy sao lưu tệp dữ liệu và liên hệ người hỗ trợ."
        box = QMessageBox(QMessageBox.Icon.Warning, "Kiểm tra cơ sở dữ liệu", text, parent=parent)
    box.setDetailedText(f"Địa chỉ CSDL: {result.get('url', '')}")
    box.open()
    return box


def about_text() -> str:
    """The text of *Giới thiệu*: the version (pyproject's, the one place) and what it runs on."""
    import platform
    import sys

    from PySide6.QtCore import qVersion

    build = "bản cài đặt" if getattr(sys, "frozen", False) else "chạy từ mã nguồn"
    return (
        f"<b>{APP_NAME}</b> phiên bản {__version__}<br><br>"
        "Phần mềm giúp cán bộ chuyên trách chuyển đổi số của xã, phường theo dõi kế hoạch "
        "chuyển đổi số hằng năm: chỉ tiêu, nhiệm vụ, phân công đơn vị, tiến độ và báo cáo.<br><br>"
        "Chạy hoàn toàn trên máy, không cần mạng.<br><br>"
        f"<small>{build} · Python {platform.python_version()} · Qt {qVersion()} · {platform.system()}<br>"
        "Tự kiểm tra chương trình: <code>cds-desktop selftest</code></small>"
    )


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, f"Giới thiệu {APP_NAME}", about_text())
