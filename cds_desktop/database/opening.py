"""Open a database: safety checks on the file, migrations, installation id."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy.engine import make_url

from cds_desktop.database import migrate as migrations
from cds_desktop.database.engine import Database, configured_url
from cds_desktop.database.errors import DatabaseError, StorageError, read_only_message, storage_error
from cds_desktop.paths import app_paths

log = logging.getLogger(__name__)


class BadDatabaseUrl(DatabaseError):
    """``--db-url`` (or the setting) is not an address the program can use."""

    exit_code = 2


def _url_error(db_url: str) -> BadDatabaseUrl:
    try:  # never echo a password
        shown = make_url(db_url).render_as_string(hide_password=True)
    except Exception:
        return BadDatabaseUrl("Địa chỉ cơ sở dữ liệu không đọc được (cần dạng sqlite:///đường/dẫn/tệp.sqlite "
                              "hoặc postgresql+psycopg://người_dùng@máy/tên_csdl).")
    return BadDatabaseUrl(f"Địa chỉ cơ sở dữ liệu «{shown}» không dùng được: loại cơ sở dữ liệu không được hỗ trợ "
                          "hoặc thiếu trình điều khiển (dùng sqlite:///… hoặc postgresql+psycopg://…).")


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def open_database(
    data_dir: str | os.PathLike[str] | None = None,
    url: str | None = None,
    *,
    migrate: bool = True,
) -> Database:
    """Open (creating if needed) and migrate the database, after the safety checks.

    Raises :class:`NewerSchemaError` (file untouched) for a database written by
    a newer version, :class:`NotOurDatabaseError` for a file that is not ours
    (another program's database, or not a database), :class:`BadDatabaseUrl`
    for an unusable address.  A database in a folder (or a file) without write
    permission is opened read-only: reading works, a write is refused in one line.
    """
    paths = app_paths(data_dir)
    try:
        paths.ensure()
    except OSError as exc:
        if not paths.data_dir.is_dir():
            raise storage_error(exc, paths.data_dir) from exc  # a read-only data folder is fine if it exists
    db_url = configured_url(paths, url)
    try:
        sa_url = make_url(db_url)
        backend = sa_url.get_backend_name()
    except Exception as exc:
        raise _url_error(db_url) from exc
    read_only = up_to_date = False
    if backend == "sqlite" and sa_url.database not in (None, "", ":memory:"):
        db_file = Path(sa_url.database)
        if not db_file.parent.exists():
            try:
                db_file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise storage_error(exc, db_file.parent) from exc
        revision = migrations.check_file_before_open(db_file)
        up_to_date = revision is not None and revision == migrations.head_revision()  # nothing to migrate
        if db_file.exists():
            read_only = not (_writable(db_file) and _writable(db_file.parent))
        elif not _writable(db_file.parent):
            raise StorageError(read_only_message(db_file.parent))
    try:
        db = Database(db_url, paths, read_only=read_only)
    except Exception as exc:
        raise _url_error(db_url) from exc
    try:
        if migrate and not up_to_date:
            if read_only and migrations.current_revision(db) != migrations.head_revision():
                raise StorageError(read_only_message(db.sqlite_path) + " Tệp cần được nâng cấp lược đồ, "
                                   "hãy mở ở thư mục ghi được.")
            migrations.upgrade(db)
        if migrate:
            migrations.stamp_application_id(db)  # also a file of an earlier version already at head
        db.load_installation_id()
        db.load_evidence_root()
        db.load_access()
    except Exception:
        db.close()
        raise
    if read_only:
        log.warning("Database %s opened read-only (no write permission)", db.sqlite_path)
    log.info("Opened database %s (installation %s, user %s)", db.display_url, db.installation_id, db.access.describe)
    return db
