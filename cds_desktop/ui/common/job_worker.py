"""The worker process behind ``run_job(..., in_process=True)`` (:mod:`cds_desktop.ui.common.jobs`).

Qt-free and small on purpose: a worker is a fresh interpreter (multiprocessing's
'spawn' context, the same on Windows, Linux and in the frozen app) that imports
this module, then waits on its pipe for jobs.  A job is ``(fn, args)``: a
top-level, picklable function called as ``fn(ctx, *args)``.  ``ctx.report()``
sends progress back, throttled; the result, or the error (a picklable exception
and its traceback text), goes back on the same pipe; log records of the worker go
back too and are written by the application's own log handlers.

A job is cancelled by ending its process: a job that writes does it in one
transaction, so the database is untouched by a job cut off midway.  Functions
reach the database through :class:`DatabaseRef` (a URL, not a session).
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 0.05  # at most ~20 progress messages a second reach the window


@dataclass(frozen=True)
class DatabaseRef:
    """What a worker needs to open the application's database (picklable)."""

    url: str
    data_dir: str
    log_dir: str
    installation_id: str = ""

    @classmethod
    def of(cls, db: Any) -> DatabaseRef:
        paths = db.paths
        return cls(db.url, str(paths.data_dir), str(paths.log_dir), db.installation_id)

    def open(self) -> Any:
        """The database, opened once per worker process (no migrations: the window did them)."""
        cached = _databases.get(self.url)
        if cached is None:
            from cds_desktop.database.engine import Database
            from cds_desktop.paths import AppPaths

            for url in list(_databases):  # one database at a time: the engine of another is let go
                _databases.pop(url).close()
            cached = Database(self.url, AppPaths(Path(self.data_dir), Path(self.log_dir)))
            _databases[self.url] = cached
        cached.installation_id = self.installation_id
        return cached


_databases: dict[str, Any] = {}


class WorkerContext:
    """The job function's view in the worker: the same API as the thread jobs' context."""

    cancelled = False  # a process job is cancelled by ending the process

    def __init__(self, send) -> None:
        self._send = send
        self._last = 0.0

    def check_cancelled(self) -> None:
        return None

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        now = time.monotonic()
        if text or now - self._last >= PROGRESS_EVERY_S or (total and done >= total):
            self._last = now
            self._send(("progress", int(done), int(total), text))


class _ForwardLogs(logging.Handler):
    """Log records of the worker, sent to the window's process (which owns the log file)."""

    def __init__(self, send) -> None:
        super().__init__(logging.INFO)
        self._send = send

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + "".join(traceback.format_exception(*record.exc_info))
            self._send(("log", record.name, record.levelno, text))
        except Exception:  # a log record is never worth a failed job
            pass


def portable_error(exc: BaseException) -> BaseException:
    """*exc* if it survives the trip to the window, else a stand-in with the same message
    (an officer-facing error stays one: its message is shown as is)."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        pass
    from cds_desktop.database.errors import DatabaseError
    from cds_desktop.services.common import ServiceError

    if isinstance(exc, DatabaseError | ServiceError):
        return ServiceError(str(exc))
    return RuntimeError(f"{type(exc).__name__}: {exc}")


def serve(conn) -> None:
    """The worker's loop: run each job received on *conn*; stop on ``None`` or when the window is gone."""
    lock = threading.Lock()

    def send(message: tuple) -> None:
        with lock:
            conn.send(message)

    root = logging.getLogger()
    root.addHandler(_ForwardLogs(send))
    root.setLevel(logging.INFO)
    import cds_desktop.database.engine  # noqa: F401 (SQLAlchemy and the models, loaded while the worker waits)

    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the window's process is gone
            return
        if job is None:
            return
        fn, args = job
        try:
            result = fn(WorkerContext(send), *args)
        except BaseException as exc:  # every failure goes back to the window's error dialog
            tb_text = traceback.format_exc()
            log.warning("Job %s failed in the worker: %s", getattr(fn, "__name__", fn), exc)
            _let_go_of_files()
            send(("error", portable_error(exc), tb_text))
            continue
        _let_go_of_files()
        try:
            send(("ok", result, ""))
        except Exception as exc:  # the result cannot be pickled: a bug, reported as one
            send(("error", RuntimeError(f"Kết quả không gửi được về cửa sổ: {exc}"), traceback.format_exc()))


def _let_go_of_files() -> None:
    """Between jobs the worker holds no connection to the database file (a restore renames it,
    Windows refuses while a file is open); the engine stays, reconnecting costs ~1 ms."""
    for db in _databases.values():
        db.engine.dispose()
