"""The dashboard (first screen): figures, charts, warnings, units missing reports, coming deadlines.

Every figure leads to the items behind it: a click on a tile, a bar segment, a
chart row or a table row fills the "items behind" list (kept when the figures
are recomputed) and emits ``listRequested(caption, item_uuids)``: the main
window opens the Kế hoạch tables filtered to exactly those items.  A double
click on one of them emits ``itemsRequested([uuid])``.  The figures are
computed by :func:`cds_desktop.services.tracking.dashboard.build_dashboard`
in a background job (:mod:`cds_desktop.ui.common.jobs`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.dashboard import (
    INDICATOR_KEYS,
    TASK_KEYS,
    Dashboard,
    ItemLine,
    chart_rows,
)
from cds_desktop.ui.common.jobs import run_job
from cds_desktop.ui.common.screen import ScreenWidget
from cds_desktop.ui.dashboard.charts import (
    EVALUATION_COLORS,
    STATUS_COLORS,
    TILE_COLORS,
    StackedBarChart,
    TileWidget,
)
from cds_desktop.ui.month.models import (
    CELL_LEGEND,
    ITEMS_ROLE,
    CompletenessModel,
    ItemListModel,
    MissingUnitsModel,
    UpcomingModel,
    WarningsModel,
)

log = logging.getLogger(__name__)

def _table(model, stretch: int, widths: tuple[int, ...] = ()) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def _box(title: str, *widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.setSpacing(3)
    label = QLabel(title)
    label.setStyleSheet("font-weight: bold; color: #263238;")
    layout.addWidget(label)
    for widget in widgets:
        layout.addWidget(widget)
    box.title_label = label  # type: ignore[attr-defined]
    return box


class DashboardWidget(ScreenWidget):
    """The first screen.  ``set_plan(uuid)`` shows a plan; ``set_today(day)`` fixes "today"."""

    refreshed = Signal()  # new figures are on screen

    def __init__(self, db: Database | None, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.db = db
        self.plan_uuid: str | None = None
        self.today_provider = today
        self.dashboard: Dashboard | None = None
        self._generation = 0
        self._period_codes: list[str] = []
        self._shown: tuple[str, list[str]] | None = None  # the figure whose items the list shows
        self._prefetched: tuple | None = None  # (plan uuid, load_dashboard's result) read in the background

        self.heading = QLabel("Tổng quan tình hình thực hiện")
        heading_font = QFont(self.font())
        heading_font.setPointSize(heading_font.pointSize() + 4)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.heading.setWordWrap(True)  # a long plan title wraps instead of widening the window past the screen
        self.subtitle = QLabel("")
        self.subtitle.setStyleSheet("color: #455a64;")
        self.subtitle.setWordWrap(True)
        self.period_combo = QComboBox()
        self.period_combo.setMinimumWidth(190)
        self.period_combo.currentIndexChanged.connect(self._on_period_changed)
        refresh = QPushButton("Làm mới")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        top.addWidget(QLabel("Kỳ:"))
        top.addWidget(self.period_combo)
        top.addWidget(refresh)

        self.tiles = [TileWidget() for _ in range(5)]
        tiles = QHBoxLayout()
        for tile in self.tiles:
            tile.clicked.connect(self.show_items)
            tiles.addWidget(tile)

        self.task_chart = StackedBarChart("Nhiệm vụ theo nhóm", {k: codes.status_label(k) for k in TASK_KEYS},
                                          STATUS_COLORS)
        self.indicator_chart = StackedBarChart("Chỉ tiêu theo trụ cột",
                                               {k: codes.EVALUATION_LABELS[k] for k in INDICATOR_KEYS},
                                               EVALUATION_COLORS)
        for chart in (self.task_chart, self.indicator_chart):
            chart.segmentClicked.connect(self.show_items)
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        charts_layout.addWidget(self.task_chart)
        charts_layout.addWidget(self.indicator_chart)
        charts_layout.addStretch(1)

        self.warnings_model = WarningsModel(self)
        self.warnings_view = _table(self.warnings_model, 3, (114, 108, 118))
        self.kind_combo = QComboBox()
        self.kind_combo.currentIndexChanged.connect(self._filter_warnings)
        warnings_box = _box("Cảnh báo sớm", self.kind_combo, self.warnings_view)
        self.warnings_box = warnings_box

        self.missing_model = MissingUnitsModel(self)
        self.missing_view = _table(self.missing_model, 0, (0, 140, 40))
        self.completeness_model = CompletenessModel(self)
        self.completeness_view = _table(self.completeness_model, 0)
        self.reporting_tabs = QTabWidget()
        self.reporting_tabs.addTab(self.missing_view, "Đơn vị chưa gửi báo cáo")
        self.reporting_tabs.addTab(self.completeness_view, "Tình hình gửi báo cáo")
        self.reporting_tabs.setTabToolTip(1, CELL_LEGEND)
        self.completeness_view.setToolTip(CELL_LEGEND)
        self.upcoming_model = UpcomingModel(self)
        self.upcoming_view = _table(self.upcoming_model, 2, (84, 64))
        self.items_model = ItemListModel(self)
        self.items_view = _table(self.items_model, 2, (70, 46, 0, 120, 150))
        self.items_box = _box("Các mục liên quan (bấm vào một số liệu để xem)", self.items_view)
        for view in (self.warnings_view, self.missing_view, self.upcoming_view):
            view.clicked.connect(self._on_row_clicked)
        self.items_view.doubleClicked.connect(
            lambda index: self.itemsRequested.emit(index.data(ITEMS_ROLE) or []))

        charts_scroll = QScrollArea()  # a plan with many groups: the charts scroll, nothing is cut off
        charts_scroll.setWidgetResizable(True)
        charts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        charts_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        charts_scroll.setWidget(charts)
        self.charts_scroll = charts_scroll
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(charts_scroll)
        upper.addWidget(warnings_box)
        upper.setSizes([580, 800])
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.reporting_tabs)
        lower.addWidget(_box("Hạn trong 6 tuần tới", self.upcoming_view))
        lower.addWidget(self.items_box)
        lower.setSizes([440, 390, 550])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(upper)
        body.addWidget(lower)
        body.setSizes([455, 225])

        layout = QGridLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(top, 0, 0)
        layout.addLayout(tiles, 1, 0)
        layout.addWidget(body, 2, 0)
        layout.setRowStretch(2, 1)

    # -- public API -----------------------------------------------------------
    def set_plan(self, plan_uuid: str | None) -> None:
        self.plan_uuid = plan_uuid or None
        self._shown = None
        self._period_codes = []
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        self.period_combo.blockSignals(False)
        self._clear()  # nothing of the previous plan stays while the new figures are computed
        self.refresh()

    def use_prefetched(self, plan_uuid: str, result: tuple) -> None:
        """Figures of the current period computed in the background at start-up: the first
        ``refresh`` for that plan and day shows them instead of computing them again."""
        self._prefetched = (plan_uuid, result)

    def set_today(self, day: date) -> None:
        self.today_provider = lambda: day
        self.refresh()

    def refresh(self) -> None:
        """Recompute the figures in the background; ``refreshed`` is emitted when they are shown."""
        self._generation += 1
        generation = self._generation
        if self.db is None or self.plan_uuid is None:
            self._clear()
            self.refreshed.emit()
            return
        db, plan_uuid, today = self.db, self.plan_uuid, self.today_provider()
        period = self.selected_period()
        ready, self._prefetched = self._prefetched, None
        if ready is not None and ready[0] == plan_uuid and ready[1][3] == today and period is None:
            self._apply(generation, *ready[1])
            return

        def compute(_ctx):
            from cds_desktop.services.tracking.dashboard import load_dashboard

            return load_dashboard(db, plan_uuid, today, period)

        def failed(exc: BaseException, tb_text: str) -> None:
            if generation == self._generation:  # a stale job (plan changed meanwhile) says nothing
                from cds_desktop.ui.common.errors import show_error

                show_error(exc, self, tb_text=tb_text)

        run_job(compute, title="Đang tính tình hình thực hiện…", parent=self,
                on_success=lambda result: self._apply(generation, *result), on_error=failed)

    def showEvent(self, event) -> None:
        """Coming back to the dashboard (e.g. after entering reports) shows fresh figures."""
        super().showEvent(event)
        if self.dashboard is not None and not event.spontaneous():
            self.refresh()

    def selected_period(self) -> str | None:
        index = self.period_combo.currentIndex()
        return self.period_combo.itemData(index) if index > 0 else None

    # -- internals --------------------------------------------------------------
    def _clear(self) -> None:
        self.dashboard = None
        self.heading.setText("Tổng quan tình hình thực hiện")
        self.subtitle.setText("Đang tính…" if self.plan_uuid else "Chưa chọn kế hoạch.")
        for widget in self.tiles:
            widget.setVisible(False)
        for model in (self.warnings_model, self.missing_model, self.upcoming_model, self.items_model):
            model.set_rows([])
        self.task_chart.set_rows([])
        self.indicator_chart.set_rows([])

    def _apply(self, generation: int, dashboard: Dashboard, periods: list[tuple[str, str]], label: str,
               today: date) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self.dashboard = dashboard
        report = dashboard.report
        if [c for c, _ in periods] != self._period_codes:
            self._period_codes = [c for c, _ in periods]
            self.period_combo.blockSignals(True)
            self.period_combo.clear()
            self.period_combo.addItem("Kỳ hiện tại", None)
            for code, name in periods:
                self.period_combo.addItem(name, code)
            self.period_combo.blockSignals(False)
        self.heading.setText(f"Tổng quan — {label}")
        if report.draft_note:  # a draft says it is a draft instead of raising alarms
            self.subtitle.setText(report.draft_note)
        else:
            self.subtitle.setText(
                f"Tính đến ngày {today:%d/%m/%Y} · số liệu đến hết {report.period.label.lower()} "
                f"(hạn báo cáo {report.period.due:%d/%m/%Y}) · {len(report.warnings)} cảnh báo"
                + (f"\n{report.tracking_note}" if report.tracking_note else ""))
        for widget, tile in zip(self.tiles, dashboard.tiles, strict=False):
            widget.set_tile(tile, TILE_COLORS.get(tile.key, "#263238"))
            widget.setVisible(True)
        for widget in self.tiles[len(dashboard.tiles):]:
            widget.setVisible(False)
        self.task_chart.set_rows(chart_rows(dashboard.task_groups, TASK_KEYS))
        self.indicator_chart.set_rows(chart_rows(dashboard.indicator_groups, INDICATOR_KEYS))
        self.upcoming_model.today = today
        self.upcoming_model.set_rows(dashboard.upcoming)
        self.missing_model.set_rows(dashboard.missing_units)
        self.reporting_tabs.setTabText(0, f"Đơn vị chưa gửi báo cáo ({len(dashboard.missing_units)})")
        self.completeness_model.set_matrix(report.completeness, today)
        last = self.completeness_model.columnCount() - 1
        for column in range(1, last + 1):
            self.completeness_view.setColumnWidth(column, 34 if column < last else 52)
        self.completeness_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        self.kind_combo.addItem(f"Tất cả ({len(report.warnings)})", None)
        for kind in codes.WARNING_KINDS:
            count = sum(w.kind == kind for w in report.warnings)
            if count:
                self.kind_combo.addItem(f"{codes.WARNING_LABELS[kind]} ({count})", kind)
        self.kind_combo.blockSignals(False)
        self._filter_warnings()
        if self._shown is not None:  # coming back: the list of the figure clicked stays
            caption, uuids = self._shown
            self._show_lines(caption, uuids)
        else:
            self.items_model.set_rows([])
            self.items_box.title_label.setText("Các mục liên quan (bấm vào một số liệu để xem)")
        self.refreshed.emit()

    def _filter_warnings(self) -> None:
        if self.dashboard is None:
            return
        kind = self.kind_combo.currentData()
        self.warnings_model.set_rows([w for w in self.dashboard.report.warnings if kind is None or w.kind == kind])

    def _on_period_changed(self, _index: int) -> None:
        if self._period_codes:
            self.refresh()

    def _on_row_clicked(self, index: QModelIndex) -> None:
        model = index.model()
        caption = str(model.index(index.row(), 0).data() or "")
        self.show_items(caption, index.data(ITEMS_ROLE) or [])

    def show_items(self, caption: str, uuids: list) -> None:
        """Show the items behind a figure and tell the main window (``listRequested``)."""
        uuids = list(dict.fromkeys(u for u in uuids if u))
        self._shown = (caption, uuids)
        self._show_lines(caption, uuids)
        self.listRequested.emit(caption, uuids)

    def _show_lines(self, caption: str, uuids: list[str]) -> None:
        lines = self.item_lines(uuids)
        self.items_model.set_rows(lines)
        self.items_box.title_label.setText(f"Các mục liên quan — {caption} ({len(lines)} mục)")

    def item_lines(self, uuids: list[str]) -> list[ItemLine]:
        return self.dashboard.item_lines(uuids) if self.dashboard is not None else []
