"""The copy loop of the store: copy a file and compute its SHA-256 in one go.

Where the system can copy inside the kernel (Linux ``copy_file_range``), each
8 MiB step is copied there and then read back from the page cache to be
hashed, so the hash is that of the bytes as stored; elsewhere a plain loop
reads 1 MiB chunks, hashes them and writes them.  Either way the kernel is
asked to start writing each step to disk at once (a hint), so the final
``fsync`` has little left to wait for.

Failures come out as the small exceptions below; :mod:`.store` turns them into
messages for the officer.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable

CHUNK_SIZE = 1 << 20  # 1 MiB: buffer of the plain loop and of the hash read-back
STEP = 8 << 20  # 8 MiB: one kernel copy, one progress report, one write-back hint
_NO_KERNEL_COPY = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EBADF, errno.EPERM}
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


class ReadFailed(Exception):
    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class WriteFailed(ReadFailed):
    pass


class Grew(Exception):
    """The source got longer than it was when the copy started."""


class Cancelled(Exception):
    pass


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing a range now (Linux: ``POSIX_FADV_DONTNEED`` starts
    write-back of dirty pages).  A hint only; where it does not exist nothing happens."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    try:
        advise(fd, offset, length, os.POSIX_FADV_DONTNEED)
    except OSError:
        pass


Progress = Callable[[int], None] | None
Cancel = Callable[[], bool] | None


def copy_and_hash(src_fd: int, out_fd: int, limit: int, progress: Progress, cancel: Cancel) -> tuple[str, int]:
    """Copy everything from *src_fd* to *out_fd* (both at offset 0); ``(sha256, bytes)``."""
    if hasattr(os, "copy_file_range") and hasattr(os, "preadv"):
        try:
            return _kernel_copy(src_fd, out_fd, limit, progress, cancel)
        except _Unsupported:
            os.lseek(src_fd, 0, os.SEEK_SET)
            os.lseek(out_fd, 0, os.SEEK_SET)
            os.ftruncate(out_fd, 0)
    return _plain_copy(src_fd, out_fd, limit, progress, cancel)


class _Unsupported(Exception):
    pass


def _copy_range(src_fd: int, out_fd: int, count: int) -> int:  # seams for the disk-full tests
    return os.copy_file_range(src_fd, out_fd, count)


def _write(fd: int, data: memoryview) -> int:
    return os.write(fd, data)


def _kernel_copy(src_fd: int, out_fd: int, limit: int, progress: Progress, cancel: Cancel) -> tuple[str, int]:
    hasher = hashlib.sha256()
    buf = bytearray(CHUNK_SIZE)
    view = memoryview(buf)
    copied = 0
    while True:
        if cancel is not None and cancel():
            raise Cancelled()
        try:
            n = _copy_range(src_fd, out_fd, STEP)
        except OSError as exc:
            if copied == 0 and exc.errno in _NO_KERNEL_COPY:
                raise _Unsupported() from exc
            raise (WriteFailed(exc) if exc.errno in _DISK_FULL else ReadFailed(exc)) from exc
        if not n:
            break
        position, left = copied, n
        while left:  # hash what is now in the temporary file
            try:
                got = os.preadv(out_fd, [view[: min(left, CHUNK_SIZE)]], position)
            except OSError as exc:
                raise WriteFailed(exc) from exc
            if not got:
                raise WriteFailed(OSError(errno.EIO, "short read of the copy"))
            hasher.update(view[:got])
            position += got
            left -= got
        start_writeback(out_fd, copied, n)
        copied += n
        if copied > limit:
            raise Grew()
        if progress is not None:
            progress(n)
    return hasher.hexdigest(), copied


def _plain_copy(src_fd: int, out_fd: int, limit: int, progress: Progress, cancel: Cancel) -> tuple[str, int]:
    hasher = hashlib.sha256()
    buf = bytearray(CHUNK_SIZE)
    view = memoryview(buf)
    copied = written_back = 0
    reader = open(src_fd, "rb", buffering=0, closefd=False)
    while True:
        if cancel is not None and cancel():
            raise Cancelled()
        try:
            n = reader.readinto(buf)
        except OSError as exc:
            raise ReadFailed(exc) from exc
        if not n:
            break
        chunk = view[:n]
        hasher.update(chunk)
        done = 0
        while done < n:  # writes may be partial
            try:
                done += _write(out_fd, chunk[done:])
            except OSError as exc:
                raise WriteFailed(exc) from exc
        copied += n
        if copied > limit:
            raise Grew()
        if copied - written_back >= STEP:
            start_writeback(out_fd, written_back, copied - written_back)
            written_back = copied
        if progress is not None:
            progress(n)
    return hasher.hexdigest(), copied
