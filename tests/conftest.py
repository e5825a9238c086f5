"""Shared fixtures.  Qt runs offscreen for every test (set before Qt is imported).

Databases: the migrated empty database, the demo plan and the demo plan with its
progress are each built once per test session (per xdist worker) and copied into
every test's own data directory, with a new installation id, so a test never sees
another test's changes and never pays for the migrations or the demo again.

``CDS_TEST_DB_URL=postgresql+psycopg://…`` runs the suite on PostgreSQL (``support.postgres``):
each test's data directories get databases of their own on that server, dropped after the test;
tests marked ``sqlite_only`` are skipped there, each with its reason in the summary.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CDS_DATABASE_URL", None)

import gc
import itertools
from pathlib import Path

import pytest
from support import postgres
from support.databases import KINDS, DatabaseTemplates, session_templates, use_shared_root
from support.paths import SEEDS

if postgres.on_postgres():
    postgres.install_default_url_hook()
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(postgres.SITE_DIR), os.environ.get("PYTHONPATH", "")) if p
    )


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL a ``sqlite_only`` test is skipped, on SQLite a ``postgres_only`` one: by marker and
    with its reason (never silently)."""
    if not postgres.on_postgres():
        for item in items:
            marker = item.get_closest_marker("postgres_only")
            if marker is not None:
                reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
                item.add_marker(pytest.mark.skip(reason=f"PostgreSQL only (CDS_TEST_DB_URL): {reason}"))
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}" if reason else "SQLite only"))


@pytest.fixture(scope="session", autouse=True)
def _postgres_worker_databases():
    """On PostgreSQL: this worker's databases left by an earlier run are dropped, before and after."""
    if postgres.on_postgres():
        postgres.drop_databases(postgres.worker_prefix())
    yield
    if postgres.on_postgres():
        postgres.drop_databases(postgres.worker_prefix())


_test_numbers = itertools.count(1)
_earlier_prefixes: list[str] = []


@pytest.fixture(autouse=True)
def _postgres_test_databases(monkeypatch):
    """On PostgreSQL: the databases a test (or a process it starts) makes carry its prefix and are
    dropped twenty tests later (a background job or timer a test's window left behind may still
    reach its database a while after the test; seen as a setup error of a later test)."""
    if not postgres.on_postgres():
        yield
        return
    prefix = f"{postgres.worker_prefix()}t{next(_test_numbers)}_"
    monkeypatch.setenv(postgres.PREFIX_ENV, prefix)
    _earlier_prefixes.append(prefix)
    while len(_earlier_prefixes) > 20:
        postgres.drop_databases(_earlier_prefixes.pop(0))
    yield


_collections = itertools.count(1)


@pytest.fixture(autouse=True)
def _garbage_collected_on_the_main_thread():
    """As in the app (cds_desktop.ui.common.collector): no automatic collection, which could start
    in a background job's thread and destroy Qt objects there (a deadlock with the GUI thread);
    the main thread collects after each test instead."""
    gc.disable()
    yield
    gc.collect(2 if next(_collections) % 25 == 0 else 1)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the real user's data directory from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CDS_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("CDS_CACHE_DIR", str(home / "cache"))
    yield


@pytest.fixture(autouse=True)
def _no_error_dialog_left_open():
    """An error dialog a test leaves open is closed after it, so the next test starts without one."""
    yield
    errors = sys.modules.get("cds_desktop.ui.common.errors")
    if errors is not None:
        for dialog in errors.open_error_dialogs():
            dialog.close()
            dialog.deleteLater()
        errors._open_dialogs.clear()


@pytest.fixture(autouse=True)
def _no_thumbnail_outlives_its_test():
    """Thumbnails still being decoded after a test are waited for: none reads a test's
    removed files or runs while the process ends (Qt's plugins unloaded under it)."""
    yield
    evidence = sys.modules.get("cds_desktop.ui.evidence.models")
    if evidence is not None:
        assert evidence.wait_for_thumbnails(30_000), "a thumbnail job is still running 30 s after its test"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture(scope="session", autouse=True)
def _templates_shared_by_the_workers(tmp_path_factory):
    """Under xdist the workers of a run build each template once between them (not on PostgreSQL)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        use_shared_root(tmp_path_factory.getbasetemp().parent / "db-templates")


@pytest.fixture(scope="session")
def db_templates() -> DatabaseTemplates:
    """The template data directories, built on first use (once per session or xdist worker)."""
    return session_templates()


def _opened(templates: DatabaseTemplates, kind: str, data_dir: Path):
    from cds_desktop.database import open_database

    templates.copy(kind, data_dir)
    return open_database(data_dir)


@pytest.fixture
def _data_dir_db(db_templates, data_dir):
    """The one database of ``data_dir`` behind ``db``, ``demo_db`` and ``progress_db``.

    A test asking for several of them gets one database, as when ``demo_db`` was ``db``
    with the demo added: the first is copied from its template, a later, richer one adds
    what is missing to that same database.
    """
    from cds_desktop.database import open_database

    opened: dict = {}

    def get(kind: str):
        if not opened:
            db_templates.copy(kind, data_dir)
            opened.update(db=open_database(data_dir), kind=kind)
        elif KINDS.index(kind) > KINDS.index(opened["kind"]):
            from cds_desktop.services.demo import create_demo
            from cds_desktop.services.demo_progress import create_demo_progress

            (create_demo if kind == "demo" else create_demo_progress)(opened["db"])
            opened["kind"] = kind
        return opened["db"]

    yield get
    if opened:
        opened["db"].close()


@pytest.fixture
def db(_data_dir_db):
    """An empty migrated database in ``data_dir`` (a copy of the session's template)."""
    return _data_dir_db("empty")


@pytest.fixture
def demo_db(_data_dir_db):
    """The demo plan (``create_demo``) in ``data_dir``."""
    return _data_dir_db("demo")


@pytest.fixture
def progress_db(_data_dir_db):
    """The demo plan with its months of progress (``create_demo_progress``) in ``data_dir``."""
    return _data_dir_db("progress")


@pytest.fixture
def new_db(db_templates):
    """``new_db(folder, kind="empty")``: another database (``empty``, ``demo`` or ``progress``) in a
    folder of the test's own, a copy of the session's template; closed after the test."""
    opened = []

    def make(folder: Path, kind: str = "empty"):
        database = _opened(db_templates, kind, Path(folder))
        opened.append(database)
        return database

    yield make
    for database in opened:
        database.close()


@pytest.fixture
def demo_data_dir(tmp_path, new_db) -> Path:
    """A data folder (``tmp_path/office``) holding the demo plan, closed: for command-line tests."""
    db = new_db(tmp_path / "office", "demo")
    data_dir = db.paths.data_dir
    db.close()
    return data_dir


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS
