"""Template databases built once per test session and copied for each test.

Building a database means running every migration (and, for the demo, loading
the plan and months of progress): seconds per test.  A copy of the closed file
is milliseconds.  Each copy gets a new installation id, also written into the
``changed_by``/``installation`` columns of the rows the template made, so the copy
is indistinguishable from a database built by that test itself.

On PostgreSQL (``support.postgres``) a template data directory names its database in
``settings.json`` and a copy is ``CREATE DATABASE … TEMPLATE`` of it.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing, contextmanager
from pathlib import Path

from cds_desktop.paths import DB_FILENAME
from support import postgres

KINDS = ("empty", "demo", "progress")
# What lives next to the database in a data directory and is not data.
_NOT_COPIED = ("logs",)
_INSTALLATION_COLUMNS = ("changed_by", "installation")


class DatabaseTemplates:
    """Data directories ``empty`` (migrated), ``demo`` and ``progress`` under *root*, built on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, kind: str) -> Path:
        """The template data directory of *kind* (built now if needed). Never open or change it."""
        if kind not in KINDS:
            raise ValueError(kind)
        folder = self.root / kind
        with _locked(self.root / f"{kind}.lock"):  # the root may be shared by the xdist workers
            if not (folder / DB_FILENAME).exists() and not (folder / "settings.json").exists():
                with postgres.prefix(postgres.worker_prefix() + "tpl_"):
                    self._build(kind, folder)
        return folder

    def copy(self, kind: str, dest: Path) -> Path:
        """A fresh copy of the template *kind* as the data directory *dest* (which must not exist)."""
        copy_data_dir(self.path(kind), dest)
        return dest

    def _build(self, kind: str, folder: Path) -> None:
        from cds_desktop.database import open_database

        staging = folder.with_name(folder.name + ".building")
        shutil.rmtree(staging, ignore_errors=True)
        if kind == "empty":
            open_database(staging).close()
        else:
            self.copy("empty" if kind == "demo" else "demo", staging)
            db = open_database(staging)
            try:
                if kind == "demo":
                    from cds_desktop.services.demo import create_demo

                    create_demo(db)
                else:
                    from cds_desktop.services.demo_progress import create_demo_progress

                    create_demo_progress(db)
            finally:
                db.close()
        leftovers = [p.name for p in staging.iterdir() if p.name.endswith(("-wal", "-shm", "-journal"))]
        assert not leftovers, f"template {kind} not closed cleanly: {leftovers}"
        staging.rename(folder)


@contextmanager
def _locked(path: Path):
    """Hold an exclusive lock on the file *path* (made if missing): one process builds a template,
    the others wait for it. A kind's lock is taken inside the richer kind's, always in that order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        if os.name == "nt":
            import msvcrt

            while True:
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # gives up after 10 s: try again
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


_session_templates: list[DatabaseTemplates] = []


def use_shared_root(root: Path) -> None:
    """Build this process's templates under *root*, shared by all the xdist workers of this run
    (pytest removes it with the run's temporary folders). On PostgreSQL each worker keeps its own:
    a template is a database named for the worker, dropped at the worker's start and end."""
    if not _session_templates and not postgres.on_postgres():
        _session_templates.append(DatabaseTemplates(root))


def session_templates() -> DatabaseTemplates:
    """This process's one set of templates, shared by the ``db_templates`` fixture and the helpers
    that build richer templates of their own (``support.exchange``)."""
    if not _session_templates:
        root = Path(tempfile.mkdtemp(prefix="cds-db-templates-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        _session_templates.append(DatabaseTemplates(root))
    return _session_templates[0]


def copy_data_dir(source: Path, dest: Path) -> None:
    """Copy a closed data directory (database, evidence store, settings) under a new installation id."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(*_NOT_COPIED))
    if postgres.copy_database(dest):
        new_installation_url(dest)
    else:
        new_installation(dest / DB_FILENAME)


def new_installation(db_file: Path) -> str:
    """Give the database file a new installation id, as if that copy had made its rows itself."""
    from cds_desktop.models import new_uuid

    new = new_uuid()
    with closing(sqlite3.connect(db_file)) as conn, conn:
        row = conn.execute("SELECT value FROM settings WHERE key = 'installation_id'").fetchone()
        old = json.loads(row[0]) if row else None
        if old:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
                for column in columns.intersection(_INSTALLATION_COLUMNS):
                    conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?', (new, old))
        conn.execute("UPDATE settings SET value = ? WHERE key = 'installation_id'", (json.dumps(new),))
    return new


def new_installation_url(data_dir: Path, *, rows: bool = True) -> str:
    """``new_installation`` for a data directory whose database is on a server (``settings.json``);
    without *rows* only the installation id changes (a cloned PC)."""
    from sqlalchemy import create_engine, inspect, select, text, update
    from sqlalchemy.pool import NullPool

    from cds_desktop.database.engine import configured_url
    from cds_desktop.models import Setting, new_uuid
    from cds_desktop.paths import app_paths

    settings = Setting.__table__

    new = new_uuid()
    engine = create_engine(configured_url(app_paths(data_dir)), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            old = conn.execute(select(settings.c.value).where(settings.c.key == "installation_id")).scalar()
            if old and rows:
                inspector = inspect(conn)
                for table in inspector.get_table_names():
                    columns = {c["name"] for c in inspector.get_columns(table)}
                    for column in columns.intersection(_INSTALLATION_COLUMNS):
                        conn.execute(text(f'UPDATE "{table}" SET "{column}" = :new WHERE "{column}" = :old'),
                                     {"new": new, "old": old})
            conn.execute(update(settings).where(settings.c.key == "installation_id").values(value=new))
    finally:
        engine.dispose()
    return new


def database_state(data_dir: Path) -> str:
    """A fingerprint of the data directory's database, to show it untouched: the SQLite file's
    bytes, or on a server every table's rows in key order."""
    import hashlib

    if postgres.settings_database(data_dir) is None:
        return hashlib.sha256((data_dir / DB_FILENAME).read_bytes()).hexdigest()
    from sqlalchemy import MetaData, create_engine, select
    from sqlalchemy.pool import NullPool

    from cds_desktop.database.engine import configured_url
    from cds_desktop.paths import app_paths

    digest = hashlib.sha256()
    engine = create_engine(configured_url(app_paths(data_dir)), poolclass=NullPool)
    try:
        metadata = MetaData()
        with engine.connect() as conn:
            metadata.reflect(conn)
            for name, table in sorted(metadata.tables.items()):
                key = list(table.primary_key.columns) or list(table.columns)
                digest.update(name.encode())
                for row in conn.execute(select(table).order_by(*key)):
                    digest.update(repr(tuple(row)).encode())
    finally:
        engine.dispose()
    return digest.hexdigest()
