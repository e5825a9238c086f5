"""Versioned schema with Alembic; backup before migrating; refusal of newer files.

Order at start-up (SQLite): read the schema revision through a *read-only*
connection (no pragma, no write), refuse a revision this version does not
know (a newer program wrote it), then take a consistent backup copy with the
SQLite backup API, then upgrade to head.  On a server (PostgreSQL) the backup is a
``pg_dump`` or a JSON dump of every table (``server_backup``).

The upgrade runs under a lock (``_migration_lock``) so that processes opening the same new
database at once do not both create the schema: the second waits, then finds it migrated.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from cds_desktop.database.errors import DatabaseError, NewerSchemaError, NotOurDatabaseError, sqlite_failure

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

    from cds_desktop.database.engine import Database

# Alembic itself is imported only when a migration has to run: start-up on an
# up-to-date database reads the revision ids from the file names (convention:
# ``NNNN_<what>.py`` with ``revision = "NNNN"``, checked by the tests).
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
KEEP_BACKUPS = 20


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@cache
def known_revisions() -> frozenset[str]:
    names = (p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    return frozenset(m.group(1) for m in map(_REVISION_FILE.match, names) if m)


def head_revision() -> str:
    """The newest revision: migrations are numbered and form one linear chain."""
    return max(known_revisions(), default="")


def alembic_head_revision() -> str:
    """The head as Alembic computes it from the scripts (used by the tests)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def readonly_uri(db_file: Path) -> str:
    """A URI that opens *db_file* without writing a byte: ``mode=ro``, or ``immutable=1`` when even
    the write-ahead log's index cannot be created next to it (a read-only folder)."""
    base = db_file.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{base}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
        return f"{base}?mode=ro"
    except sqlite3.Error:
        return f"{base}?mode=ro&immutable=1"


# ``PRAGMA application_id`` of every SQLite file CĐS Desktop writes ("CDSD"): a file with another
# id belongs to another program and is never written to.
APPLICATION_ID = 0x43445344


def read_file_identity(db_file: Path) -> tuple[int, bool, int, str | None]:
    """``(application_id, has alembic_version, number of tables, revision)`` of an SQLite file,
    read without writing a byte (the shared ``mode=ro`` connection of the engine)."""
    try:
        conn = sqlite3.connect(readonly_uri(db_file), uri=True)
    except sqlite3.Error as exc:
        raise sqlite_failure(str(exc), db_file) or DatabaseError(f"Không mở được tệp dữ liệu {db_file}.") from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return app_id, "alembic_version" in tables, len(tables), revision
    except sqlite3.DatabaseError as exc:
        raise sqlite_failure(str(exc), db_file) or NotOurDatabaseError(
            f"Tệp {db_file} không phải là cơ sở dữ liệu của CĐS Desktop hoặc đã bị hỏng; tệp được giữ nguyên."
        ) from exc
    finally:
        conn.close()


def read_revision_readonly(db_file: Path) -> str | None:
    """The file's Alembic revision, read without writing a byte. None if no schema yet."""
    return read_file_identity(db_file)[3]


def check_file_before_open(db_file: Path) -> str | None:
    """Refuse, without touching it, a file that is not ours or was written by a newer version.

    Ours: our ``application_id``, or none yet but an ``alembic_version`` table (an earlier version
    made it: it is adopted and stamped), or an empty database (no table).  Anything else - another
    program's database, tables without ``alembic_version`` - is refused in one line, unchanged."""
    if not db_file.exists() or db_file.stat().st_size == 0:
        return None
    app_id, has_alembic, table_count, revision = read_file_identity(db_file)
    if app_id not in (0, APPLICATION_ID):
        raise NotOurDatabaseError(
            f"Tệp {db_file} là cơ sở dữ liệu của một chương trình khác (mã ứng dụng {app_id}); "
            "CĐS Desktop không ghi vào tệp này, tệp được giữ nguyên."
        )
    if app_id == 0 and table_count and not has_alembic:
        raise NotOurDatabaseError(
            f"Tệp {db_file} có dữ liệu nhưng không phải là cơ sở dữ liệu của CĐS Desktop (không có thông tin "
            "phiên bản lược đồ); tệp được giữ nguyên."
        )
    if revision is not None and revision not in known_revisions():
        raise NewerSchemaError(
            f"Cơ sở dữ liệu {db_file} được tạo bởi phiên bản CĐS Desktop mới hơn "
            f"(lược đồ {revision}). Hãy cập nhật phần mềm; tệp dữ liệu được giữ nguyên, không bị thay đổi."
        )
    return revision


def stamp_application_id(db: Database) -> None:
    """Mark an SQLite file as ours (new files, and files an earlier version made)."""
    if not db.is_sqlite or db.read_only:
        return
    with db.engine.connect() as conn:
        if conn.exec_driver_sql("PRAGMA application_id").scalar() != APPLICATION_ID:
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.commit()


def current_revision(db: Database) -> str | None:
    from sqlalchemy import inspect, text

    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_sqlite(db_file: Path, backup_dir: Path, label: str) -> Path:
    """A consistent copy of a live SQLite file via the backup API."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir / f"cds-{stamp}-{label}.sqlite"
    src = sqlite3.connect(str(db_file))
    dst = sqlite3.connect(str(target))
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()
    old = sorted(backup_dir.glob("cds-*.sqlite"))
    for stale in old[:-KEEP_BACKUPS]:
        stale.unlink(missing_ok=True)
    log.info("Backup of %s written to %s", db_file, target)
    return target


# pg_advisory_xact_lock key of the schema migration (any constant both processes agree on).
MIGRATION_LOCK_KEY = 0x43445301
# How long a process waits for another one's migration (SQLite busy timeout while it migrates).
MIGRATION_WAIT_MS = 120_000


@contextmanager
def _migration_lock(db: Database) -> Iterator[Connection]:
    """A connection in a transaction that holds the migration lock: one process migrates at a time,
    the next one waits and then finds the schema migrated.

    PostgreSQL: a transaction-scoped advisory lock (DDL is transactional there, so the whole
    migration commits at once).  SQLite: ``BEGIN IMMEDIATE`` takes the write lock before the
    first statement (another process waits on the busy timeout)."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={MIGRATION_WAIT_MS}")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif db.engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        try:
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            if db.is_sqlite:
                conn.exec_driver_sql("PRAGMA busy_timeout=5000")


def _revision_on(conn: Connection) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(db: Database) -> str | None:
    """Bring the schema to head, taking a backup first when an existing schema changes.

    Several processes may open the same new database at once: the migration runs under a lock
    (``_migration_lock``) and the revision is read again once it is held.
    Returns the path of the backup written, if any.
    """
    head = head_revision()
    if current_revision(db) == head:
        return None
    with _migration_lock(db) as conn:
        current = _revision_on(conn)
        if current == head:
            return None
        if current is not None and current not in known_revisions():
            raise NewerSchemaError(f"Cơ sở dữ liệu có lược đồ {current} mới hơn phiên bản phần mềm này.")
        backup = None
        path = db.sqlite_path
        if current is not None and path is not None and path.exists():
            backup = str(backup_sqlite(path, db.paths.backup_dir, f"before-{head}"))
        elif current is not None and not db.is_sqlite:
            from cds_desktop.database.server_backup import backup_server

            backup = str(backup_server(db, db.paths.backup_dir, f"before-{head}"))
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    log.info("Schema migrated from %s to %s", current, head)
    return backup
