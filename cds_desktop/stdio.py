"""Standard streams that are always there, even in the window executable.

A program built without a console (PyInstaller ``console=False`` on Windows, or any
program started with its standard streams closed: ``</dev/null >&- 2>&-``) gets
``sys.stdout`` and ``sys.stderr`` set to None, and every ``print`` of a command dies
with ``AttributeError: 'NoneType' object has no attribute 'write'``.  ``ensure_streams``
runs first thing at start-up:

- POSIX: closed descriptors 0–2 are reopened on ``/dev/null``, so that no file the
  program opens later (a database, a report) gets descriptor 1 or 2 and receives what
  a library writes to "standard error";
- Windows, with arguments (``CDS-Desktop.exe --help`` typed in a console): the parent
  process's console is attached, if there is one, and the output goes there;
- otherwise a missing stream becomes a :class:`LogWriter`: the text goes to
  ``console-output.log`` in the log folder (the file is created only when something is
  written), so ``--help`` or a command's result can still be read.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from pathlib import Path

OUTPUT_LOG = "console-output.log"


class LogWriter(io.TextIOBase):
    """A text stream that appends to a file opened on the first write (nothing is
    created when nothing is written); never raises on write."""

    def __init__(self, path: Path | None) -> None:
        super().__init__()
        self.path = path
        self._file: io.TextIOWrapper | None = None
        self._lock = threading.Lock()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def retarget(self, folder: Path) -> None:
        """Write to *folder* instead (the log folder of ``--data-dir``), unless already writing."""
        with self._lock:
            if self._file is None:
                self.path = folder / OUTPUT_LOG

    def write(self, text: str) -> int:
        with self._lock:
            if self._file is None and self.path is not None:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._file = open(self.path, "a", encoding="utf-8", errors="replace")
                except OSError:
                    self.path = None  # nowhere to write: drop the text
            if self._file is not None:
                try:
                    self._file.write(text)
                    self._file.flush()
                except (OSError, ValueError):
                    pass
        return len(text)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
        super().close()


def _reopen_closed_descriptors() -> None:
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def _attach_parent_console() -> bool:
    """Windows: attach to the console of the process that started us (cmd, PowerShell)."""
    try:
        import ctypes

        attach_parent_process = -1
        if not ctypes.windll.kernel32.AttachConsole(attach_parent_process):  # type: ignore[attr-defined]
            return False
        sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")
        sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace")
        sys.stdout.write("\n")  # the prompt was printed already: start on a line of our own
        return True
    except (OSError, AttributeError, ValueError):
        return False


def default_log_dir() -> Path:
    from cds_desktop.paths import app_paths

    return app_paths().log_dir


def ensure_streams(has_arguments: bool = False) -> None:
    """Make ``sys.stdout``/``sys.stderr`` writable streams (see the module docstring)."""
    if os.name == "posix":
        _reopen_closed_descriptors()
    if sys.stdout is not None and sys.stderr is not None:
        return
    if os.name == "nt" and has_arguments and _attach_parent_console():
        return
    try:
        path: Path | None = default_log_dir() / OUTPUT_LOG
    except Exception:  # no home folder: the text is dropped
        path = None
    writer = LogWriter(path)
    if sys.stdout is None:
        sys.stdout = writer
    if sys.stderr is None:
        sys.stderr = writer


def retarget_log_writers(log_dir: Path) -> None:
    """Once the data folder is known, output that goes to a log file goes to its log folder."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, LogWriter):
            stream.retarget(log_dir)
