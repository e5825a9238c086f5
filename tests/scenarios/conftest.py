"""Scenario fixtures: the real main window, shown at the common office laptop size,
and a driver that clicks and types (see driver.py)."""

from __future__ import annotations

import pytest
from driver import Driver


@pytest.fixture
def driver(qtbot) -> Driver:
    return Driver(qtbot)


def open_window(qtbot, db, size=(1366, 768)):
    from cds_desktop.ui.main_window import MainWindow

    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def empty_window(qtbot, db):
    """The window on a fresh data folder (no plan yet)."""
    return open_window(qtbot, db)


def open_screen(driver, window, title: str):
    """Click the screen's tab; returns the screen once it is on screen."""
    driver.tab(window.workspace, title)
    page = window.workspace.currentWidget()
    driver.qtbot.waitUntil(lambda: page.screen is not None and page.screen.isVisible(), timeout=10_000)
    return page.screen
