"""Logging, configured once per process: a rotating file in the user log directory."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILENAME = "cds-desktop.log"
_configured: Path | None = None


def configure_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send all ``logging`` records to ``<log_dir>/cds-desktop.log`` (1 MB × 5 files)."""
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
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    handler._cds = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    logging.raiseExceptions = False  # a log that cannot be written (a full disk) never prints a traceback
    _configured = log_file
    return log_file


def current_log_file() -> Path | None:
    return _configured
