"""PDF output of the appendices and the unit plan, read back with pypdf."""

from __future__ import annotations

import re
import unicodedata

import pytest
from sqlalchemy import select
from support.reports import (
    assert_in_order,
    font_problems,
    page_sizes,
    pdf_pages,
    pdf_text,
    squash,
    top_margin_texts,
)

from cds_desktop.models import INDICATOR, TASK, Group, Item, Plan
from cds_desktop.reports import render_all_units, render_report
from cds_desktop.reports.loading import plan_units
from cds_desktop.services import items as item_service
from cds_desktop.services import plans as plan_service

MM = 72 / 25.4


def _expected(db, kind: str) -> list[str]:
    """Group titles and item contents in document order (groups are one level in the demo)."""
    section = "indicators" if kind == INDICATOR else "tasks"
    with db.session() as s:
        groups = list(s.scalars(select(Group).where(Group.section == section).order_by(Group.position)))
        out = []
        for g in groups:
            out.append(g.title)
            out += [
                i.content
                for i in s.scalars(
                    select(Item).where(Item.group_id == g.id, Item.deleted_at.is_(None)).order_by(Item.position)
                )
            ]
    return out


@pytest.mark.parametrize(
    ("kind", "item_kind", "label", "title", "count"),
    [
        ("phu-luc-01", INDICATOR, "Phụ lục 1", "DANH MỤC CÁC CHỈ TIÊU CỤ THỂ", 27),
        ("phu-luc-02", TASK, "Phụ lục 2", "DANH MỤC CÁC NHIỆM VỤ GIẢI PHÁP", 12),
    ],
)
def test_appendix_pdf_content_and_structure(demo_db, tmp_path, kind, item_kind, label, title, count):
    out = render_report(demo_db, kind, "pdf", tmp_path / f"{kind}.pdf")
    text = pdf_text(out)
    # Headings of a commune People's Committee document.
    lines = [line.strip() for line in text.splitlines()]
    for heading in ("ỦY BAN NHÂN DÂN", "XÃ BÁT TRÀNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    "Độc lập - Tự do - Hạnh phúc", "Số: 139/KH-UBND", "Bát Tràng, ngày 03 tháng 4 năm 2026",
                    label, title):
        assert heading in lines, heading
    assert "(Kèm theo Kế hoạch số 139/KH-UBND ngày 03 tháng 4 năm 2026 của UBND xã Bát Tràng)" in text
    noun = "chỉ tiêu" if item_kind == INDICATOR else "nhiệm vụ"
    assert f"Tổng số {noun}: {count} {noun}" in text
    # The plan's own column headers, then every group and row, in document order.
    with demo_db.session() as s:
        plan = s.scalar(select(Plan))
        headers = [c["header"] for c in plan.appendices["indicators" if item_kind == INDICATOR else "tasks"]["columns"]]
    assert_in_order(pdf_pages(out)[0], headers, prefix=60)
    expected = _expected(demo_db, item_kind)
    assert len(expected) > count
    assert_in_order(text, expected)
    # Text is NFC and Vietnamese survives extraction.
    assert text == unicodedata.normalize("NFC", text)
    assert "Xã hội số" in text or "Bảo đảm an toàn thông tin" in text
    # Tables on landscape A4 pages.
    sizes = page_sizes(out)
    assert len(sizes) >= 2
    for width, height in sizes:
        assert width == pytest.approx(297 * MM, abs=1) and height == pytest.approx(210 * MM, abs=1)
    # Header rows repeated on every page.
    first_header = squash(headers[1])
    for page in pdf_pages(out):
        assert first_header in squash(page)
    assert not font_problems(out)


def test_page_numbers_from_page_two_centred_in_top_margin(demo_db, tmp_path):
    out = render_report(demo_db, "phu-luc-01", "pdf", tmp_path / "pl01.pdf")
    tops = top_margin_texts(out)
    assert len(tops) >= 3
    assert tops[0] == []  # no number on the first page
    width = page_sizes(out)[0][0]
    centre = (30 * MM + width - 15 * MM) / 2
    for number, found in enumerate(tops[1:], start=2):
        assert [t for t, _ in found] == [str(number)]
        assert found[0][1] == pytest.approx(centre, abs=8)


