"""Receive data: choose a package or returned workbooks, check (dry run), choose
for each conflict, then import."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.ui.common.job_worker import DatabaseRef
from cds_desktop.ui.common.jobs import Job, run_job
from cds_desktop.ui.common.progress_line import ProgressLine
from cds_desktop.ui.common.widgets import make_table
from cds_desktop.ui.exchange.models import (
    ConflictModel,
    PreviewModel,
    PreviewRow,
)

log = logging.getLogger(__name__)


class ImportPage(QWidget):
    """Receive: choose a package or workbooks → check (dry run) → choose for conflicts → import."""

    imported = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = ""  # "package" | "workbooks"
        self.paths: list[Path] = []
        self.result: Any = None
        self.trust_new = False  # the officer accepted the package's unknown office (for this package)
        self.allow_unsigned = False  # … or its missing signature
        self.trust_box = None  # the question about the package's signer, while shown
        intro = QLabel("Nhận <b>gói dữ liệu</b> (.cdspkg) từ máy khác, hoặc <b>phiếu báo cáo</b> (.xlsx) do các đơn "
                       "vị gửi lại. Phần mềm kiểm tra tệp trước, cho xem kết quả, rồi mới ghi khi bạn bấm «Nhập».")
        intro.setWordWrap(True)
        self.package_button = QPushButton("Chọn gói dữ liệu…")
        self.workbook_button = QPushButton("Chọn phiếu báo cáo…")
        self.folder_button = QPushButton("Chọn thư mục phiếu…")
        choose = QHBoxLayout()
        for button in (self.package_button, self.workbook_button, self.folder_button):
            choose.addWidget(button)
        choose.addStretch(1)
        self.summary = QLabel("Chưa chọn tệp nào.")
        self.summary.setWordWrap(True)
        self.model = PreviewModel(None, self)
        self.table = make_table(self.model, max_row_height=60, stretch=3)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.conflict_model = ConflictModel(self)
        self.conflict_view = make_table(self.conflict_model, max_row_height=120, stretch=2)
        self.conflict_title = QLabel("Chọn một dòng «Xung đột» để so sánh hai bản.")
        self.mine_button = QPushButton("Giữ bản của máy này")
        self.theirs_button = QPushButton("Lấy bản nhận được")
        self.both_button = QPushButton("Giữ cả hai")
        self.all_mine_button = QPushButton("Tất cả: giữ bản của máy này")
        self.all_theirs_button = QPushButton("Tất cả: lấy bản nhận được")
        choices = QHBoxLayout()
        for button in (self.mine_button, self.theirs_button, self.both_button):
            choices.addWidget(button)
        choices.addStretch(1)
        for button in (self.all_mine_button, self.all_theirs_button):
            choices.addWidget(button)
        conflict_box = QWidget()
        conflict_layout = QVBoxLayout(conflict_box)
        conflict_layout.setContentsMargins(0, 0, 0, 0)
        conflict_layout.addWidget(self.conflict_title)
        conflict_layout.addWidget(self.conflict_view, 1)
        conflict_layout.addLayout(choices)
        split = QSplitter()
        split.setOrientation(split.orientation().Vertical)
        split.addWidget(self.table)
        split.addWidget(conflict_box)
        split.setSizes([380, 220])
        self.progress = ProgressLine()
        self.apply_button = QPushButton("Nhập dữ liệu")
        self.clear_button = QPushButton("Bỏ, chọn tệp khác")
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.clear_button)
        bottom.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choose)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.package_button.clicked.connect(self._choose_package)
        self.workbook_button.clicked.connect(self._choose_workbooks)
        self.folder_button.clicked.connect(self._choose_folder)
        self.apply_button.clicked.connect(self.apply)
        self.clear_button.clicked.connect(self.clear)
        self.mine_button.clicked.connect(lambda: self.choose("mine"))
        self.theirs_button.clicked.connect(lambda: self.choose("theirs"))
        self.both_button.clicked.connect(lambda: self.choose("both"))
        self.all_mine_button.clicked.connect(lambda: self.choose_all("mine"))
        self.all_theirs_button.clicked.connect(lambda: self.choose_all("theirs"))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.clear()

    # -- choosing files ----------------------------------------------------------
    def _choose_package(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Chọn gói dữ liệu", "", "Gói dữ liệu CĐS (*.cdspkg)")
        if path:
            self.check_package(path)

    def _choose_workbooks(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        paths, _ = QFileDialog.getOpenFileNames(self, "Chọn phiếu báo cáo", "", "Phiếu báo cáo (*.xlsx)")
        if paths:
            self.check_workbooks(paths)

    def _choose_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục chứa phiếu báo cáo")
        if folder:
            self.check_workbooks([folder])

    # -- dry run -----------------------------------------------------------------
    def check_package(self, path: str | Path, *, trust_new: bool = False, allow_unsigned: bool = False) -> Job:
        """Dry run of a package.  Its signer is checked first: an office not trusted yet, or no
        signature, brings a question (:mod:`.trust_box`); accepting checks it again, trusting it."""
        from cds_desktop.ui.exchange.exchange_tasks import import_package

        self.clear()
        self.kind, self.paths = "package", [Path(path)]
        self.trust_new, self.allow_unsigned = trust_new, allow_unsigned
        return self._start(import_package, f"Đang kiểm tra «{Path(path).name}»…", self.show_preview,
                           (DatabaseRef.of(self.db), str(path), True, None, trust_new, allow_unsigned),
                           on_error=lambda exc, tb: self._refused(Path(path), exc, tb))

    def _refused(self, path: Path, exc: BaseException, tb_text: str) -> None:
        from cds_desktop.exchange.trust import SignerRefused
        from cds_desktop.ui.common.errors import show_error, user_message
        from cds_desktop.ui.exchange.trust_box import ask_about_signer

        self.summary.setText(user_message(exc))
        if isinstance(exc, SignerRefused):
            again = {"trust_new": self.trust_new or exc.kind == "unknown",
                     "allow_unsigned": self.allow_unsigned or exc.kind == "unsigned"}
            self.trust_box = ask_about_signer(self, exc, lambda: self.check_package(path, **again))
            if self.trust_box is not None:
                return
        show_error(exc, self, tb_text=tb_text)

    def check_workbooks(self, paths: list[str | Path]) -> Job:
        from cds_desktop.ui.exchange.exchange_tasks import import_workbooks

        self.clear()
        self.kind, self.paths = "workbooks", [Path(p) for p in paths]
        return self._start(import_workbooks, "Đang đọc các phiếu báo cáo…", self.show_preview,
                           (DatabaseRef.of(self.db), [str(p) for p in paths], True, None))

    def _start(self, fn, text: str, on_success, args: tuple, on_error=None) -> Job:
        """``fn(ctx, *args)`` in a worker process (:mod:`cds_desktop.ui.exchange.exchange_tasks`)."""
        self._busy(True)
        job = run_job(fn, in_process=True, args=args, title=text, parent=self, on_success=on_success,
                      on_error=on_error, progress=False, cancellable=True)
        job.finished.connect(lambda: self._busy(False))
        return self.progress.follow(job, text)

    def _busy(self, busy: bool) -> None:
        for button in (self.package_button, self.workbook_button, self.folder_button, self.clear_button):
            button.setEnabled(not busy)
        self.apply_button.setEnabled(not busy and self.result is not None and not self.result.applied)

    def show_preview(self, result: Any) -> None:
        self.result = result
        rows = result.rows
        self.model.set_rows(rows)
        text = result.summary()
        if self.kind == "workbooks" and result.rejected:
            text += " Các tệp bị từ chối sẽ không được nhập; bấm «Nhập dữ liệu» để nhập các phiếu còn lại."
        conflicts = sum(1 for r in rows if r.is_conflict)
        if conflicts:
            text += (f" Có {conflicts} xung đột: chọn từng dòng để so sánh và quyết định; xung đột chưa chọn "
                     "được giữ nguyên như trên máy này.")
        self.summary.setText(text)
        self.apply_button.setEnabled(not result.applied)
        if conflicts:
            self.table.selectRow(0)

    # -- conflicts -----------------------------------------------------------------
    def _selection_changed(self, *_args: object) -> None:
        row = self.current_row()
        if row is None or not row.is_conflict:
            self.conflict_model.show_row(None)
            self.conflict_title.setText("Chọn một dòng «Xung đột» để so sánh hai bản." if row is None else
                                        f"{row.label} — {row.detail or row.status_label}")
        else:
            self.conflict_model.show_row(row, workbook=self.kind == "workbooks")
            self.conflict_title.setText(f"<b>{row.place}: {row.label}</b>" + (f" — {row.detail}" if row.detail else ""))
        for button, choice in ((self.mine_button, "mine"), (self.theirs_button, "theirs"), (self.both_button, "both")):
            button.setEnabled(row is not None and choice in row.choices)
        workbook = self.kind == "workbooks"
        self.mine_button.setText("Giữ số liệu đã có" if workbook else "Giữ bản của máy này")
        self.theirs_button.setText("Lấy theo phiếu" if workbook else "Lấy bản trong gói")
        self.all_mine_button.setText("Tất cả: giữ số liệu đã có" if workbook else "Tất cả: giữ bản của máy này")
        self.all_theirs_button.setText("Tất cả: lấy theo phiếu" if workbook else "Tất cả: lấy bản trong gói")
        self.both_button.setVisible(not workbook)

    def current_row(self) -> PreviewRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def choose(self, choice: str) -> None:
        for index in self.table.selectionModel().selectedRows():
            self.model.set_choice(index.row(), choice)

    def choose_all(self, choice: str) -> None:
        self.model.set_all(choice)

    # -- apply ---------------------------------------------------------------------
    def apply(self) -> Job | None:
        if self.result is None or self.result.applied:
            return None
        from cds_desktop.ui.exchange import exchange_tasks

        resolutions, ref = self.model.resolutions(), DatabaseRef.of(self.db)
        if self.kind == "package":
            return self._start(exchange_tasks.import_package, "Đang nhập dữ liệu…", self._applied,
                               (ref, str(self.paths[0]), False, resolutions, self.trust_new, self.allow_unsigned))
        return self._start(exchange_tasks.import_workbooks, "Đang nhập dữ liệu…", self._applied,
                           (ref, [str(p) for p in self.paths], False, resolutions))

    def _applied(self, result: Any) -> None:
        self.show_preview(result)
        self.summary.setText(result.summary())
        self.apply_button.setEnabled(False)
        self.imported.emit()

    def clear(self) -> None:
        self.kind, self.paths, self.result = "", [], None
        self.trust_new = self.allow_unsigned = False
        if self.trust_box is not None:
            self.trust_box.close()
            self.trust_box = None
        self.model.set_rows([])
        self.conflict_model.show_row(None)
        self.summary.setText("Chưa chọn tệp nào.")
        self.apply_button.setEnabled(False)
        self._selection_changed()
