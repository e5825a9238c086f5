"""One database for several processes (and PCs, on PostgreSQL): the same answers on SQLite and
PostgreSQL, migrations under a lock, no password in output or logs.

Every test here runs on both databases (``CDS_TEST_DB_URL`` for PostgreSQL, see ``support.postgres``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from support import postgres
from support.paths import ROOT

from cds_desktop.cli import main
from cds_desktop.commands.registry import print_json


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "cds_desktop", *args]


def _empty_data_dir(folder: Path) -> Path:
    """A data directory whose database does not exist yet (PostgreSQL: an empty database on the server)."""
    folder.mkdir(parents=True)
    if postgres.on_postgres():
        postgres.write_settings(folder, postgres.database_url(postgres.create_database()))
    return folder


def _numbers(data, key: str) -> list:
    """Every value of *key* anywhere in the JSON *data*."""
    found = []
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                found.append(v)
            found.extend(_numbers(v, key))
    elif isinstance(data, list):
        for v in data:
            found.extend(_numbers(v, key))
    return found


def test_status_json_writes_percentages_as_numbers(db_templates, data_dir, capsys):
    db_templates.copy("progress", data_dir)
    assert main(["status", "--data-dir", str(data_dir), "--today", "2026-09-18", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    percents = [p for p in _numbers(data, "percent") if p is not None]
    assert percents, "the demo's status has percentages"
    assert all(isinstance(p, int | float) and not isinstance(p, bool) for p in percents), percents


def test_json_output_writes_a_decimal_as_a_number(capsys):
    print_json({"percent": Decimal("42.5"), "count": Decimal("3"), "rate": Decimal("1E+1"), "t": "x"})
    data = json.loads(capsys.readouterr().out)
    assert data == {"percent": 42.5, "count": 3, "rate": 10.0, "t": "x"}
    assert isinstance(data["count"], int) and isinstance(data["percent"], float)


def test_processes_opening_an_empty_database_at_once_all_succeed(tmp_path):
    data_dir = _empty_data_dir(tmp_path / "shared")
    procs = [
        subprocess.Popen(_cli("check", "--data-dir", str(data_dir), "--create", "--json"), cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [(p.wait(timeout=180), *p.communicate()) for p in procs]
    failures = [(code, err) for code, _out, err in results if code != 0]
    assert failures == []
    infos = [json.loads(out) for _code, out, _err in results]
    assert len({info["schema_version"] for info in infos}) == 1


SECRET = "Mk-7f3q9z-secret"
postgres_only = pytest.mark.skipif(not postgres.on_postgres(), reason="needs a PostgreSQL server (CDS_TEST_DB_URL)")


def _server_url_with(password: str | None) -> str:
    """A new database on the test server, its URL with *password* (None: no password in the URL)."""
    from sqlalchemy.engine import make_url

    url = make_url(postgres.database_url(postgres.create_database()))
    return url._replace(password=password).render_as_string(hide_password=False)


def _run(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(_cli(*args, "--data-dir", str(data_dir)), cwd=ROOT, capture_output=True, text=True,
                          timeout=180, env={**os.environ, **(env or {})})


def _logs(data_dir: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in (data_dir / "logs").glob("*"))


def test_no_password_in_output_or_log_when_the_server_cannot_be_reached(tmp_path):
    data_dir = tmp_path / "data"
    url = f"postgresql+psycopg://cds:{SECRET}@127.0.0.1:1/nowhere"
    seen = []
    for command in (["info"], ["check", "--json"], ["status", "--json"]):
        proc = _run(data_dir, *command, "--db-url", url)
        assert proc.returncode != 0
        assert proc.stderr.strip()
        seen.append(proc.stdout + proc.stderr)
    seen.append(_logs(data_dir))
    assert all(SECRET not in text for text in seen)


@postgres_only
def test_no_password_in_output_or_log_of_commands_on_a_server(tmp_path, db_templates):
    import shutil

    from sqlalchemy.engine import make_url

    real = make_url(postgres.server_url()).password
    assert real, "the test server is reached with a password"
    url = _server_url_with(real)
    data_dir = tmp_path / "data"
    package = tmp_path / "demo.cdspkg"
    outputs = []
    for command in (["demo", "--with-progress"], ["info"], ["check", "--json"], ["check"],
                    ["status", "--json", "--today", "2026-09-18"], ["export-package", "--out", str(package)]):
        proc = _run(data_dir, *command, "--db-url", url)
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout + proc.stderr)
    check = json.loads(outputs[2])
    assert check["url"].startswith("postgresql+psycopg://") and "***" in check["url"]
    outputs.append(_logs(data_dir))
    assert (data_dir / "logs").is_dir() and outputs[-1]
    leaks = [text for text in outputs if real in text]
    assert leaks == []
    shutil.rmtree(data_dir)


@postgres_only
@pytest.mark.parametrize("variable", ["CDS_DB_PASSWORD", "PGPASSWORD"])
def test_the_password_can_come_from_the_environment(tmp_path, variable, monkeypatch, capsys):
    from sqlalchemy.engine import make_url

    real = make_url(postgres.server_url()).password
    url = _server_url_with(None)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    assert main(["check", "--json", "--db-url", url, "--data-dir", str(tmp_path / "a")]) != 0
    monkeypatch.setenv(variable, real)
    capsys.readouterr()
    assert main(["check", "--json", "--db-url", url, "--data-dir", str(tmp_path / "b")]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


@postgres_only
def test_the_password_can_come_from_a_pgpass_file(tmp_path, monkeypatch):
    from sqlalchemy.engine import make_url

    server = make_url(postgres.server_url())
    url = _server_url_with(None)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{server.host}:{server.port}:*:{server.username}:{server.password}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    assert main(["check", "--json", "--db-url", url, "--data-dir", str(tmp_path / "data")]) == 0


def test_check_finds_a_broken_reference_on_either_database(demo_db, capsys):
    from sqlalchemy import inspect, text

    with demo_db.engine.connect() as conn:
        if demo_db.is_sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        else:  # a server someone administers: the constraint dropped
            for fk in inspect(conn).get_foreign_keys("assignments"):
                if fk["constrained_columns"] == ["unit_id"]:
                    conn.execute(text(f'ALTER TABLE assignments DROP CONSTRAINT "{fk["name"]}"'))
        conn.execute(text("UPDATE assignments SET unit_id = 99999 WHERE id = (SELECT min(id) FROM assignments)"))
        conn.commit()
    data_dir = demo_db.paths.data_dir
    demo_db.close()
    assert main(["check", "--data-dir", str(data_dir), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False
    assert [(r["table"], r["parent"]) for r in result["foreign_key_check"]] == [("assignments", "units")]
    assert any("không tồn tại" in p for p in result["problems"])


@postgres_only
def test_check_on_a_server_reports_its_schema_and_encoding(demo_db):
    from cds_desktop.services.check import check_database

    result = check_database(demo_db, evidence=False)
    assert result["ok"], result["problems"]
    assert result["schema_check"] == [] and result["foreign_key_check"] == []
    assert result["server"]["kind"] == "postgresql" and result["server"]["encoding"] == "UTF8"


def _database_at(data_dir: Path, revision: str) -> None:
    """*data_dir*'s database created at an older schema *revision* (as an older version left it)."""
    from alembic import command

    from cds_desktop.database import Database
    from cds_desktop.database.engine import configured_url
    from cds_desktop.database.migrate import alembic_config
    from cds_desktop.paths import app_paths

    paths = app_paths(data_dir).ensure()
    db = Database(configured_url(paths), paths)
    try:
        config = alembic_config()
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    finally:
        db.close()


