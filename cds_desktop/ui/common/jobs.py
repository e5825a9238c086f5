"""Background jobs: the one way the UI runs work that may take more than 100 ms.

``run_job(fn, ...)`` runs ``fn(ctx)`` on a worker thread.  ``ctx`` lets the
function report progress (``ctx.report(done, total, text)``) and notice a
cancel request (``ctx.cancelled`` / ``ctx.check_cancelled()``).  The result
comes back on the GUI thread through ``on_success``; an exception goes to the
error dialog (:mod:`cds_desktop.ui.common.errors`) unless ``on_error`` takes it.
The function must open its own database session(s) and return plain data.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None
_running: set[Job] = set()


class JobCancelled(Exception):
    """Raised by ``ctx.check_cancelled()`` when the officer pressed "Hủy"."""


class JobContext:
    """What the job function sees: progress reporting and cancellation (Qt-free API)."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check_cancelled(self) -> None:
        if self.cancelled:
            raise JobCancelled()

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        self._job._progress_raw.emit(int(done), int(total), text)


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        job = self.job
        try:
            result = job.fn(job.context)
        except JobCancelled:
            job._finished_raw.emit("cancelled", None, "")
        except BaseException as exc:  # every failure goes to the error dialog
            job._finished_raw.emit("error", exc, traceback.format_exc())
        else:
            job._finished_raw.emit("ok", result, "")


class Job(QObject):
    """A running job.  Signals are delivered on the GUI thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()
    finished = Signal()

    _progress_raw = Signal(int, int, str)
    _finished_raw = Signal(str, object, str)

    def __init__(self, fn: Callable[[JobContext], Any], title: str, parent_widget: QWidget | None) -> None:
        super().__init__()
        self.fn = fn
        self.title = title
        self.parent_widget = parent_widget
        self.context = JobContext(self)
        self.state = "running"
        self.result: Any = None
        self.error: BaseException | None = None
        self.dialog: QProgressDialog | None = None
        self.on_error: Callable[[BaseException, str], None] | None = None
        self.show_timer: QTimer | None = None
        self._progress_raw.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._finished_raw.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @property
    def done(self) -> bool:
        return self.state != "running"

    def cancel(self) -> None:
        self.context.cancel()

    @Slot()
    def _show_dialog(self) -> None:
        dialog = self.dialog
        if dialog is None or self.done or not shiboken6.isValid(dialog):
            return
        owner = self.parent_widget
        # The window the box belongs to may have been closed, or be on its way out, by now: a modal
        # box shown over a window being destroyed takes Qt down with it.
        if owner is not None and (not shiboken6.isValid(owner) or not owner.window().isVisible()):
            return
        dialog.show()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        dialog = self.dialog  # setValue() on a modal dialog runs the event loop: the job may finish inside it
        if dialog is not None and shiboken6.isValid(dialog):
            if text:
                dialog.setLabelText(text)
            dialog.setMaximum(max(total, 0))
            dialog.setValue(done if total else 0)
        self.progressed.emit(done, total, text)

    @Slot(str, object, str)
    def _on_finished(self, state: str, payload: object, tb_text: str) -> None:
        self.state = state
        if self.show_timer is not None and shiboken6.isValid(self.show_timer):
            self.show_timer.stop()
        if self.dialog is not None:
            if shiboken6.isValid(self.dialog):  # its parent window may have been closed meanwhile
                self.dialog.reset()
                self.dialog.deleteLater()
            self.dialog = None
        if self.parent_widget is not None and not shiboken6.isValid(self.parent_widget):
            log.info("Job finished after its window was closed: %s (%s)", self.title, state)
            _running.discard(self)  # nobody is left to show the result to
            return
        try:
            if state == "ok":
                self.result = payload
                self.succeeded.emit(payload)
            elif state == "error":
                assert isinstance(payload, BaseException)
                self.error = payload
                self.failed.emit(payload, tb_text)
                if self.on_error is not None:
                    self.on_error(payload, tb_text)
                else:
                    from cds_desktop.ui.common.errors import show_error

                    show_error(payload, self.parent_widget, tb_text=tb_text)
            else:
                log.info("Job cancelled: %s", self.title)
                self.cancelled.emit()
        finally:
            self.finished.emit()
            _running.discard(self)


def _thread_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(2)
    return _pool


def run_job(
    fn: Callable[[JobContext], Any],
    *,
    title: str = "Đang xử lý…",
    parent: QWidget | None = None,
    on_success: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException, str], None] | None = None,
    progress: bool = True,
    cancellable: bool = False,
    delay_ms: int = 400,
) -> Job:
    """Run ``fn(ctx)`` in the background; see the module docstring."""
    job = Job(fn, title, parent)
    if on_success is not None:
        job.succeeded.connect(on_success)
    job.on_error = on_error
    if progress:
        dialog = QProgressDialog(title, "Hủy" if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle("CĐS Desktop")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(delay_ms)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if cancellable:
            dialog.canceled.connect(job.cancel)
        else:
            dialog.setCancelButton(None)
        dialog.reset()  # stops Qt's own show timer: shown by ours, only if the job lasts
        job.dialog = dialog
        # A timer the job owns (not QTimer.singleShot with a bound method, which PySide6 may call on a
        # job already freed): it dies with the job and is stopped when the job finishes.
        job.show_timer = QTimer(job)
        job.show_timer.setSingleShot(True)
        job.show_timer.timeout.connect(job._show_dialog)
        job.show_timer.start(delay_ms)
    _running.add(job)
    log.info("Job started: %s", title)
    _thread_pool().start(_Runnable(job))
    return job


def running_jobs() -> list[Job]:
    return list(_running)


def wait_for_jobs(timeout_ms: int = 30_000) -> bool:
    """Block until the worker threads are idle (used at shutdown so that no write is cut off)."""
    if _pool is None:
        return True
    return _pool.waitForDone(timeout_ms)
