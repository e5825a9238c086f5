"""The Tổng hợp screen (receiving mode): receive the communes' packages (a folder or a
.zip), see every commune × pillar (sorted and filtered in SQL), open a commune's own
dashboard (read-only), check the shared indicators, print the summary reports.

Everything runs as background jobs through service functions (:mod:`cds_desktop.rollup`);
the widget keeps plain rows only.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.reports.rollup_tables import KINDS
from cds_desktop.rollup.importing import RollupImport, import_packages
from cds_desktop.rollup.overview import FILTERS, Overview, load_overview
from cds_desktop.rollup.snapshot import refresh
from cds_desktop.rollup.summary import render_rollup
from cds_desktop.ui.common.jobs import run_job
from cds_desktop.ui.common.screen import ScreenWidget
from cds_desktop.ui.common.widgets import make_table
from cds_desktop.ui.rollup.models import FilesModel, OverviewModel
from cds_desktop.ui.rollup.shared_panel import SharedPanel

log = logging.getLogger(__name__)
EMPTY = ("Thư mục dữ liệu này chưa nhận gói dữ liệu của xã, phường nào. Bấm «Nhận gói từ thư mục…» hoặc "
         "«Nhận tệp .zip…», hoặc kéo thư mục, tệp .zip, tệp .cdspkg thả vào đây: mỗi gói được kiểm tra và nhập riêng, tệp hỏng không làm dừng các tệp khác. "
         "Dữ liệu nhận được chỉ để xem, không sửa được ở đây.")


class RollupWidget(ScreenWidget):
    """Tổng hợp: các xã, phường × trụ cột; chỉ tiêu dùng chung; tệp đã nhận."""

    overviewLoaded = Signal()
    imported = Signal(object)  # RollupImport

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.busy = False
        self.trust_box = None  # the question about packages of offices not trusted yet
        self._last_import: tuple = (None, None)
        self.sort_key, self.descending = "name", False
        self.overview: Overview | None = None
        self.model = OverviewModel(db, self)
        self.view = make_table(self.model, max_row_height=40, stretch=0, sortable=True)
        self.view.horizontalHeader().setMinimumHeight(44)
        self.files_model = FilesModel(db, self)
        self.files_view = make_table(self.files_model, max_row_height=60, stretch=2)
        self.shared = SharedPanel(db, self)
        self.folder_button = QPushButton("Nhận gói từ thư mục…")
        self.zip_button = QPushButton("Nhận tệp .zip…")
        self.report_button = QPushButton("Lập báo cáo tổng hợp")
        self.refresh_button = QPushButton("Tính lại số liệu")
        menu = QMenu(self.report_button)
        for kind, title in KINDS.items():
            for fmt in ("pdf", "xlsx"):
                menu.addAction(f"{title} ({fmt.upper()})…", lambda k=kind, f=fmt: self.ask_report(k, f))
        self.report_button.setMenu(menu)
        self.year_combo = QComboBox()
        self.filter_combo = QComboBox()
        for key, label in FILTERS.items():
            self.filter_combo.addItem(label, key)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Tìm xã, phường…")
        self.find_edit.setClearButtonEnabled(True)
        self.status_label = QLabel(EMPTY)
        self.status_label.setWordWrap(True)

        top = QHBoxLayout()
        for widget in (self.folder_button, self.zip_button, self.report_button, self.refresh_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(QLabel("Năm:"))
        top.addWidget(self.year_combo)
        top.addWidget(QLabel("Lọc:"))
        top.addWidget(self.filter_combo)
        top.addWidget(self.find_edit)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.view, "Các xã, phường")
        self.tabs.addTab(self.shared, "Chỉ tiêu dùng chung")
        self.tabs.addTab(self.files_view, "Tệp đã nhận")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)

        self.folder_button.clicked.connect(self.choose_folder)
        self.zip_button.clicked.connect(self.choose_zip)
        self.refresh_button.clicked.connect(self.refresh_figures)
        self.model.sortRequested.connect(self._sort)
        self.filter_combo.currentIndexChanged.connect(lambda *_a: self.load())
        self.year_combo.currentIndexChanged.connect(lambda *_a: self.load())
        self.find_edit.textChanged.connect(lambda *_a: self.load())
        self.view.doubleClicked.connect(self._open_commune)
        self.shared.matchesChanged.connect(self.load)
        self.setAcceptDrops(True)  # a folder, a .zip or .cdspkg files dropped here are received
        self.load()

    def set_plan(self, plan_uuid: str | None) -> None:
        """The overview is about every received commune, not the chosen plan."""

    # -- loading ---------------------------------------------------------------
    def params(self) -> dict:
        year = self.year_combo.currentData()
        return {"year": year, "sort": self.sort_key, "descending": self.descending,
                "text": self.find_edit.text(), "status": self.filter_combo.currentData() or "all"}

    def load(self) -> None:
        self.busy = True
        db, params = self.db, self.params()
        run_job(lambda _ctx: (load_overview(db, **params), _years(db)), title="Đang tải bảng tổng hợp…",
                parent=self, on_success=self._loaded, on_error=lambda *_a: self._failed(), progress=False)

    def _failed(self) -> None:
        self.busy = False

    def _loaded(self, result: tuple[Overview, list[int]]) -> None:
        overview, years = result
        self.overview = overview
        self._fill_years(years, overview.year)
        self.model.set_rows(overview.rows)
        if overview.communes:
            day = overview.as_of.strftime("%d/%m/%Y") if overview.as_of else "—"
            self.status_label.setText(
                f"{len(overview.rows)}/{overview.communes} xã, phường · năm {overview.year} · số liệu tính đến "
                f"{day}. Nhấp đúp vào một xã, phường để xem bảng theo dõi của xã, phường đó (chỉ xem).")
        else:
            self.status_label.setText(EMPTY)
        for button in (self.report_button, self.refresh_button):
            button.setEnabled(bool(overview.communes))
        self.busy = False
        self.shared.load(overview.year)
        self.overviewLoaded.emit()

    def _fill_years(self, years: list[int], current: int | None) -> None:
        if [self.year_combo.itemData(i) for i in range(self.year_combo.count())] == years:
            return
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in years:
            self.year_combo.addItem(str(year), year)
        index = self.year_combo.findData(current)
        self.year_combo.setCurrentIndex(max(index, 0) if years else -1)
        self.year_combo.blockSignals(False)

    def _sort(self, key: str, descending: bool) -> None:
        self.sort_key, self.descending = key, descending
        self.load()

    def _open_commune(self, index) -> None:
        row = self.model.row_at(index.row())
        if row is not None and row.plan_uuid:
            self.planRequested.emit(row.plan_uuid, "dashboard")

    # -- actions ---------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục chứa các gói dữ liệu (.cdspkg)")
        if folder:
            self.import_source(Path(folder))

    def choose_zip(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp .zip chứa các gói dữ liệu", "",
                                              "Tệp nén (*.zip);;Gói dữ liệu (*.cdspkg)")
        if path:
            self.import_source(Path(path))

    def dragEnterEvent(self, event) -> None:
        if dropped_sources(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        sources = dropped_sources(event.mimeData())
        if sources:
            event.acceptProposedAction()
            self.import_source(sources[0] if len(sources) == 1 else sources)

    def import_source(self, source: Path | list[Path], today: date | None = None, *, trust_new: bool = False) -> None:
        """Receive every package of *source* (a folder, a .zip, one .cdspkg or several of them) in the background.
        Packages of offices not trusted yet are refused and listed in a question (office and key
        fingerprint); accepting receives the folder again with *trust_new*."""
        self.busy = True
        db = self.db
        self._last_import = (source, today)

        def work(ctx) -> RollupImport:
            return import_packages(db, source, today=today, progress=ctx.report, cancel=lambda: ctx.cancelled,
                                   trust_new=trust_new)

        run_job(work, title="Đang nhận các gói dữ liệu…", parent=self, on_success=self._imported,
                on_error=lambda *_a: self._failed(), cancellable=True)

    def _ask_trust(self, batch: RollupImport) -> None:
        from html import escape

        from PySide6.QtWidgets import QMessageBox

        unknown = [r for r in batch.files if r.refused == "unknown" and r.signer]
        if not unknown:
            return
        box = QMessageBox(self)
        box.setWindowTitle("Nơi gửi chưa được tin cậy")
        box.setIcon(QMessageBox.Icon.Question)
        rows = "".join(f"<tr><td>{escape(r.file)}</td><td><b>{escape(r.signer['office'] or 'không rõ tên')}</b></td>"
                       f"<td style='font-family:monospace'>{escape(r.signer['fingerprint'])}</td></tr>" for r in unknown)
        box.setText(f"{len(unknown)} gói được ký bởi nơi gửi chưa được tin cậy trên máy này:"
                    f"<table cellspacing='6'>{rows}</table>")
        box.setInformativeText("Hãy đối chiếu mã khóa với từng nơi gửi (qua điện thoại). Chỉ tin cậy khi mọi mã "
                               "khóa trùng khớp.")
        accept = box.addButton("Tin cậy các nơi gửi này và nhận lại", QMessageBox.ButtonRole.AcceptRole)
        refuse = box.addButton("Không nhận", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(refuse)
        source, today = self._last_import
        box.buttonClicked.connect(lambda button: self.import_source(source, today, trust_new=True)
                                  if button is accept else None)
        box.open()
        self.trust_box = box

    def _imported(self, batch: RollupImport) -> None:
        self._ask_trust(batch)
        self.files_model.set_rows(batch.files)
        self.status_label.setText(batch.summary())
        if batch.failed:
            self.tabs.setCurrentWidget(self.files_view)
        self.imported.emit(batch)
        self.dataChanged.emit()  # the window's list of plans has the communes' plans now
        self.load()

    def refresh_figures(self, today: date | None = None) -> None:
        self.busy = True
        db, day = self.db, today or date.today()
        run_job(lambda ctx: refresh(db, day, ctx.report), title="Đang tính lại số liệu tổng hợp…", parent=self,
                on_success=lambda _n: self.load(), on_error=lambda *_a: self._failed())

    def ask_report(self, kind: str, fmt: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu báo cáo tổng hợp", f"{kind}.{fmt}",
                                              "PDF (*.pdf)" if fmt == "pdf" else "Excel (*.xlsx)")
        if path:
            self.write_report(kind, Path(path))

    def write_report(self, kind: str, path: Path, today: date | None = None, period: str | None = None) -> None:
        self.busy = True
        db, year = self.db, self.year_combo.currentData()

        def done(written: Path) -> None:
            self.busy = False
            self.status_label.setText(f"Đã ghi báo cáo: {written}")

        run_job(lambda _ctx: render_rollup(db, kind, path, today=today, period=period, year=year),
                title="Đang lập báo cáo tổng hợp…", parent=self, on_success=done, on_error=lambda *_a: self._failed())


def dropped_sources(mime) -> list[Path]:
    """The folders, .zip and .cdspkg files among what was dragged (other things are not taken)."""
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []
    return [p for p in paths if p.is_dir() or p.suffix.lower() in (".zip", ".cdspkg")]


def _years(db: Database) -> list[int]:
    from cds_desktop.rollup.overview import load_years

    return load_years(db)
