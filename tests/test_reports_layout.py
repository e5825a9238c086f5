"""Table layout: word wrapping, column widths, rows taller than a page, and a plan
imported from another commune (Phù Đổng: two-level numbering, A/B parts, huge cells)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select
from support.reports import assert_in_order, font_problems, pdf_pages, pdf_text, squash

from cds_desktop.cli import main
from cds_desktop.models import Item
from cds_desktop.reports import render_report
from cds_desktop.reports.document import Column, Row, TableBlock
from cds_desktop.reports.fonts import report_fonts
from cds_desktop.reports.layout import LEADING, column_widths_pt, split_tall_rows
from cds_desktop.reports.pdf_cells import WordMeasure

WORDS = st.sampled_from(["chuyển", "đổi", "số", "HĐND-UBND", "Phòng", "VHXH;", "100%", "≥", "2026-2030",
                         "Nghị", "định", "30/2020/NĐ-CP", "Trung", "tâm", "Phục", "vụ", "hành", "chính", "công",
                         "abcdefghijklmnopqrstuvwxyzabcdefghij", "-", "(Kèm", "theo)", "iHanoi"])
TEXT = st.lists(st.one_of(WORDS, st.just("\n")), min_size=1, max_size=60).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(text=TEXT, width=st.floats(min_value=25, max_value=300))
def test_wrapped_lines_never_overflow_and_keep_every_character(text, width):
    measure = WordMeasure(report_fonts().regular, 11)
    lines = measure.wrap(text, width)
    for line, line_width in lines:
        assert line_width <= width + 0.01, (line, line_width, width)
    assert squash("".join(line for line, _ in lines)) == squash(text)


def _block(cells: list[list[str]], weights=(0, 5, 1.5)) -> TableBlock:
    columns = [Column("number", "STT", weights[0], "center", 12), Column("content", "Nội dung", weights[1]),
               Column("note", "Ghi chú", weights[2])]
    return TableBlock(columns, [[c.header for c in columns]], [Row(list(c)) for c in cells], font_size=11)


def test_column_widths_fill_the_page_and_follow_the_text():
    fonts = report_fonts()
    short, long = "ngắn", " ".join(["nội dung rất dài"] * 40)
    block = _block([["1", short, long], ["2", short, long]], weights=(0, 2, 2))
    widths = column_widths_pt(block, 700, fonts, 3)
    assert sum(widths) == pytest.approx(700)
    assert widths[2] > 2 * widths[1]  # same weight, far more text
    assert widths[0] >= 12 * 72 / 25.4


def test_rows_taller_than_the_limit_become_continuation_rows():
    fonts = report_fonts()
    huge = " ".join(f"đoạn{n} HĐND-UBND nội dung" for n in range(400))
    units = "Văn phòng HĐND-UBND; Trung tâm Dịch vụ tổng hợp xã; Điểm hỗ trợ DVC số Phù Đổng"
    block = _block([["1", "Một dòng", "x"], ["2", huge, units], ["3", "Dòng cuối", ""]])
    widths = [40.0, 300.0, 100.0]
    limit = 200.0
    rows = split_tall_rows(block, widths, fonts, 3, limit)
    assert [r.cells[0] for r in rows if not r.continued] == ["1", "2", "3"]
    pieces = [r for r in rows if r.cells[0] == "2" or r.continued]
    assert len(pieces) > 3 and all(r.continued for r in pieces[1:])
    measure = WordMeasure(fonts.regular, 11)
    for piece in pieces:
        assert len(measure.wrap(piece.cells[1], 294)) * 11 * LEADING <= limit
    assert squash("".join(p.cells[1] for p in pieces)) == squash(huge)  # nothing lost, nothing added
    assert all(p.cells[0] == "" for p in pieces[1:])
    # A cell that fits in the first piece is kept as written: no forced line breaks (it reads back the same).
    assert pieces[0].cells[2] == units and all(p.cells[2] == "" for p in pieces[1:])


@pytest.fixture
def phu_dong(data_dir, seeds_dir, capsys):
    assert main(["import-plan", str(seeds_dir / "000_0b2d4eebbd1ce4dd.txt"), "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    from cds_desktop.database import open_database

    db = open_database(data_dir)
    yield db
    db.close()


def test_plan_imported_from_another_commune(phu_dong, tmp_path):
    with phu_dong.session() as s:
        tasks = [i.content for i in s.scalars(select(Item).where(Item.kind == "task").order_by(Item.position))]
        indicators = [i.content for i in s.scalars(select(Item).where(Item.kind == "indicator")
                                                   .order_by(Item.position))]
    assert len(tasks) >= 30 and len(indicators) >= 15
    pdf = render_report(phu_dong, "phu-luc-02", "pdf", tmp_path / "pl02.pdf")
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    assert_in_order(text, tasks)
    assert "Phù Đổng, ngày" in text and "Phụ lục 02" in text
    for page in pages:  # the header row, merged over both numbering columns, on every page
        assert squash("STT/ chi tiết") in squash(page)
    assert len(pages) < 25
    assert not font_problems(pdf)
    one = render_report(phu_dong, "phu-luc-01", "pdf", tmp_path / "pl01.pdf")
    flat = squash(pdf_text(one))
    assert_in_order(pdf_text(one), ["CHỈ TIÊU DO XÃ CHỦ TRÌ THỰC HIỆN", "Chính quyền số"] + indicators[:12]
                    + ["Kinh tế số", "Theo Kế hoạch 131/KH-UBND", "Xã hội số"])
    assert squash("STT/chi tiết") in flat
    xlsx = render_report(phu_dong, "phu-luc-02", "xlsx", tmp_path / "pl02.xlsx")
    ws = load_workbook(xlsx).worksheets[0]
    header = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    assert ws.cell(row=header, column=1).value == "STT/ chi tiết"
    assert f"A{header}:B{header}" in {str(r) for r in ws.merged_cells.ranges}
    assert max(ws.row_dimensions[r].height or 0 for r in range(header, ws.max_row + 1)) <= 409
    column = "\n".join(str(ws.cell(row=r, column=3).value or "") for r in range(header + 1, ws.max_row + 1))
    assert_in_order(column, tasks)
