"""Background jobs: the one way the UI runs work that may take more than 100 ms.

``run_job(fn, ...)`` runs ``fn(ctx)`` on a worker thread.  ``ctx`` lets the
function report progress (``ctx.report(done, total, text)``) and notice a
cancel request (``ctx.cancelled`` / ``ctx.check_cancelled()``).  The result
comes back on the GUI thread through ``on_success``; an exception goes to the
error dialog (:mod:`cds_desktop.ui.common.errors`) unless ``on_error`` takes it.
The function must open its own database session(s) and return plain data.

``run_job(fn, in_process=True, args=(...))`` runs ``fn(ctx, *args)`` in a worker
process instead (:mod:`cds_desktop.ui.common.job_worker`): pure-Python work there
does not hold the window's interpreter lock, so the window never stalls.  ``fn``
is then a top-level, Qt-free function and *args* are picklable (paths, uuids, a
:class:`~cds_desktop.ui.common.job_worker.DatabaseRef`), and so is its result.
Progress comes back through a pipe polled by a timer; «Hủy» ends the process (a
job that writes does so in one transaction, so nothing of it is left).  Set
``CDS_JOBS_IN_THREAD=1`` to run such jobs on a thread instead (debugging).
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from cds_desktop.ui.common.worker_pool import Worker, give_back, take_worker

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None
_running: set[Job] = set()
POLL_MS = 15


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
            outcome = ("cancelled", None, "")
        except BaseException as exc:  # every failure goes to the error dialog
            outcome = ("error", exc, traceback.format_exc())
        else:
            outcome = ("ok", result, "")
        try:
            job._finished_raw.emit(*outcome)
        except RuntimeError:  # the job's owner (a closed window) is gone: nobody waits for the outcome
            log.info("A job finished after its window closed (%s)", outcome[0])


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
        self._worker: Worker | None = None
        self._poll_timer: QTimer | None = None
        self._polling = False
        self._progress_raw.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._finished_raw.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @property
    def done(self) -> bool:
        return self.state != "running"

    def cancel(self) -> None:
        self.context.cancel()
        worker = self._worker
        if worker is None or self.done:
            return
        self._poll_worker()  # a result already sent wins over the cancel
        if self.done:
            return
        self._stop_polling()
        worker.kill()
        log.info("Job cancelled: its worker process %s was ended", worker.process.pid or "(starting)")
        self._on_finished("cancelled", None, "")

    # -- process jobs ---------------------------------------------------------------------------
    def _start_in_process(self, fn: Callable[..., Any], args: tuple) -> None:
        self._worker = worker = take_worker()
        worker.submit(fn, args)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_MS)
        self._poll_timer.timeout.connect(self._poll_worker)
        self._poll_timer.start()

    def _stop_polling(self) -> None:
        if self._poll_timer is not None and shiboken6.isValid(self._poll_timer):
            self._poll_timer.stop()

    @Slot()
    def _poll_worker(self) -> None:
        """Read what the worker sent: log records, the latest progress, the result."""
        worker = self._worker
        if worker is None or self.done or self._polling:
            return
        self._polling = True  # the progress box's setValue() may run the event loop (and this timer)
        progress = None
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                kind = message[0]
                if kind == "progress":
                    progress = message[1:]
                elif kind == "log":
                    _name, level, text = message[1:]
                    logging.getLogger(_name).log(level, "[worker] %s", text)
                else:
                    self._stop_polling()
                    if progress is not None:  # the last step is shown before the result
                        self._on_progress(*progress)
                    give_back(worker)
                    self._worker = None
                    if kind == "error":
                        log.warning("Job %r failed in its worker process:\n%s", self.title, message[2])
                    self._on_finished(kind, message[1], message[2])
                    return
        except Exception as exc:  # the process died, or sent what cannot be read
            self._stop_polling()
            worker.kill()
            self._worker = None
            log.error("Worker process of job %r lost: %r (exit code %s)", self.title, exc, worker.process.exitcode)
            self._on_finished("error", RuntimeError("Tiến trình xử lý nền dừng đột ngột."), traceback.format_exc())
            return
        finally:
            self._polling = False
        if progress is not None:
            self._on_progress(*progress)

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
    in_process: bool = False,
    args: tuple = (),
) -> Job:
    """Run ``fn(ctx)`` (``fn(ctx, *args)``) in the background, on a thread or, with *in_process*,
    in a worker process; see the module docstring."""
    if args or in_process:
        if in_process and ("<" in fn.__qualname__ or fn.__module__ == "__main__"):
            raise TypeError(f"A process job needs a top-level function of a module, not {fn.__qualname__}")
        call, bound = fn, args
        fn = lambda ctx: call(ctx, *bound)  # noqa: E731 (the thread form of the same call)
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
    if in_process and not os.environ.get("CDS_JOBS_IN_THREAD"):
        from pickle import PicklingError  # (not imported before the window's first paint)

        log.info("Job started in a worker process: %s", title)
        try:
            job._start_in_process(call, bound)
            return job
        except (OSError, PicklingError, AttributeError, TypeError) as exc:
            if job._worker is not None:  # nothing was sent: the worker is fine
                job._stop_polling()
                give_back(job._worker)
                job._worker = None
            log.warning("Job %r cannot run in a worker process (%r): it runs on a thread", title, exc)
    log.info("Job started: %s", title)
    _thread_pool().start(_Runnable(job))
    return job


def running_jobs() -> list[Job]:
    return list(_running)


def wait_for_jobs(timeout_ms: int = 30_000) -> bool:
    """Block until the worker threads and processes are idle (used at shutdown so that no write is cut off)."""
    import time

    deadline = time.monotonic() + timeout_ms / 1000
    for job in [j for j in _running if j._worker is not None]:
        while not job.done and job._worker is not None and time.monotonic() < deadline:
            job._worker.conn.poll(0.05)
            job._poll_worker()
    if _pool is None:
        return all(job.done for job in _running)
    return _pool.waitForDone(max(0, int((deadline - time.monotonic()) * 1000)))
