"""Excel output, reloaded with openpyxl: layout, print setup, no formulas."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from support.reports import assert_in_order, sheet_strings, sheet_xml

from cds_desktop.models import INDICATOR, TASK, Group, Item, Plan
from cds_desktop.reports import render_report
from cds_desktop.services import items as item_service


def _contents(db, kind: str) -> list[str]:
    with db.session() as s:
        return [
            i.content for i in s.scalars(
                select(Item).where(Item.kind == kind, Item.deleted_at.is_(None)).order_by(Item.position)
            )
        ]


def _check_print_setup(ws, orientation: str = "landscape") -> None:
    assert ws.page_setup.orientation == orientation
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    margins = ws.page_margins
    assert margins.left == pytest.approx(30 / 25.4, abs=0.01)
    assert margins.right == pytest.approx(15 / 25.4, abs=0.01)
    assert margins.top == pytest.approx(20 / 25.4, abs=0.01)
    assert margins.bottom == pytest.approx(20 / 25.4, abs=0.01)
    assert ws.oddHeader.center.text == "&P"
    assert ws.HeaderFooter.differentFirst is True  # no page number on the first page
    assert int(ws.page_setup.firstPageNumber) == 1 and ws.page_setup.useFirstPageNumber


@pytest.mark.parametrize(("kind", "item_kind", "group_title"), [
    ("phu-luc-01", INDICATOR, "Chính quyền số"),
    ("phu-luc-02", TASK, "Bảo đảm an toàn thông tin"),
])
def test_appendix_xlsx(demo_db, tmp_path, kind, item_kind, group_title):
    out = render_report(demo_db, kind, "xlsx", tmp_path / f"{kind}.xlsx")
    wb = load_workbook(out)
    assert len(wb.worksheets) == 1
    ws = wb.worksheets[0]
    _check_print_setup(ws)
    texts = sheet_strings(ws)
    for heading in ("ỦY BAN NHÂN DÂN", "XÃ BÁT TRÀNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    "Độc lập - Tự do - Hạnh phúc", "Số: 139/KH-UBND", "Bát Tràng, ngày 03 tháng 4 năm 2026"):
        assert heading in texts, heading
    # The table header row is repeated when printing and holds the plan's own headers.
    assert ws.print_title_rows
    header_row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    header = [c.value for c in ws[header_row] if c.value]
    with demo_db.session() as s:
        plan = s.scalar(select(Plan))
        section = "indicators" if item_kind == INDICATOR else "tasks"
        assert header == [c["header"] for c in plan.appendices[section]["columns"]]
        group_titles = [g.title for g in s.scalars(select(Group).where(Group.section == section))]
    for cell in ws[header_row]:
        assert cell.font.b and cell.border.left.style == "thin" and cell.alignment.wrap_text
    # Every item, in order, in the content column; group rows bold and merged across the table.
    content_col = header.index(header[1]) + 1
    column = [str(ws.cell(row=r, column=content_col).value or "") for r in range(header_row + 1, ws.max_row + 1)]
    assert_in_order("\n".join(column), _contents(demo_db, item_kind))
    merged = {str(r) for r in ws.merged_cells.ranges}
    group_rows = [r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(row=r, column=2).value in group_titles]
    assert len(group_rows) == len(group_titles)
    for r in group_rows:
        assert ws.cell(row=r, column=2).font.b
        assert f"B{r}:{chr(ord('A') + len(header) - 1)}{r}" in merged
    # Header block merged over the left and right parts of the page.
    assert any(r.startswith("A1:") for r in merged)
    # Column widths and row heights are set (openpyxl does not auto-fit).
    assert ws.column_dimensions["B"].width > 3 * ws.column_dimensions["A"].width
    data_heights = [ws.row_dimensions[r].height for r in range(header_row + 1, ws.max_row)]
    assert all(h for h in data_heights[:5]) and max(h for h in data_heights if h) > 30
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_text_that_looks_like_a_formula_stays_text(demo_db, tmp_path):
    tricky = ["=1+1", "- Giảm trung gian", "+84 912 345 678", "@iHanoi"]
    with demo_db.session() as s:
        items = list(s.scalars(select(Item).where(Item.kind == TASK).order_by(Item.position)))[:4]
        for item, text in zip(items, tricky, strict=True):
            item_service.update_item(s, item.uuid, content=text, note=text)
    out = render_report(demo_db, "phu-luc-02", "xlsx", tmp_path / "tricky.xlsx", columns=["content", "note"])
    ws = load_workbook(out).worksheets[0]
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value in tricky}
    assert set(cells) == set(tricky)
    for cell in cells.values():
        assert cell.data_type == "s"
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert "<f>" not in sheet_xml(out) and "<f " not in sheet_xml(out)


def test_unit_plan_xlsx(demo_db, tmp_path):
    out = render_report(demo_db, "unit-plan", "xlsx", tmp_path / "unit.xlsx", unit_uuid="Công an xã")
    ws = load_workbook(out).worksheets[0]
    _check_print_setup(ws)
    texts = sheet_strings(ws)
    for text in ("UBND XÃ BÁT TRÀNG", "CÔNG AN XÃ", "KẾ HOẠCH", "CỦA CÔNG AN XÃ", "CHỈ TIÊU", "NHIỆM VỤ",
                 "TRƯỞNG CƠ QUAN/ĐƠN VỊ", "Nơi nhận:", "STT", "Giải pháp thực hiện", "Tiến độ hoàn thành"):
        assert text in texts, text
    header_row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    assert [c.value for c in ws[header_row]][:2] == [
        "STT", "Nội dung chỉ tiêu/ nhiệm vụ được giao tại Kế hoạch của UBND xã"
    ]
    assert texts.index("CHỈ TIÊU") < texts.index("NHIỆM VỤ")
    assert any(t.startswith("Chỉ tiêu số III.") for t in texts)  # numbers restart per group in this plan


def test_two_level_numbering_adds_a_detail_column(demo_db, tmp_path):
    with demo_db.session() as s:
        running = 0
        for item in s.scalars(select(Item).where(Item.kind == INDICATOR).order_by(Item.position)):
            running += 1
            item_service.update_item(s, item.uuid, number=str(running))
    ws = load_workbook(render_report(demo_db, "phu-luc-01", "xlsx", tmp_path / "two.xlsx")).worksheets[0]
    header_row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    assert [c.value for c in ws[header_row]][:3] == ["TT", "Chi tiết", "Chỉ tiêu"]
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=header_row + 1) if isinstance(row[0].value, int)]
    assert len(data) == 27
    assert data[0][:2] == [1, 1] and data[12][:2] == [13, 1] and data[-1][:2] == [27, 12]
