"""Import preview: what the importer read from a plan document, corrected by the officer before anything is written.

Open a file, drop one on the dialog, or paste a table from Word/Excel.  The
dialog shows the detected tables and their column mapping (a combo per
column), the group tree, every row with its parsed target and deadline and
its warnings, the units (matched in the catalogue or to be created) and the
plan's data.  The officer can change a column's meaning or a table's kind,
exclude a row, merge a row into the one above, fix a cell, merge two units;
"Nhập" then writes everything in one transaction on a background job
(:mod:`cds_desktop.ui.common.jobs`).  Entry point for the main window:
:func:`open_import_dialog`.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.importers.build import Analysis, rebuild
from cds_desktop.importers.document import ImportFailure
from cds_desktop.importers.headers import FIELDS
from cds_desktop.importers.preview import (
    format_warning,
    summary_text,
)
from cds_desktop.importers.tables import KIND_LABELS
from cds_desktop.ui.common.errors import show_error
from cds_desktop.ui.common.jobs import run_job
from cds_desktop.ui.common.worker_pool import prewarm_worker
from cds_desktop.ui.plan.import_models import PreviewRowsModel, fill_group_tree, fill_units_table
from cds_desktop.ui.plan.preview_corrections import PreviewCorrections

log = logging.getLogger(__name__)

FILE_FILTER = "Kế hoạch (*.docx *.xlsx *.pdf *.doc *.txt *.tsv *.csv);;Tệp PDF (*.pdf);;Mọi tệp (*)"


class ImportPreviewDialog(PreviewCorrections, QDialog):
    """Preview and correct an import, then write it."""

    loaded = Signal()
    imported = Signal(dict)  # the import report (``plan`` has the plan's uuid)

    def __init__(self, db: Database, analysis: Analysis | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.analysis: Analysis | None = None
        self.report: dict | None = None
        self.matches: dict[str, str | None] = {}
        self.tracking_proposed = False  # the start of tracking shown was proposed, not typed
        self.setWindowTitle("Nhập kế hoạch từ tệp")
        self.setAcceptDrops(True)
        self.resize(1200, 760)
        self._build()
        if analysis is not None:
            self.set_analysis(analysis)
        prewarm_worker()  # reading a file runs in a worker process: it starts while the officer picks one

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.source_label = QLabel("Mở tệp Word/Excel/văn bản, kéo thả tệp vào đây, hoặc dán bảng từ bộ nhớ tạm.")
        open_button, paste_button = QPushButton("Mở tệp…"), QPushButton("Dán từ bộ nhớ tạm")
        open_button.clicked.connect(self.choose_file)
        paste_button.clicked.connect(self.paste)
        top = QHBoxLayout()
        top.addWidget(self.source_label, 1)
        top.addWidget(open_button)
        top.addWidget(paste_button)

        self.meta: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label in (("commune", "Xã/phường"), ("number", "Số, ký hiệu"), ("title", "Trích yếu"),
                           ("signer", "Người ký")):
            edit = QLineEdit()
            edit.editingFinished.connect(lambda k=key: self._meta_edited(k))
            self.meta[key] = edit
            form.addRow(label, edit)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(date.today().year)  # not the range's 2000 before a file is read
        self.year_spin.editingFinished.connect(lambda: self._meta_edited("year"))
        form.addRow("Năm", self.year_spin)
        self.tracking_edit = QLineEdit()
        self.tracking_edit.setPlaceholderText("dd/mm/yyyy — để trống: từ ngày ban hành")
        self.tracking_edit.setToolTip("Các kỳ báo cáo và thời hạn trước ngày này không bị tính là thiếu hay quá "
                                      "hạn. Khi kế hoạch đã ban hành từ lâu, phần mềm đề xuất ngày đầu tháng này.")
        self.tracking_edit.editingFinished.connect(lambda: self._meta_edited("tracking_start"))
        self.tracking_error = QLabel("")
        self.tracking_error.setStyleSheet("color: #c62828;")
        tracking_row = QHBoxLayout()
        tracking_row.addWidget(self.tracking_edit, 1)
        tracking_row.addWidget(self.tracking_error, 2)
        form.addRow("Theo dõi từ ngày", tracking_row)
        self.target_combo = QComboBox()
        form.addRow("Nhập vào", self.target_combo)

        self.tables_list = QListWidget()
        self.tables_list.currentRowChanged.connect(self._show_mapping)
        self.kind_combo = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind)
        self.kind_combo.activated.connect(self._kind_changed)
        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels(["Cột", "Tiêu đề trong tệp", "Hiểu là"])
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().hide()  # the «Cột» column numbers the rows
        self.mapping.setColumnWidth(0, 48)
        self.mapping.setColumnWidth(2, 230)  # the longest meaning («Sở, ngành TP hướng dẫn») not clipped
        tables_tab = QWidget()
        tables_layout = QHBoxLayout(tables_tab)
        right = QVBoxLayout()
        right.addWidget(QLabel("Loại bảng"))
        right.addWidget(self.kind_combo)
        right.addWidget(self.mapping, 1)
        tables_layout.addWidget(self.tables_list, 1)
        tables_layout.addLayout(right, 2)

        self.groups_tree = QTreeWidget()
        self.groups_tree.setHeaderLabels(["Nhóm", "Số mục", "Ghi chú"])
        self.groups_tree.setColumnWidth(0, 640)
        self.groups_tree.setWordWrap(True)
        self.rows_model = PreviewRowsModel(self)
        self.rows_model.changed.connect(self.refresh)
        self.rows_view = QTableView()
        self.rows_view.setModel(self.rows_model)
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_view.setWordWrap(False)
        for column, spec in enumerate(self.rows_model.columns):
            self.rows_view.setColumnWidth(column, spec.width)
        self.rows_view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        merge_button = QPushButton("Gộp vào dòng trên")
        merge_button.clicked.connect(self.merge_selected_row)
        rows_tab = QWidget()
        rows_layout = QVBoxLayout(rows_tab)
        rows_layout.addWidget(self.rows_view, 1)
        rows_layout.addWidget(merge_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.units_table = QTableWidget(0, 4)
        self.units_table.setHorizontalHeaderLabels(["Đơn vị", "Loại", "Cách viết trong tệp", "Trong danh mục"])
        self.units_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.units_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.units_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 300), (1, 150), (3, 300)):  # names read whole, not «Văn phòng …»
            self.units_table.setColumnWidth(column, width)
        unit_merge = QPushButton("Gộp hai đơn vị đã chọn (vào đơn vị chọn trước)")
        unit_merge.clicked.connect(self.merge_selected_units)
        units_tab = QWidget()
        units_layout = QVBoxLayout(units_tab)
        units_layout.addWidget(self.units_table, 1)
        units_layout.addWidget(unit_merge, 0, Qt.AlignmentFlag.AlignLeft)
        self.warnings_list = QListWidget()

        self.tabs = QTabWidget()
        for widget, title in ((tables_tab, "Bảng và cột"), (self.groups_tree, "Nhóm"), (rows_tab, "Các dòng"),
                              (units_tab, "Đơn vị"), (self.warnings_list, "Cảnh báo")):
            self.tabs.addTab(widget, title)
        meta_box = QWidget()
        meta_box.setLayout(form)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(meta_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 4)

        self.summary = QLabel("")
        self.import_button = QPushButton("Nhập")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        close = QPushButton("Đóng")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

    # -- loading ----------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp kế hoạch", "", FILE_FILTER)
        if path:
            self.load_file(path)

    def load_file(self, path: str | Path) -> None:
        from cds_desktop.ui.common.job_worker import DatabaseRef
        from cds_desktop.ui.plan.import_tasks import read_plan_file

        self.source_label.setText(f"Đang đọc «{Path(path).name}»…")
        run_job(read_plan_file, in_process=True, args=(str(path), DatabaseRef.of(self.db)), title="Đang đọc tệp…",
                parent=self, on_success=lambda result: self.set_analysis(*result), on_error=self._load_failed)

    def load_text(self, text: str, name: str = "") -> None:
        from cds_desktop.importers.run import PASTED_NAME, analyse_text

        try:
            self.set_analysis(analyse_text(text, name or PASTED_NAME))
        except ImportFailure as exc:
            self._load_failed(exc, "")

    def paste(self) -> None:
        self.load_text(QGuiApplication.clipboard().text())

    def _load_failed(self, exc: BaseException, tb_text: str) -> None:
        self.source_label.setText("Không đọc được tệp.")
        show_error(exc, self, tb_text=tb_text or None)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasText():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        if files:
            self.load_file(files[0])
        elif mime.hasText():
            self.load_text(mime.text())
        event.acceptProposedAction()

    def set_analysis(self, analysis: Analysis, matches: dict[str, str | None] | None = None,
                     targets: list | None = None) -> None:
        """Show *analysis*; with *matches* (and *targets*) it is shown as read, already built (by the
        worker that read the file), else it is rebuilt and matched here."""
        self.analysis = analysis
        self.source_label.setText(f"Tệp: «{analysis.name}»")
        self._fill_targets(targets)
        if matches is None:
            self.refresh()
        else:
            self.matches = matches
            self._show_analysis()
        self.tables_list.setCurrentRow(0)
        self.loaded.emit()

    def _fill_targets(self, targets: list | None = None) -> None:
        if targets is None:
            from cds_desktop.services.plan_actions import load_import_targets

            targets = load_import_targets(self.db)
        self.target_combo.clear()
        self.target_combo.addItem("Tự động: kế hoạch mới, hoặc đối chiếu với kế hoạch cùng số đã có", None)
        for label, uuid in targets:
            self.target_combo.addItem(label, uuid)

    # -- refreshing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild the draft from the tables as corrected, and every view."""
        if self.analysis is None:
            return
        rebuild(self.analysis)
        from cds_desktop.services.plan_actions import load_catalogue_matches

        self.matches = load_catalogue_matches(self.db, self.analysis.draft)
        self._show_analysis()

    def _show_analysis(self) -> None:
        """Every view filled from the analysis as built."""
        assert self.analysis is not None
        draft = self.analysis.draft
        plan, commune = draft["plan"], draft["commune"]
        for key, value in (("commune", commune["name"]), ("number", plan["number"]), ("title", plan["title"]),
                           ("signer", plan["signer"])):
            self.meta[key].setText(value or "")
        self.year_spin.setValue(plan["year"] or date.today().year)
        self._fill_tracking_start(plan)
        current = self.tables_list.currentRow()
        self.tables_list.blockSignals(True)
        self.tables_list.clear()
        for table in self.analysis.tables:
            self.tables_list.addItem(f"Bảng {table.number} ({table.describe()}): {table.kind_label}")
        self.tables_list.setCurrentRow(max(current, 0))
        self.tables_list.blockSignals(False)
        self._show_mapping(self.tables_list.currentRow())  # once (not again through the list's signal)
        self._fill_groups()
        self.rows_model.reload(self.analysis)
        self._fill_units()
        self.warnings_list.clear()
        self.warnings_list.addItems([format_warning(w) for w in self.analysis.warnings])
        self.summary.setText(summary_text(self.analysis, self.matches))
        self.import_button.setEnabled(bool(draft["items"]))

    def _fill_tracking_start(self, plan: dict) -> None:
        """The officer's start of tracking, or the one proposed for a plan issued long ago."""
        assert self.analysis is not None
        if "tracking_start" not in self.analysis.meta_overrides:
            from cds_desktop.services.structure import suggested_tracking_start

            issued = date.fromisoformat(plan["issue_date"]) if plan.get("issue_date") else None
            proposed = suggested_tracking_start(issued, plan.get("year"), date.today())
            self.analysis.meta_overrides["tracking_start"] = proposed.isoformat() if proposed else None
            self.tracking_proposed = proposed is not None
            plan["tracking_start"] = self.analysis.meta_overrides["tracking_start"]
        start = plan.get("tracking_start")
        if not self.tracking_error.text():
            self.tracking_edit.setText(date.fromisoformat(start).strftime("%d/%m/%Y") if start else "")

    def _show_mapping(self, index: int) -> None:
        self.mapping.setRowCount(0)
        if self.analysis is None or not 0 <= index < len(self.analysis.tables):
            return
        table = self.analysis.tables[index]
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(table.kind))
        self.mapping.setRowCount(len(table.columns))
        for r, column in enumerate(table.columns):
            self.mapping.setItem(r, 0, QTableWidgetItem(str(column.index + 1)))
            self.mapping.setItem(r, 1, QTableWidgetItem(column.header))
            combo = QComboBox()
            for field, label in FIELDS.items():
                combo.addItem(label, field)
            combo.setCurrentIndex(combo.findData(column.field))
            combo.activated.connect(lambda _i, t=table, c=column.index, box=combo: self.set_column_field(
                t.number, c, box.currentData()))
            self.mapping.setCellWidget(r, 2, combo)

    def _fill_groups(self) -> None:
        assert self.analysis is not None
        fill_group_tree(self.groups_tree, self.analysis.draft)

    def _fill_units(self) -> None:
        assert self.analysis is not None
        fill_units_table(self.units_table, self.analysis.draft["units"], self.matches)

    # -- import -----------------------------------------------------------------------------------
    def start_import(self) -> None:
        from cds_desktop.ui.common.job_worker import DatabaseRef
        from cds_desktop.ui.plan.import_tasks import write_plan

        if self.analysis is None:
            return
        analysis, plan_uuid = self.analysis, self.target_combo.currentData()
        if plan_uuid and self.tracking_proposed:  # an update keeps the plan's own start of tracking
            analysis.meta_overrides.pop("tracking_start", None)
            analysis.draft["plan"]["tracking_start"] = None
        self.import_button.setEnabled(False)
        run_job(write_plan, in_process=True, args=(DatabaseRef.of(self.db), analysis, plan_uuid),
                title="Đang nhập kế hoạch…", parent=self, on_success=self._imported, on_error=self._import_failed)

    def _imported(self, report: dict) -> None:
        self.report = report
        items, groups = report["items"], report["groups"]
        self.summary.setText(
            f"Đã nhập «{report['plan']['title']}»: {items['created']} mục mới, {items['updated']} cập nhật, "
            f"{items['unchanged']} giữ nguyên; {groups['created']} nhóm mới.")
        log.info("Import from preview done: %s", report["file"])
        self.imported.emit(report)
        self.accept()

    def _import_failed(self, exc: BaseException, tb_text: str) -> None:
        self.import_button.setEnabled(True)
        show_error(exc, self, tb_text=tb_text or None)


def open_import_dialog(parent: QWidget | None, db: Database, path: str | Path | None = None) -> ImportPreviewDialog:
    """Show the import dialog (optionally reading *path* at once); returns it (non-modal)."""
    dialog = ImportPreviewDialog(db, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    if path is not None:
        dialog.load_file(path)
    dialog.show()
    return dialog
