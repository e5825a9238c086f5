"""Logging, configured once per process: a rotating file in the user log directory.

The window's start writes through a plain ``FileHandler`` first (``rotating=False``):
``logging.handlers`` and what it imports (socket, pickle, queue) cost ~6 ms before the first
paint; :func:`rotate_from_now` swaps in the rotating handler on the same file in the background.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

LOG_FILENAME = "cds-desktop.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
_configured: Path | None = None
_swap_lock = threading.Lock()


def configure_logging(log_dir: Path, level: int = logging.INFO, *, rotating: bool = True) -> Path:
    """Send all ``logging`` records to ``<log_dir>/cds-desktop.log`` (1 MB × 5 files; with
    *rotating* False, appended without rotation until :func:`rotate_from_now`)."""
    global _configured
    log_file = log_dir / LOG_FILENAME
    if _configured == log_file:
        return log_file
    log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_cds", False):
            root.removeHandler(handler)
            handler.close()
    root.addHandler(_rotating_handler(log_file) if rotating else _handler(logging.FileHandler(log_file, encoding="utf-8")))
    root.setLevel(level)
    logging.raiseExceptions = False  # a log that cannot be written (a full disk) never prints a traceback
    _configured = log_file
    return log_file


def rotate_from_now() -> None:
    """Replace a plain file handler of :func:`configure_logging` by the rotating one (same file)."""
    with _swap_lock:
        root = logging.getLogger()
        swapped = {h: _rotating_handler(Path(h.baseFilename)) for h in root.handlers
                   if getattr(h, "_cds", False) and type(h) is logging.FileHandler}
        if swapped:  # one new list in one step: a record logged meanwhile goes to exactly one of them
            root.handlers = [swapped.get(h, h) for h in root.handlers]
            for handler in swapped:
                handler.close()


def _rotating_handler(log_file: Path) -> logging.Handler:
    import logging.handlers

    return _handler(logging.handlers.RotatingFileHandler(log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                                         encoding="utf-8"))


def _handler(handler: logging.Handler) -> logging.Handler:
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._cds = True  # type: ignore[attr-defined]
    return handler


def current_log_file() -> Path | None:
    return _configured
