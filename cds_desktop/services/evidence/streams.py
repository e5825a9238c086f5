"""The copy loop of the store: copy a file and compute its SHA-256 in one go.

Where the system can copy inside the kernel (Linux ``copy_file_range``), each
8 MiB step is copied there and then read back from the page cache to be
hashed - on a helper thread, while the next step is being copied - so the
hash is that of the bytes as stored; elsewhere a plain loop
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
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

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


class _Hasher:
    """Hashes the copy on a helper thread, step by step in order, while the calling thread
    has the kernel copy the next step: ``copy_file_range`` and ``hashlib`` both release the
    GIL, so on two cores the hash costs (almost) no extra time.  Each step is read back
    from the temporary file (the page cache), so the hash is that of the bytes as stored."""

    def __init__(self, out_fd: int) -> None:
        self.out_fd = out_fd
        self.sha = hashlib.sha256()
        self.pending: list[Future[None]] = []

    def add(self, position: int, length: int) -> None:
        self.pending = [f for f in self.pending if not f.done() or f.exception() is not None]
        if len(self.pending) >= _AHEAD:  # bounded: never more than a few steps behind
            self.pending.pop(0).result()
        self.pending.append(_hash_pool().submit(self._hash, position, length))

    def _hash(self, position: int, left: int) -> None:
        start, length = position, left
        view = _step_buffer()
        while left:
            try:
                got = os.preadv(self.out_fd, [view[: min(left, STEP)]], position)
            except OSError as exc:
                raise WriteFailed(exc) from exc
            if not got:
                raise WriteFailed(OSError(errno.EIO, "short read of the copy"))
            self.sha.update(view[:got])
            position += got
            left -= got
        start_writeback(self.out_fd, start, length)

    def wait(self, *, quiet: bool = False) -> None:
        """Wait for every step (also after a failure: the caller closes the file next);
        the first error of a step is raised unless *quiet*."""
        error: BaseException | None = None
        for future in self.pending:
            exc = future.exception()
            if exc is not None and error is None:
                error = exc
        self.pending = []
        if error is not None and not quiet:
            raise error

    def check(self) -> None:
        """Raise at once if a step already failed (stop copying)."""
        for future in self.pending:
            if future.done() and future.exception() is not None:
                self.wait()


_AHEAD = 2  # steps handed to the hashing thread and not yet done
_local = threading.local()


def _step_buffer() -> memoryview:
    """The hashing thread's read-back buffer: a whole step, so that a step costs few GIL
    hand-overs; one per thread, kept (a fresh 8 MiB per file was zeroed and faulted in)."""
    view = getattr(_local, "view", None)
    if view is None or len(view) != STEP:
        view = _local.view = memoryview(bytearray(STEP))
    return view
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _hash_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evidence-hash")
        return _pool


def _kernel_copy(src_fd: int, out_fd: int, limit: int, progress: Progress, cancel: Cancel) -> tuple[str, int]:
    hasher = _Hasher(out_fd)
    copied = 0
    try:
        while True:
            if cancel is not None and cancel():
                raise Cancelled()
            hasher.check()
            try:
                n = _copy_range(src_fd, out_fd, STEP)
            except OSError as exc:
                if copied == 0 and exc.errno in _NO_KERNEL_COPY:
                    raise _Unsupported() from exc
                raise (WriteFailed(exc) if exc.errno in _DISK_FULL else ReadFailed(exc)) from exc
            if not n:
                break
            hasher.add(copied, n)
            copied += n
            if copied > limit:
                raise Grew()
            if progress is not None:
                progress(n)
    except BaseException:
        hasher.wait(quiet=True)  # no step may still read the file once it is closed
        raise
    hasher.wait()
    return hasher.sha.hexdigest(), copied


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