def test_blank_number_and_date_print_as_blanks(demo_db, tmp_path):
    with demo_db.session() as s:
        plan = s.scalar(select(Plan))
        plan_service.update_plan(s, plan.uuid, number="", issue_date=None)
    text = pdf_text(render_report(demo_db, "phu-luc-01", "pdf", tmp_path / "blank.pdf"))
    assert re.search(r"Số:\s{3,}/KH-UBND", text)
    assert re.search(r"Bát Tràng, ngày\s{3,}tháng\s{3,}năm 2026", text)
    assert re.search(r"Kế hoạch số\s{3,}/KH-UBND ngày\s{3,}tháng\s{3,}năm 2026 của UBND xã Bát Tràng", text)
    assert "139/KH-UBND" not in text


def test_dates_take_leading_zeros_for_days_and_for_january_february(demo_db, tmp_path):
    from datetime import date

    with demo_db.session() as s:
        plan = s.scalar(select(Plan))
        plan_service.update_plan(s, plan.uuid, issue_date=date(2026, 2, 5))
    text = pdf_text(render_report(demo_db, "phu-luc-02", "pdf", tmp_path / "feb.pdf"))
    assert "Bát Tràng, ngày 05 tháng 02 năm 2026" in text


def test_chosen_columns_and_structured_target(demo_db, tmp_path):
    out = render_report(demo_db, "phu-luc-01", "pdf", tmp_path / "cols.pdf",
                        columns=["content", "target", "deadline"])
    first = squash(pdf_pages(out)[0])
    assert squash("TT Chỉ tiêu Mục tiêu Thời gian thực hiện") in first  # number forced first, plan's headers kept
    assert "Đơnvịchủtrì" not in first
    assert "≥95%" in squash(pdf_text(out))


def test_very_long_cell_is_split_over_pages_not_clipped(demo_db, tmp_path):
    long_text = " ".join(f"đoạn{n} nội dung rất dài của chỉ tiêu" for n in range(700))
    with demo_db.session() as s:
        item = s.scalar(select(Item).where(Item.kind == INDICATOR).order_by(Item.position))
        item_service.update_item(s, item.uuid, content=long_text)
    text = squash(pdf_text(render_report(demo_db, "phu-luc-01", "pdf", tmp_path / "long.pdf")))
    assert "đoạn0" in text and "đoạn699" in text
    assert text.index("đoạn0") < text.index("đoạn699")


def test_unit_plan_pdf(demo_db, tmp_path):
    out = render_report(demo_db, "unit-plan", "pdf", tmp_path / "unit.pdf", unit_uuid="Phòng VHXH")
    text = pdf_text(out)
    lines = [line.strip() for line in text.splitlines()]
    for heading in ("UBND XÃ BÁT TRÀNG", "PHÒNG VĂN HÓA - XÃ HỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    "Độc lập - Tự do - Hạnh phúc", "KẾ HOẠCH", "CÔNG TÁC CHUYỂN ĐỔI SỐ NĂM 2026",
                    "CỦA PHÒNG VĂN HÓA - XÃ HỘI", "TRƯỞNG CƠ QUAN/ĐƠN VỊ", "Nơi nhận:"):
        assert heading in lines, heading
    assert re.search(r"Bát Tràng, ngày\s{3,}tháng\s{3,}năm 2026", text)
    with demo_db.session() as s:
        from cds_desktop.reports.unit_plan import unit_assignments
        from cds_desktop.services.catalog import find_unit

        plan = s.scalar(select(Plan))
        unit = find_unit(s, "Phòng VHXH")
        pairs = unit_assignments(s, plan, unit)
        indicators = [i.content for i, _ in pairs if i.kind == INDICATOR]
        tasks = [i.content for i, _ in pairs if i.kind == TASK]
        others = [i.content for i in s.scalars(select(Item)) if i.content not in indicators + tasks]
    assert indicators and tasks
    assert_in_order(text, ["CHỈ TIÊU"] + indicators + ["NHIỆM VỤ"] + tasks)
    flat = squash(text)
    assert not [c for c in others if squash(c)[:40] in flat]
    assert "Chỉtiêusố" in flat and "Nhiệmvụsố" in flat
    assert all(w > h for w, h in page_sizes(out))
    assert not font_problems(out)


def test_all_units_one_file_each(demo_db, tmp_path):
    paths = render_all_units(demo_db, "pdf", tmp_path / "units")
    with demo_db.session() as s:
        units = plan_units(s, s.scalar(select(Plan)))
        names = [u.name for u in units]
    assert len(paths) == len(units) >= 5
    assert len({p.name for p in paths}) == len(paths)
    for path, name in zip(paths, names, strict=True):
        assert squash(f"CỦA {name.upper()}") in squash(pdf_text(path))
    assert "Các phòng, ban chuyên môn" not in names  # collective entries write no plan of their own
