"""The Reports screen: choose a report, its plan, period, unit and columns; preview
the pages inside the application; save as PDF or Excel; print.

Rendering runs in the background (:func:`cds_desktop.ui.common.jobs.run_job`) with
progress.  The preview is the real PDF turned into page images
(:mod:`cds_desktop.reports.preview`: PDFium when installed, else poppler's
``pdftoppm``); where neither exists the screen says so and «Mở tệp» opens the
PDF in the system's viewer.  «In…» prints those page images at 200 dpi on A4
through the Qt print dialog, each page in its own orientation.  The choices
are remembered with ``QSettings``.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.models import SECTION_INDICATORS, SECTION_TASKS
from cds_desktop.reports import APPENDIX_SECTIONS, KINDS, ReportRequest
from cds_desktop.reports.choices import ALWAYS_COLUMNS, ReportChoices
from cds_desktop.ui.common.jobs import run_job

log = logging.getLogger(__name__)

PREVIEW_DPI = 90
PRINT_DPI = 200
PERIOD_KINDS = ("progress", "reminders")
ALL_UNITS = ""  # the unit combo's "every unit" entry (reminders)
FILTERS = {"pdf": "Tệp PDF (*.pdf)", "xlsx": "Sổ tính Excel (*.xlsx)"}


class ReportsWidget(QWidget):
    """``set_plan(uuid)`` chooses the plan; ``set_today(day)`` fixes "today" (progress, reminders)."""

    previewReady = Signal(int)  # pages shown
    saved = Signal(str)  # a file or folder written
    failed = Signal(str)  # Vietnamese message
    busyChanged = Signal(bool)

    def __init__(self, db: Database | None, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings if settings is not None else QSettings()
        self.plan_uuid: str | None = None
        self.choices: ReportChoices | None = None
        self.today: date | None = None
        self.preview_pdf: Path | None = None
        self.page_images: list[Path] = []
        self.busy = False
        self._job = None
        self._pixmaps: list[QPixmap] = []
        self._tmp = tempfile.TemporaryDirectory(prefix="cds-bao-cao-")
        self._runs = 0
        self._loading = False
        self._build()
        self._restore_kind()
        self._update_enabled()

    # -- layout ------------------------------------------------------------------
    def _build(self) -> None:
        self.kind_combo = QComboBox()
        for key, label in KINDS.items():
            self.kind_combo.addItem(label, key)
        self.period_combo = QComboBox()
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumContentsLength(24)
        self.columns_list = QListWidget()
        self.columns_list.setMinimumHeight(180)
        self.default_columns_button = QPushButton("Cột như kế hoạch")
        form = QFormLayout()
        form.addRow("Báo cáo:", self.kind_combo)
        form.addRow("Kỳ báo cáo:", self.period_combo)
        form.addRow("Đơn vị:", self.unit_combo)
        form.addRow("Các cột:", self.columns_list)
        form.addRow("", self.default_columns_button)

        self.preview_button = QPushButton("Xem trước")
        self.save_pdf_button = QPushButton("Lưu PDF…")
        self.save_xlsx_button = QPushButton("Lưu Excel…")
        self.print_button = QPushButton("In…")
        self.open_button = QPushButton("Mở tệp")
        self.all_units_button = QPushButton("Lập cho tất cả đơn vị…")
        buttons = QVBoxLayout()
        for button in (self.preview_button, self.save_pdf_button, self.save_xlsx_button, self.print_button,
                       self.open_button, self.all_units_button):
            buttons.addWidget(button)
        left = QVBoxLayout()
        self.plan_label = QLabel("Chưa chọn kế hoạch.")
        self.plan_label.setWordWrap(True)
        left.addWidget(self.plan_label)
        left.addLayout(form)
        left.addLayout(buttons)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setMaximumWidth(420)

        self.status_label = QLabel("Chọn báo cáo rồi bấm «Xem trước».")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pages_widget = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_layout.setSpacing(12)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.pages_widget)
        self.pages_widget.setStyleSheet("background: #8a8f94;")
        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.cancel_button = QPushButton("Hủy")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress_row = QWidget()
        row = QHBoxLayout(self.progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress_label)
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.cancel_button)
        self.progress_row.setVisible(False)
        right = QVBoxLayout()
        right.addWidget(self.status_label)
        right.addWidget(self.progress_row)
        right.addWidget(self.scroll, 1)

        layout = QHBoxLayout(self)
        layout.addWidget(left_widget)
        layout.addLayout(right, 1)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.period_combo.currentIndexChanged.connect(self._remember)
        self.unit_combo.currentIndexChanged.connect(self._remember)
        self.columns_list.itemChanged.connect(self._remember)
        self.default_columns_button.clicked.connect(self.reset_columns)
        self.preview_button.clicked.connect(self.preview)
        self.save_pdf_button.clicked.connect(lambda: self._ask_save("pdf"))
        self.save_xlsx_button.clicked.connect(lambda: self._ask_save("xlsx"))
        self.print_button.clicked.connect(self.print_dialog)
        self.open_button.clicked.connect(self.open_file)
        self.all_units_button.clicked.connect(self._ask_all_units)

    # -- public API --------------------------------------------------------------
    def set_plan(self, plan_uuid: str | None) -> None:
        self.plan_uuid = plan_uuid or None
        self.reload_choices()

    def set_today(self, day: date) -> None:
        self.today = day
        self.reload_choices()

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))

    def reload_choices(self) -> None:
        """Units, periods and columns of the plan (small queries, run at once)."""
        self.drop_preview()
        self.choices = None
        if self.db is not None:
            from cds_desktop.reports.choices import report_choices
            from cds_desktop.services.common import ServiceError

            try:
                with self.db.session(source="ui") as session:
                    self.choices = report_choices(session, self.plan_uuid, self._today())
            except ServiceError as exc:
                self.status_label.setText(str(exc))
        self.plan_label.setText(f"Kế hoạch: {self.choices.plan_label}" if self.choices else "Chưa có kế hoạch.")
        self._fill_lists()
        self._update_enabled()

    def request(self) -> ReportRequest:
        kind = self.kind()
        unit = self.unit_combo.currentData() if kind in ("unit-plan", "reminders") else None
        return ReportRequest(
            kind=kind,
            plan=self.choices.plan_uuid if self.choices else self.plan_uuid,
            period=self.period_combo.currentData() if kind in PERIOD_KINDS else None,
            unit=unit or None,
            columns=self.checked_columns() if kind in APPENDIX_SECTIONS else None,
            today=self._today(),
        )

    def checked_columns(self) -> list[str]:
        keys = []
        for row in range(self.columns_list.count()):
            item = self.columns_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                keys.append(item.data(Qt.ItemDataRole.UserRole))
        return keys

    def set_columns(self, keys: list[str]) -> None:
        self._loading = True
        try:
            for row in range(self.columns_list.count()):
                item = self.columns_list.item(row)
                key = item.data(Qt.ItemDataRole.UserRole)
                on = key in keys or key in ALWAYS_COLUMNS
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self._loading = False
        self._remember()

    def reset_columns(self) -> None:
        section = APPENDIX_SECTIONS.get(self.kind())
        if self.choices and section:
            self.set_columns(self.choices.default_columns[section])

    # -- rendering ---------------------------------------------------------------
    def drop_preview(self) -> None:
        """Forget the shown preview (its inputs changed): *In…* and *Mở tệp* wait for a new one."""
        self._runs += 1  # a preview still being rendered is for the old inputs
        had = self.preview_pdf is not None or bool(self._pixmaps)
        self.preview_pdf = None
        self.page_images = []
        self._pixmaps = []
        while self.pages_layout.count():
            child = self.pages_layout.takeAt(0).widget()
            if child is not None:
                child.deleteLater()
        if had:
            self.status_label.setText("Lựa chọn đã thay đổi: bấm «Xem trước» để lập lại báo cáo.")
        self._update_enabled()

    def preview(self) -> None:
        """Render the PDF in the background and show its pages."""
        if not self._ready():
            return
        self._runs += 1
        run = self._runs
        request, db = self.request(), self.db
        folder = Path(self._tmp.name) / f"xem-truoc-{run}"
        pdf = folder / "bao-cao.pdf"

        def work(ctx):
            from cds_desktop.reports import build_report, render_document
            from cds_desktop.reports.preview import PreviewUnavailable, pdf_page_images

            def progress(done: int, total: int, text: str) -> None:
                ctx.report(done, total, text)

            with db.session(source="report") as session:
                doc = build_report(session, request, progress)
            render_document(doc, "pdf", pdf, progress)
            ctx.report(0, 0, "Đang tạo ảnh các trang…")
            try:
                return pdf, pdf_page_images(pdf, folder, PREVIEW_DPI), ""
            except PreviewUnavailable as exc:
                return pdf, [], str(exc)

        self._start(work, "Đang lập báo cáo…", lambda result: self._show_preview(run, *result))

    def save_as(self, fmt: str, path: str | Path) -> None:
        """Render the current choice into *path* (PDF or Excel) in the background."""
        if not self._ready():
            return
        request, db, target = self.request(), self.db, Path(path)

        def work(ctx):
            from cds_desktop.reports import build_report, render_document

            with db.session(source="report") as session:
                doc = build_report(session, request, lambda d, t, s: ctx.report(d, t, s))
            return str(render_document(doc, fmt, target, lambda d, t, s: ctx.report(d, t, s)))

        self.settings.setValue("reports/dir", str(target.parent))
        self._start(work, "Đang lưu báo cáo…", self._on_saved)

    def save_all_units(self, fmt: str, folder: str | Path) -> None:
        """One unit plan per unit of the plan, into *folder*."""
        if not self._ready():
            return
        db, plan, target = self.db, self.request().plan, Path(folder)

        def work(ctx):
            from cds_desktop.reports import render_all_units

            paths = render_all_units(db, fmt, target, plan, lambda d, t, s: ctx.report(d, t, s))
            return f"{target} ({len(paths)} tệp)"

        self.settings.setValue("reports/dir", str(target))
        self._start(work, "Đang lập kế hoạch cho các đơn vị…", self._on_saved)

    def open_file(self) -> None:
        if self.preview_pdf is not None and self.preview_pdf.exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.preview_pdf)))
        else:
            self.status_label.setText("Chưa có tệp xem trước: bấm «Xem trước» trước.")

    def print_dialog(self) -> None:
        if self.preview_pdf is None:
            self.status_label.setText("Hãy bấm «Xem trước» trước khi in.")
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Print the previewed PDF's pages (as 200 dpi images) on *printer*."""
        pdf = self.preview_pdf
        if pdf is None:
            return
        folder = Path(self._tmp.name) / "in"

        def work(ctx):
            from cds_desktop.reports.preview import pdf_page_images

            ctx.report(0, 0, "Đang chuẩn bị trang in…")
            return pdf_page_images(pdf, folder, PRINT_DPI)

        self._start(work, "Đang in…", lambda pages: self._paint(printer, pages))

    # -- internals ---------------------------------------------------------------
    def _today(self) -> date:
        return self.today or date.today()

    def _ready(self) -> bool:
        if self.busy:
            return False
        if self.db is None or self.choices is None:
            self.status_label.setText("Chưa có kế hoạch để lập báo cáo.")
            return False
        if self.kind() == "unit-plan" and not self.unit_combo.currentData():
            self.status_label.setText("Hãy chọn đơn vị (hoặc bấm «Lập cho tất cả đơn vị…»).")
            return False
        return True

    def _start(self, work, title: str, on_success) -> None:
        """Run *work* in the background; progress shows in the screen's own bar (not a modal
        dialog), so the officer can keep reading the preview, and «Hủy» stops it."""

        def cancellable(ctx):
            report = ctx.report

            def checked(done: int, total: int = 0, text: str = "") -> None:
                ctx.check_cancelled()
                report(done, total, text)

            ctx.report = checked  # every progress report is also a point where «Hủy» takes effect
            return work(ctx)

        self._set_busy(True)
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText(title)
        job = run_job(cancellable, title=title, parent=self, on_success=on_success, on_error=self._on_error,
                      progress=False)
        job.progressed.connect(self._on_progress)
        job.cancelled.connect(lambda: self.status_label.setText("Đã hủy."))
        job.finished.connect(lambda: self._set_busy(False))
        self._job = job

    def cancel(self) -> None:
        if self._job is not None and not self._job.done:
            self._job.cancel()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progress_bar.setRange(0, max(total, 0))
        if total:
            self.progress_bar.setValue(min(done, total))
        if text:
            self.progress_label.setText(text)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress_row.setVisible(busy)
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
        while self.pages_layout.count():
            child = self.pages_layout.takeAt(0).widget()
            if child is not None:
                child.deleteLater()
        self._pixmaps = [QPixmap(str(path)) for path in pages]
        for number, _pixmap in enumerate(self._pixmaps, start=1):
            label = QLabel()
            label.setToolTip(f"Trang {number}")
            label.setStyleSheet("background: white; border: 1px solid #555;")
            self.pages_layout.addWidget(label)
        self._fit_pages()
        text = f"Xem trước: {len(pages)} trang." if pages else f"{note}\nBấm «Mở tệp» để xem bằng trình đọc PDF."
        self.status_label.setText(text)
        self._update_enabled()
        self.previewReady.emit(len(pages))

    def _fit_pages(self) -> None:
        """Pages as wide as the preview area allows (never enlarged beyond the rendered size)."""
        width = max(self.scroll.viewport().width() - 40, 200)
        for index, pixmap in enumerate(self._pixmaps):
            item = self.pages_layout.itemAt(index)
            label = item.widget() if item is not None else None
            if label is None:
                continue
            shown = pixmap if pixmap.width() <= width else pixmap.scaledToWidth(
                width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(shown)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._pixmaps:
            self._fit_pages()

    def _paint(self, printer: QPrinter, pages: list[Path]) -> None:
        painter = QPainter()
        try:
            for index, path in enumerate(pages):
                image = QImage(str(path))
                landscape = image.width() > image.height()
                printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape
                                           else QPageLayout.Orientation.Portrait)
                if index == 0:
                    if not painter.begin(printer):
                        raise OSError("printer")
                else:
                    printer.newPage()
                target = painter.viewport()
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(target.x(), target.y(), image.scaled(
                    scaled, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        except OSError:
            self.status_label.setText("Không mở được máy in.")
            return
        finally:
            if painter.isActive():
                painter.end()
        self.status_label.setText(f"Đã gửi {len(pages)} trang tới máy in.")

    def _ask_save(self, fmt: str) -> None:
        if not self._ready():
            return
        from cds_desktop.reports import suggested_filename

        start = Path(str(self.settings.value("reports/dir", str(Path.home()))))
        name = self.kind().replace("-", "_") + "." + fmt
        if self.db is not None and self.choices is not None:
            with self.db.session(source="ui") as session:
                from cds_desktop.services.lookup import resolve_plan

                name = suggested_filename(self.kind(), resolve_plan(session, self.choices.plan_uuid), fmt,
                                          period=self.request().period)
        path, _ = QFileDialog.getSaveFileName(self, "Lưu báo cáo", str(start / name), FILTERS[fmt])
        if path:
            if not path.lower().endswith("." + fmt):
                path += "." + fmt
            self.save_as(fmt, path)

    def _ask_all_units(self) -> None:
        start = str(self.settings.value("reports/dir", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu kế hoạch của các đơn vị", start)
        if folder:
            self.save_all_units("pdf", folder)

    def _restore_kind(self) -> None:
        self.set_kind(str(self.settings.value("reports/kind", "phu-luc-01")))

    def _on_kind_changed(self, _index: int) -> None:
        self.drop_preview()
        self._fill_lists()
        self._update_enabled()
        self._remember()

    def _fill_lists(self) -> None:
        """Periods, units and columns for the chosen kind, with the remembered choices."""
        self._loading = True
        try:
            choices, kind = self.choices, self.kind()
            self.period_combo.clear()
            self.unit_combo.clear()
            self.columns_list.clear()
            if choices is None:
                return
            for code, label in choices.periods:
                self.period_combo.addItem(label, code)
            index = self.period_combo.findData(self.settings.value("reports/period"))
            if index < 0:
                index = self.period_combo.findData(choices.default_period)
            self.period_combo.setCurrentIndex(max(index, 0))
            if kind == "reminders":
                self.unit_combo.addItem("Tất cả đơn vị", ALL_UNITS)
            for uuid, name in choices.units:
                self.unit_combo.addItem(name, uuid)
            unit = self.settings.value("reports/unit")
            self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(unit), 0))
            section = APPENDIX_SECTIONS.get(kind, SECTION_INDICATORS if kind != "phu-luc-02" else SECTION_TASKS)
            saved = self.settings.value(f"reports/columns/{section}")
            keys = str(saved).split(",") if saved else choices.default_columns.get(section, [])
            for key, header in choices.columns.get(section, []):
                item = QListWidgetItem(f"{header}")
                item.setData(Qt.ItemDataRole.UserRole, key)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if key not in ALWAYS_COLUMNS:
                    flags |= Qt.ItemFlag.ItemIsUserCheckable
                item.setFlags(flags)
                on = key in keys or key in ALWAYS_COLUMNS
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                self.columns_list.addItem(item)
        finally:
            self._loading = False

    def _remember(self, *_args) -> None:
        if self._loading:
            return
        self.drop_preview()
        kind = self.kind()
        self.settings.setValue("reports/kind", kind)
        if kind in PERIOD_KINDS and self.period_combo.currentData():
            self.settings.setValue("reports/period", self.period_combo.currentData())
        if kind in ("unit-plan", "reminders") and self.unit_combo.currentData():
            self.settings.setValue("reports/unit", self.unit_combo.currentData())
        section = APPENDIX_SECTIONS.get(kind)
        if section and self.columns_list.count():
            self.settings.setValue(f"reports/columns/{section}", ",".join(self.checked_columns()))

    def _update_enabled(self) -> None:
        kind, idle, ready = self.kind(), not self.busy, self.choices is not None
        self.period_combo.setEnabled(kind in PERIOD_KINDS and self.period_combo.count() > 0)
        self.unit_combo.setEnabled(kind in ("unit-plan", "reminders"))
        self.columns_list.setEnabled(kind in APPENDIX_SECTIONS)
        self.default_columns_button.setEnabled(kind in APPENDIX_SECTIONS)
        for button in (self.preview_button, self.save_pdf_button, self.save_xlsx_button):
            button.setEnabled(idle and ready)
        self.all_units_button.setEnabled(idle and ready and kind == "unit-plan")
        has_preview = self.preview_pdf is not None
        self.print_button.setEnabled(idle and has_preview)
        self.open_button.setEnabled(has_preview)
