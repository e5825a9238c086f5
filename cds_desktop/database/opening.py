"""Open a database: safety checks on the file, migrations, installation id."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy.engine import make_url

from cds_desktop.database import migrate as migrations
from cds_desktop.database.engine import Database, configured_url
from cds_desktop.paths import app_paths

log = logging.getLogger(__name__)


def open_database(
    data_dir: str | os.PathLike[str] | None = None,
    url: str | None = None,
    *,
    migrate: bool = True,
) -> Database:
    """Open (creating if needed) and migrate the database, after the safety checks.

    Raises :class:`NewerSchemaError` (file untouched) for a database written by
    a newer version, :class:`DatabaseError` for a file that is not a database.
    """
    paths = app_paths(data_dir).ensure()
    db_url = configured_url(paths, url)
    sa_url = make_url(db_url)
    up_to_date = False
    if sa_url.get_backend_name() == "sqlite" and sa_url.database not in (None, "", ":memory:"):
        db_file = Path(sa_url.database)
        db_file.parent.mkdir(parents=True, exist_ok=True)
        revision = migrations.check_file_before_open(db_file)
        up_to_date = revision is not None and revision == migrations.head_revision()  # nothing to migrate
    db = Database(db_url, paths)
    try:
        if migrate and not up_to_date:
            migrations.upgrade(db)
        db.load_installation_id()
        db.load_evidence_root()
    except Exception:
        db.close()
        raise
    log.info("Opened database %s (installation %s)", db.display_url, db.installation_id)
    return db
