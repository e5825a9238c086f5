"""The exchange screen (Trao đổi dữ liệu): send data (a package, or report workbooks
for the units), receive data (a package or returned workbooks: check first,
then choose for each conflict, then import), and the history of exchanges.

Everything heavy runs as a background job (:mod:`cds_desktop.ui.common.jobs`) with an
inline progress bar and a cancel button; failures go to the one error dialog.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.ui.common.jobs import Job, JobCancelled, JobContext, run_job
from cds_desktop.ui.common.widgets import make_table
from cds_desktop.ui.exchange.models import (
    ConflictModel,
    HistoryModel,
    PreviewModel,
    PreviewRow,
    package_rows,
    workbook_rows,
)

log = logging.getLogger(__name__)


class ProgressLine(QWidget):
    """An inline progress bar with its text and a cancel button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.label = QLabel()
        self.cancel_button = QPushButton("Hủy")
        self.job: Job | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self.cancel)
        self.hide()

    def follow(self, job: Job, text: str) -> Job:
        self.job = job
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()
        job.progressed.connect(self._progress)
        job.finished.connect(self.hide)
        return job

    def _progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(done, total) / total))
        if text:
            self.label.setText(text)

    def cancel(self) -> None:
        if self.job is not None and not self.job.done:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText("Đang hủy…")


def cancel_fn(ctx: JobContext):
    return lambda: ctx.cancelled


def progress_fn(ctx: JobContext):
    return lambda done, total, text="": ctx.report(done, total, text)


def _guard(fn):
    """Turn the exchange layer's cancellation into the job's."""
    from cds_desktop.exchange.errors import ExchangeCancelled

    def work(ctx: JobContext) -> Any:
        try:
            return fn(ctx)
        except ExchangeCancelled as exc:
            raise JobCancelled() from exc
    return work


def _current_month(periods: list[tuple[str, str]]) -> str:
    """The code of this month's period if the plan has it, else its last month."""
    from datetime import date

    months = [code for _label, code in periods if len(code) == 7 and code[4] == "-" and code[5:].isdigit()]
    this = date.today().strftime("%Y-%m")
    return this if this in months else (months[-1] if months else "")


