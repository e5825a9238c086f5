"""Python's cyclic garbage collection runs on the GUI thread only.

With automatic collection, a collection may start in whichever thread happens to allocate,
for example a background job's thread, and destroy Qt objects that belong to the GUI
thread there, while the GUI thread holds a Qt lock and waits for the interpreter: a
deadlock (seen as a test that hung for good) or a crash.  Like Anki, the app turns
automatic collection off and collects from a timer on the GUI thread instead.

Start-up's objects (modules, classes, SQLAlchemy's mappers: ~170,000 of them) live as long as
the window, yet every collection that meets them visits them all: the first young collection
after start-up stopped the window for ~87 ms, the next middle one for ~54 ms, and each full one
for 60–100 ms every minute.  During the first seconds of the process, a tick that finds a
burst of new objects freezes them (``gc.freeze``: moved out of the collector's sight, in
constant time) instead of collecting them.  Frozen objects are still freed by reference
counting; only cyclic garbage made during start-up (a few MB, once) is never reclaimed.
"""

from __future__ import annotations

import gc
import logging
import time

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
STARTUP_S = 10.0  # within this long of the first collector's start, bursts are start-up's objects
BURST = 10_000  # new objects that one young collection would take ~5 ms or more to visit

_startup_ends: float | None = None  # once per process: a second window's start-up is no burst to freeze


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        global _startup_ends
        if _startup_ends is None:
            _startup_ends = time.monotonic() + STARTUP_S
        self._ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        gc.disable()
        self.timer.start()

    def tick(self) -> int:
        """One timer tick: the generation due now, or nothing when next to nothing was allocated."""
        self._ticks += 1
        young = gc.get_count()[0]
        if young >= BURST and time.monotonic() < _startup_ends:
            gc.freeze()  # start-up's objects: freezing them costs nothing, visiting them 50-90 ms
            # (not gc.get_freeze_count() in the message: it walks every frozen object, 2-12 ms a tick)
            log.debug("Froze %d of start-up's objects", young)
            return 0
        if self._ticks % FULL_EVERY == 0:
            return self.collect(2)
        if self._ticks % MIDDLE_EVERY == 0:
            return self.collect(1)
        if young < YOUNG_ENOUGH:
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
