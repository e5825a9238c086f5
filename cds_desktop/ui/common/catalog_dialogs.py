"""Catalogue dialogs: units (with aliases) and people.  Every read and edit is one
service function with its own unit of work (``services.catalog_view``: ``load_units``,
``store_unit``, ``delete_unit``…); the dialogs open no session."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.models import UNIT_KINDS
from cds_desktop.services import catalog_view
from cds_desktop.services.catalog_view import PersonRow, UnitRow
from cds_desktop.services.common import ServiceError
from cds_desktop.ui.common import questions
from cds_desktop.ui.common.errors import show_error
from cds_desktop.ui.common.table_model import PeopleModel, QueryTableModel, UnitsModel

log = logging.getLogger(__name__)


def _ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText("Lưu")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class _EditDialog(QDialog):
    """Form dialog that saves in ``accept()`` and stays open when the service refuses."""

    saved = Signal(str)  # uuid

    def __init__(self, db: Database, uuid: str | None, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.db = db
        self.uuid = uuid
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.form = QFormLayout()
        self.buttons = _ok_cancel(self)
        self.message = QLabel()  # why the form was not saved (a rule, not a fault)
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def write(self) -> str:
        """Save the form (one unit of work); returns the record's uuid."""
        raise NotImplementedError

    def accept(self) -> None:
        try:
            uuid = self.write()
        except ServiceError as exc:  # a simple mistake: said in the form, which stays open
            self.message.setText(str(exc))
            self.message.show()
            return
        except Exception as exc:
            show_error(exc, self)
            return
        self.uuid = uuid
        self.saved.emit(uuid)
        super().accept()


class UnitEditDialog(_EditDialog):
    def __init__(self, db: Database, row: UnitRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(db, row.uuid if row else None, "Sửa đơn vị" if row else "Thêm đơn vị", parent)
        self.name_edit = QLineEdit(row.name if row else "")
        self.short_edit = QLineEdit(row.short_name if row else "")
        self.kind_combo = QComboBox()
        for key, label in UNIT_KINDS.items():
            self.kind_combo.addItem(label, key)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(row.kind if row else "other"), 0))
        self.aliases_edit = QLineEdit(", ".join(row.aliases) if row else "")
        self.aliases_edit.setPlaceholderText("Ví dụ: Phòng VHXH, VH-XH, VHXXH")
        self.aliases_edit.setCursorPosition(0)
        hint = QLabel("Các cách viết khác của tên đơn vị trong văn bản, cách nhau bằng dấu phẩy.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        self.form.addRow("Tên đơn vị", self.name_edit)
        self.form.addRow("Tên viết tắt", self.short_edit)
        self.form.addRow("Loại", self.kind_combo)
        self.form.addRow("Tên gọi khác", self.aliases_edit)
        self.form.addRow(hint)

    def write(self) -> str:
        aliases = [a.strip() for a in self.aliases_edit.text().split(",") if a.strip()]
        return catalog_view.store_unit(
            self.db, self.uuid, name=self.name_edit.text(), short_name=self.short_edit.text(),
            kind=self.kind_combo.currentData(), aliases=aliases,
        )


class PersonEditDialog(_EditDialog):
    def __init__(self, db: Database, row: PersonRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(db, row.uuid if row else None, "Sửa cán bộ" if row else "Thêm cán bộ", parent)
        self.name_edit = QLineEdit(row.name if row else "")
        self.title_edit = QLineEdit(row.title if row else "")
        self.title_edit.setPlaceholderText("Ví dụ: Phó Chủ tịch UBND xã")
        self.phone_edit = QLineEdit(row.phone if row else "")
        self.email_edit = QLineEdit(row.email if row else "")
        self.unit_combo = QComboBox()
        self.unit_combo.addItem("(không thuộc đơn vị nào)", "")
        for unit in catalog_view.load_units(db):
            self.unit_combo.addItem(unit.name, unit.uuid)
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(row.unit_uuid if row else ""), 0))
        self.form.addRow("Họ và tên", self.name_edit)
        self.form.addRow("Chức vụ", self.title_edit)
        self.form.addRow("Điện thoại", self.phone_edit)
        self.form.addRow("Thư điện tử", self.email_edit)
        self.form.addRow("Đơn vị", self.unit_combo)

    def write(self) -> str:
        return catalog_view.store_person(
            self.db, self.uuid, name=self.name_edit.text(), title=self.title_edit.text(),
            phone=self.phone_edit.text(), email=self.email_edit.text(), unit_uuid=self.unit_combo.currentData(),
        )