@postgres_only
@pytest.mark.parametrize("pg_dump", [True, False], ids=["pg_dump", "json"])
def test_a_server_database_is_backed_up_before_its_schema_is_migrated(tmp_path, monkeypatch, pg_dump):
    import shutil

    from cds_desktop.database import open_database
    from cds_desktop.database import server_backup as backup_module

    if not pg_dump:
        monkeypatch.setattr(backup_module.shutil, "which", lambda _name: None)
    else:
        assert shutil.which("pg_dump"), "CI installs PostgreSQL's client programs"
    data_dir = _empty_data_dir(tmp_path / "data")
    _database_at(data_dir, "0003")
    open_database(data_dir).close()
    backups = sorted((data_dir / "backups").glob("cds-*"))
    assert [b.suffix for b in backups] == [".dump" if pg_dump else ".json"]
    if pg_dump:
        assert backups[0].read_bytes()[:5] == b"PGDMP"
    else:
        tables = json.loads(backups[0].read_text(encoding="utf-8"))["tables"]
        assert tables["alembic_version"] == [{"version_num": "0003"}]
    open_database(data_dir).close()  # up to date: no second backup
    assert len(list((data_dir / "backups").glob("cds-*"))) == 1


def test_the_evidence_store_is_a_setting_of_the_database(db_templates, tmp_path, capsys):
    """Two PCs on one database: evidence one attaches is found by the other's ``check``."""
    from cds_desktop.database.engine import configured_url
    from cds_desktop.paths import app_paths

    first = db_templates.copy("demo", tmp_path / "pc1")
    url = configured_url(app_paths(first))
    second = tmp_path / "pc2"
    shared = tmp_path / "shared-evidence"
    shared.mkdir()
    assert main(["evidence", "store", "--data-dir", str(first), "--set", str(shared)]) == 0
    assert str(shared) in capsys.readouterr().out
    from cds_desktop.database import open_database

    db = open_database(first)
    try:
        from sqlalchemy import select

        from cds_desktop.models import Item
        from cds_desktop.services.evidence import attach_files

        with db.session("test") as s:
            item = s.scalars(select(Item.uuid).order_by(Item.id)).first()
        proof = tmp_path / "bien-ban.txt"
        proof.write_text("Biên bản nghiệm thu", encoding="utf-8")
        attach_files(db, [proof], [("item", item)], source="test")
    finally:
        db.close()
    assert len([f for f in shared.rglob("*") if f.is_file()]) == 1
    assert not [f for f in (first / "evidence").rglob("*") if f.is_file()]
    capsys.readouterr()
    assert main(["check", "--json", "--data-dir", str(second), "--db-url", url, "--create"]) == 0
    store = json.loads(capsys.readouterr().out)["evidence"]
    assert store["root"] == str(shared) and store["shared"] is True and store["files"] == 1
    assert store["ok"] and store["missing"] == []
    assert main(["check", "--data-dir", str(second), "--db-url", url]) == 0
    assert f"kho dùng chung ghi trong cơ sở dữ liệu: {shared}" in capsys.readouterr().out


