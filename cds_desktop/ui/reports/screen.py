"""The Reports screen: choose a report, its plan, period, unit and columns; preview
the pages inside the application; save as PDF or Excel; print.

Rendering runs in the background (:func:`cds_desktop.ui.common.jobs.run_job`) with
progress.  The preview is the real PDF turned into page images
(:mod:`cds_desktop.reports.preview`: PDFium when installed, else poppler's
``pdftoppm``); where neither exists the screen says so and «Mở tệp» opens the
PDF in the system's viewer.  «In…» prints those page images at 200 dpi on A4
through the Qt print dialog, each page in its own orientation.  The choices
are remembered with ``QSettings``.  «Ký số…» saves the report as a digitally signed PDF and
«Kiểm tra chữ ký…» checks a signed PDF (:mod:`.signing`).
"""

from __future__ import annotations

import logging
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cds_desktop.database import Database
from cds_desktop.reports import APPENDIX_SECTIONS, ReportRequest
from cds_desktop.ui.common.jobs import run_job
from cds_desktop.ui.common.progress_line import ProgressLine
from cds_desktop.ui.common.questions import confirm_overwrite
from cds_desktop.ui.common.screen import ScreenWidget
from cds_desktop.ui.common.worker_pool import prewarm_worker
from cds_desktop.ui.reports.choices_form import ReportChoicesForm
from cds_desktop.ui.reports.pages import PagesView
from cds_desktop.ui.reports.printing_actions import PrintingActions
from cds_desktop.ui.reports.signing import ask_password
from cds_desktop.ui.reports.signing_actions import FILTERS, SigningActions

log = logging.getLogger(__name__)

PREVIEW_DPI = 90


