"""The database: engine with safe SQLite settings and a session per operation
(start-up checks and migrations: ``database.opening``).

The SQLAlchemy URL is a setting (``--db-url``, ``CDS_DATABASE_URL``, or
``database_url`` in ``settings.json`` in the data directory); the embedded
default is one SQLite file in the user's data directory.  SQLite-only code
paths are marked and guarded by ``is_sqlite``.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from cds_desktop.database import access, audit, conflicts, readonly, tombstones
from cds_desktop.database.errors import DatabaseBusyError, DatabaseError, NewerSchemaError, sqlite_failure
from cds_desktop.database.migrate import readonly_uri
from cds_desktop.models import Setting, new_uuid
from cds_desktop.paths import AppPaths

log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = [
    "AuditedSession", "Database", "DatabaseError", "NewerSchemaError", "configured_url", "display_url", "make_engine",
]

INSTALLATION_KEY = "installation_id"
EVIDENCE_STORE_KEY = "evidence_store"  # the evidence folder the database names (services.evidence.location)


class AuditedSession(Session):
    """Session class whose flushes keep bookkeeping columns and the audit log, and
    whose queries leave tombstones out unless asked (``database.tombstones``)."""

    def get(self, entity, ident, **kwargs):
        """By primary key: the record, tombstone or not."""
        options = dict(kwargs.pop("execution_options", None) or {})
        options.setdefault(tombstones.INCLUDE_DELETED, True)
        return super().get(entity, ident, execution_options=options, **kwargs)


audit.install(AuditedSession)
conflicts.install(AuditedSession)
readonly.install(AuditedSession)
tombstones.install(AuditedSession)
access.install(AuditedSession)


# How long a SQLite statement waits for another process's write to finish, and how often a short
# transaction is tried again after that (``Database.transaction``).
SQLITE_BUSY_TIMEOUT_MS = 5000
BUSY_ATTEMPTS = 4
# pg_advisory_xact_lock key of the long writers (package imports): one at a time.
WRITER_LOCK_KEY = 0x43445302


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database table is locked" in text or "database is busy" in text


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite only: enforce foreign keys, write-ahead log, and fsync on commit so
    # that a power cut never loses a committed change.
    # The busy timeout comes first: switching a new file to WAL takes a lock another process
    # opening it at the same moment may hold.
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


PASSWORD_ENV = "CDS_DB_PASSWORD"


def display_url(url: str) -> str:
    """The URL as it may be shown or logged: the password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy reads: show its scheme only
        return url.split(":", 1)[0] + ":…"


def with_password(url: str) -> str | object:
    """A server URL without a password takes it from ``CDS_DB_PASSWORD``; without that either,
    the driver looks at ``PGPASSWORD`` and the ``.pgpass`` file itself (libpq)."""
    sa_url = make_url(url)
    password = os.environ.get(PASSWORD_ENV)
    if sa_url.get_backend_name() != "sqlite" and sa_url.password is None and password:
        return sa_url.set(password=password)
    return url


