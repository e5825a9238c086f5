"""Small choosers used by the detail panel: a unit from the catalogue, the people
in charge of an assignment."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.models import ROLES
from cds_desktop.services import catalog_view
from cds_desktop.services.assignments import set_people
from cds_desktop.services.item_tab_rows import AssignmentRow
from cds_desktop.ui.common.table_model import UnitsModel


class UnitPickerDialog(QDialog):
    """Choose a unit (searchable) to give it a role on the item."""

    def __init__(self, db: Database, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Chọn đơn vị {ROLES.get(role, role).lower()}")
        self.resize(640, 480)
        self.selected_uuid: str | None = None
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Tìm đơn vị (không cần dấu, có thể gõ tên viết tắt)…")
        self.search_edit.setClearButtonEnabled(True)
        self.model = UnitsModel(db, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, column in enumerate(self.model.columns):
            self.view.horizontalHeader().resizeSection(i, column.width)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _index: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Chọn")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.message = QLabel("Gõ để tìm; Enter chọn đơn vị duy nhất tìm được hoặc dòng đang chọn.")
        self.message.setObjectName("pickerMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.search_edit.textChanged.connect(self._search)
        self.model.reload()

    def _search(self, text: str) -> None:
        self.model.load(search=text or None, include_deleted=False)
        if self.model.rowCount() == 1:
            self.view.selectRow(0)

    def accept(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows and self.model.rowCount() == 1:
            self.view.selectRow(0)
            rows = self.view.selectionModel().selectedRows()
        if not rows:
            found = self.model.rowCount()
            self.message.setStyleSheet("color: #b71c1c; font-weight: bold;")
            self.message.setText("Không có đơn vị nào khớp với từ tìm kiếm." if found == 0 else
                                 f"Có {found} đơn vị: hãy bấm chọn một dòng rồi bấm «Chọn».")
            return
        self.selected_uuid = self.model.uuid_at(rows[0].row())
        super().accept()


class AssignmentPeopleDialog(QDialog):
    """Name the leader in charge and the lead specialist of one assignment."""

    def __init__(self, db: Database, row: AssignmentRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Người phụ trách")
        self.row = row
        people = catalog_view.load_people(db)
        self.leader_combo = QComboBox()
        self.specialist_combo = QComboBox()
        for combo, current in ((self.leader_combo, row.leader_uuid), (self.specialist_combo, row.specialist_uuid)):
            combo.addItem("(chưa phân công)", "")
            for person in people:
                label = f"{person.name} — {person.title}" if person.title else person.name
                combo.addItem(label, person.uuid)
            combo.setCurrentIndex(max(combo.findData(current), 0))
        form = QFormLayout()
        form.addRow(QLabel(f"Đơn vị: {row.unit_name} ({row.role_label})"))
        form.addRow("Lãnh đạo phụ trách", self.leader_combo)
        form.addRow("Chuyên viên chủ trì", self.specialist_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đồng ý")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def apply(self, session) -> None:
        set_people(
            session, self.row.uuid,
            leader_uuid=self.leader_combo.currentData() or "",
            specialist_uuid=self.specialist_combo.currentData() or "",
        )
