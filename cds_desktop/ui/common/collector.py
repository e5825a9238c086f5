"""Python's cyclic garbage collection runs on the GUI thread only.

With automatic collection, a collection may start in whichever thread happens to allocate,
for example a background job's thread, and destroy Qt objects that belong to the GUI
thread there, while the GUI thread holds a Qt lock and waits for the interpreter: a
deadlock (seen as a test that hung for good) or a crash.  Like Anki, the app turns
automatic collection off and collects from a timer on the GUI thread instead.
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 2_000  # young objects; a full collection every FULL_EVERY ticks
FULL_EVERY = 30


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        gc.disable()
        self.timer.start()

    def collect(self) -> int:
        self._ticks += 1
        generation = 2 if self._ticks % FULL_EVERY == 0 else 1
        return gc.collect(generation)


def install(app: QObject) -> GuiThreadCollector:
    """Collect garbage on *app*'s thread from now on (idempotent)."""
    existing = app.findChild(GuiThreadCollector)
    if existing is not None:
        return existing
    log.debug("Garbage collection moved to the GUI thread")
    return GuiThreadCollector(app)
