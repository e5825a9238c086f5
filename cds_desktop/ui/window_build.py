"""How the main window is built: the frame that needs only Qt (toolbar, group tree, item
tables, filter bar, tabs of screens, status bar), the first paint from the light reader,
and ``attach(db)``: the detail panel, menus and the ORM taking over (a mixin of
:class:`cds_desktop.ui.main_window.MainWindow`, kept apart to keep modules small).

Nothing here imports the data layer at module level (the first paint comes before it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
)

from cds_desktop.services.view_rows import INDICATOR, TASK
from cds_desktop.ui.common.screen import ScreenWidget
from cds_desktop.ui.first_view import Prefetched

if TYPE_CHECKING:
    from cds_desktop.database import Database
    from cds_desktop.services.view_rows import LightReader
    from cds_desktop.ui.plan.item_models import ItemsTableModel

COUNT_PADDING = 12  # px around the widest of the counts' title and four digits
STEP_MS = 1  # between the steps of attach(): a posted call (0 ms) would starve input and timers


def make_item_table(model: ItemsTableModel) -> QTableView:
    from cds_desktop.ui.common.widgets import make_table

    view = make_table(model, sortable=True)
    view.setObjectName(f"table_{model.kind}")
    return view


class WindowBuildMixin:
    """Building the main window and attaching the data layer (a mixin of MainWindow)."""

    def show_light(self, reader: LightReader, first_screen: str = "") -> bool:
        """First paint: the first plan's tree and tables read by *reader* (plain ``sqlite3``) while
        the data layer loads; ``attach(db)`` then takes over without a visible change.  False (and
        nothing built) when there is no plan to show: the window waits for the data layer."""
        plans = reader.plan_choices()
        if not plans or self._frame_built:
            return False
        self.light = reader
        self._build_frame(dashboard_frame=first_screen in ("", "dashboard"))
        self.tree_model.light = self.indicator_model.light = self.task_model.light = reader
        self.data_label.setText(f"Thư mục dữ liệu: {reader.path.parent}")
        self._fill_plans(plans, None)
        if first_screen:
            self.workspace.show_screen(first_screen)  # (no dashboard snapshot is read for another screen)
        if self.workspace.current_key() == "dashboard" and self._show_dashboard_snapshot(reader):
            # The dashboard's figures are the first paint: the plan's (hidden) tree and tables are
            # filled right after it (fill_light_plan), or at once if anything needs them first.
            self._light_plan_pending = True
            self._show_plan_heading(self.current_plan())
            self.workspace.currentChanged.connect(lambda _index: self.fill_light_plan())
        else:
            self._load_plan()
        return True

    def fill_light_plan(self) -> None:
        """The plan's tree and tables from the light reader, if left for after the first paint."""
        if self._light_plan_pending and self.light is not None and self.db is None:
            self._load_plan()

    def fill_light_plan_then(self, then) -> None:
        """``fill_light_plan`` in three turns of the event loop (the tree, the indicators, the tasks:
        each once, ~10 ms each), then *then*()."""
        if not self._light_plan_pending_now():
            then()
            return
        plan = self.current_plan()
        plan_id = plan.id if plan else None
        self.tree_model.load(plan_id)
        self.tree_view.expandAll()
        models = [self.indicator_model, self.task_model]

        def next_table() -> None:
            if not self._light_plan_pending_now():  # filled meanwhile (another screen, another plan)
                then()
                return
            model = models.pop(0)
            model.plan_id, model.group_ids = plan_id, None
            model.reload()
            if models:
                QTimer.singleShot(STEP_MS, next_table)
                return
            self._light_plan_pending = False  # (the plan's heading is on screen since the first paint)
            then()
        QTimer.singleShot(STEP_MS, next_table)

    def _light_plan_pending_now(self) -> bool:
        return self._light_plan_pending and self.light is not None and self.db is None

    def _show_dashboard_snapshot(self, reader: LightReader) -> bool:
        """The dashboard's figures kept at the last run, when nothing was written since (same data
        version token), for the plan on screen and today: painted at once, taken over on attach."""
        from datetime import date

        from cds_desktop.services import dashboard_snapshot

        plan, frame, token = self.current_plan(), self.dashboard_frame, reader.data_token()
        view = dashboard_snapshot.load(reader.path.parent, token, plan.uuid if plan else None,
                                       date.today()) if frame is not None else None
        if view is None:
            return False
        try:
            frame.show_snapshot(view)
        except (KeyError, TypeError, ValueError, IndexError):  # a damaged file: computed as before
            from cds_desktop.ui.dashboard.frame import DashboardFrame

            self.dashboard_frame = None
            fresh = DashboardFrame()
            page = self.workspace.pages["dashboard"]
            page.stack.insertWidget(page.stack.indexOf(frame), fresh)
            page.stack.setCurrentWidget(fresh)
            page.stack.removeWidget(frame)
            frame.deleteLater()
            return False
        self.dashboard_snapshot = (plan.uuid, view, token)
        return True

    def attach(self, db: Database, prefetched: Prefetched | None = None, staged: bool = False) -> None:
        """Build the workspace on the open database and show its first plan (or, after
        ``show_light``, let the ORM take over the plan on screen, with the rows *prefetched*
        in the background when they still apply).  *staged*: in a few steps, each in its own
        turn of the event loop (the window keeps painting); ``dataAttached`` says when done."""
        steps = [lambda: self._attach_panel(db), self._attach_menus, lambda: self._attach_plan(prefetched),
                 lambda: self.workspace.attach(db), self.dataAttached.emit]
        self.fill_light_plan()  # (the light rows the ORM takes over)
        self.db = db
        if not self._frame_built:
            self._build_frame()
        self.search_edit.setClearButtonEnabled(True)
        if not staged:
            for step in steps:
                step()
            return

        def run_next() -> None:
            steps.pop(0)()
            if steps:  # (a timer, not a posted call: input, paints and timers get their turn between steps)
                QTimer.singleShot(STEP_MS, run_next)
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
        snapshot, frame = self.dashboard_snapshot, self.dashboard_frame
        dashboard = prefetched.dashboard if prefetched is not None else None  # figures computed in the background

        def prepare(screen) -> None:
            if snapshot is not None:  # the figures on screen since the first paint, until computed
                screen.follow(frame)
                screen.use_snapshot(*snapshot)
                self._swap_in_later(screen, frame)
            if dashboard is not None:
                screen.use_prefetched(*dashboard)
        if snapshot is not None or dashboard is not None:
            self.workspace.prepare["dashboard"] = prepare
        if snapshot is not None:
            self.workspace.held.add("dashboard")  # the frame stays until the screen is filled
        light, self.light = self.light, None
        if light is not None:
            self._take_over(prefetched)
            QTimer.singleShot(0, light.close)
        else:
            self.reload_plans()

    def _swap_in_later(self, screen, frame) -> None:
        """The frame (showing the same figures) stays on screen while *screen* is built and filled;
        it is swapped in at the next turn of the event loop, which then only lays it out and paints
        it (two short turns instead of one long one)."""
        import shiboken6

        page = self.workspace.pages["dashboard"]
        self.workspace.held.discard("dashboard")

        def swap() -> None:
            if shiboken6.isValid(screen) and shiboken6.isValid(frame) and page.screen is screen \
                    and page.stack.currentWidget() is frame:
                screen.quiet_next_show()
                page.stack.setCurrentWidget(screen)
        QTimer.singleShot(STEP_MS, swap)

    def finish_frame(self) -> None:
        """After the first paint: what it did not show, in turns of their own: the search box's
        clear button (its icon, ~6 ms) and, when another screen came first, the dashboard frame's
        module (~8 ms), then its widgets (~8 ms), each in a turn of the event loop."""
        if not self._frame_built:
            return
        self.search_edit.setClearButtonEnabled(True)
        if self.db is None and self.dashboard_frame is None:
            import cds_desktop.ui.dashboard.frame  # noqa: F401  (its widgets: in the next turn)

            QTimer.singleShot(STEP_MS, self._finish_dashboard_frame)

    def _finish_dashboard_frame(self) -> None:
        page = self.workspace.pages["dashboard"]
        if self.db is not None or self.dashboard_frame is not None or page.screen is not None:
            return  # the data layer took over meanwhile: the live screen comes instead
        from cds_desktop.ui.dashboard.frame import DashboardFrame

        self.dashboard_frame = DashboardFrame()
        page.put_placeholder(self.dashboard_frame)
        if page.showing_empty and page.empty is not None:  # "Chưa có kế hoạch" stays in front
            page.stack.setCurrentWidget(page.empty)

    def _build_frame(self, dashboard_frame: bool = True) -> None:
        """The window's widgets that need no data layer: toolbar, group tree, item tables, filter bar,
        tabs of screens, status bar (the detail panel comes with the data, see ``attach``).  Without
        *dashboard_frame* (another screen comes first) the dashboard's frame waits for ``finish_frame``."""
        from cds_desktop.ui import first_view
        from cds_desktop.ui.common.widgets import WrappingTreeDelegate
        from cds_desktop.ui.plan.item_models import GroupTreeModel, ItemsTableModel
        from cds_desktop.ui.screens import Workspace

        self._frame_built = True
        self.plan_actions = []  # menus.build_menus fills them in
        self.read_only_note = ""  # «Chỉ xem: …» for a received commune's plan (receiving mode)
        db = self.db

        # Toolbar: plan picker, item actions, search
        self.plan_combo = QComboBox()
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_combo.setMinimumContentsLength(54)
        self.plan_combo.currentIndexChanged.connect(self._on_plan_index_changed)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Tìm kiếm (không cần dấu)…")
        # (its clear button: after the first paint, finish_frame, or at attach)
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
        # (the first column only: the counts need no Python call per row when the tree is laid out)
        self.tree_view.setItemDelegateForColumn(0, WrappingTreeDelegate(self.tree_view))
        self.tree_view.header().setStretchLastSection(False)
        self.tree_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The counts' column is as wide as its title or four digits: fixed, not sized to its contents
        # (which laid the tree out again for every row, ~10 times while the window first showed)
        header = self.tree_view.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, max(header.fontMetrics().horizontalAdvance(GroupTreeModel.HEADERS[1]),
                                    self.tree_view.fontMetrics().horizontalAdvance("0000")) + COUNT_PADDING)
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

        self.dashboard_frame = None
        if db is None and dashboard_frame:  # the dashboard's widgets (shown empty, or with its snapshot)
            from cds_desktop.ui.dashboard.frame import DashboardFrame

            self.dashboard_frame = DashboardFrame()
        placeholders = {"dashboard": self.dashboard_frame} if self.dashboard_frame is not None else {}
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


__all__ = ["WindowBuildMixin", "make_item_table"]
