"""The test suite on PostgreSQL: ``CDS_TEST_DB_URL=postgresql+psycopg://user:pw@host:port/maintenance_db``.

Every data directory a test makes gets a database of its own on that server, named in the
directory's ``settings.json`` (``database_url``), as an officer's data folder would name a shared
server.  A folder the app opens without one (a fresh ``--data-dir``, the default data directory)
gets a new empty database there and then: ``install_default_url_hook`` replaces the embedded
SQLite default, in the test process and, through ``sitecustomize`` (``PYTHONPATH`` set by the
conftest), in every process a test starts.

Names: ``<prefix><random>`` where the prefix is the test's (``CDS_TEST_DB_PREFIX``, one per test
and xdist worker) so that all of a test's databases are dropped after it; the session's templates
(``support.databases``) have a prefix of their own and are copied with ``CREATE DATABASE … TEMPLATE``.
"""

from __future__ import annotations

import json
import os
import secrets
from contextlib import contextmanager
from pathlib import Path

URL_ENV = "CDS_TEST_DB_URL"
PREFIX_ENV = "CDS_TEST_DB_PREFIX"
SITE_DIR = Path(__file__).resolve().parent / "postgres_site"

_prefix_override: list[str] = []


def server_url() -> str | None:
    """The maintenance URL of the test server, or None when the suite runs on SQLite."""
    return os.environ.get(URL_ENV) or None


def on_postgres() -> bool:
    return server_url() is not None


def worker_prefix() -> str:
    """``w<worker>_``: every database this xdist worker (or the lone process) makes starts so."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"w{worker.removeprefix('gw')}_"


def current_prefix() -> str:
    if _prefix_override:
        return _prefix_override[-1]
    return os.environ.get(PREFIX_ENV) or worker_prefix() + "x_"


@contextmanager
def prefix(value: str):
    """Databases made inside the block start with *value* (the session's templates)."""
    _prefix_override.append(value)
    try:
        yield
    finally:
        _prefix_override.pop()


def _admin_engine():
    from sqlalchemy import create_engine

    return create_engine(server_url(), isolation_level="AUTOCOMMIT", poolclass=_null_pool())


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool


def database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server_url()).set(database=name).render_as_string(hide_password=False)


def create_database(template: str | None = None) -> str:
    """A new database (a copy of *template* when given); returns its name."""
    from sqlalchemy import text

    name = current_prefix() + secrets.token_hex(6)
    engine = _admin_engine()
    try:
        with engine.connect() as conn:
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    finally:
        engine.dispose()
    return name


def drop_databases(start: str) -> int:
    """Drop every database whose name starts with *start* (connections to them are ended)."""
    from sqlalchemy import text

    engine = _admin_engine()
    try:
        with engine.connect() as conn:
            names = conn.execute(
                text("SELECT datname FROM pg_database WHERE left(datname, :n) = :p"),
                {"n": len(start), "p": start},
            ).scalars().all()
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()
    return len(names)


def write_settings(data_dir: Path, url: str) -> None:
    settings = data_dir / "settings.json"
    current = {}
    if settings.exists():
        current = json.loads(settings.read_text(encoding="utf-8"))
    current["database_url"] = url
    data_dir.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps(current), encoding="utf-8")


def settings_database(data_dir: Path) -> str | None:
    """The name of the PostgreSQL database a data directory's settings point at (None: SQLite)."""
    from sqlalchemy.engine import make_url

    settings = data_dir / "settings.json"
    if not settings.exists():
        return None
    url = json.loads(settings.read_text(encoding="utf-8")).get("database_url")
    if not url or make_url(url).get_backend_name() != "postgresql":
        return None
    return make_url(url).database


def install_default_url_hook() -> None:
    """A data directory without a database gets a new one on the test server (not a SQLite file)."""
    from cds_desktop.database import engine

    def default_url(paths) -> str:
        url = database_url(create_database())
        write_settings(paths.data_dir, url)
        return url

    engine.default_url = default_url


def copy_database(data_dir: Path) -> str | None:
    """Point the copied data directory *data_dir* at a copy of the database its settings name."""
    template = settings_database(data_dir)
    if template is None:
        return None
    name = create_database(template)
    write_settings(data_dir, database_url(name))
    return name
