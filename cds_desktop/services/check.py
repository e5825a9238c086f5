"""Database integrity check (``cds-desktop check``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from cds_desktop.database import Database
from cds_desktop.database.migrate import current_revision, head_revision


def check_database(db: Database) -> dict[str, Any]:
    """Integrity, foreign keys and schema version; ``ok`` is False on any problem."""
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
    result["problems"] = problems
    result["ok"] = not problems
    return result
