"""What the window shows before the data layer is loaded, and the loading of that layer.

Start-up (``ui.app.run_gui``): the window paints the current plan at once from a
:class:`~cds_desktop.services.view_rows.LightReader` (plain ``sqlite3``: the group tree,
both item tables, the summary line), with the toolbar, menu bar and status bar in
their final places; meanwhile :class:`DataLayerLoader` imports SQLAlchemy, the models,
the services and the screens and opens the database in a background thread; then
``MainWindow.attach(db)`` lets the ORM-backed models take over, keeping the rows,
selection and scroll on screen.  Everything here needs Qt only.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

# The menu bar's menus, as ui.menus builds them (checked by the tests): shown at once, filled on attach.
MENU_TITLES = ("&Tệp", "&Sửa", "&Kế hoạch", "&Danh mục", "&Màn hình", "&Công cụ", "Trợ &giúp")
DETAIL_HINT = "Chọn một chỉ tiêu hoặc nhiệm vụ trong bảng để xem và sửa."
DETAIL_TABS = ("Thông tin", "Phân công", "Lịch sử", "Minh chứng")
SWITCH_INTERVAL = 0.0005  # seconds (see DataLayerLoader.start)
# What attach() needs, imported in the background so that the window stays responsive.
DATA_LAYER_MODULES = (
    "sqlalchemy", "sqlalchemy.orm", "cds_desktop.models", "cds_desktop.database",
    "cds_desktop.services.plan_view", "cds_desktop.services.plan_actions", "cds_desktop.services.item_filters",
    "cds_desktop.services.item_panels", "cds_desktop.services.catalog_view", "cds_desktop.services.tracking.dashboard",
    "cds_desktop.ui.plan.detail_panel", "cds_desktop.ui.evidence.panel", "cds_desktop.ui.menus",
    "cds_desktop.ui.dashboard.screen", "cds_desktop.ui.common.pickers",
)


@dataclass
class Prefetched:
    """The ORM-backed reads of the plan shown at first paint, done in the background: the
    take-over in the GUI thread uses them when nothing changed meanwhile (else it reads again)."""

    plan_id: int | None = None
    choices: list = field(default_factory=list)
    tree: list = field(default_factory=list)
    rows: dict = field(default_factory=dict)  # kind -> rows in document order, no search or filter
    summary: str = ""
    dashboard: tuple | None = None  # (plan uuid, load_dashboard's result, data version token): current period


def prefetch(db, plan_id: int | None, plan_uuid: str | None, dashboard: bool = False) -> Prefetched:
    """Read, in the background, what the take-over needs (this also compiles each statement once:
    SQLAlchemy caches the compiled SQL per process); with *dashboard*, the dashboard's figures too."""
    from cds_desktop.services import plan_actions, plan_view
    from cds_desktop.services.view_rows import INDICATOR, TASK

    found = Prefetched(plan_id, plan_view.load_plan_choices(db))
    if plan_id is not None and plan_uuid is not None:
        found.tree = plan_actions.load_group_tree(db, plan_id)
        found.rows = {kind: plan_actions.load_item_rows(db, plan_id, kind) for kind in (INDICATOR, TASK)}
        found.summary = plan_view.plan_summary(db, plan_uuid)
        if dashboard:
            from cds_desktop.services.tracking.dashboard import load_dashboard_with_token

            token, result = load_dashboard_with_token(db, plan_uuid, date.today())
            found.dashboard = (plan_uuid, result, token)
    return found


def make_toolbar(window: QMainWindow) -> QToolBar:
    """The main toolbar: plan selector and search (``ui.menus`` inserts the item actions before
    ``window.toolbar_spacer`` when the data layer is there)."""
    toolbar = QToolBar("Thanh công cụ")
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.addWidget(QLabel(" Kế hoạch: "))
    toolbar.addWidget(window.plan_combo)
    toolbar.addSeparator()
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    window.toolbar_spacer = toolbar.addWidget(spacer)
    toolbar.addWidget(window.search_edit)
    toolbar.addWidget(_height_keeper(toolbar))
    window.addToolBar(toolbar)
    return toolbar


def _height_keeper(toolbar: QToolBar) -> QToolButton:
    """An empty, zero-wide tool button with an icon: the toolbar is as tall from the first paint as
    once the item actions (icon and text) are in it, so that nothing below moves at the take-over."""
    keeper = QToolButton()
    keeper.setObjectName("toolbarHeightKeeper")
    keeper.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    keeper.setIconSize(toolbar.iconSize())
    blank = QPixmap(toolbar.iconSize())
    blank.fill(Qt.GlobalColor.transparent)
    keeper.setIcon(QIcon(blank))
    keeper.setText(" ")
    keeper.setEnabled(False)
    keeper.setAutoRaise(True)
    keeper.setFixedWidth(0)
    keeper.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return keeper


def add_menu_titles(window: QMainWindow) -> None:
    """The menu bar with its menus (empty until the data layer is there), so nothing moves later."""
    bar = window.menuBar()
    for title in MENU_TITLES:
        bar.addMenu(title).setEnabled(False)


class DetailPlaceholder(QWidget):
    """The detail panel as it looks with no item selected, until the real one is built."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPlaceholder")
        heading = QLabel(DETAIL_HINT)
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold; font-size: 11pt;")
        tabs = QTabWidget()
        for title in DETAIL_TABS:
            tabs.addTab(QWidget(), title)
        tabs.setEnabled(False)
        buttons = QHBoxLayout()
        for text in ("Lưu", "Bỏ thay đổi"):
            button = QPushButton(text)
            button.setEnabled(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        delete = QPushButton("Xóa")
        delete.setEnabled(False)
        buttons.addWidget(delete)
        self.setMinimumWidth(320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(heading)
        layout.addWidget(tabs, 1)
        layout.addLayout(buttons)


class DataLayerLoader(QObject):
    """Imports the data layer and opens the database in a background thread; ``opened(db)``
    or ``failed(exc)`` is delivered in the GUI thread."""

    opened = Signal(object)
    failed = Signal(object)

    def __init__(self, open_db: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_db = open_db
        self.thread = threading.Thread(target=self._run, name="data-layer-loader", daemon=True)
        self.seconds = 0.0
        self.result = None  # the open database (also when nobody took it: the caller closes it)

    def start(self) -> None:
        # While the loader runs, the GUI thread waits at most this long for the interpreter lock
        # each time it paints a cell or handles an event (default 5 ms: stalls add up).
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.thread.start()

    def _run(self) -> None:
        try:
            self._load()
        finally:
            sys.setswitchinterval(self._switch_interval)

    def _load(self) -> None:
        start = time.perf_counter()
        try:
            for name in DATA_LAYER_MODULES:
                __import__(name)
            db = self._open_db()
        except BaseException as exc:
            self.seconds = time.perf_counter() - start
            self.failed.emit(exc)
            return
        self.seconds = time.perf_counter() - start
        self.result = db
        log.info("Data layer loaded in the background in %.0f ms", self.seconds * 1000)
        self.opened.emit(db)


__all__ = [
    "DATA_LAYER_MODULES", "MENU_TITLES", "DataLayerLoader", "DetailPlaceholder",
    "add_menu_titles", "make_toolbar",
]
