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

import shiboken6
from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

# Small and often: the cost of a collection grows with the objects allocated since the last one, so
# a young collection every tick keeps each pause short (a collection of 59,000 objects every 2 s
# stopped the window for 58 ms after an import preview).
INTERVAL_MS = 100  # the youngest objects every tick
MIDDLE_EVERY = 10  # the middle generation every second
FULL_EVERY = 600  # everything every minute
YOUNG_ENOUGH = 700  # CPython's own threshold for the youngest generation


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        gc.disable()
        self.timer.start()

    def tick(self) -> int:
        """One timer tick: the generation due now, or nothing when next to nothing was allocated."""
        self._ticks += 1
        if self._ticks % FULL_EVERY == 0:
            return self.collect(2)
        if self._ticks % MIDDLE_EVERY == 0:
            return self.collect(1)
        if gc.get_count()[0] < YOUNG_ENOUGH:
            return 0  # the window stays idle
        return self.collect(0)

    def collect(self, generation: int = 0) -> int:
        return gc.collect(generation)


def install(app: QObject) -> GuiThreadCollector:
    """Collect garbage on *app*'s thread from now on (idempotent)."""
    # not app.findChild(): it wraps every child of the application (its QStyle among them), and
    # realising those Python types costs ~15 ms before the first paint
    existing = getattr(app, "_cds_collector", None)
    if existing is not None and shiboken6.isValid(existing):
        return existing
    log.debug("Garbage collection moved to the GUI thread")
    app._cds_collector = GuiThreadCollector(app)
    return app._cds_collector
