"""A plan that writes the unit of measure in a column of its own ("Đơn vị tính | Chỉ tiêu năm 2026" →
"% | ≥ 98"): the target is understood with its unit everywhere, a percent stays within 0–100, and the
printed appendix keeps both columns as the plan wrote them."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from support.plans import database_with_plan
from support.reports import sheet_strings

from cds_desktop.models import Item
from cds_desktop.reports import render_report
from cds_desktop.services.common import ServiceError
from cds_desktop.services.measure_units import measure_unit, with_measure_unit
from cds_desktop.services.targets import display_target
from cds_desktop.services.tracking.entry import check_value_range

TAY_HO = Path(__file__).parent / "fixtures" / "plans" / "tay_ho.txt"


@pytest.fixture
def tay_ho(tmp_path):
    db = database_with_plan(tmp_path / "tay-ho", TAY_HO)
    yield db
    db.close()


def _indicator(session, start: str) -> Item:
    return session.scalar(select(Item).where(Item.kind == "indicator", Item.content.startswith(start)))


@pytest.mark.parametrize(("text", "unit", "completed"), [
    ("≥ 98", "%", "≥ 98%"), ("100", "%", "100%"), ("≥ 12", "Cuộc", "≥ 12 cuộc"), ("≥ 5", "TTHC", "≥ 5 TTHC"),
    ("≥ 98%", "%", "≥ 98%"), ("Hoàn thành", "%", "Hoàn thành"), ("≥ 98", "", "≥ 98"),
])
def test_a_target_is_completed_with_the_unit_of_its_own_column(text, unit, completed):
    assert with_measure_unit(text, unit) == completed
    assert measure_unit({"Đơn vị tính": unit}) == unit and measure_unit({"ĐVT": "%"}) == "%"
    assert measure_unit({"Ghi chú": "%"}) == ""


def test_the_unit_column_makes_the_target_a_percent_everywhere(tay_ho):
    with tay_ho.session() as s:
        share = _indicator(s, "Tỷ lệ hồ sơ thủ tục hành chính")
        count = _indicator(s, "Số cuộc họp trực tuyến")
        assert (share.target_text, share.target_unit, share.target_value) == ("≥ 98", "%", 98)
        assert display_target(share) == "≥ 98%" and display_target(count) == "≥ 12 cuộc"
        assert display_target(share, as_written=True) == "≥ 98"
        with pytest.raises(ServiceError, match="0 đến 100"):
            check_value_range(share, {"value": 150.0})
        check_value_range(share, {"value": 99.0})
        check_value_range(count, {"value": 150.0})  # a count, not a share


def test_the_printed_appendix_keeps_both_columns_as_written(tay_ho, tmp_path):
    ws = load_workbook(render_report(tay_ho, "phu-luc-01", "xlsx", tmp_path / "p1.xlsx")).worksheets[0]
    header = next(r for r in ws.iter_rows(values_only=True) if "Đơn vị tính" in r)
    assert [c for c in header if c] == ["STT", "Tên chỉ tiêu", "Đơn vị tính", "Chỉ tiêu năm 2026", "Cơ quan chủ trì",
                                        "Cơ quan phối hợp", "Ghi chú"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[1] and str(r[1]).startswith("Tỷ lệ hồ sơ thủ tục"))
    assert list(row[2:4]) == ["%", "≥ 98"]
    assert "≥ 98%" not in sheet_strings(ws)


def test_the_detail_panel_reads_a_typed_target_with_the_plans_unit(tay_ho):
    from cds_desktop.services.plan_view import item_detail, preview_target

    with tay_ho.session() as s:
        detail = item_detail(s, _indicator(s, "Tỷ lệ hồ sơ thủ tục hành chính").uuid)
    assert detail.measure_unit == "%" and detail.target_reading == "Hiểu là: ≥ 98%"
    assert preview_target("≥ 97", "", detail.measure_unit) == "Hiểu là: ≥ 97%"


def test_decimal_task_numbers_keep_their_own_code(tay_ho):
    """Task "1.2" of group "1" is "1.2" in month entry and warnings, as printed, not "1.1.2"."""
    from cds_desktop.models import Plan
    from cds_desktop.services.tracking.refs import item_infos

    with tay_ho.session() as s:
        refs = {r.content[:20]: r.ref for r in item_infos(s, s.scalar(select(Plan)).id).values()}
    assert refs["Tổ chức diễn tập ứng"] == "1.2" and refs["Hỗ trợ hộ kinh doanh"] == "3.2"
    assert refs["Tỷ lệ hồ sơ thủ tục "] == "A.1"
