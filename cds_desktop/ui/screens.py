"""The main window's screens, one tab each, created the first time they are shown.

"Tổng quan" (the dashboard) comes first, as the plan asks for early warnings;
"Kế hoạch" is the plan editor (group tree, item tables, detail panel).  The
other screens import their modules only when opened, so start-up stays light.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QTabWidget, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from cds_desktop.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    title: str
    module: str  # "" for a screen given ready-made
    cls: str = ""


SCREENS = (
    ScreenSpec("dashboard", "Tổng quan", "cds_desktop.ui.dashboard.screen", "DashboardWidget"),
    ScreenSpec("plan", "Kế hoạch", ""),
    ScreenSpec("month", "Nhập báo cáo kỳ", "cds_desktop.ui.month.entry", "MonthEntryWidget"),
    ScreenSpec("evidence", "Minh chứng", "cds_desktop.ui.evidence.library", "EvidenceLibraryWidget"),
    ScreenSpec("reports", "In báo cáo", "cds_desktop.ui.reports.screen", "ReportsWidget"),
    ScreenSpec("exchange", "Trao đổi dữ liệu", "cds_desktop.ui.exchange.screen", "ExchangeWidget"),
)
# Screens that make sense without any plan (the others show what to do next instead).
PLAN_FREE = {"evidence", "exchange"}


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

    def put(self, screen: QWidget) -> None:
        self.screen = screen
        self.stack.addWidget(screen)
        if not self.showing_empty:
            self.stack.setCurrentWidget(screen)

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
    """Tabs of screens; every screen with ``set_plan`` follows the chosen plan."""

    screenCreated = Signal(str, QWidget)  # key, the screen widget

    def __init__(self, db: Database, plan_screen: QWidget, parent: QWidget | None = None,
                 first: str = "dashboard") -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.setDocumentMode(True)
        self.db = db
        self.plan_uuid: str | None = None
        self.pages: dict[str, _Page] = {}
        self.hooks: list[Callable[[str, QWidget], None]] = []
        self.empty_state: Callable[[], QWidget] | None = None  # makes the "no plan yet" page
        for spec in SCREENS:
            if spec.module and importlib.util.find_spec(spec.module) is None:
                log.warning("Screen %s unavailable (module %s missing)", spec.key, spec.module)
                continue
            page = _Page(spec)
            if not spec.module:
                page.put(plan_screen)
            self.pages[spec.key] = page
            self.addTab(page, spec.title)
        self.currentChanged.connect(self._on_current_changed)
        if first in self.pages:
            self.setCurrentWidget(self.pages[first])
        self._on_current_changed(self.currentIndex())

    def screen(self, key: str, create: bool = True) -> QWidget | None:
        page = self.pages.get(key)
        if page is None:
            return None
        if page.screen is None and create:
            module = importlib.import_module(page.spec.module)
            screen = getattr(module, page.spec.cls)(self.db, page)
            page.put(screen)
            if hasattr(screen, "set_plan"):
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
            if page.screen is not None and page.spec.module and hasattr(page.screen, "set_plan"):
                page.screen.set_plan(self.plan_uuid)
            if page.spec.key not in PLAN_FREE:
                page.show_empty(self.empty_state if self.plan_uuid is None else None)

    def _on_current_changed(self, index: int) -> None:
        page = self.widget(index)
        if isinstance(page, _Page) and page.screen is None:
            self.screen(page.spec.key)
