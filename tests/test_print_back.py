"""Phụ lục 01 / 02 printed as the plan wrote them (its appendix titles, its columns in its order, the
leader column and columns the model has no field for), and read back: our own printed appendices import
into the same plan (same groups, rows, targets, deadlines, units, leaders)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from support.paths import BAT_TRANG_SEED, PHU_DONG_SEED
from support.plans import import_plan_file
from support.reports import assert_in_order, pdf_text, sheet_strings

from cds_desktop.models import Group, Item, Person, Plan
from cds_desktop.reports import render_report
from cds_desktop.services.catalog import unit_key

AN_KHANH = Path(__file__).parent / "fixtures" / "print_back" / "an_khanh_2026.txt"
KIM_ANH = Path(__file__).parent / "fixtures" / "plans" / "kim_anh.txt"
DAI_MO = Path(__file__).parent / "fixtures" / "plans" / "dai_mo.xlsx"  # one table: indicators, then tasks  # two-row header, damaged name cells
AN_KHANH_HEADERS = {
    "phu-luc-01": ["STT", "Chỉ tiêu", "Mục tiêu", "Lãnh đạo chỉ đạo", "Đơn vị chủ trì", "Đơn vị phối hợp",
                   "Thời gian thực hiện", "Kinh phí"],
    "phu-luc-02": ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Lãnh đạo phụ trách",
                   "Thời hạn hoàn thành", "Sản phẩm đầu ra"],
}


def _open(path: Path):
    from cds_desktop.database import open_database

    return open_database(path)


@pytest.fixture
def an_khanh(tmp_path):
    db = _open(tmp_path / "an-khanh")
    report = import_plan_file(db, AN_KHANH)
    assert report["plan_created"] and report["items"]["created"] == 5
    yield db
    db.close()


def _header_row(ws) -> list[str]:
    row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    return [str(c.value) for c in ws[row] if c.value]


@pytest.mark.parametrize("kind", ["phu-luc-01", "phu-luc-02"])
def test_appendix_printed_under_the_plans_own_title_with_its_own_columns(an_khanh, tmp_path, kind):
    xlsx = render_report(an_khanh, kind, "xlsx", tmp_path / f"{kind}.xlsx")
    ws = load_workbook(xlsx).worksheets[0]
    texts = sheet_strings(ws)
    assert _header_row(ws) == AN_KHANH_HEADERS[kind]  # its headers, in its order, leader column included
    pdf = pdf_text(render_report(an_khanh, kind, "pdf", tmp_path / f"{kind}.pdf"))
    assert_in_order(pdf, AN_KHANH_HEADERS[kind], prefix=12)
    if kind == "phu-luc-01":
        assert "Phụ lục I" in texts and "DANH SÁCH CHỈ TIÊU CỤ THỂ NĂM 2026" in texts
        assert "Đ/c Lê Văn Bình, Chủ tịch UBND xã" in texts and "50 triệu đồng" in texts  # leader, extra column
        assert_in_order(pdf, ["Phụ lục I", "DANH SÁCH CHỈ TIÊU CỤ THỂ NĂM 2026", "Tỷ lệ hồ sơ", "≥ 98%",
                              "Đ/c Lê Văn Bình", "50 triệu đồng"])
    else:
        # "Phụ lục bảng phân công…" is label and title at once: printed once, no "Phụ lục 02" above it.
        assert "PHỤ LỤC BẢNG PHÂN CÔNG NHIỆM VỤ, TIẾN ĐỘ THỰC HIỆN" in texts
        assert not any(t.startswith("Phụ lục") for t in texts)
        assert "Đ/c Trần Thị Hoa, Phó Chủ tịch UBND xã" in texts
        assert "PHỤLỤC02" not in pdf.replace(" ", "").upper()


def test_one_table_of_indicators_and_tasks_prints_its_columns_in_both_appendices(tmp_path):
    """A plan with one table («A. CHỈ TIÊU» then «B. NHIỆM VỤ» in it): Phụ lục 01 prints that table's
    columns too (before, the standard set, with an empty «Sở, ngành TP hướng dẫn»), and its «Kết quả
    cần đạt» column shows the indicators' targets."""
    db = _open(tmp_path / "dai-mo")
    try:
        import_plan_file(db, DAI_MO)
        headers = ["TT", "Nội dung chỉ tiêu/nhiệm vụ", "Kết quả cần đạt", "Cơ quan chủ trì", "Cơ quan phối hợp",
                   "Thời gian hoàn thành", "Ghi chú"]
        for kind in ("phu-luc-01", "phu-luc-02"):
            ws = load_workbook(render_report(db, kind, "xlsx", tmp_path / f"{kind}.xlsx")).worksheets[0]
            assert _header_row(ws) == headers
        pdf = pdf_text(render_report(db, "phu-luc-01", "pdf", tmp_path / "phu-luc-01.pdf"))
        assert "Sở, ngành" not in pdf
        assert_in_order(pdf, [*headers, "Tỷ lệ hồ sơ thủ tục hành chính", "≥ 80%", "32/32 tổ"], prefix=12)
    finally:
        db.close()


