"""Roles on a shared database (issue 13 item 4): a commune officer sees and changes only their
commune's data, a district/city reader reads all and changes nothing (``database.access``).

Here through the services and the command line, on either database (the identity is ``CDS_USER``
on SQLite; on PostgreSQL the login role, see test_roles_postgres.py for real logins and RLS).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from cds_desktop.cli import main
from cds_desktop.database.access import AccessDenied
from cds_desktop.models import Commune, Item, Plan, Unit
from cds_desktop.services import items as item_service
from cds_desktop.services import plans as plan_service
from cds_desktop.services import roles
from cds_desktop.services.catalog import create_unit
from cds_desktop.services.common import NotFoundError
from cds_desktop.services.lookup import resolve_plan

pytestmark = pytest.mark.sqlite_only(reason="the identity is CDS_USER here; PostgreSQL logins: test_roles_postgres")


def _as(db, monkeypatch, login: str):
    monkeypatch.setenv("CDS_USER", login)
    db.load_access()
    return db


@pytest.fixture
def two_communes(demo_db, monkeypatch):
    """The demo (xã Bát Tràng, plan 139/KH-UBND) and xã Kim Anh with a plan of its own; alice is the
    administrator, bob the officer of Kim Anh, carol a district reader; dave has no role."""
    db = _as(demo_db, monkeypatch, "alice")
    with db.session("test") as s:
        kim_anh = plan_service.get_or_create_commune(s, "Kim Anh")
        plan = plan_service.create_plan(s, kim_anh, 2026, number="55/KH-UBND", title="Chuyển đổi số xã Kim Anh")
        item_service.create_item(s, plan, "task", content="Số hóa hồ sơ một cửa xã Kim Anh")
        create_unit(s, "Thôn Thượng Kim Anh", kind="village", commune_id=kim_anh.id)
    roles.grant_role(db, "alice", "admin")
    roles.grant_role(db, "bob", "commune", "xã Kim Anh", note="Nguyễn Văn Bình")
    roles.grant_role(db, "carol", "reader")
    return db


def test_a_commune_officer_sees_only_their_commune(two_communes, monkeypatch):
    db = _as(two_communes, monkeypatch, "bob")
    assert db.access.role == "commune" and db.access.commune_name == "xã Kim Anh"
    with db.session("test") as s:
        assert [p.number for p in plan_service.list_plans(s)] == ["55/KH-UBND"]
        assert [c.name for c in s.scalars(select(Commune))] == ["Kim Anh"]
        contents = [i.content for i in s.scalars(select(Item))]
        assert contents == ["Số hóa hồ sơ một cửa xã Kim Anh"]
        assert "Thôn Thượng Kim Anh" in [u.name for u in s.scalars(select(Unit))]
        with pytest.raises(NotFoundError):
            resolve_plan(s, "139/KH-UBND")


def test_a_commune_officer_cannot_write_another_communes_data(two_communes, monkeypatch):
    with two_communes.session("test") as s:
        bat_trang = s.scalar(select(Commune).where(Commune.name == "Bát Tràng")).id
        other_item = s.scalar(select(Item).join(Plan).where(Plan.number == "139/KH-UBND")).uuid
    db = _as(two_communes, monkeypatch, "bob")
    with pytest.raises(AccessDenied, match="chỉ được sửa dữ liệu của xã Kim Anh"), db.session("test") as s:
        s.add(Plan(commune_id=bat_trang, year=2027, recipients=[], contacts=[], appendices={}))
    with pytest.raises(NotFoundError), db.session("test") as s:
        item_service.update_item(s, other_item, content="Sửa trộm")
    with pytest.raises(AccessDenied), db.session("test") as s:  # a new commune is not theirs either
        plan_service.get_or_create_commune(s, "Đông Anh")
    with db.session("test") as s:  # their own data: fine
        own = s.scalar(select(Item))
        item_service.update_item(s, own.uuid, content="Số hóa toàn bộ hồ sơ một cửa")
    _as(db, monkeypatch, "alice")
    with db.session("test") as s:
        assert s.scalar(select(Item).where(Item.uuid == other_item)).content != "Sửa trộm"
        assert s.scalar(select(Plan).where(Plan.year == 2027)) is None


def test_a_reader_reads_every_commune_and_changes_nothing(two_communes, monkeypatch):
    db = _as(two_communes, monkeypatch, "carol")
    with db.session("test") as s:
        assert sorted(p.number for p in plan_service.list_plans(s)) == ["139/KH-UBND", "55/KH-UBND"]
    with pytest.raises(AccessDenied, match="chỉ được xem"), db.session("test") as s:
        item_service.update_item(s, s.scalar(select(Item)).uuid, content="Không được sửa")


def test_a_login_without_a_role_sees_nothing(two_communes, monkeypatch):
    db = _as(two_communes, monkeypatch, "dave")
    with db.session("test") as s:
        assert plan_service.list_plans(s) == []
        assert s.scalars(select(Item)).first() is None


def test_only_an_administrator_manages_roles(two_communes, monkeypatch):
    db = _as(two_communes, monkeypatch, "bob")
    with pytest.raises(AccessDenied, match="chỉ người quản trị"):
        roles.grant_role(db, "bob", "admin")
    db = _as(two_communes, monkeypatch, "alice")
    roles.revoke_role(db, "carol")
    assert [r["login"] for r in roles.list_roles(db)] == ["alice", "bob"]


def test_the_first_grant_makes_the_one_granting_an_administrator(demo_db, monkeypatch):
    db = _as(demo_db, monkeypatch, "alice")
    with pytest.raises(Exception, match="cấp quyền quản trị cho chính mình trước"):
        roles.grant_role(db, "bob", "reader")
    assert roles.list_roles(db) == []


def _cli(data_dir, *args: str) -> list[str]:
    return [*args, "--data-dir", str(data_dir)]


def test_every_plan_command_refuses_another_communes_plan(two_communes, data_dir, tmp_path, monkeypatch, capsys):
    """bob (xã Kim Anh) names the demo's plan or unit of xã Bát Tràng in each command: not found, or refused."""
    monkeypatch.setenv("CDS_USER", "bob")
    out = tmp_path / "out"
    out.mkdir()
    refused = {
        ("status", "--plan", "139/KH-UBND"): 3,
        ("report", "phu-luc-01", "--plan", "139/KH-UBND", "--out", str(out / "a.pdf")): 3,
        ("report", "phu-luc-02", "--plan", "139/KH-UBND", "--out", str(out / "b.xlsx")): 3,
        ("report", "progress", "--plan", "139/KH-UBND", "--period", "2026-05", "--out", str(out / "p.pdf")): 3,
        ("report", "evidence", "--plan", "139/KH-UBND", "--out", str(out / "e.pdf")): 3,
        ("report", "unit-plan", "--plan", "139/KH-UBND", "--unit", "Văn hóa", "--out", str(out / "u.pdf")): 3,
        ("report", "reminders", "--plan", "139/KH-UBND", "--out", str(out / "r.pdf")): 3,
        ("unit-workbook", "--plan", "139/KH-UBND", "--unit", "Văn hóa", "--period", "2026-05",
         "--out", str(out / "w.xlsx")): 3,
        ("export-package", "--plan", "139/KH-UBND", "--out", str(out / "p.cdspkg")): 3,
        ("export-package", "--out", str(out / "all.cdspkg")): 6,
        ("roles", "grant", "bob", "--role", "admin"): 6,
    }
    for args, code in refused.items():
        assert main(_cli(data_dir, *args)) == code, args
        err = capsys.readouterr().err
        assert err.startswith("Lỗi: ") and err.count("\n") == 1, (args, err)
    assert not any(out.iterdir()), "nothing written"
    assert main(_cli(data_dir, "info", "--json")) == 0
    shown = capsys.readouterr().out
    assert "55/KH-UBND" in shown and "139/KH-UBND" not in shown and "Bát Tràng" not in shown
    assert main(_cli(data_dir, "status", "--json", "--today", "2026-09-18")) == 0
    shown = capsys.readouterr().out
    assert "Bát Tràng" not in shown and "139/KH-UBND" not in shown
    # their own plan: exported, with nothing of the other commune in it
    assert main(_cli(data_dir, "export-package", "--plan", "55/KH-UBND", "--out", str(out / "own.cdspkg"))) == 0
    capsys.readouterr()
    monkeypatch.setenv("CDS_USER", "alice")
    assert main(_cli(data_dir, "roles", "list", "--json")) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["current"] == {"login": "alice", "role": "admin"}
    assert {r["login"]: r["commune"] for r in listed["roles"]}["bob"] == "xã Kim Anh"


