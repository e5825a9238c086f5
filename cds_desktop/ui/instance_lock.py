"""Is a window already open on this data folder?  Asked before the first paint, cheaply.

The open window holds an operating-system lock on ``<data folder>/window.lock`` for as long
as it runs (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows; the system lets go when
the process ends, even when it crashed: no stale lock).  A start that gets the lock is the
only window: it shows itself at once and listens for later starts after its first paint
(:class:`.single_instance.InstanceServer`; QtNetwork is not loaded before).  A start that
does not get it hands its file to the open window (:func:`.single_instance.hand_over`).
When the lock cannot be taken at all (a data folder not made yet, a read-only folder), the
start asks the local socket as before.  Qt-free.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from enum import Enum
from pathlib import Path

log = logging.getLogger(__name__)

LOCK_NAME = "window.lock"


class Claim(Enum):
    OWNED = "owned"  # this start is the only window on the data folder
    HELD = "held"  # another process holds the lock: a window is open (or opening)
    UNKNOWN = "unknown"  # no lock could be taken (no folder yet, read-only): ask the socket


class InstanceLock:
    """The lock file of one data folder; :meth:`claim` once, held until :meth:`release` or exit."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / LOCK_NAME
        self._fd: int | None = None

    def claim(self) -> Claim:
        if not self.path.parent.is_dir():
            return Claim.UNKNOWN  # a new data folder is made only once the officer confirms it
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            log.debug("No window lock in %s: %s", self.path.parent, exc)
            return Claim.UNKNOWN
        try:
            _lock(fd)
        except BlockingIOError:
            os.close(fd)
            return Claim.HELD
        except OSError as exc:
            os.close(fd)
            if _is_contended(exc):
                return Claim.HELD
            log.debug("Could not lock %s: %s", self.path, exc)
            return Claim.UNKNOWN
        self._fd = fd
        return Claim.OWNED

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                _unlock(fd)
            except OSError:
                pass
            os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _is_contended(exc: OSError) -> bool:
        return exc.errno in (errno.EACCES, errno.EDEADLOCK)  # another process holds the byte

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _is_contended(exc: OSError) -> bool:
        return exc.errno in (errno.EAGAIN, errno.EACCES)
