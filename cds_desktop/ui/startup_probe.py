"""The start-up probe of ``benchmarks/bench_startup.py`` (``CDS_STARTUP_PROBE=<file>``).

Writes, as ``time.time()`` values: ``<file>`` at the first paint of the window,
``<file>.ready`` at the first paint that shows the plan table filled (or, with
``CDS_STARTUP_SCREEN=dashboard``, the dashboard's figures); then, once the data
layer has taken over (and the figures are on screen), ``<file>.done`` as JSON with
the longest stall of the event loop after the first paint (a 5 ms heartbeat timer),
and quits.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

HEARTBEAT_MS = 5
SETTLE_MS = 300  # the heartbeat keeps running this long after the last step


def write_time(path: str, at: float | None) -> None:
    Path(path).write_text(repr(at if at is not None else time.time()), encoding="utf-8")


class FirstPaintWatcher(QObject):
    """Calls ``callback(painted_at)`` once, queued right after the first paint event
    of *widget* (or after *fallback_ms* without a paint, with ``painted_at=None``)."""

    def __init__(self, widget: QWidget, callback, fallback_ms: int = 2000) -> None:
        super().__init__(widget)
        self.callback = callback
        self.painted_at: float | None = None
        widget.installEventFilter(self)
        self._fallback = QTimer(self, singleShot=True, interval=fallback_ms)
        self._fallback.timeout.connect(self._fire)
        self._fallback.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.painted_at is None and event.type() == QEvent.Type.Paint:
            self.painted_at = time.time()
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        if self.callback is not None:
            callback, self.callback = self.callback, None
            callback(self.painted_at)


class StartupProbe(QObject):
    """Times the start-up steps of one process (see the module docstring)."""

    def __init__(self, path: str, app: QApplication) -> None:
        super().__init__(app)
        self.path = path
        self.app = app
        self.ready_written = False
        self.longest_gap = 0.0
        self.steps: dict[str, float] = {}
        self._last = 0.0
        self._heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._beat)

    def first_paint(self, at: float | None) -> None:
        write_time(self.path, at)
        self.steps["first_paint"] = at or time.time()
        self._last = time.perf_counter()
        self._heartbeat.start()

    def ready(self, widget: QWidget) -> None:
        """The plan (or the figures) is on screen once *widget* paints next."""
        if self.ready_written:
            return

        def painted(at: float | None) -> None:
            if not self.ready_written:
                self.ready_written = True
                write_time(self.path + ".ready", at)
        FirstPaintWatcher(widget, painted)
        widget.update()

    def ready_at(self, at: float | None) -> None:
        self.ready_written = True
        write_time(self.path + ".ready", at)

    def step(self, name: str) -> None:
        self.steps[name] = time.time()

    def finish(self) -> None:
        """Everything is loaded: keep beating a little, then write the figures and quit."""
        QTimer.singleShot(SETTLE_MS, self._quit)

    def _beat(self) -> None:
        now = time.perf_counter()
        if now - self._last > self.longest_gap:
            self.longest_gap = now - self._last
            self.steps["longest_stall_end"] = time.time()
        self._last = now

    def _quit(self) -> None:
        self._heartbeat.stop()
        stall = max(0.0, self.longest_gap * 1000 - HEARTBEAT_MS)
        Path(self.path + ".done").write_text(json.dumps({"stall_ms": stall, "steps": self.steps}), encoding="utf-8")
        if not self.ready_written:
            write_time(self.path + ".ready", None)
        self.app.quit()


__all__ = ["FirstPaintWatcher", "StartupProbe", "write_time"]
