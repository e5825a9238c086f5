"""Top-level job functions for the worker-process tests (a worker imports this small module, not a test file)."""

from __future__ import annotations

import time
from pathlib import Path


def count_to(ctx, n: int) -> str:
    for i in range(n):
        ctx.report(i + 1, n, f"Bước {i + 1}/{n}")
    return f"đã đếm {n}"


def add_unit_then_hang(ctx, ref, name: str, marker: str) -> None:
    """Writes a unit in a transaction that never ends: the job is cancelled meanwhile."""
    from cds_desktop.services.catalog import create_unit

    with ref.open().session(source="test") as session:
        create_unit(session, name)
        session.flush()
        Path(marker).write_text("written, not committed", encoding="utf-8")
        while True:
            time.sleep(0.05)


def fail_known(ctx, path: str) -> None:
    import logging

    from cds_desktop.services.common import ServiceError

    logging.getLogger("support.job_tasks").info("reading %s", path)
    raise ServiceError(f"Tệp «{path}» bị hỏng: không đọc được bảng nào.")


class _NeedsTwoArgs(Exception):
    def __init__(self, what: str, where: int) -> None:
        super().__init__(f"{what} ở dòng {where}")


def fail_unexpected(ctx) -> None:
    raise _NeedsTwoArgs("lỗi lạ", 7)