def test_a_two_row_header_and_repaired_cells_print_as_the_plan_meant(tmp_path):
    """Kim Anh's Phụ lục 2 has "Đơn vị thực hiện" over "Chủ trì | Phối hợp", and a converter pushed a
    leader's middle name into the unit cells ("Đ.c Hoàng Quyết" | "Văn Văn phòng HĐND - UBND xã"): the
    upper header is printed over its two columns, and the cells the reader repaired print repaired."""
    from cds_desktop.reports.appendix import build_appendix

    db = _open(tmp_path / "kim-anh")
    try:
        import_plan_file(db, KIM_ANH)
        with db.session() as s:
            plan = s.scalar(select(Plan))
            table = build_appendix(s, plan, "tasks").sections[0].tables[0]
        top, low = table.header_rows
        at = top.index("Đơn vị thực hiện")
        assert low[at:at + 2] == ["Chủ trì", "Phối hợp"] and top[at + 1] == ""
        assert (0, at, 0, at + 1) in table.header_spans  # across its two columns
        assert (0, 0, 1, 0) in table.header_spans and low[0] == ""  # "TT" over both rows
        xlsx = render_report(db, "phu-luc-02", "xlsx", tmp_path / "p2.xlsx")
        texts = sheet_strings(load_workbook(xlsx).worksheets[0])
        assert {"Đơn vị thực hiện", "Chủ trì", "Phối hợp"} <= set(texts)
        assert not any(t.startswith(("Văn Văn phòng", "Quang Văn phòng")) for t in texts)
        assert "Đ.c Hoàng Văn Quyết, Chủ tịch UBND xã" in texts and "Đ.c Bùi Quang Vinh, PCT UBND xã" in texts
        assert not any("Nguyễn Thị Thu Trang" in t and "Phòng" in t for t in texts)  # the shifted leader cell
        pdf = pdf_text(render_report(db, "phu-luc-02", "pdf", tmp_path / "p2.pdf"))
        assert_in_order(pdf, ["Đơn vị thực hiện", "Chủ trì", "Phối hợp", "Kiện toàn Ban Chỉ đạo"])
        assert "Văn Văn phòng" not in pdf
    finally:
        db.close()


def test_the_column_chooser_still_chooses(an_khanh, tmp_path):
    from cds_desktop.reports.columns import available_columns, default_column_keys

    with an_khanh.session() as s:
        plan = s.scalar(select(Plan))
        keys = [k for k, _ in available_columns(plan, "indicators")]
        assert "extra:Kinh phí" in keys and "leader" in keys and "guiding_agency" in keys
        assert default_column_keys(plan, "indicators") == ["number", "content", "target", "leader", "lead",
                                                            "coordinating", "deadline", "extra:Kinh phí"]
    xlsx = render_report(an_khanh, "phu-luc-01", "xlsx", tmp_path / "chosen.xlsx",
                         columns=["number", "content", "extra:Kinh phí", "lead", "guiding_agency"])
    header = _header_row(load_workbook(xlsx).worksheets[0])
    assert header == ["STT", "Chỉ tiêu", "Kinh phí", "Đơn vị chủ trì", "Sở, ngành TP hướng dẫn"]


def _picture(db) -> dict:
    """A plan as its appendices show it: groups, rows, targets, deadlines, units, leaders."""
    with db.session() as s:
        groups = list(s.scalars(select(Group).where(Group.deleted_at.is_(None)).order_by(Group.position)))
        by_id = {g.id: g for g in groups}

        def path(group: Group | None) -> tuple[str, ...]:
            out: list[str] = []
            while group is not None:
                out.insert(0, f"{group.label} {group.title}".strip())
                group = by_id.get(group.parent_id) if group.parent_id else None
            return tuple(out)

        people = {p.id: p.name for p in s.scalars(select(Person))}
        rows = []
        for i in s.scalars(select(Item).where(Item.deleted_at.is_(None)).order_by(Item.kind, Item.position)):
            # A unit is named after the first spelling an import meets ("Các phòng, ban, đơn vị" / "Các
            # phòng, ban đơn vị"): the same unit whatever its punctuation.
            units = {role: sorted(re.sub(r"\W", "", unit_key(a.unit.name)) for a in i.assignments
                                  if a.deleted_at is None and a.role == role) for role in ("lead", "coordinating")}
            rows.append({
                "kind": i.kind, "group": path(i.group), "number": i.number, "local_number": i.local_number,
                "content": i.content, "target": (i.target_text, i.target_comparator, i.target_value),
                "deadline": (i.deadline_text, i.due_date), "lead": units["lead"],
                "coordinating": units["coordinating"], "leader": (i.leader_text, people.get(i.leader_id)),
                "texts": (i.guiding_agency, i.basis, i.note, i.expected_result, i.output_product),
                "extra": dict(i.extra or {}),
            })
        return {"groups": sorted({(g.section, path(g)) for g in groups}), "rows": rows}