class ReportsWidget(PrintingActions, SigningActions, ScreenWidget):
    """``set_plan(uuid)`` chooses the plan; ``set_today(day)`` fixes "today" (progress, reminders)."""

    previewReady = Signal(int)  # pages shown
    saved = Signal(str)  # a file or folder written
    failed = Signal(str)  # Vietnamese message
    busyChanged = Signal(bool)
    signaturesChecked = Signal(int)  # signatures found in the checked PDF

    def __init__(self, db: Database | None, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings if settings is not None else QSettings()
        self.plan_uuid: str | None = None
        self.today: date | None = None
        self.preview_pdf: Path | None = None
        self.page_images: list[Path] = []
        self.busy = False
        self._job = None
        self._tmp = tempfile.TemporaryDirectory(prefix="cds-bao-cao-")
        self._runs = 0
        self._stale = False  # the choices wait for the screen to be shown
        self.signature_box = None  # the last «Kiểm tra chữ ký» result, while shown
        self.ask_password = lambda key: ask_password(self, key)  # the password or PIN, never kept
        self._build()
        prewarm_worker()  # reports are rendered in a worker process
        self._update_enabled()

    # -- layout ------------------------------------------------------------------
    def _build(self) -> None:
        self.form = ReportChoicesForm(self.settings)
        # the form's widgets, as the screen's (tests and the main window use them)
        self.kind_combo, self.period_combo = self.form.kind_combo, self.form.period_combo
        self.unit_combo, self.columns_list = self.form.unit_combo, self.form.columns_list
        self.plan_label = self.form.plan_label
        self.preview_button = QPushButton("Xem trước")
        self.save_pdf_button = QPushButton("Lưu PDF…")
        self.save_xlsx_button = QPushButton("Lưu Excel…")
        self.print_button = QPushButton("In…")
        self.open_button = QPushButton("Mở tệp")
        self.all_units_button = QPushButton("Lập cho tất cả đơn vị…")
        self.sign_button = QPushButton("Ký số…")
        self.sign_button.setToolTip("Lưu báo cáo thành tệp PDF có chữ ký số (tệp .p12/.pfx hoặc USB token)")
        self.signing_key_button = QPushButton("Chọn cách ký số…")
        self.verify_button = QPushButton("Kiểm tra chữ ký…")
        self.verify_button.setToolTip("Xem ai đã ký một tệp PDF, khi nào, và tệp có bị sửa sau khi ký không")
        left = QVBoxLayout()
        left.addWidget(self.form)
        for button in (self.preview_button, self.save_pdf_button, self.save_xlsx_button, self.print_button,
                       self.open_button, self.all_units_button, self.sign_button, self.signing_key_button,
                       self.verify_button):
            left.addWidget(button)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setMaximumWidth(420)

        self.status_label = QLabel("Chọn báo cáo rồi bấm «Xem trước».")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pages = PagesView()
        self.pages.shown.connect(self._pages_shown)
        self._shown_run = -1
        self.scroll, self.pages_layout = self.pages, self.pages.pages_layout
        self.progress = ProgressLine()
        right = QVBoxLayout()
        right.addWidget(self.status_label)
        right.addWidget(self.progress)
        right.addWidget(self.pages, 1)

        layout = QHBoxLayout(self)
        layout.addWidget(left_widget)
        layout.addLayout(right, 1)

        self.form.kindChanged.connect(lambda _kind: self._update_enabled())
        self.form.changed.connect(self.drop_preview)
        self.preview_button.clicked.connect(self.preview)
        self.save_pdf_button.clicked.connect(lambda: self._ask_save("pdf"))
        self.save_xlsx_button.clicked.connect(lambda: self._ask_save("xlsx"))
        self.print_button.clicked.connect(self.print_dialog)
        self.open_button.clicked.connect(self.open_file)
        self.all_units_button.clicked.connect(self._ask_all_units)
        self.sign_button.clicked.connect(self.sign_dialog)
        self.signing_key_button.clicked.connect(self.choose_signing_key)
        self.verify_button.clicked.connect(self.check_signature_dialog)

    # -- public API --------------------------------------------------------------
    @property
    def choices(self):
        self._reload_if_stale()
        return self.form.choices

    def set_plan(self, plan_uuid: str | None) -> None:
        self.plan_uuid = plan_uuid or None
        self._choices_changed()

    def set_today(self, day: date) -> None:
        self.today = day
        self._choices_changed()

    def _choices_changed(self) -> None:
        """Reload the choices now, or, for a screen hidden behind another one of a shown window,
        when it is next shown (the plan changing after an import then costs the window nothing here)."""
        window = self.window()
        if window is not self and window.isVisible() and not self.isVisible():
            self.drop_preview()
            self._stale = True
            return
        self.reload_choices()

    def _reload_if_stale(self) -> None:
        if self._stale:
            self.reload_choices()

    def showEvent(self, event) -> None:
        self._reload_if_stale()
        super().showEvent(event)

    def kind(self) -> str:
        return self.form.kind()

    def set_kind(self, kind: str) -> None:
        self.form.set_kind(kind)

    def checked_columns(self) -> list[str]:
        return self.form.checked_columns()

    def set_columns(self, keys: list[str]) -> None:
        self.form.set_columns(keys)

    def reset_columns(self) -> None:
        self.form.reset_columns()

    def reload_choices(self) -> None:
        """Units, periods and columns of the plan (small queries, run at once)."""
        self._stale = False
        self.drop_preview()
        choices = None
        if self.db is not None:
            from cds_desktop.reports.choices import load_report_choices
            from cds_desktop.services.common import ServiceError

            try:
                choices = load_report_choices(self.db, self.plan_uuid, self._today())
            except ServiceError as exc:
                self.status_label.setText(str(exc))
        self.form.set_choices(choices)
        self._update_enabled()

    def request(self) -> ReportRequest:
        kind = self.kind()
        return ReportRequest(
            kind=kind,
            plan=self.choices.plan_uuid if self.choices else self.plan_uuid,
            period=self.form.period(),
            unit=self.form.unit(),
            columns=self.checked_columns() if kind in APPENDIX_SECTIONS else None,
            today=self._today(),
        )

    # -- rendering ---------------------------------------------------------------
    def drop_preview(self) -> None:
        """Forget the shown preview (its inputs changed): *In…* and *Mở tệp* wait for a new one."""
        self._runs += 1  # a preview still being rendered is for the old inputs
        had = self.preview_pdf is not None or self.pages.has_pages()
        self.preview_pdf = None
        self.page_images = []
        self.pages.show_pages([])
        if had:
            self.status_label.setText("Lựa chọn đã thay đổi: bấm «Xem trước» để lập lại báo cáo.")
        self._update_enabled()

    def preview(self) -> None:
        """Render the PDF in the background and show its pages."""
        if not self._ready():
            return
        self._runs += 1
        run = self._runs
        folder = Path(self._tmp.name) / f"xem-truoc-{run}"
        from cds_desktop.ui.reports.report_tasks import render_preview

        self._start(render_preview, "Đang lập báo cáo…", lambda result: self._show_preview(run, *result),
                    args=(self._db_ref(), self.request(), str(folder / "bao-cao.pdf"), PREVIEW_DPI))

    def save_as(self, fmt: str, path: str | Path) -> None:
        """Render the current choice into *path* (PDF or Excel) in the background."""
        if not self._ready():
            return
        from cds_desktop.ui.reports.report_tasks import render_report

        target = Path(path)
        self.settings.setValue("reports/dir", str(target.parent))
        self._start(render_report, "Đang lưu báo cáo…", self._on_saved,
                    args=(self._db_ref(), self.request(), fmt, str(target)))

    def save_all_units(self, fmt: str, folder: str | Path, *, overwrite: bool = False) -> None:
        """One unit plan per unit of the plan, into *folder*; asks before files already there are replaced."""
        if not self._ready():
            return
        from cds_desktop.ui.reports.report_tasks import render_all_units

        def done(result) -> None:
            if not isinstance(result, dict):
                self._on_saved(result)
            elif confirm_overwrite(self, result["exists"]):
                self.save_all_units(fmt, folder, overwrite=True)
            else:
                self.status_label.setText("Chưa lưu: các tệp đã có được giữ nguyên.")

        self.settings.setValue("reports/dir", str(Path(folder)))
        self._start(render_all_units, "Đang lập kế hoạch cho các đơn vị…", done,
                    args=(self._db_ref(), fmt, str(folder), self.request().plan, overwrite))

    def open_file(self) -> None:
        if self.preview_pdf is not None and self.preview_pdf.exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.preview_pdf)))
        else:
            self.status_label.setText("Chưa có tệp xem trước: bấm «Xem trước» trước.")

    # -- internals ---------------------------------------------------------------
    def _today(self) -> date:
        return self.today or date.today()

    def _ready(self) -> bool:
        self._reload_if_stale()
        if self.busy:
            return False
        if self.db is None or self.choices is None:
            self.status_label.setText("Chưa có kế hoạch để lập báo cáo.")
            return False
        if self.kind() == "unit-plan" and not self.unit_combo.currentData():
            self.status_label.setText("Hãy chọn đơn vị (hoặc bấm «Lập cho tất cả đơn vị…»).")
            return False
        return True

    def _db_ref(self):
        from cds_desktop.ui.common.job_worker import DatabaseRef

        return DatabaseRef.of(self.db)

    def _start(self, work, title: str, on_success, args: tuple | None = None) -> None:
        """Run *work* in the background (with *args*: ``work(ctx, *args)`` in a worker process);
        progress shows in the screen's own line (not a modal dialog), so the officer can keep
        reading the preview, and «Hủy» stops it."""

        def cancellable(ctx):
            report = ctx.report

            def checked(done: int, total: int = 0, text: str = "") -> None:
                ctx.check_cancelled()
                report(done, total, text)

            ctx.report = checked  # every progress report is also a point where «Hủy» takes effect
            return work(ctx)

        self._set_busy(True)
        if args is not None:
            job = run_job(work, in_process=True, args=args, title=title, parent=self, on_success=on_success,
                          on_error=self._on_error, progress=False)
        else:
            job = run_job(cancellable, title=title, parent=self, on_success=on_success, on_error=self._on_error,
                          progress=False)
        self._job = job
        self.progress.follow(job, title)
        job.cancelled.connect(lambda: self.status_label.setText("Đã hủy."))
        job.finished.connect(lambda: self._job_finished(job))

    def _job_finished(self, job) -> None:
        if self._job is job:  # not when its result started the next step (printing after the page images)
            self._set_busy(False)

    def cancel(self) -> None:
        self.progress.cancel()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        if not busy:
            self._job = None
        self._update_enabled()
        self.busyChanged.emit(busy)

    def _on_error(self, exc: BaseException, tb_text: str) -> None:
        from cds_desktop.ui.common.errors import is_known, show_error, user_message

        message = user_message(exc)
        self.status_label.setText(message)
        if not is_known(exc):
            show_error(exc, self, tb_text=tb_text)
        self.failed.emit(message)

    def _on_saved(self, path: str) -> None:
        self.status_label.setText(f"Đã lưu: {path}")
        self.saved.emit(path)

    def _show_preview(self, run: int, pdf: Path, pages: list[Path], note: str) -> None:
        if run != self._runs:
            return
        self.preview_pdf = pdf
        self.page_images = pages
        text = f"Xem trước: {len(pages)} trang." if pages else f"{note}\nBấm «Mở tệp» để xem bằng trình đọc PDF."
        self.status_label.setText(text)
        self._update_enabled()
        self._shown_run = run
        self.pages.show_pages(pages)  # read in slices: previewReady when every page is in

    def _pages_shown(self) -> None:
        if self._shown_run == self._runs:
            self.previewReady.emit(len(self.page_images))

    def _ask_save(self, fmt: str) -> None:
        if not self._ready():
            return
        path = self._ask_path(fmt)
        if path:
            self.save_as(fmt, path)

    def _ask_path(self, fmt: str) -> str:
        from cds_desktop.reports import suggested_filename_for

        start = Path(str(self.settings.value("reports/dir", str(Path.home()))))
        name = self.kind().replace("-", "_") + "." + fmt
        if self.db is not None and self.choices is not None:
            name = suggested_filename_for(self.db, self.kind(), self.choices.plan_uuid, fmt,
                                          period=self.request().period)
        path, _ = QFileDialog.getSaveFileName(self, "Lưu báo cáo", str(start / name), FILTERS[fmt])
        if path and not path.lower().endswith("." + fmt):
            path += "." + fmt  # a name the dialog did not see: ask here if it is taken
            if Path(path).exists() and not confirm_overwrite(self, [path]):
                return ""
        return path

    def _ask_all_units(self) -> None:
        start = str(self.settings.value("reports/dir", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu kế hoạch của các đơn vị", start)
        if folder:
            self.save_all_units("pdf", folder)

    def _update_enabled(self) -> None:
        kind, idle, ready = self.kind(), not self.busy, self.choices is not None
        self.form.update_enabled()
        for button in (self.preview_button, self.save_pdf_button, self.save_xlsx_button):
            button.setEnabled(idle and ready)
        self.all_units_button.setEnabled(idle and ready and kind == "unit-plan")
        self.sign_button.setEnabled(idle and ready)
        self.verify_button.setEnabled(idle)
        has_preview = self.preview_pdf is not None
        self.print_button.setEnabled(idle and has_preview)
        self.open_button.setEnabled(has_preview)
