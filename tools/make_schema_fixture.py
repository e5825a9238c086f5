"""Write tests/fixtures/db/schema_<head>.sqlite: the demo plan in a database of the
current schema head.  Run once whenever a new migration is added (before it
lands), so that every schema version keeps a fixture to migrate from.

    python tools/make_schema_fixture.py
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from cds_desktop.database import open_database
from cds_desktop.database.migrate import head_revision
from cds_desktop.services.demo import create_demo

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "db"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(tmp)
        create_demo(db)
        path = db.paths.db_file
        db.close()
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("VACUUM")
        OUT.mkdir(parents=True, exist_ok=True)
        target = OUT / f"schema_{head_revision()}.sqlite"
        shutil.copy(path, target)
        print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
