"""Send data: a package of the chosen scope, or report workbooks for the units."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.ui.common.job_worker import DatabaseRef
from cds_desktop.ui.common.jobs import Job, run_job
from cds_desktop.ui.common.progress_line import ProgressLine
from cds_desktop.ui.common.questions import confirm_overwrite
from cds_desktop.ui.common.worker_pool import prewarm_worker

log = logging.getLogger(__name__)


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
        self._stale = False  # the lists wait for the page to be shown
        prewarm_worker()  # packages and workbooks are made and read in a worker process
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
        """The plan's units and periods in the lists: now, or, when this page is hidden in a shown
        window, when it is next shown (a plan changing after an import costs the window nothing here)."""
        self.plan_uuid = plan_uuid
        window = self.window()
        self._stale = window is not self and window.isVisible() and not self.isVisible()
        if not self._stale:
            self._load_choices()

    def showEvent(self, event) -> None:
        if self._stale:
            self._load_choices()
        super().showEvent(event)

    def _load_choices(self) -> None:
        from cds_desktop.exchange.choices import exchange_choices

        self._stale = False
        plan_uuid = self.plan_uuid
        choices = exchange_choices(self.db, plan_uuid)
        units, periods = choices.units, choices.periods
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
        self.scope_plan.setEnabled(choices.has_plan)
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
            self._confirmed = path  # the dialog asked already if it was taken

    def _browse_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu phiếu báo cáo")
        if folder:
            self.book_folder.setText(folder)

    def _run(self, fn, text: str, done, args: tuple) -> Job:
        """``fn(ctx, *args)`` in a worker process (:mod:`cds_desktop.ui.exchange.exchange_tasks`)."""
        self.summary.setText("")
        for button in (self.export_button, self.books_button):
            button.setEnabled(False)
        job = run_job(fn, in_process=True, args=args, title=text, parent=self, on_success=done, progress=False,
                      cancellable=True)
        job.finished.connect(lambda: [b.setEnabled(True) for b in (self.export_button, self.books_button)])
        return self.progress.follow(job, text)

    def export_to(self, path: str) -> Job | None:
        from cds_desktop.ui.exchange.exchange_tasks import export_package

        if self._stale:
            self._load_choices()
        if not path.strip():
            self.summary.setText("Hãy chọn nơi lưu gói dữ liệu.")
            return None
        target = Path(path.strip())
        if target.suffix.lower() != ".cdspkg":
            target = target.with_name(target.name + ".cdspkg")
        if target.exists() and path != getattr(self, "_confirmed", None) and not confirm_overwrite(self, [target]):
            self.summary.setText("Chưa xuất: tệp đã có được giữ nguyên.")
            return None

        def done(result: Any) -> None:
            self.summary.setText(result.summary() + " Có thể chép tệp này vào USB hoặc gửi kèm thư điện tử.")
            self.exported.emit()
        return self._run(export_package, "Đang xuất gói dữ liệu…", done,
                         (DatabaseRef.of(self.db), path.strip(), self.scope()))

    def make_workbooks(self, folder: str, *, overwrite: bool = False) -> Job | None:
        from cds_desktop.ui.exchange.exchange_tasks import make_workbooks

        if self._stale:
            self._load_choices()
        period, unit = self.book_period.currentData(), self.book_unit.currentData()
        if not folder.strip() or not period:
            self.summary.setText("Hãy chọn kỳ báo cáo và thư mục lưu phiếu.")
            return None

        def done(made: Any) -> None:
            if isinstance(made, dict):  # files already there: ask, then make them again if told to
                if confirm_overwrite(self, made["exists"]):
                    self.make_workbooks(folder, overwrite=True)
                else:
                    self.summary.setText("Chưa lập phiếu: các tệp đã có được giữ nguyên.")
                return
            names = ", ".join(m.path.name for m in made[:3]) + ("…" if len(made) > 3 else "")
            self.summary.setText(f"Đã lập {len(made)} phiếu báo cáo trong thư mục «{folder.strip()}»: {names}. "
                                 "Gửi mỗi phiếu cho đơn vị tương ứng qua thư điện tử.")
            self.exported.emit()
        return self._run(make_workbooks, "Đang lập phiếu báo cáo…", done,
                         (DatabaseRef.of(self.db), period, unit or "", folder.strip(), self.plan_uuid, overwrite))
