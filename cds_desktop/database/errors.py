"""Errors of the data layer; ``str()`` is a Vietnamese message for the officer.

Also where failures of the disk and of SQLite are put into words: a full disk,
a read-only folder or file, a file that is not ours.  ``exit_code`` is what the
command line exits with (README, «Mã thoát»).
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path


class DatabaseError(Exception):
    """A failure the officer must be told about; ``str()`` is a Vietnamese message."""

    exit_code = 5


class NewerSchemaError(DatabaseError):
    """The database was written by a newer version of CĐS Desktop."""


class StorageError(DatabaseError):
    """The disk refused: full, read-only, no permission, an I/O failure."""


class NotOurDatabaseError(DatabaseError):
    """The file is a database of another program, or not a database at all (left unchanged)."""


# Below this much free space a SQLite "disk I/O error" on write is taken for a full disk.
_NEARLY_FULL = 1024 * 1024

_REASONS = {
    errno.ENOSPC: "ổ đĩa đầy",
    errno.EDQUOT: "hết hạn mức dung lượng",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOENT: "không tìm thấy",
    errno.EISDIR: "là một thư mục",
    errno.ENOTDIR: "đường dẫn có phần không phải thư mục",
    errno.EEXIST: "đã có",
    errno.EIO: "lỗi đọc/ghi của ổ đĩa",
    errno.ENAMETOOLONG: "tên quá dài",
    errno.EMFILE: "mở quá nhiều tệp cùng lúc",
}


def os_reason(exc: OSError) -> str:
    """What went wrong, in Vietnamese words (never the system's English text)."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return f"lỗi hệ thống số {exc.errno}" if exc.errno else "lỗi đọc/ghi tệp"


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_full_message(where: str | os.PathLike[str]) -> str:
    return f"Ổ đĩa đầy: không ghi được vào {where}. Hãy giải phóng dung lượng ổ đĩa rồi thử lại; dữ liệu đã có không bị thay đổi."


def read_only_message(where: str | os.PathLike[str]) -> str:
    return (f"Không ghi được vào {where}: tệp hoặc thư mục chỉ cho đọc (hoặc không có quyền ghi). "
            "Chỉ xem được, không sửa được dữ liệu.")


def os_error_message(exc: OSError, where: str | os.PathLike[str] | None = None) -> str:
    """One Vietnamese line for a failed file operation, naming where."""
    where = where or exc.filename or "tệp"
    if is_disk_full(exc):
        return disk_full_message(where)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return read_only_message(where)
    return f"Không đọc/ghi được {where}: {os_reason(exc)}."


def storage_error(exc: OSError, where: str | os.PathLike[str] | None = None) -> StorageError:
    return StorageError(os_error_message(exc, where))


def nearly_full(folder: Path) -> bool:
    """The disk holding *folder* has (almost) no free space left."""
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL
    except OSError:
        return False


def sqlite_failure(message: str, db_file: Path | None) -> DatabaseError | None:
    """The officer's message for SQLite's English *message*; None when it is not about storage."""
    text = message.lower()
    where = db_file if db_file is not None else "cơ sở dữ liệu"
    folder = db_file.parent if db_file is not None else None
    if "database or disk is full" in text or "sqlite_full" in text:
        return StorageError(disk_full_message(where))
    if "disk i/o error" in text:
        if folder is not None and nearly_full(folder):
            return StorageError(disk_full_message(where))
        return StorageError(f"Lỗi đọc/ghi ổ đĩa ở {where}; dữ liệu đã có không bị thay đổi. "
                            "Hãy kiểm tra ổ đĩa (còn chỗ trống, còn cắm) rồi thử lại.")
    if "readonly database" in text or "read-only" in text or "unable to open database file" in text:
        if "unable to open" in text:
            return StorageError(f"Không mở được cơ sở dữ liệu {where} (thư mục không ghi được hoặc không tồn tại).")
        return StorageError(read_only_message(where))
    if "file is not a database" in text or "database disk image is malformed" in text:
        return NotOurDatabaseError(f"Tệp {where} không phải là cơ sở dữ liệu của CĐS Desktop hoặc đã bị hỏng; "
                                   "tệp được giữ nguyên.")
    return None


class StaleWriteError(DatabaseError):
    """A write based on a record someone else changed meanwhile (optimistic locking): refused,
    nothing written; ``str()`` names who changed it and when (from the audit log)."""


class DatabaseBusyError(DatabaseError):
    """The database stayed locked by another process longer than the retries waited."""
