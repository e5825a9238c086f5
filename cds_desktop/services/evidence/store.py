"""The content-addressed evidence store: ``<data_dir>/evidence/ab/cd/<sha256>``.

A file enters the store in one streaming pass that copies and hashes at the
same time (:mod:`.streams`) into a temporary file under ``<store>/tmp/``; the
temporary file is flushed to disk (``fsync``), the source is checked again
(size and modification time must not have moved), and only then is the file
renamed to its hash name (``os.replace``, atomic) and the directory flushed.
The database row is committed *after* that (see :mod:`.attach`), so a crash can
leave at most an unreferenced file or a temporary file - both reported by
:func:`.maintenance.check_store` and removed by :func:`.maintenance.gc` - never
a row without its file.

Store file names carry no extension and never come from the user's file
name.  Files being written or not yet committed are *held* in this process so
that a concurrent garbage collection leaves them alone; other processes are
protected by the collector's grace period (a file whose content is stored
again gets a fresh modification time).
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import shutil
import stat
import tempfile
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cds_desktop.database.errors import os_reason
from cds_desktop.services.errors import NotFoundError, ServiceError, StorageFailure, refuse_existing
from cds_desktop.services.evidence import streams
from cds_desktop.services.leftovers import TEMP_PREFIX, owner_prefix

log = logging.getLogger(__name__)

CHUNK_SIZE = streams.CHUNK_SIZE
TMP_DIR_NAME = "tmp"
TMP_SUFFIX = ".part"
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_SHARD_RE = re.compile(r"^[0-9a-f]{2}$")

ProgressFn = Callable[[int], None]  # called with the number of bytes just copied / hashed
CancelFn = Callable[[], bool]  # true when the officer asked to stop


def _fault(step: str) -> None:
    """Fault-injection point for the crash-safety tests; does nothing in the program.

    Called at ``"after_temp_write"``, ``"after_rename"`` (here) and
    ``"before_commit"`` (in :mod:`.attach`).
    """


class StoreCancelled(ServiceError):
    """The officer cancelled while files were being copied or checked."""

    def __init__(self) -> None:
        super().__init__("Đã hủy theo yêu cầu.")


# -- holds: content being stored or not yet committed in this process --------
_lock = threading.Lock()
_held: Counter[str] = Counter()
_active_temps: set[Path] = set()


def hold(sha256: str) -> None:
    with _lock:
        _held[sha256] += 1


def release(sha256: str) -> None:
    with _lock:
        _held[sha256] -= 1
        if _held[sha256] <= 0:
            del _held[sha256]


def held() -> set[str]:
    with _lock:
        return set(_held)


def active_temps() -> set[Path]:
    with _lock:
        return set(_active_temps)


# -- sources ------------------------------------------------------------------
@dataclass(frozen=True)
class SourceFile:
    """A file the officer chose, checked before anything is copied."""

    path: Path
    name: str  # NFC base name, for messages and metadata only
    size: int
    mtime_ns: int


def display_name(path: str | os.PathLike[str]) -> str:
    return unicodedata.normalize("NFC", Path(path).name or str(path))


def inspect_source(path: str | os.PathLike[str]) -> SourceFile:
    """Refuse, with a Vietnamese message naming the file, what cannot be evidence."""
    source = Path(path)
    name = display_name(source)
    try:
        st = os.stat(source)
    except FileNotFoundError as exc:
        raise NotFoundError(f"Không tìm thấy tệp «{name}» (có thể đã bị xóa hoặc di chuyển).") from exc
    except OSError as exc:
        raise ServiceError(f"Không đọc được tệp «{name}»: {os_reason(exc)}.") from exc
    if stat.S_ISDIR(st.st_mode):
        raise ServiceError(f"«{name}» là một thư mục, không phải tệp. Hãy chọn các tệp bên trong thư mục.")
    if not stat.S_ISREG(st.st_mode):
        raise ServiceError(f"«{name}» không phải là một tệp thông thường.")
    if st.st_size == 0:
        raise ServiceError(f"Tệp «{name}» rỗng (0 byte): không có nội dung để làm minh chứng.")
    try:
        with open(source, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise ServiceError(f"Không đọc được tệp «{name}»: {os_reason(exc)}.") from exc
    return SourceFile(source, name, st.st_size, st.st_mtime_ns)


def _changed(name: str) -> ServiceError:
    return ServiceError(
        f"Tệp «{name}» đã thay đổi trong khi sao chép. Hãy đóng chương trình đang mở tệp rồi thêm lại."
    )


def _write_error(exc: OSError, name: str, root: Path) -> ServiceError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return StorageFailure(
            f"Ổ đĩa đầy: không đủ chỗ để lưu tệp «{name}» vào kho minh chứng ({root}). "
            "Hãy giải phóng dung lượng rồi thử lại."
        )
    return StorageFailure(f"Không ghi được tệp «{name}» vào kho minh chứng ({root}): {os_reason(exc)}.")


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows cannot open a directory and needs no such step."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass(frozen=True)
class TempFile:
    """A copy in ``tmp/`` whose content hash is known, not yet in place."""

    source: SourceFile
    path: Path
    sha256: str


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path
    created: bool  # False: the same content was already in the store


class EvidenceStore:
    """The store folder; all paths in it are derived from SHA-256 hex digests."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.tmp_dir = self.root / TMP_DIR_NAME

    def path_for(self, sha256: str) -> Path:
        if not _SHA_RE.match(sha256 or ""):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    # -- writing ------------------------------------------------------------
    def ingest(
        self, source: SourceFile | str | os.PathLike[str], *,
        progress: ProgressFn | None = None, cancel: CancelFn | None = None,
    ) -> StoredFile:
        """Copy *source* into the store.  On success the content is *held* (see
        :func:`hold`); the caller releases it once the database row is committed."""
        return self.finish(self.write_temp(source, progress=progress, cancel=cancel))

    def write_temp(
        self, source: SourceFile | str | os.PathLike[str], *,
        progress: ProgressFn | None = None, cancel: CancelFn | None = None,
    ) -> TempFile:
        """First half of :meth:`ingest`: copy and hash into ``tmp/`` and check that
        the source did not move meanwhile.  Not yet flushed: :meth:`finish` does that
        (possibly on another thread, while the next file is being copied)."""
        info = source if isinstance(source, SourceFile) else inspect_source(source)
        try:
            self.tmp_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=owner_prefix(TEMP_PREFIX), suffix=TMP_SUFFIX, dir=self.tmp_dir)
        except OSError as exc:
            raise _write_error(exc, info.name, self.root) from exc
        tmp = Path(tmp_name)
        with _lock:
            _active_temps.add(tmp)
        try:
            try:
                digest, copied, after = self._copy(info, fd, progress, cancel)
            finally:
                os.close(fd)
            try:
                again = os.stat(info.path)
            except OSError as exc:
                raise _changed(info.name) from exc
            if copied != info.size or any(
                (s.st_size, s.st_mtime_ns) != (info.size, info.mtime_ns) for s in (after, again)
            ):
                raise _changed(info.name)
        except BaseException:
            self.discard_temp(tmp)
            raise
        return TempFile(info, tmp, digest)

    def finish(self, temp: TempFile) -> StoredFile:
        """Second half of :meth:`ingest`: flush the temporary file to disk, then rename
        it to its hash name and flush the folder.  The temporary file is gone afterwards,
        whatever happens."""
        info, digest = temp.source, temp.sha256
        holding = False
        placed: StoredFile | None = None
        try:
            try:
                with open(temp.path, "r+b", buffering=0) as fh:
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise _write_error(exc, info.name, self.root) from exc
            _fault("after_temp_write")
            hold(digest)
            holding = True
            placed = self._place(temp.path, digest, info)
            _fault("after_rename")
            return placed
        except BaseException:
            if holding:
                release(digest)
                if placed is not None and placed.created:
                    self.discard_new(digest)
            raise
        finally:
            self.discard_temp(temp.path)  # nothing left to remove after the rename

    def discard_temp(self, tmp: Path) -> None:
        with _lock:
            _active_temps.discard(tmp)
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            log.warning("Could not remove temporary file %s", tmp, exc_info=True)

    def _copy(self, info: SourceFile, out_fd: int, progress: ProgressFn | None, cancel: CancelFn | None):
        try:
            src = open(info.path, "rb", buffering=0)
        except OSError as exc:
            raise ServiceError(f"Không đọc được tệp «{info.name}»: {os_reason(exc)}.") from exc
        with src:
            try:
                digest, copied = streams.copy_and_hash(src.fileno(), out_fd, info.size, progress, cancel)
            except streams.WriteFailed as exc:
                raise _write_error(exc.error, info.name, self.root) from exc
            except streams.ReadFailed as exc:
                raise ServiceError(f"Không đọc được tệp «{info.name}»: {os_reason(exc.error)}.") from exc
            except streams.Grew as exc:
                raise _changed(info.name) from exc
            except streams.Cancelled as exc:
                raise StoreCancelled() from exc
            after = os.fstat(src.fileno())
        return digest, copied, after

    def _place(self, tmp: Path, digest: str, info: SourceFile) -> StoredFile:
        final = self.path_for(digest)
        try:
            new_dirs = [d for d in (final.parent.parent, final.parent) if not d.is_dir()]
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.is_file() and final.stat().st_size == info.size:
                os.utime(final)  # fresh mtime: a gc running in another process will wait
                tmp.unlink()
                return StoredFile(digest, info.size, final, created=False)
            if final.exists():
                log.warning("Store file %s was damaged; replacing it with a good copy", final)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            for folder in reversed(new_dirs):
                _fsync_dir(folder.parent)
        except OSError as exc:
            raise _write_error(exc, info.name, self.root) from exc
        return StoredFile(digest, info.size, final, created=True)

    def discard_new(self, sha256: str) -> bool:
        """Remove a file this process has just added, unless someone holds it."""
        if sha256 in held():
            return False
        return self.remove(sha256)

    def remove(self, sha256: str) -> bool:
        path = self.path_for(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync_dir(path.parent)
        for folder in (path.parent, path.parent.parent):  # drop empty shard folders
            try:
                folder.rmdir()
            except OSError:
                break
        return True

    # -- reading ------------------------------------------------------------
    def entries(self) -> Iterator[tuple[str | None, Path]]:
        """Every file of the store (temporary files excepted): ``(sha256, path)``,
        or ``(None, path)`` for a file whose name or place is not a store name."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if first.name == TMP_DIR_NAME and first.is_dir():
                continue
            if not first.is_dir() or not _SHARD_RE.match(first.name):
                yield None, first
                continue
            for second in sorted(first.iterdir()):
                if not second.is_dir() or not _SHARD_RE.match(second.name):
                    yield None, second
                    continue
                for path in sorted(second.iterdir()):
                    name = path.name
                    ok = path.is_file() and _SHA_RE.match(name) and name[:2] == first.name and name[2:4] == second.name
                    yield (name if ok else None), path

    def temp_files(self) -> list[Path]:
        if not self.tmp_dir.is_dir():
            return []
        return sorted(p for p in self.tmp_dir.iterdir() if p.is_file())

    def hash_file(self, path: Path, progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> str:
        hasher = hashlib.sha256()
        buf = bytearray(CHUNK_SIZE)
        view = memoryview(buf)
        with open(path, "rb", buffering=0) as fh:
            while n := fh.readinto(buf):
                if cancel is not None and cancel():
                    raise StoreCancelled()
                hasher.update(view[:n])
                if progress is not None:
                    progress(n)
        return hasher.hexdigest()

    def copy_out(self, sha256: str, name: str, dest_dir: str | os.PathLike[str], *, overwrite: bool = True) -> Path:
        """Copy a stored file to *dest_dir* under a safe version of its original name
        (to open it or hand it over); the store file itself is never renamed or exposed."""
        src = self.path_for(sha256)
        if not src.is_file():
            raise ServiceError(f"Tệp «{name}» không còn trong kho minh chứng (kho: {self.root}).")
        folder = Path(dest_dir)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / safe_filename(name)
        refuse_existing([target], overwrite)
        try:
            shutil.copyfile(src, target)
        except OSError as exc:
            raise ServiceError(f"Không sao chép được tệp «{name}» ra {folder}: {os_reason(exc)}.") from exc
        return target


_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}
_BAD_CHARS = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


def safe_filename(name: str, fallback: str = "minh-chung") -> str:
    """A file name safe on Windows, macOS and Linux, keeping Vietnamese letters."""
    text = _BAD_CHARS.sub("_", unicodedata.normalize("NFC", name or "")).strip(" .")
    if not text or text.split(".")[0].lower() in _RESERVED:
        text = f"{fallback}_{text}" if text else fallback
    if len(text) > 150:
        stem, dot, ext = text.rpartition(".")
        text = (stem[: 150 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else text[:150]
    return text
