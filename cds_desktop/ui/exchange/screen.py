"""The exchange screen (Trao đổi dữ liệu): send data (a package, or report workbooks
for the units), receive data (a package or returned workbooks: check first,
then choose for each conflict, then import), and the history of exchanges.

Everything heavy runs as a background job (:mod:`cds_desktop.ui.common.jobs`) with an
inline progress bar and a cancel button; failures go to the one error dialog.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget

from cds_desktop.database import Database
from cds_desktop.ui.common.jobs import Job
from cds_desktop.ui.common.screen import ScreenWidget
from cds_desktop.ui.common.widgets import make_table
from cds_desktop.ui.exchange.export_page import ExportPage
from cds_desktop.ui.exchange.import_page import ImportPage
from cds_desktop.ui.exchange.models import HistoryModel

log = logging.getLogger(__name__)


class ExchangeWidget(ScreenWidget):
    """Trao đổi dữ liệu: gửi, nhận, lịch sử."""

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

    def open_file(self, path: str | Path) -> Job:
        """A package or a unit workbook opened from outside (double-click, *Mở bằng*,
        ``cds-desktop FILE``): the receive tab, with the file checked and ready to import."""
        self.tabs.setCurrentWidget(self.import_page)
        if str(path).lower().endswith(".xlsx"):
            return self.import_page.check_workbooks([path])
        return self.import_page.check_package(path)

    def set_plan(self, plan_uuid: str | None) -> None:
        self.plan_uuid = plan_uuid or None
        self.export_page.set_plan(self.plan_uuid)

    def _after_import(self) -> None:
        self.history_model.reload()
        self.export_page.set_plan(self.plan_uuid)
        self.dataChanged.emit()
