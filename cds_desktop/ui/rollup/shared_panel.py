"""The shared indicators of the Tổng hợp screen: the groups proposed from folded text and
target, the communes' indicators behind one, and the receiver's corrections (confirm a
group, take an indicator out, put another one in).  Every action is a service call of
:mod:`cds_desktop.rollup.matching` in its own unit of work; the words are kept."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.rollup import matching
from cds_desktop.ui.common.jobs import run_job
from cds_desktop.ui.common.widgets import make_table
from cds_desktop.ui.rollup.models import MemberModel, SharedModel


class SharedPanel(QWidget):
    """Chỉ tiêu dùng chung: groups on top, the chosen group's communes below."""

    matchesChanged = Signal()
    loaded = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.year: int | None = None
        self.busy = False
        self.shared_model = SharedModel(db, self)
        self.member_model = MemberModel(db, self)
        self.candidate_model = MemberModel(db, self)
        self.shared_view = make_table(self.shared_model, max_row_height=48, stretch=0)
        self.member_view = make_table(self.member_model, max_row_height=48, stretch=1)
        self.candidate_view = make_table(self.candidate_model, max_row_height=48, stretch=1)
        self.confirm_button = QPushButton("Xác nhận ghép nhóm này")
        self.remove_button = QPushButton("Tách chỉ tiêu khỏi nhóm")
        self.add_button = QPushButton("Thêm vào nhóm đang chọn")
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Tìm chỉ tiêu chưa ghép (không dấu cũng được)…")
        self.hint = QLabel("Các chỉ tiêu được ghép theo nội dung (không phân biệt dấu, chữ hoa) và mức chỉ tiêu. "
                           "Kiểm tra, xác nhận hoặc sửa; lựa chọn được lưu lại.")
        self.hint.setWordWrap(True)
        self.confirm_button.clicked.connect(self.confirm_current)
        self.remove_button.clicked.connect(self.remove_current_member)
        self.add_button.clicked.connect(self.add_current_candidate)
        self.find_edit.returnPressed.connect(self.load_candidates)
        self.shared_view.selectionModel().currentRowChanged.connect(lambda *_a: self._show_members())

        members = QWidget()
        members_layout = QVBoxLayout(members)
        members_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Các xã, phường có chỉ tiêu này:"))
        row.addStretch(1)
        row.addWidget(self.confirm_button)
        row.addWidget(self.remove_button)
        members_layout.addLayout(row)
        members_layout.addWidget(self.member_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.find_edit, 1)
        row.addWidget(self.add_button)
        members_layout.addLayout(row)
        members_layout.addWidget(self.candidate_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.shared_view)
        splitter.addWidget(members)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(splitter, 1)
        self._update_buttons()

    # -- loading ---------------------------------------------------------------
    def load(self, year: int | None = None) -> None:
        self.year = year
        self.busy = True
        db = self.db
        run_job(lambda _ctx: matching.load_shared(db, year), title="Đang ghép chỉ tiêu dùng chung…", parent=self,
                on_success=self._loaded, on_error=lambda *_a: self._failed(), progress=False)

    def _failed(self) -> None:
        self.busy = False

    def _loaded(self, shared: list[matching.SharedIndicator]) -> None:
        key = self.current_key()
        self.shared_model.set_rows(shared)
        row = next((i for i, s in enumerate(shared) if s.key == key), 0 if shared else -1)
        if row >= 0:
            self.shared_view.selectRow(row)
        self._show_members()
        self.busy = False
        self.loaded.emit()

    def load_candidates(self) -> None:
        db, year, text = self.db, self.year, self.find_edit.text()
        run_job(lambda _ctx: matching.load_unmatched(db, year, text), title="Đang tìm…", parent=self,
                on_success=self.candidate_model.set_rows, progress=False)

    def current_key(self) -> str | None:
        index = self.shared_view.currentIndex()
        return self.shared_model.uuid_at(index.row()) if index.isValid() else None

    def _show_members(self) -> None:
        index = self.shared_view.currentIndex()
        shared = self.shared_model.row_at(index.row()) if index.isValid() else None
        self.member_model.set_rows(shared.members if shared is not None else [])
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_group = self.current_key() is not None
        self.confirm_button.setEnabled(has_group)
        self.remove_button.setEnabled(has_group and self.member_model.rowCount() > 0)
        self.add_button.setEnabled(has_group)

    # -- actions ---------------------------------------------------------------
    def _after(self, _result: object = None) -> None:
        self.matchesChanged.emit()
        self.load(self.year)

    def confirm_current(self) -> None:
        key = self.current_key()
        if key is None:
            return
        db, year = self.db, self.year
        run_job(lambda _ctx: matching.store_confirmation(db, key, year), title="Đang lưu…", parent=self,
                on_success=self._after, progress=False)

    def remove_current_member(self) -> None:
        index = self.member_view.currentIndex()
        item = self.member_model.uuid_at(index.row() if index.isValid() else 0)
        if item is None:
            return
        db = self.db
        run_job(lambda _ctx: matching.store_move(db, item, ""), title="Đang lưu…", parent=self,
                on_success=self._after, progress=False)

    def add_current_candidate(self) -> None:
        key = self.current_key()
        index = self.candidate_view.currentIndex()
        item = self.candidate_model.uuid_at(index.row()) if index.isValid() else None
        if key is None or item is None:
            return
        db = self.db
        self.candidate_model.set_rows([r for r in self.candidate_model.rows if r.item_uuid != item])
        run_job(lambda _ctx: matching.store_move(db, item, key), title="Đang lưu…", parent=self,
                on_success=self._after, progress=False)