class ExportPage(QWidget):
    """Send: a data package of a scope, or report workbooks for the units of a period."""

    exported = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.plan_uuid: str | None = None
        package = QGroupBox("Gói dữ liệu (.cdspkg): chuyển máy, đồng bộ máy văn phòng và máy xách tay, bàn giao, "
                            "gửi số liệu lên cấp trên")
        self.scope_all = QRadioButton("Toàn bộ dữ liệu (kèm minh chứng)")
        self.scope_plan = QRadioButton("Kế hoạch đang chọn")
        self.scope_unit = QRadioButton("Một đơn vị:")
        self.scope_period = QRadioButton("Một kỳ báo cáo:")
        self.scope_group = QButtonGroup(self)
        for number, button in enumerate((self.scope_all, self.scope_plan, self.scope_unit, self.scope_period)):
            self.scope_group.addButton(button, number)
        self.scope_all.setChecked(True)
        self.unit_combo = QComboBox()
        self.period_combo = QComboBox()
        self.package_path = QLineEdit()
        self.package_path.setPlaceholderText("Nơi lưu gói dữ liệu, ví dụ D:\\ban-giao.cdspkg")
        browse = QPushButton("Chọn…")
        browse.clicked.connect(self._browse_package)
        self.export_button = QPushButton("Xuất gói dữ liệu")
        self.export_button.clicked.connect(lambda: self.export_to(self.package_path.text()))
        form = QFormLayout(package)
        form.addRow(self.scope_all)
        form.addRow(self.scope_plan)
        form.addRow(self.scope_unit, self.unit_combo)
        form.addRow(self.scope_period, self.period_combo)
        target = QHBoxLayout()
        target.addWidget(self.package_path, 1)
        target.addWidget(browse)
        target.addWidget(self.export_button)
        form.addRow("Lưu vào:", target)
        books = QGroupBox("Phiếu báo cáo (.xlsx) để gửi các đơn vị điền và gửi lại")
        self.book_period = QComboBox()
        self.book_unit = QComboBox()
        self.book_folder = QLineEdit()
        self.book_folder.setPlaceholderText("Thư mục lưu các phiếu")
        browse_folder = QPushButton("Chọn…")
        browse_folder.clicked.connect(self._browse_folder)
        self.books_button = QPushButton("Lập phiếu báo cáo")
        self.books_button.clicked.connect(lambda: self.make_workbooks(self.book_folder.text()))
        books_form = QFormLayout(books)
        books_form.addRow("Kỳ báo cáo:", self.book_period)
        books_form.addRow("Đơn vị:", self.book_unit)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.book_folder, 1)
        folder_row.addWidget(browse_folder)
        folder_row.addWidget(self.books_button)
        books_form.addRow("Lưu vào:", folder_row)
        self.progress = ProgressLine()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(package)
        layout.addWidget(books)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def set_plan(self, plan_uuid: str | None) -> None:
        from sqlalchemy import select

        from cds_desktop.models import Plan, ReportingPeriod, Unit
        from cds_desktop.services.tracking.calendar import period_label

        self.plan_uuid = plan_uuid
        units: list[tuple[str, str]] = []
        periods: list[tuple[str, str]] = []
        with self.db.session(source="ui") as session:
            plan = session.scalar(select(Plan).where(Plan.uuid == plan_uuid)) if plan_uuid else None
            units = [(u.name, u.uuid) for u in session.scalars(
                select(Unit).where(Unit.deleted_at.is_(None)).order_by(Unit.kind == "village", Unit.position,
                                                                       Unit.sort_key))]
            if plan is not None:
                rows = session.scalars(select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id,
                                                                     ReportingPeriod.deleted_at.is_(None))
                                       .order_by(ReportingPeriod.end_date, ReportingPeriod.start_date.desc()))
                periods = [(period_label(p.code), p.code) for p in rows]
        default = _current_month(periods)
        for combo, items in ((self.unit_combo, units), (self.period_combo, periods), (self.book_period, periods)):
            current = combo.currentData()
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            index = combo.findData(current)
            combo.setCurrentIndex(index if index >= 0 else max(combo.findData(default), 0))
        self.book_unit.clear()
        self.book_unit.addItem("Tất cả các đơn vị phải báo cáo trong kỳ", "")
        for text, data in units:
            self.book_unit.addItem(text, data)
        self.scope_plan.setEnabled(plan is not None)
        self.books_button.setEnabled(bool(periods))

    def scope(self):
        from cds_desktop.exchange import Scope

        checked = self.scope_group.checkedId()
        if checked == 1:
            return Scope(plan_uuid=self.plan_uuid)
        if checked == 2:
            return Scope(unit_uuid=self.unit_combo.currentData())
        if checked == 3:
            return Scope(period_code=self.period_combo.currentData())
        return Scope()

    def _browse_package(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, "Lưu gói dữ liệu", self.package_path.text() or "du-lieu.cdspkg",
                                              "Gói dữ liệu CĐS (*.cdspkg)")
        if path:
            self.package_path.setText(path)

    def _browse_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu phiếu báo cáo")
        if folder:
            self.book_folder.setText(folder)

    def _run(self, fn, text: str, done) -> Job:
        self.summary.setText("")
        for button in (self.export_button, self.books_button):
            button.setEnabled(False)
        job = run_job(_guard(fn), title=text, parent=self, on_success=done, progress=False, cancellable=True)
        job.finished.connect(lambda: [b.setEnabled(True) for b in (self.export_button, self.books_button)])
        return self.progress.follow(job, text)

    def export_to(self, path: str) -> Job | None:
        from cds_desktop.exchange import export_package

        if not path.strip():
            self.summary.setText("Hãy chọn nơi lưu gói dữ liệu.")
            return None
        db, scope = self.db, self.scope()

        def work(ctx: JobContext) -> Any:
            return export_package(db, path.strip(), scope, progress=progress_fn(ctx), cancel=cancel_fn(ctx))

        def done(result: Any) -> None:
            self.summary.setText(result.summary() + " Có thể chép tệp này vào USB hoặc gửi kèm thư điện tử.")
            self.exported.emit()
        return self._run(work, "Đang xuất gói dữ liệu…", done)

    def make_workbooks(self, folder: str) -> Job | None:
        from cds_desktop.exchange.workbook_write import generate_all_workbooks, generate_unit_workbook

        period, unit = self.book_period.currentData(), self.book_unit.currentData()
        if not folder.strip() or not period:
            self.summary.setText("Hãy chọn kỳ báo cáo và thư mục lưu phiếu.")
            return None
        db, plan = self.db, self.plan_uuid

        def work(ctx: JobContext) -> Any:
            if unit:
                return [generate_unit_workbook(db, unit, period, folder.strip(), plan_uuid=plan)]
            return generate_all_workbooks(db, period, folder.strip(), plan_uuid=plan, progress=progress_fn(ctx),
                                          cancel=cancel_fn(ctx))

        def done(made: list) -> None:
            names = ", ".join(m.path.name for m in made[:3]) + ("…" if len(made) > 3 else "")
            self.summary.setText(f"Đã lập {len(made)} phiếu báo cáo trong thư mục «{folder.strip()}»: {names}. "
                                 "Gửi mỗi phiếu cho đơn vị tương ứng qua thư điện tử.")
            self.exported.emit()
        return self._run(work, "Đang lập phiếu báo cáo…", done)


