"""The main window's screens, one tab each, created the first time they are shown.

"Tổng quan" (the dashboard) comes first, as the plan asks for early warnings;
"Kế hoạch" is the plan editor (group tree, item tables, detail panel), given
ready-made by the main window.  Each other screen is built by a factory that imports
its module when the tab is first opened, so start-up stays light.  Every screen is a
:class:`~cds_desktop.ui.common.screen.ScreenWidget`.

At start-up the workspace exists before the database is open (``db`` is None): the
tabs paint, the plan editor shows the plan from the light reader, and the other
screens are built once ``attach(db)`` is called.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from cds_desktop.ui.common.screen import ScreenWidget

if TYPE_CHECKING:
    from cds_desktop.database import Database

log = logging.getLogger(__name__)

ScreenFactory = Callable[["Database", QWidget], ScreenWidget]


def _dashboard(db: Database, parent: QWidget) -> ScreenWidget:
    from cds_desktop.ui.dashboard.screen import DashboardWidget

    return DashboardWidget(db, parent)


def _month(db: Database, parent: QWidget) -> ScreenWidget:
    from cds_desktop.ui.month.entry import MonthEntryWidget

    return MonthEntryWidget(db, parent)


def _evidence(db: Database, parent: QWidget) -> ScreenWidget:
    from cds_desktop.ui.evidence.library import EvidenceLibraryWidget

    return EvidenceLibraryWidget(db, parent)


def _reports(db: Database, parent: QWidget) -> ScreenWidget:
    from cds_desktop.ui.reports.screen import ReportsWidget

    return ReportsWidget(db, parent)


def _exchange(db: Database, parent: QWidget) -> ScreenWidget:
    from cds_desktop.ui.exchange.screen import ExchangeWidget

    return ExchangeWidget(db, parent)


def _rollup(db: Database, parent: QWidget) -> ScreenWidget:
    from cds_desktop.ui.rollup.screen import RollupWidget

    return RollupWidget(db, parent)


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    title: str
    build: ScreenFactory | None  # None: the plan editor, given ready-made


SCREENS = (
    ScreenSpec("dashboard", "Tổng quan", _dashboard),
    ScreenSpec("plan", "Kế hoạch", None),
    ScreenSpec("month", "Nhập báo cáo kỳ", _month),
    ScreenSpec("evidence", "Minh chứng", _evidence),
    ScreenSpec("reports", "In báo cáo", _reports),
    ScreenSpec("exchange", "Trao đổi dữ liệu", _exchange),
    ScreenSpec("rollup", "Tổng hợp", _rollup),
)
# Screens that make sense without any plan (the others show what to do next instead).
PLAN_FREE = {"evidence", "exchange", "rollup"}


class _Page(QWidget):
    """A tab page that holds its screen once it is built (or, with no plan, what to do next)."""

    def __init__(self, spec: ScreenSpec) -> None:
        super().__init__()
        self.spec = spec
        self.screen: QWidget | None = None
        self.empty: QWidget | None = None
        self.showing_empty = False
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def put(self, screen: QWidget, current: bool = True) -> None:
        """Hold *screen*; shown at once unless *current* is False (its placeholder stays on screen
        until the caller swaps it in)."""
        self.screen = screen
        self.stack.addWidget(screen)
        if current and not self.showing_empty:
            self.stack.setCurrentWidget(screen)

    def put_placeholder(self, widget: QWidget) -> None:
        """Shown until the screen is built (before the data layer is loaded)."""
        self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)

    def show_empty(self, factory: Callable[[], QWidget] | None) -> None:
        """Show what to do next (a widget from *factory*) instead of the screen; None: the screen."""
        self.showing_empty = factory is not None
        if factory is not None:
            if self.empty is None:
                self.empty = factory()
                self.stack.addWidget(self.empty)
            self.stack.setCurrentWidget(self.empty)
        elif self.screen is not None:
            self.stack.setCurrentWidget(self.screen)


class Workspace(QTabWidget):
    """Tabs of screens; every screen follows the chosen plan (``ScreenWidget.set_plan``)."""

    screenCreated = Signal(str, QWidget)  # key, the ScreenWidget

    def __init__(self, db: Database | None, plan_screen: QWidget, parent: QWidget | None = None,
                 first: str = "dashboard", placeholders: dict[str, QWidget] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.setDocumentMode(True)
        self.db = db
        self.plan_uuid: str | None = None
        self.pages: dict[str, _Page] = {}
        self.hooks: list[Callable[[str, ScreenWidget], None]] = []
        self.empty_state: Callable[[], QWidget] | None = None  # makes the "no plan yet" page
        self.prepare: dict[str, Callable[[QWidget], None]] = {}  # key -> called once on the new screen
        self.held: set[str] = set()  # keys whose placeholder stays on screen when their screen is built
        for spec in SCREENS:
            page = _Page(spec)
            if spec.build is None:
                page.put(plan_screen)
            elif spec.key in (placeholders or {}):
                page.put_placeholder(placeholders[spec.key])
            self.pages[spec.key] = page
            self.addTab(page, spec.title)
        self.currentChanged.connect(self._on_current_changed)
        if first in self.pages:
            self.setCurrentWidget(self.pages[first])
        self._on_current_changed(self.currentIndex())

    def attach(self, db: Database) -> None:
        """The database is open: build the screen on show (the others are built when opened)."""
        self.db = db
        self._on_current_changed(self.currentIndex())

    def screen(self, key: str, create: bool = True) -> QWidget | None:
        page = self.pages.get(key)
        if page is None:
            return None
        if page.screen is None and create and self.db is not None:
            assert page.spec.build is not None  # the plan editor is put in at once
            screen = page.spec.build(self.db, page)
            page.put(screen, current=page.spec.key not in self.held)
            if page.spec.key in self.prepare:
                self.prepare.pop(page.spec.key)(screen)
            screen.set_plan(self.plan_uuid)
            for hook in self.hooks:
                hook(page.spec.key, screen)
            self.screenCreated.emit(page.spec.key, screen)
        return page.screen

    def show_screen(self, key: str) -> QWidget | None:
        page = self.pages.get(key)
        if page is None:
            return None
        self.setCurrentWidget(page)
        return self.screen(key)

    def current_key(self) -> str:
        page = self.currentWidget()
        return page.spec.key if isinstance(page, _Page) else ""

    def set_plan(self, plan_uuid: str | None) -> None:
        self.plan_uuid = plan_uuid or None
        for page in self.pages.values():
            if isinstance(page.screen, ScreenWidget):
                page.screen.set_plan(self.plan_uuid)
            if page.spec.key not in PLAN_FREE:
                page.show_empty(self.empty_state if self.plan_uuid is None else None)

    def _on_current_changed(self, index: int) -> None:
        page = self.widget(index)
        if isinstance(page, _Page) and page.screen is None:
            self.screen(page.spec.key)
