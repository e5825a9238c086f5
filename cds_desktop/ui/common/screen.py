"""The base of every screen of the main window's workspace (``ui/screens.py``).

A screen follows the plan the officer chose (``set_plan``) and asks the window, through
its signals, for what lies outside it.  Every screen has every signal; a screen that has
nothing to ask simply never emits it, so the window connects them all without asking
which ones exist.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class ScreenWidget(QWidget):
    """One tab of the workspace, built the first time it is shown."""

    itemsRequested = Signal(list)  # item uuids to show in the plan editor
    listRequested = Signal(str, list)  # caption, every item uuid behind a figure the officer clicked
    evidenceChanged = Signal()  # evidence files added, removed or relinked
    dataChanged = Signal()  # records came in from outside: the list of plans may have changed
    planRequested = Signal(str, str)  # plan uuid, screen key: show that plan on that screen (Tổng hợp)

    def set_plan(self, plan_uuid: str | None) -> None:
        """Show *plan_uuid* (None: no plan); drop whatever was cached for another plan."""
        raise NotImplementedError