class ImportPage(QWidget):
    """Receive: choose a package or workbooks → check (dry run) → choose for conflicts → import."""

    imported = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = ""  # "package" | "workbooks"
        self.paths: list[Path] = []
        self.result: Any = None
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
    def check_package(self, path: str | Path) -> Job:
        from cds_desktop.exchange.packages import import_package

        self.clear()
        self.kind, self.paths = "package", [Path(path)]
        db = self.db

        def work(ctx: JobContext) -> Any:
            return import_package(db, path, dry_run=True, progress=progress_fn(ctx), cancel=cancel_fn(ctx))
        return self._start(work, f"Đang kiểm tra «{Path(path).name}»…", self.show_preview)

    def check_workbooks(self, paths: list[str | Path]) -> Job:
        from cds_desktop.exchange.workbooks import import_workbooks

        self.clear()
        self.kind, self.paths = "workbooks", [Path(p) for p in paths]
        db = self.db

        def work(ctx: JobContext) -> Any:
            return import_workbooks(db, paths, dry_run=True, progress=progress_fn(ctx))
        return self._start(work, "Đang đọc các phiếu báo cáo…", self.show_preview)

    def _start(self, fn, text: str, on_success) -> Job:
        self._busy(True)
        job = run_job(_guard(fn), title=text, parent=self, on_success=on_success, progress=False, cancellable=True)
        job.finished.connect(lambda: self._busy(False))
        return self.progress.follow(job, text)

    def _busy(self, busy: bool) -> None:
        for button in (self.package_button, self.workbook_button, self.folder_button, self.clear_button):
            button.setEnabled(not busy)
        self.apply_button.setEnabled(not busy and self.result is not None and not self.result.applied)

    def show_preview(self, result: Any) -> None:
        self.result = result
        rows = package_rows(result) if self.kind == "package" else workbook_rows(result)
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
        resolutions = self.model.resolutions()
        db, paths = self.db, list(self.paths)
        if self.kind == "package":
            from cds_desktop.exchange.packages import import_package

            def work(ctx: JobContext) -> Any:
                return import_package(db, paths[0], resolutions=resolutions, progress=progress_fn(ctx),
                                      cancel=cancel_fn(ctx))
        else:
            from cds_desktop.exchange.workbooks import import_workbooks

            def work(ctx: JobContext) -> Any:
                return import_workbooks(db, paths, resolutions=resolutions, skip_rejected=True,
                                        progress=progress_fn(ctx))
        return self._start(work, "Đang nhập dữ liệu…", self._applied)

    def _applied(self, result: Any) -> None:
        self.show_preview(result)
        self.summary.setText(result.summary())
        self.apply_button.setEnabled(False)
        self.imported.emit()

    def clear(self) -> None:
        self.kind, self.paths, self.result = "", [], None
        self.model.set_rows([])
        self.conflict_model.show_row(None)
        self.summary.setText("Chưa chọn tệp nào.")
        self.apply_button.setEnabled(False)
        self._selection_changed()


class ExchangeWidget(QWidget):
    """Trao đổi dữ liệu: gửi, nhận, lịch sử."""

    dataChanged = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.plan_uuid: str | None = None
        self.tabs = QTabWidget()
        self.export_page = ExportPage(db)
        self.import_page = ImportPage(db)
        self.history_model = HistoryModel(db, self)
        self.history_view: QTableView = make_table(self.history_model, max_row_height=48, stretch=5)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        refresh = QPushButton("Làm mới")
        refresh.clicked.connect(self.history_model.reload)
        row = QHBoxLayout()
        row.addWidget(QLabel("Các gói dữ liệu và phiếu báo cáo đã gửi, đã nhận (mới nhất trước)."))
        row.addStretch(1)
        row.addWidget(refresh)
        history_layout.addLayout(row)
        history_layout.addWidget(self.history_view, 1)
        self.tabs.addTab(self.export_page, "Gửi dữ liệu")
        self.tabs.addTab(self.import_page, "Nhận dữ liệu")
        self.tabs.addTab(history, "Lịch sử trao đổi")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        self.import_page.imported.connect(self._after_import)
        self.export_page.exported.connect(self.history_model.reload)
        self.history_model.reload()

    def set_plan(self, plan_uuid: str | None) -> None:
        self.plan_uuid = plan_uuid or None
        self.export_page.set_plan(self.plan_uuid)

    def _after_import(self) -> None:
        self.history_model.reload()
        self.export_page.set_plan(self.plan_uuid)
        self.dataChanged.emit()
