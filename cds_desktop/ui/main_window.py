"""The main window: plan picker and search, group tree, item tables, detail panel.

Start-up is in steps so that the window paints at once: ``MainWindow()`` needs only
Qt and shows "Đang mở dữ liệu…", or with ``show_light(reader)`` the current plan read
with plain sqlite3; ``attach(db)`` (after the first paint) lets the data layer
(SQLAlchemy) take over (see :mod:`cds_desktop.ui.window_build`).  ``MainWindow(db)``
does both.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QTableView,
    QWidget,
)

from cds_desktop import APP_NAME
from cds_desktop.services.view_rows import INDICATOR, SECTION_INDICATORS, TASK
from cds_desktop.ui.common import questions
from cds_desktop.ui.common.screen import ScreenWidget
from cds_desktop.ui.plan.filter_commands import FilterCommandsMixin
from cds_desktop.ui.plan.item_commands import ItemCommandsMixin
from cds_desktop.ui.plan.plan_reload import PlanReloadMixin
from cds_desktop.ui.plan.structure_commands import StructureCommandsMixin
from cds_desktop.ui.window_build import WindowBuildMixin, make_item_table

if TYPE_CHECKING:  # the data layer is imported lazily (see the module docstring)
    from cds_desktop.database import Database
    from cds_desktop.services.view_rows import LightReader, PlanChoice

log = logging.getLogger(__name__)


class MainWindow(WindowBuildMixin, ItemCommandsMixin, StructureCommandsMixin, FilterCommandsMixin, PlanReloadMixin,
                 QMainWindow):
    planSelected = Signal(str)  # plan uuid ('' = none)
    itemSelected = Signal(str)  # item uuid ('' = none)
    searchTextChanged = Signal(str)  # after the debounce
    demoCreated = Signal(str)  # plan uuid
    dataAttached = Signal()  # attach() is done: the data layer backs every screen

    def __init__(self, db: Database | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        questions.install_vietnamese()  # Qt's own buttons (OK, Cancel…) in Vietnamese
        self.db: Database | None = None
        self.plans: list[PlanChoice] = []
        self.last_deleted: str | None = None
        self._restoring = False
        self._sized = False
        self._frame_built = False
        self.light: LightReader | None = None  # the first paint's reader, until attach()
        self.dashboard_frame = None  # the dashboard shown before the data layer (ui.dashboard.frame)
        self._light_plan_pending = False  # the light plan rows are left for after the first paint
        self.dashboard_snapshot: tuple | None = None  # (plan uuid, view, token) it shows at first paint
        self.setWindowTitle(APP_NAME)
        self.resize(1400, 850)
        self.loading_label = QLabel("Đang mở dữ liệu…")
        self.loading_label.setObjectName("loadingLabel")
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(self.loading_label)
        if db is not None:
            self.attach(db)

    @property
    def attached(self) -> bool:
        return self.db is not None

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._frame_built:
            self._size_splitter()

    def closeEvent(self, event) -> None:
        if self.attached and self.detail.has_unsaved_changes():
            answer = questions.ask_save(self, "Lưu thay đổi", "Mục đang sửa có thay đổi chưa lưu. Lưu lại trước khi đóng?")
            if answer == questions.CANCEL or (answer == questions.SAVE and not self.detail.save()):
                event.ignore()
                return
        super().closeEvent(event)

    def _size_splitter(self) -> None:
        if self._sized:  # split the width once the window has its real size
            return
        self._sized = True
        width = self.centralWidget().width() or self.width()
        left, right = min(270, width // 5), min(480, width // 3)
        self.splitter.setSizes([left, max(width - left - right, 200), right])

    # -- plans ----------------------------------------------------------------
    def current_plan(self) -> PlanChoice | None:
        index = self.plan_combo.currentIndex()
        return self.plans[index] if 0 <= index < len(self.plans) else None

    def reload_plans(self, select_uuid: str | None = None) -> None:
        from cds_desktop.services import plan_view

        current = select_uuid or (self.current_plan().uuid if self.current_plan() else None)
        self._fill_plans(plan_view.load_plan_choices(self.db), current)
        self._load_plan()

    def _fill_plans(self, plans: list[PlanChoice], current: str | None) -> None:
        self.plans = plans
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for plan in self.plans:
            self.plan_combo.addItem(plan.label, plan.uuid)
        index = self.plan_combo.findData(current) if current else -1
        self.plan_combo.setCurrentIndex(index if index >= 0 else (0 if self.plans else -1))
        self.plan_combo.blockSignals(False)

    def select_plan(self, uuid: str) -> None:
        index = self.plan_combo.findData(uuid)
        if index >= 0:
            self.plan_combo.setCurrentIndex(index)

    def _on_plan_index_changed(self, _index: int) -> None:
        self._load_plan()

    def _load_plan(self) -> None:
        plan = self.current_plan()
        plan_id = plan.id if plan else None
        self._light_plan_pending = False
        self.tree_model.load(plan_id)
        self.tree_view.expandAll()
        if self.db is None:  # the first paint (light reader): the tables in document order
            for model in (self.indicator_model, self.task_model):
                model.plan_id, model.group_ids = plan_id, None
                model.reload()
            self._show_plan_heading(plan)
            return
        search = self.search_edit.text()
        self.filter_bar.set_plan(plan.uuid if plan else None)  # a filter belongs to its plan
        self.indicator_model.item_filter = self.task_model.item_filter = self.filter_bar.criteria()
        self.indicator_model.set_filter(plan_id, None, search)
        self.task_model.set_filter(plan_id, None, search)
        self.detail.show_item(None)
        self._after_plan_loaded(plan)

    def _show_plan_heading(self, plan: PlanChoice | None) -> None:
        """Before the data layer: the plan's summary line, the window title, the screens' plan."""
        self.summary_label.setText(self.light.plan_summary(plan.id) if plan else "Chưa có kế hoạch")
        self.setWindowTitle(plan.title if plan and plan.title else APP_NAME)
        self.workspace.plan_uuid = plan.uuid if plan else None

    def _after_plan_loaded(self, plan: PlanChoice | None, summary: str | None = None) -> None:
        from cds_desktop.rollup.mode import received_plan_note

        self.read_only_note = received_plan_note(self.db, plan.uuid) if plan is not None else ""
        self._update_status(summary)
        # Qt adds the application's display name ("— CĐS Desktop") itself.
        self.setWindowTitle(plan.title if plan and plan.title else APP_NAME)
        for action in self.plan_actions:
            action.setEnabled(plan is not None and not self.read_only_note)
        self.detail.set_read_only(self.read_only_note)
        self.workspace.set_plan(plan.uuid if plan else None)
        self.planSelected.emit(plan.uuid if plan else "")

    # -- screens ----------------------------------------------------------------
    def _connect_screen(self, key: str, screen: ScreenWidget) -> None:
        """Wire a screen built by the workspace to the plan editor."""
        screen.itemsRequested.connect(self.open_items)
        screen.listRequested.connect(self.open_item_list)  # a dashboard figure: the full list behind it
        screen.evidenceChanged.connect(lambda *_a: self.detail.refresh_evidence())
        screen.dataChanged.connect(lambda *_a: self.reload_plans_later())  # read in a job
        screen.planRequested.connect(self.show_plan_on)

    def show_plan_on(self, plan_uuid: str, screen_key: str) -> None:
        """Choose *plan_uuid* and show it on *screen_key* (a received commune's dashboard, from Tổng hợp)."""
        if self.plan_combo.findData(plan_uuid) < 0:
            self.reload_plans(plan_uuid)
        self.select_plan(plan_uuid)
        self.workspace.show_screen(screen_key)

    def open_items(self, uuids: list) -> None:
        """Show one item in the plan editor (several: the exact list, see ``open_item_list``)."""
        uuids = [u for u in uuids if u]
        if not uuids:
            return
        if len(uuids) > 1:
            self.open_item_list(f"{len(uuids)} mục liên quan", uuids)
            return
        self.workspace.show_screen("plan")
        if self.filter_bar.criteria() is not None and self.indicator_model.row_of(uuids[0]) < 0 \
                and self.task_model.row_of(uuids[0]) < 0:
            self.filter_bar.clear()  # the filter on screen hides it
        self.tree_view.clearSelection()
        for model in (self.indicator_model, self.task_model):
            model.set_filter(model.plan_id, None, self.search_edit.text())
        if not self.select_item(uuids[0]):
            self.statusBar().showMessage("Mục này không còn trong kế hoạch đang chọn.", 5000)

    def _update_status(self, summary: str | None = None) -> None:
        plan = self.current_plan()
        if plan is None:
            self.summary_label.setText("Chưa có kế hoạch")
            return
        from cds_desktop.services import plan_view

        text = summary or plan_view.plan_summary(self.db, plan.uuid)
        self.summary_label.setText(f"{text} · {self.read_only_note}" if self.read_only_note else text)

    # -- tree and filters -----------------------------------------------------
    def selected_group_node(self):
        indexes = self.tree_view.selectionModel().selectedRows(0)
        return self.tree_model.node(indexes[0]) if indexes else None

    def select_group(self, section: str, label: str | None = None) -> None:
        index = self.tree_model.find(section, label)
        self.tree_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    def _on_tree_selection(self, *_args) -> None:
        if self._restoring:
            return
        node = self.selected_group_node()
        if node is None:
            return
        kind = INDICATOR if node.section == SECTION_INDICATORS else TASK
        model = self.indicator_model if kind == INDICATOR else self.task_model
        model.set_filter(model.plan_id, None if node.is_section else node.subtree_ids())
        self.tabs.setCurrentIndex(0 if kind == INDICATOR else 1)
        self._on_item_selection()

    def apply_search(self) -> None:
        if self.db is None:
            return  # applied when the data layer takes over
        text = self.search_edit.text()
        for model in (self.indicator_model, self.task_model):
            model.search = text
            model.reload()
        self._on_item_selection()
        self.searchTextChanged.emit(text)

    # -- items ------------------------------------------------------------------
    def current_kind(self) -> str:
        return INDICATOR if self.tabs.currentIndex() == 0 else TASK

    def current_view(self) -> QTableView:
        return self.indicator_view if self.tabs.currentIndex() == 0 else self.task_view

    def current_item_uuid(self) -> str | None:
        view = self.current_view()
        rows = view.selectionModel().selectedRows()
        return view.model().uuid_at(rows[0].row()) if rows else None

    def _on_item_selection(self) -> None:
        if self.db is None or not hasattr(self.detail, "show_item"):
            return  # the detail panel comes with the data layer
        uuid = self.current_item_uuid()
        if uuid == self.detail.item_uuid:
            return
        if self.detail.has_unsaved_changes():
            answer = questions.ask_save(self, "Lưu thay đổi", "Mục đang sửa có thay đổi chưa lưu. Lưu lại?",
                                        cancel=False)
            if answer == questions.SAVE:
                self.detail.save()
        self.detail.show_item(uuid)
        self.itemSelected.emit(uuid or "")

    def select_item(self, uuid: str) -> bool:
        for tab, (model, view) in enumerate(
            ((self.indicator_model, self.indicator_view), (self.task_model, self.task_view))
        ):
            row = model.row_of(uuid)
            if row >= 0:
                self.tabs.setCurrentIndex(tab)
                view.selectRow(row)
                view.scrollTo(model.index(row, 0))
                self._on_item_selection()
                return True
        return False

    def refresh(self, select_uuid: str | None = None) -> None:
        """Read the plan again after a change, keeping the tree and item selection."""
        node = self.selected_group_node()
        keep = (node.section, node.uuid) if node else None
        self._restoring = True
        try:
            self.tree_model.reload()
            self.tree_view.expandAll()
            if keep:
                index = self.tree_model.find_uuid(keep[1]) if keep[1] else self.tree_model.find(keep[0])
                if index.isValid():
                    self.tree_view.selectionModel().setCurrentIndex(
                        index,
                        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                    )
                elif keep[1]:
                    self.indicator_model.group_ids = self.task_model.group_ids = None
        finally:
            self._restoring = False
        self.indicator_model.reload()
        self.task_model.reload()
        self._update_status()
        if select_uuid and self.select_item(select_uuid):
            return
        self._on_item_selection()

    def _after_item_edited(self, uuid: str) -> None:
        self.refresh(uuid)


__all__ = ["MainWindow", "make_item_table"]
