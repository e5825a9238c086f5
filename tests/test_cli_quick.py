"""The command line's quick paths: the command table loads without the data layer, and
``info`` read through plain sqlite3 says exactly what the ORM path says."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from cds_desktop.database.migrate import head_revision
from cds_desktop.services.info_light import quick_database_info

HEAVY = ("sqlalchemy", "alembic", "reportlab", "openpyxl", "PySide6", "cds_desktop.models")


def test_the_command_table_loads_without_the_data_layer():
    probe = (
        "import sys\n"
        "from cds_desktop.commands.registry import COMMANDS, build_parser\n"
        "import cds_desktop.database.errors, cds_desktop.services.errors, cds_desktop.database.migrate\n"
        "help_text = build_parser().format_help()\n"
        "missing = [name for name in COMMANDS if name not in help_text]\n"
        f"heavy = sorted(m for m in sys.modules if m.startswith({HEAVY!r}))\n"
        "print(len(COMMANDS), missing, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    count, rest = out.split(" ", 1)
    assert int(count) >= 10
    assert rest.strip() == "[] []"


def _orm_info(db):
    from cds_desktop.services.info import database_info

    with db.session(source="test") as session:
        return json.loads(json.dumps(database_info(session), default=str))


@pytest.mark.sqlite_only(reason="info's fast path reads the SQLite file with plain sqlite3")
def test_quick_info_matches_the_orm_with_tombstones(demo_db, data_dir):
    conn = sqlite3.connect(demo_db.sqlite_path)
    with conn:
        conn.execute("UPDATE items SET deleted_at = '2026-05-01 00:00:00' WHERE id IN "
                     "(SELECT id FROM items ORDER BY id LIMIT 3)")
        conn.execute("UPDATE groups SET deleted_at = '2026-05-01 00:00:00' WHERE id = "
                     "(SELECT max(id) FROM groups)")
        conn.execute("UPDATE units SET deleted_at = '2026-05-01 00:00:00' WHERE id = "
                     "(SELECT unit_id FROM assignments ORDER BY id LIMIT 1)")
        conn.execute("UPDATE assignments SET deleted_at = '2026-05-01 00:00:00' WHERE id IN "
                     "(SELECT id FROM assignments ORDER BY id DESC LIMIT 5)")
    conn.close()
    quick = quick_database_info(data_dir, None)
    assert quick is not None
    expected = _orm_info(demo_db)
    assert quick == expected
    plan = quick["plans"][0]
    assert plan["indicator_count"] + plan["task_count"] == 27 + 12 - 3


@pytest.mark.sqlite_only(reason="info's fast path reads the SQLite file with plain sqlite3")
def test_quick_info_hands_over_when_the_database_must_be_opened(demo_db, data_dir, monkeypatch):
    assert quick_database_info(data_dir, None) is not None
    assert quick_database_info(data_dir, "sqlite:///elsewhere.sqlite") is None
    monkeypatch.setenv("CDS_DATABASE_URL", "sqlite:///elsewhere.sqlite")
    assert quick_database_info(data_dir, None) is None
    monkeypatch.delenv("CDS_DATABASE_URL")
    assert quick_database_info(data_dir / "nowhere", None) is None
    conn = sqlite3.connect(demo_db.sqlite_path)
    with conn:
        conn.execute("DELETE FROM settings WHERE key = 'installation_id'")  # open_database would write one
    assert quick_database_info(data_dir, None) is None
    with conn:
        conn.execute("INSERT INTO settings (key, value, uuid, created_at, updated_at, changed_by, version) "
                     "SELECT 'installation_id', '\"x\"', 'u-1', created_at, updated_at, '', 1 FROM plans LIMIT 1")
        conn.execute("UPDATE alembic_version SET version_num = '0001'")  # a migration is due
    assert quick_database_info(data_dir, None) is None
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (head_revision(),))
    conn.close()
    assert quick_database_info(data_dir, None) is not None
    (data_dir / "settings.json").write_text('{"database_url": "sqlite:///x.sqlite"}', encoding="utf-8")
    assert quick_database_info(data_dir, None) is None