class _CatalogDialog(QDialog):
    """Search box, table, and Thêm / Sửa / Xóa / Khôi phục buttons."""

    catalogChanged = Signal()

    def __init__(self, db: Database, model: QueryTableModel, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.db = db
        self.model = model
        self.edit_dialog: _EditDialog | None = None
        self.setWindowTitle(title)
        self.resize(980, 600)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Tìm kiếm (không cần dấu)…")
        self.search_edit.setClearButtonEnabled(True)
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(lambda _text: self._timer.start())
        self.top = QHBoxLayout()
        self.top.addWidget(self.search_edit, 1)

        self.view = QTableView()
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().setMaximumSectionSize(80)
        for i, column in enumerate(model.columns):
            self.view.horizontalHeader().resizeSection(i, column.width)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())

        self.add_button = QPushButton("Thêm…")
        self.edit_button = QPushButton("Sửa…")
        self.delete_button = QPushButton("Xóa")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        self.buttons.addWidget(close)
        self.count_label = QLabel()

        layout = QVBoxLayout(self)
        layout.addLayout(self.top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(self.buttons)

    # -- to override ----------------------------------------------------------
    def search_params(self) -> dict[str, Any]:
        return {"search": self.search_edit.text() or None}

    def make_editor(self, row: Any) -> _EditDialog:
        raise NotImplementedError

    def delete_row(self, row: Any) -> None:
        """Delete the record of *row* (one unit of work)."""
        raise NotImplementedError

    # -- actions --------------------------------------------------------------
    def reload(self) -> None:
        self.model.load(**self.search_params())
        self.count_label.setText(f"{self.model.rowCount()} dòng")

    def selected_row(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_uuid(self, uuid: str) -> None:
        row = self.model.row_of(uuid)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def _open_editor(self, row: Any) -> _EditDialog:
        self.edit_dialog = dialog = self.make_editor(row)
        dialog.saved.connect(self._after_save)
        dialog.open()
        return dialog

    def _after_save(self, uuid: str) -> None:
        self.reload()
        self.select_uuid(uuid)
        self.catalogChanged.emit()

    def add(self) -> _EditDialog:
        return self._open_editor(None)

    def edit_selected(self) -> _EditDialog | None:
        row = self.selected_row()
        if row is None or getattr(row, "deleted", False):
            return None
        return self._open_editor(row)

    def delete_selected(self, confirm: bool = True) -> None:
        row = self.selected_row()
        if row is None:
            return
        if confirm and not questions.ask(
            self, "Xóa", f"Xóa «{row.name}» khỏi danh mục? Có thể khôi phục lại sau.", yes="Xóa", no="Hủy"
        ):
            return
        self._run(lambda: self.delete_row(row))

    def _run(self, action: Callable[[], None]) -> bool:
        try:
            action()
        except Exception as exc:
            show_error(exc, self)
            return False
        self.reload()
        self.catalogChanged.emit()
        return True


class UnitsDialog(_CatalogDialog):
    """Danh mục đơn vị, thôn / tổ dân phố."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, UnitsModel(db), "Danh mục đơn vị, thôn / tổ dân phố", parent)
        self.model.setParent(self)
        self.show_deleted = QCheckBox("Hiện cả đơn vị đã xóa")
        self.show_deleted.toggled.connect(lambda _on: self.reload())
        self.top.addWidget(self.show_deleted)
        self.restore_button = QPushButton("Khôi phục")
        self.restore_button.clicked.connect(self.restore_selected)
        self.buttons.insertWidget(3, self.restore_button)
        self.reload()

    def search_params(self) -> dict[str, Any]:
        return {"search": self.search_edit.text() or None, "include_deleted": self.show_deleted.isChecked()}

    def make_editor(self, row: UnitRow | None) -> _EditDialog:
        return UnitEditDialog(self.db, row, self)

    def delete_row(self, row: UnitRow) -> None:
        catalog_view.delete_unit(self.db, row.uuid)

    def restore_selected(self) -> None:
        row = self.selected_row()
        if row is not None and row.deleted:
            self._run(lambda: catalog_view.restore_unit(self.db, row.uuid))


class PeopleDialog(_CatalogDialog):
    """Danh mục cán bộ."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, PeopleModel(db), "Danh mục cán bộ", parent)
        self.model.setParent(self)
        self.reload()

    def make_editor(self, row: PersonRow | None) -> _EditDialog:
        return PersonEditDialog(self.db, row, self)

    def delete_row(self, row: PersonRow) -> None:
        catalog_view.delete_person(self.db, row.uuid)


__all__ = ["PeopleDialog", "PersonEditDialog", "UnitEditDialog", "UnitsDialog"]
