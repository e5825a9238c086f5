"""The dashboard (first screen): figures, charts, warnings, units missing reports, coming deadlines.

Every figure leads to the items behind it: a click on a tile, a bar segment, a
chart row or a table row fills the "items behind" list (kept when the figures
are recomputed) and emits ``listRequested(caption, item_uuids)``: the main
window opens the Kế hoạch tables filtered to exactly those items.  A double
click on one of them emits ``itemsRequested([uuid])``.  The figures are
computed by :func:`cds_desktop.services.tracking.dashboard.build_dashboard`
in a background job (:mod:`cds_desktop.ui.common.jobs`).

The widgets are those of :class:`~cds_desktop.ui.dashboard.frame.DashboardFrame`: at
start-up the frame shows the snapshot kept at the last run, and this screen, once
given the same snapshot (``use_snapshot``), shows it until its figures are computed;
each time it shows freshly computed figures of the current period it keeps them for
the next start (:mod:`cds_desktop.services.dashboard_snapshot`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date

import shiboken6
from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QWidget

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
from cds_desktop.ui.dashboard.charts import TILE_COLORS
from cds_desktop.ui.dashboard.frame import HEADING, ITEMS_HINT, TABLES, DashboardFrame, set_table_model
from cds_desktop.ui.month.models import (
    ITEMS_ROLE,
    CompletenessModel,
    ItemListModel,
    MissingUnitsModel,
    UpcomingModel,
    WarningsModel,
)

log = logging.getLogger(__name__)

SNAPSHOT_DELAY_MS = 300  # after new figures are shown, before the snapshot is read off the screen
SNAPSHOT_STEP_MS = 10  # between its steps (40 table rows each)

class DashboardWidget(DashboardFrame):
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
        self._prefetched: tuple | None = None  # (plan uuid, load_dashboard's result, token) read in the background
        self._snapshot: tuple[str, dict] | None = None  # (plan uuid, view) shown until the figures are computed
        self._token: str | None = None  # the data version the figures on screen were computed at
        self._kept_token: str | None = None  # the data version of the snapshot on disk, as far as known
        self._quiet_show = False  # the next show is no coming back (see quiet_next_show)
        self._capture = None  # the next step of the snapshot being read off the screen

        self.period_combo.currentIndexChanged.connect(self._on_period_changed)
        self.refresh_button.clicked.connect(self.refresh)
        for tile in self.tiles:
            tile.clicked.connect(self.show_items)
        for chart in (self.task_chart, self.indicator_chart):
            chart.segmentClicked.connect(self.show_items)
        self.warnings_model = WarningsModel(self)
        self.missing_model = MissingUnitsModel(self)
        self.completeness_model = CompletenessModel(self)
        self.upcoming_model = UpcomingModel(self)
        self.items_model = ItemListModel(self)
        self.live_models = {"warnings_view": self.warnings_model, "missing_view": self.missing_model,
                            "completeness_view": self.completeness_model, "upcoming_view": self.upcoming_model,
                            "items_view": self.items_model}
        self._use_live_models()
        self.kind_combo.currentIndexChanged.connect(self._filter_warnings)
        for view in (self.warnings_view, self.missing_view, self.upcoming_view):
            view.clicked.connect(self._on_row_clicked)
        self.items_view.doubleClicked.connect(
            lambda index: self.itemsRequested.emit(index.data(ITEMS_ROLE) or []))

    def _use_live_models(self) -> None:
        for name, stretch, widths in TABLES:
            if getattr(self, name).model() is not self.live_models[name]:
                set_table_model(getattr(self, name), self.live_models[name], stretch, widths)

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

    def use_prefetched(self, plan_uuid: str, result: tuple, token: str | None = None) -> None:
        """Figures of the current period computed in the background at start-up (at data version
        *token*): the first ``refresh`` for that plan and day shows them instead of computing them again."""
        self._prefetched = (plan_uuid, result, token)

    def use_snapshot(self, plan_uuid: str, view: dict, token: str | None = None) -> None:
        """The figures shown at start-up from the snapshot (``DashboardFrame.show_snapshot``) kept at
        data version *token*: shown here too until this screen's own figures for *plan_uuid* are
        computed (the same numbers, which need not be kept again)."""
        self._snapshot = (plan_uuid, view)
        self._kept_token = token

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
            self._token = ready[2]
            self._apply(generation, *ready[1])
            return

        def compute(_ctx):
            from cds_desktop.services.tracking.dashboard import load_dashboard_with_token

            return load_dashboard_with_token(db, plan_uuid, today, period)

        def computed(found) -> None:
            if generation == self._generation:
                self._token = found[0]
                self._apply(generation, *found[1])

        def failed(exc: BaseException, tb_text: str) -> None:
            if generation == self._generation:  # a stale job (plan changed meanwhile) says nothing
                from cds_desktop.ui.common.errors import show_error

                show_error(exc, self, tb_text=tb_text)

        run_job(compute, title="Đang tính tình hình thực hiện…", parent=self,
                on_success=computed, on_error=failed)

    def showEvent(self, event) -> None:
        """Coming back to the dashboard (e.g. after entering reports) shows fresh figures."""
        super().showEvent(event)
        quiet, self._quiet_show = self._quiet_show, False
        if self.dashboard is not None and not event.spontaneous() and not quiet:
            self.refresh()

    def quiet_next_show(self) -> None:
        """The next show puts this screen in place of the start-up frame: its figures are fresh."""
        self._quiet_show = True

    def selected_period(self) -> str | None:
        index = self.period_combo.currentIndex()
        return self.period_combo.itemData(index) if index > 0 else None

    # -- internals --------------------------------------------------------------
    def _clear(self) -> None:
        self.dashboard = None
        ready = self._prefetched is not None and self._prefetched[0] == self.plan_uuid  # shown at once anyway
        if self._snapshot is not None and self._snapshot[0] == self.plan_uuid and self.plan_uuid and not ready:
            self.show_snapshot(self._snapshot[1])  # the same figures, until they are computed
            return
        self._use_live_models()
        self.heading.setText(HEADING)
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
        self._snapshot = None
        self._use_live_models()
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
        self.set_completeness_widths()
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
            self.items_box.title_label.setText(ITEMS_HINT)
        if self.selected_period() is None:
            self._keep_snapshot(today)
        self.refreshed.emit()

    def _keep_snapshot(self, today: date) -> None:
        """The figures just computed, kept for the next start (valid while nothing is written): read
        off the screen a few dozen rows per turn of the event loop, written by a thread."""
        token, self._token = self._token, None
        if token is None or (token == self._kept_token and self._capture is None) or self.db is None \
                or self.db.sqlite_path is None or not self.plan_uuid:
            return  # (the same token: the snapshot on disk holds these very figures)
        # (The same token while the last figures are still being read off the screen: this newer
        # reading takes its place, the last one stops at its next step.)
        self._kept_token = token
        warnings = WarningsModel(self)
        warnings.set_rows(self.dashboard.report.warnings)  # every kind, as the list first shows
        steps = self.iter_capture({"warnings_view": warnings})
        generation, folder, plan_uuid = self._generation, self.db.sqlite_path.parent, self.plan_uuid

        def step(rest: bool = False) -> None:
            if not shiboken6.isValid(self) or not shiboken6.isValid(warnings):
                return  # the window closed meanwhile
            if self._capture is not step:
                return  # finished already (finish_snapshot)
            if generation != self._generation:  # new figures meanwhile: they are kept instead
                self._kept_token = None
                warnings.deleteLater()
                return
            try:
                next(steps)
                while rest:
                    next(steps)
            except StopIteration as done:
                self._capture = None
                warnings.deleteLater()
                from cds_desktop.services import dashboard_snapshot

                threading.Thread(target=dashboard_snapshot.save, args=(folder, token, plan_uuid, today, done.value),
                                 name="dashboard-snapshot").start()
                return
            QTimer.singleShot(SNAPSHOT_STEP_MS, step)  # (the loop idles between steps: input, layout, paints)
        self._capture = step
        QTimer.singleShot(SNAPSHOT_DELAY_MS, step)  # once what the officer does next has had its turn

    def finish_snapshot(self) -> None:
        """The window closes: the snapshot being read off the screen is finished at once."""
        if self._capture is not None:
            self._capture(rest=True)

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
