"""One way to name a plan or a unit: id, number or title words, the same in every command."""

from __future__ import annotations

import json

import pytest
from support.databases import copy_data_dir
from support.exchange import template_dir

from cds_desktop.cli import main
from cds_desktop.models import Plan
from cds_desktop.services.common import ServiceError
from cds_desktop.services.lookup import resolve_plan, resolve_unit
from cds_desktop.services.plans import create_plan


@pytest.fixture
def two_plans(demo_db):
    with demo_db.session() as s:
        demo = s.query(Plan).one()
        other = create_plan(s, demo.commune, 2027, number="140/KH-UBND",
                            title="Chuyển đổi số xã Bát Tràng năm 2027")
        uuids = demo.uuid, other.uuid
    return demo_db, uuids


@pytest.mark.parametrize("ref", ["139", "139/KH-UBND", "139/kh-ubnd", " 139 / KH-UBND ", "năm 2026",
                                 "chuyen doi so bat trang 2026", "CHUYỂN ĐỔI SỐ 2026"])
def test_a_plan_is_found_by_number_or_title_words(two_plans, ref):
    db, (demo, _other) = two_plans
    with db.session() as s:
        assert resolve_plan(s, ref).uuid == demo


def test_a_plan_by_its_id_and_the_default_plan(two_plans):
    db, (demo, other) = two_plans
    with db.session() as s:
        assert resolve_plan(s, other.upper()).uuid == other
        assert resolve_plan(s, None).uuid == other  # the most recent year
        assert resolve_plan(s, "", year=2026).uuid == demo
        with pytest.raises(ServiceError, match="Không có kế hoạch năm 2030"):
            resolve_plan(s, None, year=2030, year_required=True)


def test_an_ambiguous_plan_lists_the_candidates(two_plans):
    db, _uuids = two_plans
    with db.session() as s, pytest.raises(ServiceError) as caught:
        resolve_plan(s, "bat trang")
    message = str(caught.value)
    assert "khớp với 2 kế hoạch" in message and "139/KH-UBND" in message and "140/KH-UBND" in message


def test_an_unknown_plan_names_the_plans_there_are(two_plans):
    db, _uuids = two_plans
    with db.session() as s, pytest.raises(ServiceError) as caught:
        resolve_plan(s, "141")
    assert "Không tìm thấy kế hoạch «141»" in str(caught.value) and "139/KH-UBND" in str(caught.value)


def test_a_unit_by_name_alias_words_or_id(demo_db):
    with demo_db.session() as s:
        unit = resolve_unit(s, "vhxh")
        assert unit.name == "Phòng Văn hóa - Xã hội"
        assert resolve_unit(s, unit.uuid) is unit
        assert resolve_unit(s, "van hoa xa hoi") is unit
        with pytest.raises(ServiceError, match="khớp với .* đơn vị: .*Phòng"):
            resolve_unit(s, "phong")
        with pytest.raises(ServiceError, match="Không tìm thấy đơn vị «Sở Du lịch»"):
            resolve_unit(s, "Sở Du lịch")


@pytest.fixture
def template_copy(tmp_path):
    data = tmp_path / "data"
    copy_data_dir(template_dir(), data)
    return data


@pytest.mark.parametrize("ref", ["139", "139/KH-UBND", "chuyển đổi số Bát Tràng"])
def test_every_command_takes_the_same_plan_names(template_copy, tmp_path, capsys, ref):
    status = main(["status", "--data-dir", str(template_copy), "--plan", ref, "--today", "2026-09-18", "--json"])
    out = capsys.readouterr().out
    assert status == 0 and "139/KH-UBND" in json.loads(out)["plan"]["label"]
    assert main(["export-package", "--data-dir", str(template_copy), "--plan", ref,
                 "--out", str(tmp_path / "p.cdspkg"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["scope"]["plan_uuid"]
    assert main(["report", "phu-luc-01", "--data-dir", str(template_copy), "--plan", ref,
                 "--out", str(tmp_path / "p.pdf")]) == 0
    capsys.readouterr()
    assert main(["unit-workbook", "--data-dir", str(template_copy), "--plan", ref, "--unit", "vhxh",
                 "--period", "2026-05", "--out", str(tmp_path)]) == 0
    assert "Phòng Văn hóa - Xã hội" in capsys.readouterr().out


def test_an_unknown_plan_is_one_vietnamese_line(template_copy, tmp_path, capsys):
    assert main(["export-package", "--data-dir", str(template_copy), "--plan", "999",
                 "--out", str(tmp_path / "p.cdspkg")]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Không tìm thấy kế hoạch «999»") and err.count("\n") == 1
