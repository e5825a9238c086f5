"""The main window: plan picker and search, group tree, item tables, detail panel.

Start-up is in two steps so that the window paints at once: ``MainWindow()``
needs only Qt and shows "Đang mở dữ liệu…"; ``attach(db)`` (after the first
paint) imports the data layer (SQLAlchemy), builds the workspace and loads
the plan.  ``MainWindow(db)`` does both.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)

from cds_desktop import APP_NAME
from cds_desktop.services.view_rows import INDICATOR, SECTION_INDICATORS, TASK
from cds_desktop.ui.common import questions
from cds_desktop.ui.common.screen import ScreenWidget
from cds_desktop.ui.first_view import Prefetched
from cds_desktop.ui.plan.filter_commands import FilterCommandsMixin
from cds_desktop.ui.plan.item_commands import ItemCommandsMixin
from cds_desktop.ui.plan.structure_commands import StructureCommandsMixin

if TYPE_CHECKING:  # the data layer is imported lazily (see the module docstring)
    from cds_desktop.database import Database
    from cds_desktop.services.view_rows import LightReader, PlanChoice
    from cds_desktop.ui.plan.item_models import ItemsTableModel

log = logging.getLogger(__name__)


def make_item_table(model: ItemsTableModel) -> QTableView:
    from cds_desktop.ui.common.widgets import make_table

    view = make_table(model, sortable=True)
    view.setObjectName(f"table_{model.kind}")
    return view


class MainWindow(ItemCommandsMixin, StructureCommandsMixin, FilterCommandsMixin, QMainWindow):
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

    def show_light(self, reader: LightReader) -> bool:
        """First paint: the first plan's tree and tables read by *reader* (plain ``sqlite3``) while
        the data layer loads; ``attach(db)`` then takes over without a visible change.  False (and
        nothing built) when there is no plan to show: the window waits for the data layer."""
        plans = reader.plan_choices()
        if not plans or self._frame_built:
            return False
        self.light = reader
        self._build_frame()
        self.tree_model.light = self.indicator_model.light = self.task_model.light = reader
        self.data_label.setText(f"Thư mục dữ liệu: {reader.path.parent}")
        self._fill_plans(plans, None)
        self._load_plan()
        return True

    def attach(self, db: Database, prefetched: Prefetched | None = None, staged: bool = False) -> None:
        """Build the workspace on the open database and show its first plan (or, after
        ``show_light``, let the ORM take over the plan on screen, with the rows *prefetched*
        in the background when they still apply).  *staged*: in a few steps, each in its own
        turn of the event loop (the window keeps painting); ``dataAttached`` says when done."""
        steps = [lambda: self._attach_panel(db), self._attach_menus, lambda: self._attach_plan(prefetched),
                 lambda: self.workspace.attach(db), self.dataAttached.emit]
        self.db = db
        if not self._frame_built:
            self._build_frame()
        if not staged:
            for step in steps:
                step()
            return

        def run_next() -> None:
            steps.pop(0)()
            if steps:
                QTimer.singleShot(0, run_next)
        run_next()

    def _attach_panel(self, db: Database) -> None:
        from cds_desktop.ui.plan.detail_panel import DetailPanel

        self.filter_bar.db = db
        self.data_label.setText(f"Thư mục dữ liệu: {db.paths.data_dir}")
        placeholder = self.detail
        self.detail = DetailPanel(db, self)
        self.detail.itemEdited.connect(self._after_item_edited)
        self.detail.itemDeleted.connect(self._after_item_deleted)
        if placeholder is not None:
            sizes = self.splitter.sizes()
            self.splitter.replaceWidget(2, self.detail)
            placeholder.deleteLater()
            self.splitter.setSizes(sizes)
        else:
            self._add_detail()

    def _attach_menus(self) -> None:
        self.setup_structure()  # undo stack, drag and drop, context menus
        from cds_desktop.ui.menus import build_menus

        build_menus(self)

    def _attach_plan(self, prefetched: Prefetched | None) -> None:
        if prefetched is not None and prefetched.dashboard is not None:  # figures computed in the background
            self.workspace.prepare["dashboard"] = lambda screen: screen.use_prefetched(*prefetched.dashboard)
        light, self.light = self.light, None
        if light is not None:
            self._take_over(prefetched)
            QTimer.singleShot(0, light.close)
        else:
            self.reload_plans()

    def _build_frame(self) -> None:
        """The window's widgets that need no data layer: toolbar, group tree, item tables, filter bar,
        tabs of screens, status bar (the detail panel comes with the data, see ``attach``)."""
        from cds_desktop.ui import first_view
        from cds_desktop.ui.common.widgets import WrappingTreeDelegate
        from cds_desktop.ui.plan.item_models import GroupTreeModel, ItemsTableModel
        from cds_desktop.ui.screens import Workspace

        self._frame_built = True
        self.plan_actions = []  # menus.build_menus fills them in
        db = self.db

        # Toolbar: plan picker, item actions, search
        self.plan_combo = QComboBox()
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_combo.setMinimumContentsLength(54)
        self.plan_combo.currentIndexChanged.connect(self._on_plan_index_changed)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Tìm kiếm (không cần dấu)…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(220)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.main_toolbar = first_view.make_toolbar(self)
        if db is None:
            first_view.add_menu_titles(self)

        # Left: group tree
        self.tree_model = GroupTreeModel(db, self)
        self.tree_view = QTreeView()
        self.tree_view.setModel(self.tree_model)
        self.tree_view.setUniformRowHeights(False)
        self.tree_view.setWordWrap(True)
        self.tree_view.setItemDelegate(WrappingTreeDelegate(self.tree_view))
        self.tree_view.header().setStretchLastSection(False)
        self.tree_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree_view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree_view.selectionModel().selectionChanged.connect(self._on_tree_selection)

        # Center: the two item tables
        self.indicator_model = ItemsTableModel(db, INDICATOR, self)
        self.task_model = ItemsTableModel(db, TASK, self)
        self.indicator_view = make_item_table(self.indicator_model)
        self.task_view = make_item_table(self.task_model)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.indicator_view, "Chỉ tiêu")
        self.tabs.addTab(self.task_view, "Nhiệm vụ")
        self.tabs.currentChanged.connect(lambda _i: self._on_item_selection())
        for view in (self.indicator_view, self.task_view):
            view.selectionModel().selectionChanged.connect(lambda *_a: self._on_item_selection())

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("centralSplitter")
        self.splitter.addWidget(self.tree_view)
        self.splitter.addWidget(self.setup_filters())  # the filter bar above the tabs
        self.detail = None
        if db is None:  # Right: the detail panel (with the data layer)
            self.detail = first_view.DetailPlaceholder()
            self._add_detail()

        placeholders = {} if db is not None else {"dashboard": first_view.DashboardPlaceholder()}
        self.workspace = Workspace(db, self.splitter, self, placeholders=placeholders)
        from cds_desktop.ui.common.empty_state import no_plan_state

        self.workspace.empty_state = lambda: no_plan_state(self)  # "Chưa có kế hoạch" and the next steps
        self.workspace.hooks.append(self._connect_screen)
        for key in list(self.workspace.pages):
            screen = self.workspace.screen(key, create=False)
            if isinstance(screen, ScreenWidget):  # built already (the plan editor is the splitter)
                self._connect_screen(key, screen)
        self.setCentralWidget(self.workspace)
        self.loading_label = None

        # Status bar
        self.summary_label = QLabel()
        self.data_label = QLabel()
        self.data_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo_button = QPushButton("Hoàn tác xóa")
        self.undo_button.setFlat(True)
        self.undo_button.hide()
        self.undo_button.clicked.connect(self.undo_delete)
        self.statusBar().addWidget(self.summary_label)
        self.statusBar().addWidget(self.undo_button)
        self.statusBar().addPermanentWidget(self.data_label)

    def _add_detail(self) -> None:
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([290, 720, 390])
        if self.isVisible():
            self._size_splitter()

    def _take_over(self, prefetched: Prefetched | None) -> None:
        """After the first paint from the light reader: the ORM-backed reads take over.  The same
        plans, groups and rows stay on screen as they are (selection, scroll); anything that
        differs is shown anew."""
        from cds_desktop.services import plan_view

        plan = self.current_plan()
        if prefetched is None or prefetched.plan_id != (plan.id if plan else None):
            prefetched = Prefetched(None, plan_view.load_plan_choices(self.db))  # chosen meanwhile: read again
        if prefetched.choices != self.plans:
            self.reload_plans()
            return
        if not self.tree_model.take_over(self.db, prefetched.tree or None):
            self.tree_view.expandAll()
            self.tree_view.resizeColumnToContents(1)
        self.filter_bar.set_plan(plan.uuid if plan else None)
        self.indicator_model.item_filter = self.task_model.item_filter = self.filter_bar.criteria()
        search = self.search_edit.text()  # typed while the data layer loaded
        for model in (self.indicator_model, self.task_model):
            model.search = search
            as_read = model.group_ids is None and not search and model.order in ("position", "number") \
                and not model.descending  # the order of the document, as read in the background
            model.take_over(self.db, prefetched.rows.get(model.kind) if as_read else None)
        self.detail.show_item(None)
        self._after_plan_loaded(plan, prefetched.summary or None)
        self._on_item_selection()  # a row selected meanwhile shows in the detail panel

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
        self.tree_model.load(plan_id)
        self.tree_view.expandAll()
        self.tree_view.resizeColumnToContents(1)
        if self.db is None:  # the first paint (light reader): the tables in document order
            for model in (self.indicator_model, self.task_model):
                model.plan_id, model.group_ids = plan_id, None
                model.reload()
            self.summary_label.setText(self.light.plan_summary(plan_id) if plan else "Chưa có kế hoạch")
            self.setWindowTitle(plan.title if plan and plan.title else APP_NAME)
            self.workspace.plan_uuid = plan.uuid if plan else None
            return
        search = self.search_edit.text()
        self.filter_bar.set_plan(plan.uuid if plan else None)  # a filter belongs to its plan
        self.indicator_model.item_filter = self.task_model.item_filter = self.filter_bar.criteria()
        self.indicator_model.set_filter(plan_id, None, search)
        self.task_model.set_filter(plan_id, None, search)
        self.detail.show_item(None)
        self._after_plan_loaded(plan)

    def _after_plan_loaded(self, plan: PlanChoice | None, summary: str | None = None) -> None:
        self._update_status(summary)
        # Qt adds the application's display name ("— CĐS Desktop") itself.
        self.setWindowTitle(plan.title if plan and plan.title else APP_NAME)
        for action in self.plan_actions:
            action.setEnabled(plan is not None)
        self.workspace.set_plan(plan.uuid if plan else None)
        self.planSelected.emit(plan.uuid if plan else "")

    # -- screens ----------------------------------------------------------------
    def _connect_screen(self, key: str, screen: ScreenWidget) -> None:
        """Wire a screen built by the workspace to the plan editor."""
        screen.itemsRequested.connect(self.open_items)
        screen.listRequested.connect(self.open_item_list)  # a dashboard figure: the full list behind it
        screen.evidenceChanged.connect(lambda *_a: self.detail.refresh_evidence())
        screen.dataChanged.connect(lambda *_a: self.reload_plans())
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

        self.summary_label.setText(summary or plan_view.plan_summary(self.db, plan.uuid))

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
