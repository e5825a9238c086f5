"""Errors of the exchange layer; ``str()`` is always a Vietnamese sentence for the officer."""

from __future__ import annotations

from cds_desktop.services.common import ServiceError


class ExchangeError(ServiceError):
    """An export or import could not be done."""


class RejectedFile(ExchangeError):
    """A file (package or workbook) was refused before anything was written.

    ``file_name`` is the file's base name, ``reason`` the Vietnamese reason; the
    message names both.
    """

    exit_code = 4

    def __init__(self, file_name: str, reason: str) -> None:
        self.file_name = file_name
        self.reason = reason
        super().__init__(f"Tệp «{file_name}» bị từ chối: {reason}")


class MissingFile(RejectedFile):
    """The file to import does not exist."""

    exit_code = 3

    def __init__(self, file_name: str) -> None:
        super().__init__(file_name, "không tìm thấy tệp.")


class ExchangeCancelled(ExchangeError):
    def __init__(self) -> None:
        super().__init__("Đã hủy theo yêu cầu; dữ liệu không thay đổi.")
