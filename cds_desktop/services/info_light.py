"""``info`` through plain ``sqlite3``: the same summaries as :mod:`.info`, without
loading SQLAlchemy and the models (most of a command's start-up time).

Taken only when it is safe to read the file as it is: the default SQLite file
(no other database URL configured), already at the program's schema revision
(no migration due) and with its installation id (nothing for ``open_database``
to write).  Otherwise :func:`quick_database_info` returns None and the caller
opens the database the ordinary way.  The queries leave tombstones out exactly
as the ORM's hook does (``database.tombstones``): every record of a table that
is not the plan's commune must have ``deleted_at IS NULL``.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_PLANS = """
SELECT p.id, p.uuid, p.title, p.kind, p.year, p.number, p.issue_date, p.tracking_start, p.status, p.signer,
       c.name, c.kind
FROM plans p JOIN communes c ON c.id = p.commune_id
WHERE p.deleted_at IS NULL
ORDER BY p.year DESC, p.created_at
"""
_ITEM_COUNTS = """
SELECT group_id, kind, count(id) FROM items
WHERE plan_id = ? AND deleted_at IS NULL GROUP BY group_id, kind
"""
_UNIT_COUNT = """
SELECT count(DISTINCT a.unit_id) FROM assignments a
JOIN items i ON i.id = a.item_id JOIN units u ON u.id = a.unit_id
WHERE i.plan_id = ? AND a.deleted_at IS NULL AND i.deleted_at IS NULL AND u.deleted_at IS NULL
"""
_GROUPS = """
SELECT id, label, title, section, parent_id FROM groups
WHERE plan_id = ? AND deleted_at IS NULL ORDER BY position
"""


def plain_sqlite_file(data_dir: str | os.PathLike[str] | None, url: str | None) -> Path | None:
    """The SQLite file that can be read as it is, or None (see the module's docstring)."""
    from cds_desktop.database.migrate import head_revision
    from cds_desktop.paths import app_paths

    if url or os.environ.get("CDS_DATABASE_URL"):
        return None
    paths = app_paths(data_dir)
    if paths.settings_file.exists():
        try:
            if json.loads(paths.settings_file.read_text(encoding="utf-8")).get("database_url"):
                return None
        except (OSError, ValueError, AttributeError):
            return None  # the ordinary path says what is wrong with the settings
    db_file = paths.db_file
    if not db_file.is_file() or db_file.stat().st_size == 0:
        return None
    try:
        with _connect(db_file) as conn:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            installation = conn.execute("SELECT 1 FROM settings WHERE key = 'installation_id'").fetchone()
            # roles configured: the ordinary path, which applies them (database.access)
            roles = revision is not None and revision[0] == head_revision() and \
                conn.execute("SELECT 1 FROM user_roles LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    if revision is None or revision[0] != head_revision() or installation is None or roles:
        return None
    return db_file


class _connect:
    """A plain connection that only reads, closed at the end of the ``with`` block."""

    def __init__(self, db_file: Path) -> None:
        self.conn = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True, timeout=5)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *_exc: object) -> None:
        self.conn.close()


def quick_database_info(data_dir: str | os.PathLike[str] | None, url: str | None) -> dict[str, Any] | None:
    """What :func:`cds_desktop.services.info.database_info` returns, or None when the
    database must be opened the ordinary way."""
    db_file = plain_sqlite_file(data_dir, url)
    if db_file is None:
        return None
    try:
        with _connect(db_file) as conn:
            return {"plans": [_plan(conn, row) for row in conn.execute(_PLANS).fetchall()]}
    except sqlite3.Error as exc:  # the ordinary path will say what is wrong
        log.info("Quick info of %s not possible (%s): opening the database", db_file, exc)
        return None


def _plan(conn: sqlite3.Connection, row: tuple) -> dict[str, Any]:
    plan_id, uuid, title, kind, year, number, issue_date, tracking_start, status, signer, commune, commune_kind = row
    per_group: dict[tuple[int | None, str], int] = {}
    counts: dict[str, int] = {}
    for group_id, item_kind, n in conn.execute(_ITEM_COUNTS, (plan_id,)):
        per_group[(group_id, item_kind)] = n
        counts[item_kind] = counts.get(item_kind, 0) + n
    unit_count = conn.execute(_UNIT_COUNT, (plan_id,)).fetchone()[0]
    groups = conn.execute(_GROUPS, (plan_id,)).fetchall()
    labels = {g[0]: g[1] for g in groups}
    return {
        "uuid": uuid,
        "title": title,
        "kind": kind,
        "year": year,
        "number": number,
        "issue_date": issue_date[:10] if issue_date else None,
        "tracking_start": tracking_start[:10] if tracking_start else None,
        "status": status,
        "commune": commune,
        "commune_kind": commune_kind,
        "signer": signer,
        "indicator_count": counts.get("indicator", 0),
        "task_count": counts.get("task", 0),
        "unit_count": unit_count or 0,
        "groups": [
            {
                "label": label,
                "title": group_title,
                "section": section,
                "parent_label": labels.get(parent_id),
                "indicator_count": per_group.get((group_id, "indicator"), 0),
                "task_count": per_group.get((group_id, "task"), 0),
            }
            for group_id, label, group_title, section, parent_id in groups
        ],
    }
