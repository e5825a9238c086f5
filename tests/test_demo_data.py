"""Checks of the demo plan data file ``resources/demo/bat_trang_2026.json``.

The file is the 2026 digital-transformation plan of xã Bát Tràng
(139/KH-UBND, 03/4/2026) entered as a ``cds-plan-draft/1`` document.
These tests look at the file only (stdlib + pytest), not at the app code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

DEMO_FILE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "bat_trang_2026.json"

UNIT_KINDS = {
    "department",
    "city_agency",
    "police",
    "health",
    "service_center",
    "village",
    "school",
    "organisation",
    "enterprise",
    "bank",
    "telecom",
    "collective",
    "other",
}
ITEM_KEYS = {
    "kind",
    "group",
    "number",
    "local_number",
    "content",
    "target_text",
    "guiding_agency",
    "lead",
    "lead_text",
    "coordinating",
    "coordinating_text",
    "leader",
    "deadline_text",
    "basis",
    "note",
    "expected_result",
    "output_product",
    "extra",
}
GROUP_KEYS = {"key", "section", "label", "title", "parent", "note", "declared_count"}
UNIT_KEYS = {"name", "short_name", "kind", "aliases"}


@pytest.fixture(scope="module")
def raw() -> str:
    return DEMO_FILE.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def data(raw: str) -> dict:
    return json.loads(raw)


@pytest.fixture(scope="module")
def unit_lookup(data: dict) -> dict[str, str]:
    """Every name and alias -> canonical unit name."""
    lookup: dict[str, str] = {}
    for unit in data["units"]:
        for spelling in [unit["name"], *unit["aliases"]]:
            lookup[spelling] = unit["name"]
    return lookup


def _items(data: dict, kind: str) -> list[dict]:
    return [it for it in data["items"] if it["kind"] == kind]


def _walk_strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _walk_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_strings(value)


def _resolve_cell(cell: str, lookup: dict[str, str]) -> list[str]:
    """Split a lead/coordinating cell into canonical unit names.

    A cell that is itself a known spelling (collectives such as
    "Các phòng, ban chuyên môn") is one unit; otherwise it is split on ";"
    and then, for parts that are still unknown, on ",".
    """
    cell = cell.strip()
    if not cell:
        return []
    if cell in lookup:
        return [lookup[cell]]
    names: list[str] = []
    for part in (p.strip() for p in cell.split(";")):
        if part in lookup:
            names.append(lookup[part])
            continue
        for piece in (p.strip() for p in part.split(",")):
            assert piece in lookup, f"unknown unit {piece!r} in cell {cell!r}"
            names.append(lookup[piece])
    return names


# --- the file itself ---------------------------------------------------------


def test_file_is_utf8_json_pretty_printed(raw: str, data: dict) -> None:
    assert isinstance(data, dict)
    assert raw == json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    assert "\\u" not in raw  # ensure_ascii=False: Vietnamese is stored as text


def test_format_tag_and_header(data: dict) -> None:
    assert data["format"] == "cds-plan-draft/1"
    assert data["source"] == "shared/seeds/004_c2f9f5085f71fe4f.txt"
    assert data["commune"] == {"name": "Bát Tràng", "kind": "xã", "city": "Hà Nội"}
    plan = data["plan"]
    assert plan["year"] == 2026
    assert plan["number"] == "139/KH-UBND"
    assert plan["issue_date"] == "2026-04-03"
    assert plan["place"] == "Bát Tràng"
    assert plan["title"] == "Chuyển đổi số xã Bát Tràng năm 2026"
    assert plan["authority"] == "TM. ỦY BAN NHÂN DÂN"
    assert plan["position"] == "CHỦ TỊCH"
    assert plan["signer"] == "Hoàng Tiến Dũng"
    assert plan["status"] == "issued"
    assert plan["report_day"] == 15
    assert plan["recipients"] == [
        "UBND Thành phố;",
        "Sở Khoa học và Công nghệ;",
        "Thường trực: Đảng ủy - HĐND xã;",
        "Các Đ/c PCT UBND xã;",
        "UB MTTQVN xã và các tổ chức CTXH;",
        "Các phòng, ban, đơn vị thuộc xã;",
        "Các ông (bà) Trưởng thôn;",
        "Lưu: VT, VHXXH",
    ]
    assert data["people"][0]["name"] == plan["signer"]


def test_appendix_columns(data: dict) -> None:
    apx = data["plan"]["appendices"]
    ind_cols = [(c["key"], c["header"]) for c in apx["indicators"]["columns"]]
    assert ind_cols == [
        ("number", "TT"),
        ("content", "Chỉ tiêu"),
        ("lead", "Đơn vị chủ trì"),
        ("coordinating", "Đơn vị phối hợp"),
        ("basis", "Căn cứ"),
        ("note", "Ghi chú"),
    ]
    task_cols = [(c["key"], c["header"]) for c in apx["tasks"]["columns"]]
    assert task_cols == [
        ("number", "TT"),
        ("content", "Tên nhóm nhiệm vụ/ nhiệm vụ"),
        ("lead", "Đơn vị chủ trì"),
        ("coordinating", "Đơn vị phối hợp"),
        ("deadline", "Thời gian hoàn thành"),
        ("expected_result", "Kết quả cần đạt (Định lượng)"),
        ("output_product", "Sản phẩm đầu ra"),
    ]
    assert apx["indicators"]["label"] == "Phụ lục 1"
    assert apx["tasks"]["label"] == "Phụ lục 2"


# --- counts ------------------------------------------------------------------


def test_indicator_counts(data: dict) -> None:
    indicators = _items(data, "indicator")
    assert len(indicators) == 27
    assert Counter(it["group"] for it in indicators) == {"ind-I": 12, "ind-II": 3, "ind-III": 12}
    titles = {g["key"]: g["title"] for g in data["groups"] if g["section"] == "indicators"}
    assert titles == {"ind-I": "Chính quyền số", "ind-II": "Kinh tế số", "ind-III": "Xã hội số"}


def test_task_counts(data: dict) -> None:
    tasks = _items(data, "task")
    assert len(tasks) == 12
    task_groups = [g["key"] for g in data["groups"] if g["section"] == "tasks"]
    assert task_groups == [f"task-{r}" for r in ("I", "II", "III", "IV", "V", "VI", "VII")]
    per_group = Counter(it["group"] for it in tasks)
    assert [per_group[k] for k in task_groups] == [1, 2, 1, 3, 1, 2, 2]


def test_only_indicators_and_tasks(data: dict) -> None:
    assert {it["kind"] for it in data["items"]} == {"indicator", "task"}
    assert len(data["items"]) == 39


def test_declared_totals_match(data: dict) -> None:
    apx = data["plan"]["appendices"]
    assert apx["indicators"]["declared_total"] == 27 == len(_items(data, "indicator"))
    assert apx["tasks"]["declared_total"] == 12 == len(_items(data, "task"))
    per_group = Counter(it["group"] for it in data["items"])
    for group in data["groups"]:
        assert group["declared_count"] == per_group[group["key"]], group["key"]


# --- groups and items --------------------------------------------------------


def test_groups_well_formed(data: dict) -> None:
    keys = [g["key"] for g in data["groups"]]
    assert len(keys) == len(set(keys)) == 10
    for group in data["groups"]:
        assert set(group) == GROUP_KEYS
        assert group["section"] in {"indicators", "tasks"}
        prefix = "ind-" if group["section"] == "indicators" else "task-"
        assert group["key"] == prefix + group["label"]
        assert group["title"].strip()
        assert group["parent"] is None or group["parent"] in keys


def test_every_item_group_exists(data: dict) -> None:
    sections = {g["key"]: g["section"] for g in data["groups"]}
    assert data["items"] and sections
    for item in data["items"]:
        assert set(item) == ITEM_KEYS, item["number"]
        assert item["group"] in sections
        expected = "indicators" if item["kind"] == "indicator" else "tasks"
        assert sections[item["group"]] == expected


def test_numbers_run_one_to_n_within_each_group(data: dict) -> None:
    assert data["groups"] and data["items"]
    for group in data["groups"]:
        numbers = [it["number"] for it in data["items"] if it["group"] == group["key"]]
        assert numbers == [str(i) for i in range(1, len(numbers) + 1)], group["key"]
    for item in data["items"]:
        assert item["local_number"] == item["number"]


def test_no_item_content_empty(data: dict) -> None:
    assert data["items"]
    for item in data["items"]:
        assert item["content"].strip(), (item["group"], item["number"])
        assert item["lead"], (item["group"], item["number"])
        assert item["lead_text"].strip()


def test_page_break_headers_are_not_items(data: dict) -> None:
    assert data["items"]
    for item in data["items"]:
        assert item["number"] != "TT"
        assert item["content"] not in {"Chỉ tiêu", "Tên nhóm nhiệm vụ/ nhiệm vụ"}


def test_field_rules_per_kind(data: dict) -> None:
    assert {item["kind"] for item in data["items"]} == {"indicator", "task"}
    for item in data["items"]:
        assert item["target_text"] == ""
        assert isinstance(item["extra"], dict)
        if item["kind"] == "indicator":
            assert item["deadline_text"] == ""
            assert item["basis"].strip()
            assert item["expected_result"] == item["output_product"] == ""
        else:
            assert item["deadline_text"].strip()
            assert item["expected_result"].strip()
            assert item["output_product"].strip()
            assert item["basis"] == ""


def test_text_cleaned(data: dict) -> None:
    texts = list(_walk_strings(data["items"]))
    assert texts
    for text in texts:
        assert "$" not in text and "\\" not in text, text
        assert "  " not in text, text
        assert text == text.strip(), text


def test_cells_kept_as_written(data: dict) -> None:
    by_pos = {(it["group"], it["number"]): it for it in data["items"]}
    assert by_pos[("ind-I", "11")]["content"] == "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn đạt ≥ 95%"
    assert by_pos[("ind-I", "12")]["content"] == "Phần đầu tỷ lệ từ chối hoặc yêu cầu bổ sung < 5%"
    assert by_pos[("ind-III", "9")]["content"].endswith("đạt ≥ 70%")
    assert by_pos[("ind-III", "2")]["lead_text"] == "Phòng VHXXH"
    assert by_pos[("task-III", "1")]["deadline_text"] == "Quý III//2026"
    assert by_pos[("task-III", "1")]["expected_result"].endswith("cảnh báo sớm ≥ 90% nguy cơ chậm muộn")
    assert by_pos[("task-IV", "1")]["deadline_text"] == "Nhiệm vụ thường xuyên"
    assert by_pos[("task-V", "1")]["expected_result"].startswith("- Giảm trung gian; - Chuẩn hoá")
    assert by_pos[("task-I", "1")]["coordinating"] == []
    assert by_pos[("task-I", "1")]["coordinating_text"] == ""


# --- units -------------------------------------------------------------------


def test_units_well_formed_and_unique(data: dict) -> None:
    spellings: list[str] = []
    for unit in data["units"]:
        assert set(unit) == UNIT_KEYS
        assert unit["kind"] in UNIT_KINDS, unit["name"]
        assert unit["name"].strip() and unit["short_name"].strip()
        assert isinstance(unit["aliases"], list)
        spellings += [unit["name"], *unit["aliases"]]
    dupes = [s for s, n in Counter(spellings).items() if n > 1]
    assert not dupes, dupes


def test_named_units_exist(data: dict, unit_lookup: dict[str, str]) -> None:
    names = {u["name"] for u in data["units"]}
    assert names and any(item["lead"] for item in data["items"])
    for item in data["items"]:
        for name in item["lead"] + item["coordinating"]:
            assert name in unit_lookup, (item["group"], item["number"], name)
            assert name in names, f"{name!r} is an alias, lists must hold canonical names"


def test_cells_resolve_to_unit_lists(data: dict, unit_lookup: dict[str, str]) -> None:
    assert data["items"] and unit_lookup
    for item in data["items"]:
        pos = (item["group"], item["number"])
        assert _resolve_cell(item["lead_text"], unit_lookup) == item["lead"], pos
        assert _resolve_cell(item["coordinating_text"], unit_lookup) == item["coordinating"], pos


def test_every_unit_is_used_or_named_by_plan(data: dict) -> None:
    used = {n for it in data["items"] for n in it["lead"] + it["coordinating"]}
    assert used and data["units"]
    for unit in data["units"]:
        assert unit["name"] in used, unit["name"]


def test_key_units(data: dict) -> None:
    units = {u["name"]: u for u in data["units"]}
    office = units["Văn phòng HĐND-UBND"]
    assert office["kind"] == "department"
    for alias in ("Văn phòng HĐND - UBND", "Văn phòng HĐND – UBND", "VP HĐND – UBND"):
        assert alias in office["aliases"]
    culture = units["Phòng Văn hóa - Xã hội"]
    for alias in ("Phòng VHXXH", "Phòng VHXH", "Phòng VHXX"):
        assert alias in culture["aliases"]
    assert units["Sở Khoa học và Công nghệ"]["kind"] == "city_agency"
    for collective in (
        "Các phòng, ban chuyên môn",
        "Các thôn trên địa bàn xã",
        "Các hợp tác xã, doanh nghiệp, hộ kinh doanh trên địa bàn xã",
        "Các ngân hàng trên địa bàn",
        "Các trường công lập trên địa bàn xã",
    ):
        assert units[collective]["kind"] == "collective", collective


# --- text --------------------------------------------------------------------


def test_all_strings_nfc(data: dict) -> None:
    texts = list(_walk_strings(data))
    assert texts
    for text in texts:
        assert unicodedata.is_normalized("NFC", text), text


def test_dates_and_numbers_plausible(data: dict) -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["plan"]["issue_date"])
    assert 1 <= data["plan"]["report_day"] <= 31
