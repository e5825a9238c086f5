"""Database integrity check (``cds-desktop check``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, and_, func, inspect, select, text

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
    result: dict[str, Any] = {"url": db.display_url, "schema_version": current_revision(db), "schema_head": head_revision()}
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
        else:
            problems.extend(_server_checks(conn, result))
    if evidence and inspect(db.engine).has_table("evidence"):
        from cds_desktop.services.evidence.maintenance import check_store

        store = check_store(db, progress=progress, cancel=cancel)
        result["evidence"] = store.to_dict()
        # Which store was looked at: the shared folder the database names, or this data folder's own.
        result["evidence"]["shared"] = db.evidence_root is not None
        problems.extend(store.problems())
    if db.paths.data_dir.is_dir():
        from cds_desktop.services.leftovers import stale_staging

        staging = stale_staging(db.paths.data_dir)
        result["stale_staging"] = [str(p) for p in staging]
        if staging:
            problems.append(f"{len(staging)} thư mục tạm của lần nhập gói dữ liệu bị gián đoạn ({staging[0].parent}); "
                            "sẽ được dọn khi mở lại chương trình hoặc bằng «cds-desktop evidence gc».")
    result["problems"] = problems
    result["ok"] = not problems
    return result


def _server_checks(conn: Connection, result: dict[str, Any]) -> list[str]:
    """The database-level checks on a server (PostgreSQL): the schema holds every table and column
    of this version, no record points at a record that is not there (as SQLite's
    ``foreign_key_check``: constraints can be missing or dropped on a server someone administers),
    and the database stores Unicode text."""
    from cds_desktop.models import Base

    problems: list[str] = []
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    missing: list[str] = []
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            missing.append(table.name)
            continue
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        missing.extend(f"{table.name}.{c.name}" for c in table.columns if c.name not in columns)
    result["schema_check"] = missing
    if missing:
        problems.append("Cơ sở dữ liệu thiếu bảng hoặc cột: " + ", ".join(missing[:10]) + ".")
    orphans: list[dict[str, Any]] = []
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            continue
        for fkid, fk in enumerate(sorted(table.foreign_keys, key=lambda f: f.parent.name)):
            if fk.column.table.name not in present:
                continue
            parent = fk.column.table.alias("parent")  # a self-reference (groups.parent_id) joins itself
            child_col, parent_col = fk.parent, parent.c[fk.column.name]
            query = (
                select(table.c.id if "id" in table.c else child_col)
                .select_from(table.outerjoin(parent, parent_col == child_col))
                .where(and_(child_col.is_not(None), parent_col.is_(None)))
                .limit(100)
            )
            orphans.extend({"table": table.name, "rowid": rowid, "parent": fk.column.table.name, "fkid": fkid}
                           for rowid in conn.execute(query).scalars())
    result["foreign_key_check"] = orphans
    if orphans:
        problems.append(f"{len(orphans)} bản ghi tham chiếu tới bản ghi không tồn tại.")
    if conn.dialect.name == "postgresql":
        encoding = conn.execute(text("SHOW server_encoding")).scalar()
        version = conn.execute(text("SHOW server_version")).scalar()
        result["server"] = {"kind": "postgresql", "version": version, "encoding": encoding,
                            "size_bytes": conn.execute(select(func.pg_database_size(func.current_database()))).scalar()}
        if str(encoding).upper() not in ("UTF8", "UTF-8"):
            problems.append(f"Cơ sở dữ liệu dùng bảng mã {encoding}, không lưu được chữ tiếng Việt: cần UTF8.")
    return problems
