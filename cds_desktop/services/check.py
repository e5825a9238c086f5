"""Database integrity check (``cds-desktop check``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import inspect, text

from cds_desktop.database import Database
from cds_desktop.database.migrate import current_revision, head_revision


def check_database(
    db: Database,
    *,
    evidence: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """Integrity, foreign keys, schema version and (with *evidence*) the evidence
    store against its records; ``ok`` is False on any problem."""
    problems: list[str] = []
    result: dict[str, Any] = {"url": db.url, "schema_version": current_revision(db), "schema_head": head_revision()}
    if result["schema_version"] != result["schema_head"]:
        problems.append(
            f"Lược đồ dữ liệu ở phiên bản {result['schema_version']}, phần mềm cần {result['schema_head']}."
        )
    with db.engine.connect() as conn:
        if db.is_sqlite:  # SQLite-specific checks; other backends guarantee these themselves
            integrity = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
            result["integrity_check"] = integrity
            if integrity != ["ok"]:
                problems.append("Kiểm tra toàn vẹn SQLite báo lỗi: " + "; ".join(integrity[:5]))
            fk_rows = [tuple(row) for row in conn.execute(text("PRAGMA foreign_key_check"))]
            result["foreign_key_check"] = [
                {"table": r[0], "rowid": r[1], "parent": r[2], "fkid": r[3]} for r in fk_rows
            ]
            if fk_rows:
                problems.append(f"{len(fk_rows)} bản ghi tham chiếu tới bản ghi không tồn tại.")
    if evidence and inspect(db.engine).has_table("evidence"):
        from cds_desktop.services.evidence.maintenance import check_store

        store = check_store(db, progress=progress, cancel=cancel)
        result["evidence"] = store.to_dict()
        problems.extend(store.problems())
    result["problems"] = problems
    result["ok"] = not problems
    return result
