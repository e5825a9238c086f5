"""Scenario fixtures: the real main window, shown at the common office laptop size,
and a driver that clicks and types (see driver.py)."""

from __future__ import annotations

import pytest
from driver import Driver, open_window


@pytest.fixture
def driver(qtbot) -> Driver:
    return Driver(qtbot)


@pytest.fixture
def empty_window(qtbot, db):
    """The window on a fresh data folder (no plan yet)."""
    return open_window(qtbot, db)
