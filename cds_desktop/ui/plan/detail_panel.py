"""The right-hand panel: one indicator or task, its fields, assignments and history.

The panel keeps only the item's uuid and the values it shows.  "Lưu" sends
the changed fields to ``services.plan_actions.save_item`` (one unit of work); after
that the panel (and, through ``itemEdited``, the main window) reads again.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.models import COORDINATING, INDICATOR, LEAD
from cds_desktop.services import plan_actions, plan_view
from cds_desktop.ui.common import questions
from cds_desktop.ui.common.errors import show_error
from cds_desktop.ui.common.table_model import AssignmentsModel, HistoryModel
from cds_desktop.ui.common.widgets import make_table

log = logging.getLogger(__name__)

# field -> (label, multi-line)
FIELDS: dict[str, tuple[str, bool]] = {
    "number": ("Số thứ tự (STT)", False),
    "content": ("Nội dung", True),
    "target_text": ("Chỉ tiêu (như văn bản ghi)", False),
    "deadline_text": ("Thời hạn (như văn bản ghi)", False),
    "guiding_agency": ("Sở, ngành TP hướng dẫn", False),
    "lead_text": ("Đơn vị chủ trì (như văn bản ghi)", True),
    "coordinating_text": ("Đơn vị phối hợp (như văn bản ghi)", True),
    "leader_text": ("Lãnh đạo chỉ đạo", False),
    "basis": ("Căn cứ", True),
    "expected_result": ("Kết quả cần đạt", True),
    "output_product": ("Sản phẩm đầu ra", True),
    "note": ("Ghi chú", True),
}
TASK_ONLY = {"expected_result", "output_product"}
READING_STYLE = "color: #1d5f9b; font-style: italic;"
WARNING_STYLE = "color: #a15c00; font-weight: bold;"


def _set_text(widget: QLineEdit | QPlainTextEdit, value: str) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    else:
        widget.setText(value)
        widget.setCursorPosition(0)


def _text(widget: QLineEdit | QPlainTextEdit) -> str:
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


class DetailPanel(QWidget):
    """Editor of the selected item."""

    itemEdited = Signal(str)  # uuid; fields or assignments changed
    itemDeleted = Signal(str)  # uuid; tombstoned
    changeRecorded = Signal(object)  # a services.changes.Change, for the window's undo stack (Ctrl+Z)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.item_uuid: str | None = None
        self.loaded_version: int | None = None  # the version of the item shown (edits carry it)
        self.kind = INDICATOR
        self.plan_year: int | None = None
        self.measure_unit = ""  # the plan's own "Đơn vị tính" of the item shown
        self.loaded: dict[str, str] = {}

        self.heading = QLabel("Chọn một chỉ tiêu hoặc nhiệm vụ trong bảng để xem và sửa.")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold; font-size: 11pt;")

        self.read_only = ""  # «Chỉ xem: …» while a received commune's plan is shown (set_read_only)
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)
        for name, (label, multi) in FIELDS.items():
            if multi:
                editor = QPlainTextEdit()
                editor.setTabChangesFocus(True)
                editor.setFixedHeight(110 if name == "content" else 54)
            else:
                editor = QLineEdit()
            editor.setObjectName(f"field_{name}")
            self.editors[name] = editor
            self.labels[name] = QLabel(label)
            form.addRow(self.labels[name], editor)
            if name == "target_text":
                self.target_reading = QLabel()
                self.target_reading.setWordWrap(True)
                form.addRow(self.target_reading)
            if name == "deadline_text":
                self.deadline_reading = QLabel()
                self.deadline_reading.setWordWrap(True)
                form.addRow(self.deadline_reading)
        self.editors["target_text"].textChanged.connect(self._update_readings)
        self.editors["content"].textChanged.connect(self._update_readings)
        self.editors["deadline_text"].textChanged.connect(self._update_readings)

        fields_page = QWidget()
        fields_page.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields_page)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.assignments = AssignmentsModel(db, self)
        self.assignments_view = make_table(self.assignments, max_row_height=70)
        self.add_lead_button = QPushButton("+ Chủ trì…")
        self.add_lead_button.setToolTip("Thêm một đơn vị chủ trì từ danh mục")
        self.add_coord_button = QPushButton("+ Phối hợp…")
        self.add_coord_button.setToolTip("Thêm một đơn vị phối hợp từ danh mục")
        self.people_button = QPushButton("Phụ trách…")
        self.people_button.setToolTip("Chọn lãnh đạo phụ trách và chuyên viên chủ trì cho đơn vị đang chọn")
        self.remove_assignment_button = QPushButton("Gỡ")
        self.remove_assignment_button.setToolTip("Gỡ đơn vị đang chọn khỏi mục này")
        self.add_lead_button.clicked.connect(lambda: self.pick_unit(LEAD))
        self.add_coord_button.clicked.connect(lambda: self.pick_unit(COORDINATING))
        self.people_button.clicked.connect(self.edit_people)
        self.remove_assignment_button.clicked.connect(self.remove_selected_assignment)
        assignment_buttons = QHBoxLayout()
        for button in (self.add_lead_button, self.add_coord_button, self.people_button,
                       self.remove_assignment_button):
            assignment_buttons.addWidget(button)
        assignment_buttons.addStretch(1)
        assignments_page = QWidget()
        page_layout = QVBoxLayout(assignments_page)
        page_layout.addWidget(self.assignments_view, 1)
        page_layout.addLayout(assignment_buttons)

        self.history = HistoryModel(db, self)
        self.history_view = make_table(self.history, max_row_height=90, stretch=1, fit=(0, 2))

        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, "Thông tin")
        self.tabs.addTab(assignments_page, "Phân công")
        self.tabs.addTab(self.history_view, "Lịch sử")
        from cds_desktop.ui.evidence.panel import EvidencePanel

        self.evidence = EvidencePanel(db, self)  # files dropped here prove the item
        self.evidence.evidenceChanged.connect(lambda *_a: self._update_tab_titles())
        self.tabs.addTab(self.evidence, "Minh chứng")

        self.save_button = QPushButton("Lưu")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Lưu các thay đổi của mục này (Ctrl+S)")
        self.save_button.setShortcut("Ctrl+S")
        self.revert_button = QPushButton("Bỏ thay đổi")
        self.delete_button = QPushButton("Xóa")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.reload)
        self.delete_button.clicked.connect(self.confirm_delete)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)

        self.setMinimumWidth(320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.show_item(None)

    # -- loading ------------------------------------------------------------
    def show_item(self, uuid: str | None) -> None:
        self.item_uuid = uuid
        detail = None
        if uuid:
            detail = plan_actions.load_item_detail(self.db, uuid)
        enabled = detail is not None
        self.tabs.setEnabled(enabled)
        writable = enabled and not self.read_only
        for widget in (self.save_button, self.revert_button, self.delete_button, self.add_lead_button,
                       self.add_coord_button, self.people_button, self.remove_assignment_button):
            widget.setEnabled(writable)
        for editor in self.editors.values():
            editor.setReadOnly(bool(self.read_only))
        self.loaded_version = detail.version if detail is not None else None
        if detail is None:
            self.heading.setText("Chọn một chỉ tiêu hoặc nhiệm vụ trong bảng để xem và sửa.")
            self.loaded = {}
            for editor in self.editors.values():
                _set_text(editor, "")
            self.target_reading.setText("")
            self.deadline_reading.setText("")
            self.assignments.load_item(None)
            self.history.load_item(None)
            self.evidence.set_target(None, None)
            self._update_tab_titles()
            return
        self.kind = detail.kind
        self.plan_year = detail.plan_year
        self.measure_unit = detail.measure_unit
        self.loaded = dict(detail.values)
        kind_label = "Chỉ tiêu" if detail.kind == INDICATOR else "Nhiệm vụ"
        number = detail.values.get("number") or ""
        self.heading.setText(f"{kind_label} {number}".strip())
        for name, editor in self.editors.items():
            _set_text(editor, detail.values.get(name, ""))
            visible = detail.kind != INDICATOR or name not in TASK_ONLY
            editor.setVisible(visible)
            self.labels[name].setVisible(visible)
        self._update_readings()
        self.assignments.load_item(uuid)
        self.history.load_item(uuid)
        self.evidence.set_target("item", uuid, f"{kind_label} {number}".strip())
        self._update_tab_titles()

    def set_read_only(self, note: str) -> None:
        """A received commune's plan (receiving mode, *note* says so): shown, not edited."""
        if note != self.read_only:
            self.read_only = note
            self.show_item(self.item_uuid)

    def own_change_done(self, change) -> None:
        """This window changed the item shown (a move, undo, redo: *change*, a services.changes.Change)
        while the officer's typing is kept: the next save stands on the item's new version, not on a
        change of its own."""
        touched = {r.uuid for r in change.records} | {uuid for _table, uuid in change.created}
        if self.item_uuid and self.item_uuid in touched:
            try:
                self.loaded_version = plan_actions.load_item_detail(self.db, self.item_uuid).version
            except Exception:  # gone meanwhile: the next save says so
                log.info("Item %s not found after a change", self.item_uuid)

    def reload(self) -> None:
        self.show_item(self.item_uuid)

    def refresh_evidence(self) -> None:
        """Evidence changed elsewhere (library screen): list it again."""
        if self.item_uuid:
            self.evidence.reload()
            self._update_tab_titles()

    def _update_tab_titles(self) -> None:
        self.tabs.setTabText(1, f"Phân công ({self.assignments.rowCount()})")
        self.tabs.setTabText(2, f"Lịch sử ({self.history.rowCount()})")
        self.tabs.setTabText(3, f"Minh chứng ({self.evidence.model.rowCount()})" if self.item_uuid else "Minh chứng")

    def _update_readings(self) -> None:
        if not self.item_uuid:
            return
        target = plan_view.preview_target(_text(self.editors["target_text"]), _text(self.editors["content"]),
                                          self.measure_unit)
        deadline = plan_view.preview_deadline(_text(self.editors["deadline_text"]), self.plan_year)
        for label, text in ((self.target_reading, target), (self.deadline_reading, deadline)):
            label.setText(text)
            label.setStyleSheet(WARNING_STYLE if text.startswith("⚠") else READING_STYLE)

    # -- editing ------------------------------------------------------------
    def changed_fields(self) -> dict[str, str]:
        return {
            name: _text(editor)
            for name, editor in self.editors.items()
            if _text(editor).strip() != self.loaded.get(name, "").strip()
        }

    def has_unsaved_changes(self) -> bool:
        return bool(self.item_uuid) and bool(self.changed_fields())

    def save(self) -> bool:
        if not self.item_uuid:
            return False
        fields = self.changed_fields()
        if not fields:
            return True
        try:
            change = plan_actions.save_item(self.db, self.item_uuid, fields, self.loaded_version)
        except Exception as exc:
            self._refused(exc)
            return False
        log.info("Item %s saved (%s)", self.item_uuid, ", ".join(change.result))
        uuid = self.item_uuid
        self.reload()
        self.changeRecorded.emit(change)
        self.itemEdited.emit(uuid)
        return True

    def _refused(self, exc: Exception) -> None:
        """Tell the officer; when the item changed elsewhere since it was shown, show it as it is now
        (the panel and, through ``itemEdited``, the table)."""
        from cds_desktop.database.errors import StaleWriteError

        show_error(exc, self)
        if isinstance(exc, StaleWriteError) and self.item_uuid:
            uuid = self.item_uuid
            self.reload()
            self.itemEdited.emit(uuid)

    def confirm_delete(self) -> None:
        if not self.item_uuid:
            return
        if questions.ask(
            self, "Xóa mục",
            f"Xóa «{self.heading.text()}» khỏi kế hoạch?\nCó thể khôi phục lại trong «Kế hoạch → Mục đã xóa…».",
            yes="Xóa", no="Hủy",
        ):
            self.delete()

    def delete(self) -> bool:
        uuid = self.item_uuid
        if not uuid:
            return False
        try:
            change = plan_actions.remove_item(self.db, uuid, self.loaded_version)
        except Exception as exc:
            self._refused(exc)
            return False
        self.show_item(None)
        self.changeRecorded.emit(change)
        self.itemDeleted.emit(uuid)
        return True

    # -- assignments --------------------------------------------------------
    def pick_unit(self, role: str) -> None:
        from cds_desktop.ui.common.pickers import UnitPickerDialog

        if not self.item_uuid:
            return
        dialog = UnitPickerDialog(self.db, role, self)
        if dialog.exec() and dialog.selected_uuid:
            self.add_assignment(dialog.selected_uuid, role)

    def add_assignment(self, unit_uuid: str, role: str) -> bool:
        item_uuid = self.item_uuid
        return self._assignment_change(lambda: plan_actions.add_assignment(self.db, item_uuid, unit_uuid, role))

    def selected_assignment(self):
        rows = self.assignments_view.selectionModel().selectedRows()
        return self.assignments.row_at(rows[0].row()) if rows else None

    def remove_selected_assignment(self) -> None:
        row = self.selected_assignment()
        if row is not None:
            self._assignment_change(lambda: plan_actions.remove_assignment(self.db, row.uuid))

    def edit_people(self) -> None:
        from cds_desktop.ui.common.pickers import AssignmentPeopleDialog

        row = self.selected_assignment()
        if row is None:
            QMessageBox.information(self, "Người phụ trách", "Hãy chọn một dòng phân công trước.")
            return
        dialog = AssignmentPeopleDialog(self.db, row, self)
        if dialog.exec():
            self._assignment_change(lambda: plan_actions.change_assignments(self.db, dialog.apply))

    def _assignment_change(self, action) -> bool:
        """Run *action()* (a service call of :mod:`services.plan_actions` returning its Change)."""
        uuid = self.item_uuid
        if not uuid:
            return False
        try:
            change = action()
        except Exception as exc:
            show_error(exc, self)
            return False
        self.changeRecorded.emit(change)
        self.assignments.load_item(uuid)
        self.history.load_item(uuid)
        self._update_tab_titles()
        self.itemEdited.emit(uuid)
        return True


__all__ = ["DetailPanel"]
