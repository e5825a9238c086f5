"""``cds-desktop import-plan``: both real plans end to end, re-import, dry run, audit."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from support.databases import database_state
from support.paths import BAT_TRANG_SEED, PHU_DONG_SEED

from cds_desktop.cli import main

DEMO_FILE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "bat_trang_2026.json"


def run_json(capsys, *args: str) -> dict:
    code = main(["import-plan", *args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def group_counts(plan: dict, section: str, kind_key: str) -> dict[tuple[str | None, str], int]:
    return {(g["parent_label"], g["label"]): g[kind_key] for g in plan["groups"] if g["section"] == section}


@pytest.fixture
def phu_dong(capsys, data_dir) -> dict:
    return run_json(capsys, str(PHU_DONG_SEED), "--data-dir", str(data_dir))


@pytest.fixture
def bat_trang(capsys, data_dir) -> dict:
    return run_json(capsys, str(BAT_TRANG_SEED), "--data-dir", str(data_dir))


def _items(data_dir: Path):
    from cds_desktop.database import open_database
    from cds_desktop.models import Item

    db = open_database(data_dir)
    try:
        with db.session() as session:
            items = list(session.scalars(select(Item).where(Item.deleted_at.is_(None)).order_by(Item.position)))
            return [
                {"kind": i.kind, "number": i.number, "local": i.local_number, "content": i.content,
                 "group": i.group.label if i.group else None, "group_title": i.group.title if i.group else "",
                 "group_note": i.group.note if i.group else "", "lead": i.lead_text, "guiding": i.guiding_agency,
                 "expected": i.expected_result, "deadline": i.deadline_text, "due": i.due_date,
                 "units": sorted((a.unit.name, a.role) for a in i.assignments if a.deleted_at is None)}
                for i in items
            ]
    finally:
        db.close()


# --- Phù Đổng (000) -----------------------------------------------------------------------------


def test_phu_dong_counts_per_group(phu_dong: dict) -> None:
    plan = phu_dong["plan"]
    assert (plan["indicator_count"], plan["task_count"]) == (18, 32)
    indicators = group_counts(plan, "indicators", "indicator_count")
    assert indicators == {(None, "A"): 0, ("A", "I"): 12, ("A", "II"): 0, ("A", "III"): 4, (None, "B"): 2}
    tasks = group_counts(plan, "tasks", "task_count")
    part_a = sum(n for (parent, _), n in tasks.items() if parent == "A")
    part_b = sum(n for (parent, _), n in tasks.items() if parent == "B")
    assert (part_a, part_b) == (7, 25)
    labels_b = [g["label"] for g in plan["groups"] if g["section"] == "tasks" and g["parent_label"] == "B"]
    assert labels_b == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert [tasks[("B", label)] for label in labels_b] == [5, 1, 8, 2, 2, 2, 4, 1]


def test_phu_dong_metadata_units_people(phu_dong: dict) -> None:
    plan = phu_dong["plan"]
    assert plan["commune"] == "Phù Đổng" and plan["commune_kind"] == "xã"
    assert plan["year"] == 2026
    assert plan["title"] == "Chuyển đổi số xã Phù Đổng năm 2026"
    assert plan["number"] == "" and plan["issue_date"] is None and plan["status"] == "draft"
    assert plan["signer"] == "Đào Đức Minh"
    units = {u["name"]: u["created"] for u in phu_dong["units"]}
    for name in ("Văn phòng HĐND-UBND", "Phòng Văn hóa - Xã hội", "Điểm hỗ trợ DVC số Phù Đổng",
                 "Các phòng, ban, đơn vị thuộc xã", "Công an xã", "Phòng Kinh tế", "Trung tâm Dịch vụ tổng hợp"):
        assert units.get(name) is True, name
    # one unit per spelling family, never the raw variants
    for variant in ("Phòng VHXXH", "Phòng VHXH", "Văn phòng HĐND-UBND xã", "Văn phòng HỘND-UBND", "Trung tâm DVTH"):
        assert variant not in units
    people = {p["name"]: p for p in phu_dong["people"]}
    assert people["Bùi Thu Hoàng"]["phone"] == "0982.369.759"
    assert people["Bùi Thu Hoàng"]["title"].startswith("Trưởng phòng Văn hóa - Xã hội")
    assert people["Bùi Công Yên"]["phone"] == "0983.981.104/ 0911.314.986"
    assert people["Đào Đức Minh"]["title"] == "Chủ tịch UBND xã"
    for warning in phu_dong["warnings"]:
        assert set(warning) == {"table", "row", "message"}


def test_phu_dong_rows_read_as_the_document(phu_dong: dict, data_dir: Path) -> None:
    items = _items(data_dir)
    tasks = {i["number"]: i for i in items if i["kind"] == "task"}
    assert len(tasks) == 32
    assert "phục vụ người dân, doanh nghiệp (Nâng cấp hệ thống mạng; Thiết bị Giao ban trực tuyến" in tasks["3"]["content"]
    continued = {
        "14": "cấp Thành phố làm trung tâm điều phối dữ liệu nội bộ",
        "16": "Tích hợp tổng đài và kênh hỗ trợ ảo",
        "17": "phôi nội dung tức thời tới tất cả điểm PVHCC",
        "20": "chính thông theo chuẩn kết nối của Thành phố",
        "22": "mô hình tập trung) đạt tối thiểu 80%",
        "23": "Điểm hành chính công của thành phố Hà Nội (nhóm 15 tiện ích)",
        "27": "điện tử qua phương thức truyền thông đa nền tảng",
        "29": "biết đến các Kênh, trang Chuyển đổi số Hà Nội",
    }
    for number, text in continued.items():
        item = tasks[number]
        assert text in item["content"] + " " + item["expected"], number
    assert tasks["23"]["guiding"] == "Trung tâm Phục vụ hành chính công"
    assert ("Công an xã", "lead") in tasks["5"]["units"] and ("Văn phòng HĐND-UBND", "lead") in tasks["5"]["units"]
    assert tasks["3"]["deadline"] == "Quý III/2026" and tasks["3"]["due"].isoformat() == "2026-09-30"
    indicators = [i for i in items if i["kind"] == "indicator"]
    assert [i["number"] for i in indicators] == [str(n) for n in range(1, 19)]
    assert indicators[10]["content"] == "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn đạt ≥ 98%."
    assert indicators[16]["units"] == [("Văn phòng HĐND-UBND", "coordinating"), ("Văn phòng HĐND-UBND", "lead"),
                                       ("Điểm hỗ trợ DVC số Phù Đổng", "lead")]


def test_no_header_or_group_row_is_an_item(phu_dong: dict, bat_trang: dict, data_dir: Path) -> None:
    forbidden = {"stt/chi tiết", "stt/ chi tiết", "tt", "stt", "mục tiêu", "chỉ tiêu", "tên nhóm nhiệm vụ/nhiệm vụ",
                 "tên nhóm nhiệm vụ/ nhiệm vụ", "chính quyền số", "kinh tế số", "xã hội số"}
    items = _items(data_dir)
    assert items
    for item in items:
        assert item["content"].lower() not in forbidden
        assert item["number"] not in ("TT", "STT", "I", "II", "III", "A", "B")
        assert not item["content"].startswith(("CHỈ TIÊU DO XÃ", "Các nhiệm vụ do", "Chỉ tiêu số....", "Nhiệm vụ số"))
        text = item["content"] + item["expected"]
        assert not any(tag in text for tag in ("<p>", "</p>", "<i>", "<li>", "<ul")) and "$" not in text


def test_kinh_te_so_note_becomes_group_note(phu_dong: dict, data_dir: Path) -> None:
    from cds_desktop.database import open_database
    from cds_desktop.models import Group

    db = open_database(data_dir)
    try:
        with db.session() as session:
            group = session.scalar(select(Group).where(Group.title == "Kinh tế số", Group.section == "indicators"))
            assert group is not None and group.label == "II"
            assert "không có chỉ tiêu đối với cấp xã" in group.note
            assert "<i>" not in group.note
    finally:
        db.close()


# --- Bát Tràng (004) ----------------------------------------------------------------------------


def test_bat_trang_counts_and_metadata(bat_trang: dict) -> None:
    plan = bat_trang["plan"]
    assert (plan["indicator_count"], plan["task_count"]) == (27, 12)
    assert [g["indicator_count"] for g in plan["groups"] if g["section"] == "indicators"] == [12, 3, 12]
    assert [g["task_count"] for g in plan["groups"] if g["section"] == "tasks"] == [1, 2, 1, 3, 1, 2, 2]
    assert (plan["number"], plan["issue_date"], plan["status"]) == ("139/KH-UBND", "2026-04-03", "issued")
    assert (plan["commune"], plan["signer"], plan["year"]) == ("Bát Tràng", "Hoàng Tiến Dũng", 2026)
    assert not [w for w in bat_trang["warnings"] if "tổng số" in w["message"] or "ghi " in w["message"]]


def test_bat_trang_matches_the_hand_checked_draft() -> None:
    from cds_desktop.importers.run import analyse_path

    draft = analyse_path(BAT_TRANG_SEED).draft
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    assert draft["commune"] == demo["commune"]
    assert draft["plan"] == demo["plan"]
    assert draft["groups"] == demo["groups"]
    keys = ("kind", "group", "number", "local_number", "content", "lead", "lead_text", "coordinating",
            "coordinating_text", "deadline_text", "basis", "note", "expected_result", "output_product")
    assert [{k: i[k] for k in keys} for i in draft["items"]] == [{k: i[k] for k in keys} for i in demo["items"]]
    assert {u["name"]: u["kind"] for u in draft["units"]} == {u["name"]: u["kind"] for u in demo["units"]}


# --- re-import, dry run, audit --------------------------------------------------------------------


def test_reimport_creates_nothing(capsys, data_dir: Path) -> None:
    first = run_json(capsys, str(BAT_TRANG_SEED), "--data-dir", str(data_dir))
    run_json(capsys, str(PHU_DONG_SEED), "--data-dir", str(data_dir))
    main(["info", "--json", "--data-dir", str(data_dir)])
    before = json.loads(capsys.readouterr().out)
    second = run_json(capsys, str(BAT_TRANG_SEED), "--data-dir", str(data_dir))
    third = run_json(capsys, str(PHU_DONG_SEED), "--data-dir", str(data_dir))
    main(["info", "--json", "--data-dir", str(data_dir)])
    after = json.loads(capsys.readouterr().out)
    assert before == after
    assert first["plan_created"] and not second["plan_created"] and not third["plan_created"]
    assert second["items"] == {"created": 0, "updated": 0, "unchanged": 39}
    assert second["groups"] == {"created": 0, "updated": 0, "unchanged": 10}
    assert third["items"] == {"created": 0, "updated": 0, "unchanged": 50}
    assert not any(u["created"] for u in second["units"] + third["units"])
    assert second["plan"]["uuid"] == first["plan"]["uuid"]


def test_reimport_updates_a_changed_row_and_audits_it(capsys, data_dir: Path, tmp_path: Path) -> None:
    run_json(capsys, str(BAT_TRANG_SEED), "--data-dir", str(data_dir))
    changed = tmp_path / "bat_trang_sua.txt"
    text = BAT_TRANG_SEED.read_text(encoding="utf-8")
    changed.write_text(text.replace("Quý III//2026", "Quý III/2026"), encoding="utf-8")
    report = run_json(capsys, str(changed), "--data-dir", str(data_dir))
    assert report["items"] == {"created": 0, "updated": 1, "unchanged": 38}
    from cds_desktop.database import open_database
    from cds_desktop.models import AuditEntry

    db = open_database(data_dir)
    try:
        with db.session() as session:
            sources = Counter(e.source for e in session.scalars(select(AuditEntry)))
            update = session.scalar(select(AuditEntry).where(AuditEntry.field == "deadline_text"))
    finally:
        db.close()
    assert sources["import:004_c2f9f5085f71fe4f.txt"] > 39
    assert update is not None and update.source == "import:bat_trang_sua.txt"
    assert (update.old_value, update.new_value) == ("Quý III//2026", "Quý III/2026")


def _digest(path: Path) -> str:
    return database_state(path.parent)


def test_dry_run_writes_nothing(capsys, data_dir: Path) -> None:
    from cds_desktop.importers.run import analyse_path

    report = run_json(capsys, str(PHU_DONG_SEED), "--data-dir", str(data_dir), "--dry-run")
    assert report["dry_run"] and report["plan"]["task_count"] == 32
    assert not (data_dir / "cds.sqlite").exists()
    draft = {(i["kind"], i["content"]): i for i in analyse_path(PHU_DONG_SEED).draft["items"]}
    for row in report["rows"]:  # each row as it will be written, its result and product included
        item = draft[(row["kind"], row["content"])]
        assert (row["expected_result"], row["output_product"]) == (item["expected_result"], item["output_product"])
    assert any(row["output_product"] for row in report["rows"])
    run_json(capsys, str(BAT_TRANG_SEED), "--data-dir", str(data_dir))
    db_file = data_dir / "cds.sqlite"
    digest = _digest(db_file)
    again = run_json(capsys, str(PHU_DONG_SEED), "--data-dir", str(data_dir), "--dry-run")
    assert again["plan_created"] and again["items"]["created"] == 50
    assert _digest(db_file) == digest
    main(["info", "--json", "--data-dir", str(data_dir)])
    assert [p["commune"] for p in json.loads(capsys.readouterr().out)["plans"]] == ["Bát Tràng"]


def test_human_output_lists_what_was_found(capsys, data_dir: Path) -> None:
    assert main(["import-plan", str(PHU_DONG_SEED), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "Chỉ tiêu: 18" in out and "Nhiệm vụ: 32" in out
    assert "A. Các nhiệm vụ do Thành phố giao cho UBND xã Chủ trì thực hiện: 7 nhiệm vụ" in out
    assert "+ Điểm hỗ trợ DVC số Phù Đổng (mới)" in out
    assert "Bùi Thu Hoàng — Trưởng phòng" in out
    assert "Đã tạo kế hoạch mới" in out


def test_seed_over_the_demo_plan_changes_nothing(capsys, demo_db) -> None:
    data_dir = str(demo_db.paths.data_dir)
    report = run_json(capsys, str(BAT_TRANG_SEED), "--data-dir", data_dir)
    assert not report["plan_created"] and report["plan_updated"] == []
    assert report["items"] == {"created": 0, "updated": 0, "unchanged": 39}
    assert report["groups"] == {"created": 0, "updated": 0, "unchanged": 10}
    assert not any(u["created"] for u in report["units"])


def test_a_pasted_table_merges_into_the_only_plan(capsys, demo_db, tmp_path: Path) -> None:
    data_dir = str(demo_db.paths.data_dir)
    table = tmp_path / "phu_luc_2.txt"
    table.write_text("\n".join(BAT_TRANG_SEED.read_text(encoding="utf-8").splitlines()[493:519]) + "\n",
                     encoding="utf-8")
    report = run_json(capsys, str(table), "--data-dir", data_dir)
    assert report["plan"]["number"] == "139/KH-UBND" and report["plan"]["status"] == "issued"
    assert report["plan_updated"] == [] and report["items_not_in_file"] == 27
    assert report["items"] == {"created": 0, "updated": 0, "unchanged": 12}
    assert any("kế hoạch duy nhất" in w["message"] for w in report["warnings"])
    run_json(capsys, str(PHU_DONG_SEED), "--data-dir", data_dir)
    assert main(["import-plan", str(table), "--data-dir", data_dir]) == 4  # bad input file
    assert "xã/phường" in capsys.readouterr().err