def test_the_evidence_store_must_be_a_folder_every_pc_can_reach(db, tmp_path):
    from cds_desktop.database import DatabaseError
    from cds_desktop.services.evidence.location import read_location, set_location

    with pytest.raises(DatabaseError, match="Không thấy thư mục kho minh chứng"):
        set_location(db, tmp_path / "khong-co")
    with pytest.raises(DatabaseError, match="đường dẫn đầy đủ"):
        set_location(db, "minh-chung")
    assert read_location(db).shared is False and db.evidence_dir == db.paths.evidence_dir
    set_location(db, tmp_path)
    assert read_location(db).root == tmp_path and db.evidence_dir == tmp_path
    set_location(db, None)
    assert read_location(db).shared is False


WRITER = """
import sys
from cds_desktop.database import open_database
from cds_desktop.services.items import update_item

db = open_database(sys.argv[1])
with db.session(source="cli") as s:
    update_item(s, sys.argv[2], note=sys.argv[3])
db.close()
"""


def test_a_stale_write_is_refused_and_names_who_changed_the_record(demo_db):
    """Another process changes an item between this one's read and write: this write is refused
    (the other's change stays) with a Vietnamese message naming where and when it was changed."""
    from sqlalchemy import select

    from cds_desktop.database.errors import StaleWriteError
    from cds_desktop.models import Item
    from cds_desktop.services.items import update_item

    with demo_db.session("test") as s:
        uuid = s.scalars(select(Item.uuid).order_by(Item.id)).first()
    with pytest.raises(StaleWriteError) as caught, demo_db.session(source="ui") as s:
        item = s.scalars(select(Item).where(Item.uuid == uuid)).one()
        assert item.content
        proc = subprocess.run([sys.executable, "-c", WRITER, str(demo_db.paths.data_dir), uuid, "Ghi chú từ máy khác"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        update_item(s, uuid, note="Ghi chú ở đây")
    message = str(caught.value)
    assert message.startswith("Không lưu được: «") and "vừa được sửa ở nơi khác (dòng lệnh, máy " in message
    assert "chưa được ghi" in message
    with demo_db.session("test") as s:
        item = s.scalars(select(Item).where(Item.uuid == uuid)).one()
        assert item.note == "Ghi chú từ máy khác"
    # Read afresh, the same edit goes through.
    with demo_db.session(source="ui") as s:
        update_item(s, uuid, note="Ghi chú ở đây")
    with demo_db.session("test") as s:
        assert s.scalars(select(Item.note).where(Item.uuid == uuid)).one() == "Ghi chú ở đây"


HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


@pytest.mark.sqlite_only(reason="SQLite's whole-file write lock (a server locks rows)")
def test_a_short_change_waits_for_another_process_writing(demo_db, monkeypatch):
    """Another process writes for a while: a change is refused in Vietnamese rather than crashing,
    and the UI's short transactions are tried again until the database is free."""
    from sqlalchemy import select

    from cds_desktop.database import DatabaseError, engine, open_database
    from cds_desktop.models import Item
    from cds_desktop.services.items import update_item
    from cds_desktop.services.structure import run_change

    with demo_db.session("test") as s:
        uuid = s.scalars(select(Item.uuid).order_by(Item.id)).first()
    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 100)
    db = open_database(demo_db.paths.data_dir)  # its connections wait 0.1 s for a lock
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(demo_db.paths.db_file), "0.6"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseError, match="Cơ sở dữ liệu đang bận"):
            db.transaction(lambda s: update_item(s, uuid, note="Một lần"), attempts=1)
        run_change(db, "Sửa mục", lambda s: update_item(s, uuid, note="Đợi được"))
        assert holder.wait(timeout=60) == 0
        with db.session("test") as s:
            assert s.scalars(select(Item.note).where(Item.uuid == uuid)).one() == "Đợi được"
    finally:
        holder.kill()
        db.close()


def test_two_processes_importing_at_once_import_once_and_completely(tmp_path):
    """Two ``import-package`` of the same package into one new database at the same moment: both
    succeed, the records are there once, all of them (no partial import, no duplicate)."""
    from sqlalchemy import func, select
    from support.exchange import template_dir, template_package

    from cds_desktop.database import open_database
    from cds_desktop.models import Item, TaskProgress

    package = template_package()
    data_dir = _empty_data_dir(tmp_path / "shared")
    open_database(data_dir).close()
    procs = [subprocess.Popen(_cli("import-package", str(package), "--trust", "--data-dir", str(data_dir)), cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=240), *p.communicate()) for p in procs]
    assert [(code, err) for code, _out, err in results if code != 0] == []
    counts = []
    for folder in (template_dir(), data_dir):
        db = open_database(folder)
        try:
            with db.session("test") as s:
                counts.append((s.scalar(select(func.count(Item.id))), s.scalar(select(func.count(TaskProgress.id)))))
        finally:
            db.close()
    assert counts[0][0] > 30 and counts[0][1] > 30 and counts[1] == counts[0]
