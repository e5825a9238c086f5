"""Roles on PostgreSQL with real login roles: row-level security holds a commune officer to their
commune even past the services (Core statements, another client), and a reader changes nothing.

Run by CI in the PostgreSQL pass (``CDS_TEST_DB_URL``); skipped by marker on SQLite.
"""

from __future__ import annotations

import json
import secrets

import pytest
from sqlalchemy import create_engine, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from cds_desktop.cli import main
from cds_desktop.database.engine import Database
from cds_desktop.models import Item, Plan
from cds_desktop.services import items as item_service
from cds_desktop.services import plans as plan_service
from cds_desktop.services import roles

pytestmark = pytest.mark.postgres_only(reason="login roles and row-level security are PostgreSQL's")


@pytest.fixture
def logins(demo_db):
    """Two login roles on the test server (bob: officer of xã Kim Anh, carol: district reader),
    dropped after the test with what was granted to them."""
    suffix = secrets.token_hex(3)
    names = {"bob": f"cds_bob_{suffix}", "carol": f"cds_carol_{suffix}"}
    password = secrets.token_hex(8)
    admin = create_engine(demo_db.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names.values():
            conn.execute(text(f'CREATE ROLE "{name}" LOGIN PASSWORD \'{password}\''))
    with demo_db.session("test") as s:
        kim_anh = plan_service.get_or_create_commune(s, "Kim Anh")
        plan = plan_service.create_plan(s, kim_anh, 2026, number="55/KH-UBND", title="Chuyển đổi số xã Kim Anh")
        item_service.create_item(s, plan, "task", content="Số hóa hồ sơ một cửa xã Kim Anh")
    roles.grant_role(demo_db, names["bob"], "commune", "xã Kim Anh")
    roles.grant_role(demo_db, names["carol"], "reader")
    urls = {who: make_url(demo_db.url).set(username=name, password=password).render_as_string(hide_password=False)
            for who, name in names.items()}
    yield urls
    with admin.connect() as conn:
        for name in names.values():
            conn.execute(text(f'DROP OWNED BY "{name}"'))
            conn.execute(text(f'DROP ROLE "{name}"'))
    admin.dispose()


def _open(url: str, paths) -> Database:
    db = Database(url, paths)
    db.load_installation_id()
    db.load_access()
    return db


def test_row_level_security_holds_a_commune_officer_past_the_services(demo_db, logins):
    bob = _open(logins["bob"], demo_db.paths)
    try:
        assert bob.access.role == "commune" and bob.access.commune_name == "xã Kim Anh"
        plans, items = Plan.__table__, Item.__table__
        with bob.engine.connect() as conn:  # Core: no loader criteria, only the server's policies
            assert list(conn.execute(select(plans.c.number)).scalars()) == ["55/KH-UBND"]
            assert list(conn.execute(select(items.c.content)).scalars()) == ["Số hóa hồ sơ một cửa xã Kim Anh"]
        with bob.engine.begin() as conn:
            assert conn.execute(update(items).where(items.c.content != "").values(note="bob")).rowcount == 1
        with demo_db.engine.connect() as conn:
            bat_trang = conn.execute(text("SELECT id FROM communes WHERE name = 'Bát Tràng'")).scalar()
        with pytest.raises(DBAPIError, match="row-level security"), bob.engine.begin() as conn:
            conn.execute(insert(plans).values(uuid="00000000-0000-4000-8000-000000000001", commune_id=bat_trang,
                                              year=2027, created_at=text("now()"), updated_at=text("now()"),
                                              changed_by="", version=1, kind="", number="", place="", title="",
                                              authority="", position="", signer="", recipients="[]",
                                              status="draft", contacts="[]", appendices="{}", search_text=""))
        with demo_db.engine.connect() as conn:  # the owner sees the demo's items untouched
            notes = dict(conn.execute(select(items.c.content, items.c.note)).all())
        assert sum(1 for note in notes.values() if note == "bob") == 1
    finally:
        bob.close()


def test_a_reader_login_reads_every_commune_and_writes_nothing(demo_db, logins):
    carol = _open(logins["carol"], demo_db.paths)
    try:
        assert carol.access.role == "reader"
        with carol.engine.connect() as conn:
            numbers = sorted(conn.execute(select(Plan.__table__.c.number)).scalars())
        assert numbers == ["139/KH-UBND", "55/KH-UBND"]
        with pytest.raises(DBAPIError, match="permission denied"), carol.engine.begin() as conn:
            conn.execute(update(Item.__table__).values(note="carol"))
    finally:
        carol.close()


def test_the_cli_as_a_commune_login_shows_and_exports_only_its_commune(demo_db, logins, data_dir, tmp_path, capsys):
    def cli(*args: str) -> int:
        return main([*args, "--data-dir", str(data_dir), "--db-url", logins["bob"]])

    assert cli("info", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert [p["number"] for p in shown["plans"]] == ["55/KH-UBND"]
    assert cli("status", "--plan", "139/KH-UBND") == 3
    assert "Không tìm thấy kế hoạch" in capsys.readouterr().err
    assert cli("export-package", "--out", str(tmp_path / "all.cdspkg")) == 6
    assert cli("roles", "grant", "x", "--role", "admin") == 6
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "Không có quyền" in err
