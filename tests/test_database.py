"""Database: pragmas, migrations (empty and first-schema fixture), backups, refusal of newer files."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from cds_desktop.database import open_database
from cds_desktop.database.errors import DatabaseError, NewerSchemaError
from cds_desktop.database.migrate import current_revision, head_revision, known_revisions
from cds_desktop.models import Item, Plan

FIXTURES = Path(__file__).parent / "fixtures" / "db"


@pytest.mark.sqlite_only(reason="SQLite pragmas")
def test_new_database_is_at_head_with_safe_pragmas(db):
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    assert db.sqlite_path == db.paths.db_file
    assert db.installation_id


def test_installation_id_is_stable(data_dir):
    first = open_database(data_dir)
    ident = first.installation_id
    first.close()
    second = open_database(data_dir)
    assert second.installation_id == ident
    second.close()


def test_foreign_keys_are_enforced(db):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with db.session("test") as s:
            s.add(Item(plan_id=9999, kind="task", content="x", extra={}))


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_*.sqlite")), ids=lambda p: p.stem)
@pytest.mark.sqlite_only(reason="fixture databases are SQLite files of each schema version")
def test_migrates_fixture_database_of_each_schema_version(fixture, data_dir):
    data_dir.mkdir(parents=True)
    target = data_dir / "cds.sqlite"
    shutil.copy(fixture, target)
    with sqlite3.connect(target) as conn:
        before_items = conn.execute("SELECT count(*) FROM items").fetchone()[0]
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert before_items > 0
    db = open_database(data_dir)
    try:
        assert current_revision(db) == head_revision()
        with db.session("test") as s:
            assert s.scalar(select(func.count(Item.id))) == before_items
            assert s.scalar(select(Plan.number)) == "139/KH-UBND"
        backups = list(db.paths.backup_dir.glob("*.sqlite"))
        if revision != head_revision():
            assert len(backups) == 1, "a backup must be taken before migrating"
            with sqlite3.connect(backups[0]) as conn:
                assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
                assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == before_items
        else:
            assert backups == []
    finally:
        db.close()


def test_first_schema_fixture_exists():
    assert (FIXTURES / "schema_0001.sqlite").exists()
    assert "0001" in known_revisions()


@pytest.mark.sqlite_only(reason="the SQLite file byte for byte")
def test_newer_database_is_refused_and_left_byte_for_byte(data_dir):
    db = open_database(data_dir)
    path = db.paths.db_file
    db.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("UPDATE alembic_version SET version_num='9999_from_the_future'")
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError) as info:
        open_database(data_dir)
    assert "phiên bản CĐS Desktop mới hơn" in str(info.value)
    assert path.read_bytes() == before
    assert not path.with_name(path.name + "-wal").exists()


@pytest.mark.sqlite_only(reason="a file that is not a SQLite database")
def test_not_a_database_is_refused_untouched(data_dir):
    data_dir.mkdir(parents=True)
    path = data_dir / "cds.sqlite"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 50)
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as info:
        open_database(data_dir)
    assert "không phải là cơ sở dữ liệu" in str(info.value)
    assert path.read_bytes() == before


def test_database_url_is_a_setting(tmp_path, monkeypatch):
    other = tmp_path / "elsewhere.sqlite"
    monkeypatch.setenv("CDS_DATABASE_URL", f"sqlite:///{other.as_posix()}")
    db = open_database(tmp_path / "data")
    try:
        assert db.sqlite_path == other
        assert other.exists()
    finally:
        db.close()


def test_revision_file_convention_matches_alembic():
    """Start-up reads revisions from file names; they must agree with Alembic's chain."""
    import importlib.util

    from cds_desktop.database.migrate import MIGRATIONS_DIR, alembic_head_revision

    numbers = sorted(p.name[:4] for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    assert len(numbers) == len(set(numbers)), f"two migrations with one number (rebase: renumber yours): {numbers}"
    assert head_revision() == alembic_head_revision()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.revision == path.name[:4], path.name
        if module.revision != "0001":
            assert module.down_revision == f"{int(module.revision) - 1:04d}", path.name
