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


@pytest.fixture(autouse=True)
def _close_error_dialogs(qtbot):
    """An error dialog a scenario provoked (an expected failure) never outlives it."""
    yield
    import shiboken6

    from cds_desktop.ui.common import errors

    for dialog in errors.open_error_dialogs():
        if shiboken6.isValid(dialog):
            dialog.close()
        if dialog in errors._open_dialogs:  # a dialog deleted with its window never said it closed
            errors._open_dialogs.remove(dialog)