def _read_only_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _storage_errors(db_file: Path | None):
    """An engine hook: SQLite's English storage failures become one Vietnamese line naming the file."""

    def handle(context) -> None:
        original = context.original_exception
        if isinstance(original, sqlite3.Error):
            mapped = sqlite_failure(str(original), db_file)
            if mapped is not None:
                raise mapped from context.sqlalchemy_exception

    return handle


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """The engine; SQLite *read_only* opens the file with ``mode=ro`` (a folder without write
    permission: ``info`` and ``check`` still work, a write is refused in one line)."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        database = sa_url.database
        db_file = Path(database) if database and database != ":memory:" else None
        if read_only and db_file is not None:
            uri = readonly_uri(db_file)
            engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
            event.listen(engine, "connect", _read_only_pragmas)
        else:
            engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _storage_errors(db_file))
        return engine
    return create_engine(with_password(url), pool_pre_ping=True)


def configured_url(paths: AppPaths, url: str | None = None) -> str:
    if url:
        return url
    env_url = os.environ.get("CDS_DATABASE_URL")
    if env_url:
        return env_url
    if paths.settings_file.exists():
        try:
            value = json.loads(paths.settings_file.read_text(encoding="utf-8")).get("database_url")
        except (OSError, ValueError, AttributeError) as exc:
            raise DatabaseError(f"Không đọc được tệp cài đặt {paths.settings_file}: {exc}") from exc
        if value:
            return str(value)
    return default_url(paths)


def default_url(paths: AppPaths) -> str:
    """The embedded default: one SQLite file in the data directory."""
    return f"sqlite:///{paths.db_file.as_posix()}"


class Database:
    """An open database.  Widgets never hold a session: each operation opens one."""

    def __init__(self, url: str, paths: AppPaths, engine: Engine | None = None, *, read_only: bool = False) -> None:
        self.url = url
        self.paths = paths
        self.read_only = read_only
        self.engine = engine or make_engine(url, read_only=read_only)
        self._factory = sessionmaker(self.engine, class_=AuditedSession, expire_on_commit=False)
        self.installation_id = ""
        # The evidence store the database names (``services.evidence.location``); None: the data folder's.
        self.evidence_root: Path | None = None
        # Who this process is and what its role allows (``database.access``; read when opened).
        self.access: access.Access = access.UNRESTRICTED

    @property
    def evidence_dir(self) -> Path:
        """The evidence store: the shared folder the database names, else ``<data_dir>/evidence``."""
        return self.evidence_root or self.paths.evidence_dir

    @property
    def display_url(self) -> str:
        """``url`` without its password, for output and logs."""
        return display_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        database = make_url(self.url).database
        return Path(database) if database and database != ":memory:" else None

    @contextmanager
    def session(self, source: str = "ui", reason: str = "") -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back on error."""
        session = self._factory()
        session.info.update(source=source, reason=reason, installation_id=self.installation_id)
        session.info[access.ACCESS] = self.access
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            if _is_busy(exc):
                raise DatabaseBusyError(
                    "Cơ sở dữ liệu đang bận: một chương trình khác đang ghi vào đó. Thay đổi chưa được ghi; "
                    "hãy thử lại sau ít giây."
                ) from exc
            raise
        except StaleDataError as exc:  # optimistic locking: someone else's change came first
            records = conflicts.modified_records(session)
            session.rollback()
            raise conflicts.stale_write_error(self, records, exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def transaction(self, operation: Callable[[Session], T], *, source: str = "ui", reason: str = "",
                    attempts: int = BUSY_ATTEMPTS) -> T:
        """A short unit of work, run again (all of it: the failed try wrote nothing) when the
        database stayed locked by another process's write past the busy timeout."""
        for attempt in range(attempts):
            try:
                with self.session(source=source, reason=reason) as s:
                    return operation(s)
            except DatabaseBusyError:
                if attempt == attempts - 1:
                    raise
                log.info("Database busy; trying again (%d/%d)", attempt + 2, attempts)
                time.sleep(0.2 * 2**attempt)
        raise AssertionError("unreachable")

    def lock_for_writing(self, conn, *, wait_ms: int = 120_000) -> None:
        """Make the transaction of *conn* (nothing read or written in it yet) the only writer of
        the database until it ends, waiting up to *wait_ms* for another one: a long unit of work
        (a package import) then plans against what the previous writer committed, never against
        a state that changes under it.  SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock."""
        from sqlalchemy import text

        if self.is_sqlite:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except OperationalError as exc:
                if _is_busy(exc):
                    raise DatabaseBusyError("Cơ sở dữ liệu đang bận: một chương trình khác đang ghi vào đó quá lâu. "
                                            "Hãy thử lại sau.") from exc
                raise
            finally:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        elif self.engine.dialect.name == "postgresql":
            conn.execute(text("SELECT set_config('lock_timeout', :ms, true)"), {"ms": f"{wait_ms}ms"})
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK_KEY})

    def load_installation_id(self) -> str:
        try:
            value = self._read_or_make_installation_id()
        except IntegrityError:  # another process opening the new database made it first
            value = self._read_or_make_installation_id()
        self.installation_id = value
        return value

    def load_access(self) -> access.Access:
        self.access = access.identify(self)
        return self.access

    def load_evidence_root(self) -> Path | None:
        with self.session(source="system") as s:
            value = s.scalar(select(Setting.value).where(Setting.key == EVIDENCE_STORE_KEY))
        self.evidence_root = Path(str(value)) if value else None
        return self.evidence_root

    def _read_or_make_installation_id(self) -> str:
        if self.read_only:
            with self.session(source="system") as s:
                setting = s.scalar(select(Setting).where(Setting.key == INSTALLATION_KEY))
            self.installation_id = str(setting.value) if setting is not None else ""
            return self.installation_id
        with self.session(source="system") as s:
            setting = s.scalar(select(Setting).where(Setting.key == INSTALLATION_KEY))
            if setting is None:
                value = new_uuid()
                s.info["installation_id"] = value
                s.add(Setting(key=INSTALLATION_KEY, value=value))
            else:
                value = str(setting.value)
        return value

    def close(self) -> None:
        self.engine.dispose()