def _hyphens(picture: dict) -> dict:
    """The picture with no space after a hyphen: a PDF line that ends in "120-" does not say whether
    the plan wrote "120- 150" or "120-150" (the one thing a printed PDF cannot carry back)."""
    def text(value):
        if isinstance(value, str):
            return re.sub(r"-\s+", "-", value)
        if isinstance(value, (list, tuple)):
            return type(value)(text(v) for v in value)
        if isinstance(value, dict):
            return {k: text(v) for k, v in value.items()}
        return value
    return text(picture)


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
@pytest.mark.parametrize("source", ["demo", BAT_TRANG_SEED, PHU_DONG_SEED, AN_KHANH, KIM_ANH],
                         ids=["demo", "bat-trang", "phu-dong", "an-khanh", "kim-anh"])
def test_printed_appendices_read_back_into_the_same_plan(tmp_path, source, fmt):
    original = _open(tmp_path / "original")
    fresh = _open(tmp_path / "fresh")
    try:
        if source == "demo":
            from cds_desktop.services.demo import create_demo

            create_demo(original)
        else:
            import_plan_file(original, source)
        before = _picture(original)
        assert len(before["rows"]) >= 5 and any(r["lead"] for r in before["rows"])
        printed = [render_report(original, kind, fmt, tmp_path / f"{kind}.{fmt}")
                   for kind in ("phu-luc-01", "phu-luc-02")]
        for path in printed:
            again = import_plan_file(original, path)  # into the plan it was printed from: nothing to change
            assert not again["plan_created"]
            assert again["items"]["created"] == 0 and again["groups"]["created"] == 0
            assert again["items"]["updated"] <= (1 if fmt == "pdf" else 0)  # pdf: "120- 150" read "120-150"
            assert again["groups"]["updated"] == 0
            assert "appendices" not in again["plan_updated"]
            assert not [u for u in again["units"] if u["created"]]
        assert _hyphens(_picture(original)) == _hyphens(before)
        for path in printed:  # into an empty database: the same plan again
            import_plan_file(fresh, path)
        after = _picture(fresh)
        assert after["groups"] == before["groups"]
        if fmt == "pdf":
            after, before = _hyphens(after), _hyphens(before)
        assert after["rows"] == before["rows"]
    finally:
        original.close()
        fresh.close()


def test_a_plan_another_body_issued_prints_under_its_own_header(tmp_path):
    """Sóc Sơn's plan was issued by the Party committee's steering board ("ĐẢNG ỦY XÃ SÓC SƠN" /
    "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ", "ĐẢNG CỘNG SẢN VIỆT NAM", Số: 05-KH/BCĐ): its appendices print under
    that header and refer to it, not to a People's Committee that did not issue it."""
    db = _open(tmp_path / "soc-son")
    try:
        import_plan_file(db, Path(__file__).parent / "fixtures" / "plans" / "soc_son.txt")
        pdf = pdf_text(render_report(db, "phu-luc-01", "pdf", tmp_path / "p1.pdf"))
        assert_in_order(pdf, ["ĐẢNG ỦY XÃ SÓC SƠN", "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ", "ĐẢNG CỘNG SẢN VIỆT NAM",
                              "Số: 05-KH/BCĐ", "của Ban chỉ đạo chuyển đổi số xã Sóc Sơn"])
        assert "CỘNG HÒA XÃ HỘI" not in pdf and "ỦY BAN NHÂN DÂN" not in pdf and "UBND xã Sóc Sơn" not in pdf
        xlsx = render_report(db, "phu-luc-02", "xlsx", tmp_path / "p2.xlsx")
        texts = sheet_strings(load_workbook(xlsx).worksheets[0])
        assert {"ĐẢNG ỦY XÃ SÓC SƠN", "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ", "ĐẢNG CỘNG SẢN VIỆT NAM"} <= set(texts)
        assert "Độc lập - Tự do - Hạnh phúc" not in texts
        with db.session() as s:
            people = {p.name: p.title for p in s.scalars(select(Person))}
        assert people["Phạm Văn Hùng"] == "Trưởng ban Ban chỉ đạo xã"
    finally:
        db.close()
