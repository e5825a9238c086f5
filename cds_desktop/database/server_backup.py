"""A backup of a database on a server (PostgreSQL) before its schema is migrated.

``pg_dump`` (custom format, restorable with ``pg_restore``) when the program is installed;
otherwise a logical JSON dump of every table, read by reflection so that it works on the schema
as it is before the migration (``cds-<time>-<label>.json``: ``{"tables": {name: [rows]}}``).
The password is handed to ``pg_dump`` in its environment, never on its command line.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData, select

if TYPE_CHECKING:
    from cds_desktop.database.engine import Database

log = logging.getLogger(__name__)

KEEP_BACKUPS = 20
PG_DUMP_TIMEOUT_S = 600


def backup_server(db: Database, backup_dir: Path, label: str) -> Path:
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = None
    if db.engine.dialect.name == "postgresql":
        target = _pg_dump(db, backup_dir / f"cds-{stamp}-{label}.dump")
    if target is None:
        target = _json_dump(db, backup_dir / f"cds-{stamp}-{label}.json")
    for pattern in ("cds-*.dump", "cds-*.json"):
        for stale in sorted(backup_dir.glob(pattern))[:-KEEP_BACKUPS]:
            stale.unlink(missing_ok=True)
    log.info("Backup of the server database written to %s", target)
    return target


def libpq_environment(db: Database) -> dict[str, str]:
    """The connection as libpq's environment variables (the password is not on a command line)."""
    url = db.engine.url
    env = dict(os.environ)
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value:
            env[key] = str(value)
    return env


def _pg_dump(db: Database, target: Path) -> Path | None:
    program = shutil.which("pg_dump")
    if program is None:
        return None
    try:
        proc = subprocess.run([program, "--format=custom", "--no-password", "--file", str(target)],
                              env=libpq_environment(db), capture_output=True, text=True,
                              timeout=PG_DUMP_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("pg_dump failed (%s); a JSON dump is written instead", exc)
        target.unlink(missing_ok=True)
        return None
    if proc.returncode != 0:
        log.warning("pg_dump failed (%s); a JSON dump is written instead", proc.stderr.strip()[-500:])
        target.unlink(missing_ok=True)
        return None
    return target


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _json_dump(db: Database, target: Path) -> Path:
    metadata = MetaData()
    tables: dict[str, list[dict[str, Any]]] = {}
    with db.engine.connect() as conn:
        metadata.reflect(conn)
        for name, table in sorted(metadata.tables.items()):
            tables[name] = [{k: _plain(v) for k, v in row._mapping.items()}
                            for row in conn.execute(select(table))]
    part = target.with_name(target.name + ".part")
    with part.open("w", encoding="utf-8") as out:
        json.dump({"format": "cds-desktop-table-dump", "tables": tables}, out, ensure_ascii=False, default=str)
    part.replace(target)
    return target
