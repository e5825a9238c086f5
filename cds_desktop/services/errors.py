"""The service layer's errors (imports nothing, so that the command line can catch them
without loading the data layer).  ``exit_code`` is what the command line exits with
(README, «Mã thoát»)."""

from __future__ import annotations


class ServiceError(Exception):
    """A rule was broken or a record is missing; ``str()`` is a Vietnamese message for the officer."""

    exit_code = 1


class NotFoundError(ServiceError):
    """What the officer named (a plan, unit, record, period, file) does not exist."""

    exit_code = 3


class BadValueError(ServiceError):
    """A value the officer typed is not valid (a period code, a date, an option): a usage error."""

    exit_code = 2


class StorageFailure(ServiceError):
    """The disk refused a write (full, read-only, no permission)."""

    exit_code = 5


class OutputExists(BadValueError):
    """An output file is already there and overwriting was not asked for."""

    def __init__(self, paths: list) -> None:
        self.paths = list(paths)
        shown = ", ".join(f"«{p}»" for p in self.paths[:3]) + (f" và {len(self.paths) - 3} tệp khác"
                                                               if len(self.paths) > 3 else "")
        what = "Tệp" if len(self.paths) == 1 else f"{len(self.paths)} tệp"
        super().__init__(f"{what} {shown} đã có; không ghi đè (thêm --force để ghi đè).")


def refuse_existing(paths, overwrite: bool) -> None:
    """Raise :class:`OutputExists` when any of *paths* exists and *overwrite* is false."""
    from pathlib import Path

    if overwrite:
        return
    existing = [p for p in map(Path, paths) if p.exists()]
    if existing:
        raise OutputExists(existing)