def test_a_commune_officer_cannot_import_a_plan_of_another_commune(two_communes, data_dir, seeds_dir, monkeypatch,
                                                                    capsys):
    monkeypatch.setenv("CDS_USER", "bob")
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    code = main(_cli(data_dir, "import-plan", str(seed)))
    err = capsys.readouterr().err
    assert code == 6, err
    assert "Không có quyền" in err and "xã Kim Anh" in err


def test_a_commune_officer_lists_only_the_evidence_of_their_commune(two_communes, data_dir, tmp_path, monkeypatch,
                                                                     capsys):
    with two_communes.session("test") as s:
        other = s.scalar(select(Item.uuid).join(Plan).where(Plan.number == "139/KH-UBND"))
        own = s.scalar(select(Item.uuid).join(Plan).where(Plan.number == "55/KH-UBND"))
    for name, item, login in (("bat-trang.pdf", other, "alice"), ("kim-anh.pdf", own, "bob")):
        path = tmp_path / name
        path.write_bytes(b"%PDF-1.4 " + name.encode() * 40)
        monkeypatch.setenv("CDS_USER", login)
        assert main(_cli(data_dir, "evidence", "attach", str(path), "--item", item)) == 0, capsys.readouterr().err
    capsys.readouterr()
    monkeypatch.setenv("CDS_USER", "bob")
    assert main(_cli(data_dir, "evidence", "list", "--json")) == 0
    shown = capsys.readouterr().out
    assert "kim-anh.pdf" in shown and "bat-trang.pdf" not in shown
    assert main(_cli(data_dir, "evidence", "attach", str(tmp_path / "bat-trang.pdf"), "--item", other)) != 0
    assert "bat-trang.pdf" not in capsys.readouterr().out
    monkeypatch.setenv("CDS_USER", "carol")
    assert main(_cli(data_dir, "evidence", "list", "--json")) == 0
    shown = capsys.readouterr().out
    assert "kim-anh.pdf" in shown and "bat-trang.pdf" in shown


def test_the_light_first_paint_is_not_used_once_roles_exist(two_communes, data_dir):
    from cds_desktop.services.view_rows import LightReader

    assert LightReader.open(data_dir) is None  # the plain-sqlite3 path would show every commune's plan
