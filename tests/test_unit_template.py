"""The unit-plan template a plan attaches ("Mẫu kế hoạch của cơ quan/đơn vị") is kept with the plan at
import and the unit-plan report follows it: title, opening sentence, columns, sections, note, signature."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from support.paths import PHU_DONG_SEED
from support.plans import database_with_plan
from support.reports import assert_in_order, pdf_text, sheet_strings

from cds_desktop.models import Plan
from cds_desktop.reports import render_report
from cds_desktop.services import plans as plan_service

PHU_DONG_COLUMNS = [
    "STT", "Nội dung chỉ tiêu/ nhiệm vụ được giao tại Kế hoạch của UBND xã", "Lãnh đạo theo dõi, phụ trách",
    "Chuyên viên chủ trì tham mưu", "Chuyên viên phối hợp", "Giải pháp thực hiện", "Tiến độ thực hiện",
    "Tiến độ hoàn thành", "Ghi chú",
]
NOTE = ("Lưu ý: các chỉ tiêu phối hợp nhiều phòng ban, mỗi phòng ban đều phải xây dựng KH để cơ quan thường trực "
        "tổng hợp chung./.")


@pytest.fixture
def phu_dong(tmp_path):
    db = database_with_plan(tmp_path / "phu-dong", PHU_DONG_SEED)
    yield db
    db.close()


def _template(db) -> dict:
    with db.session() as s:
        return dict(s.scalar(select(Plan)).appendices["unit_plan"])


def test_the_template_is_kept_with_the_plan(phu_dong):
    template = _template(phu_dong)
    assert template["title"] == ["KẾ HOẠCH", "CÔNG TÁC CHUYỂN ĐỔI SỐ NĂM 2026", "CỦA"]
    assert template["intro"].startswith("Thực hiện Kế hoạch số")
    assert [c["header"] for c in template["columns"]] == PHU_DONG_COLUMNS
    assert [c["key"] for c in template["columns"]][:3] == ["number", "content", "leader"]
    assert template["sections"] == [
        {"kind": "indicator", "label": "I", "title": "CHỈ TIÊU", "row": "Chỉ tiêu số"},
        {"kind": "task", "label": "II", "title": "NHIỆM VỤ", "row": "Nhiệm vụ số"},
    ]
    assert template["note"] == NOTE
    assert template["recipients"] == ["UBND xã;", "BCĐ xã;", "Lưu."]
    assert template["position"] == "TRƯỞNG CƠ QUAN/ĐƠN VỊ"


def test_importing_the_plan_again_keeps_one_template(phu_dong):
    from cds_desktop.importers.run import analyse_path, import_analysis

    before = _template(phu_dong)
    report = import_analysis(phu_dong, analyse_path(PHU_DONG_SEED))
    assert not report["plan_created"] and "appendices" not in report["plan_updated"]
    assert _template(phu_dong) == before


def test_the_unit_plan_follows_the_plans_template(phu_dong, tmp_path):
    xlsx = render_report(phu_dong, "unit-plan", "xlsx", tmp_path / "unit.xlsx", unit_uuid="Công an xã")
    ws = load_workbook(xlsx).worksheets[0]
    header_row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    assert [c.value for c in ws[header_row]] == PHU_DONG_COLUMNS
    texts = sheet_strings(ws)
    for text in ("KẾ HOẠCH", "CÔNG TÁC CHUYỂN ĐỔI SỐ NĂM 2026", "CỦA CÔNG AN XÃ", "CHỈ TIÊU", "NHIỆM VỤ", NOTE,
                 "TRƯỞNG CƠ QUAN/ĐƠN VỊ"):
        assert text in texts, text
    assert any(t.startswith("Nhiệm vụ số ") for t in texts)
    pdf = pdf_text(render_report(phu_dong, "unit-plan", "pdf", tmp_path / "unit.pdf", unit_uuid="Công an xã"))
    assert_in_order(pdf, ["KẾ HOẠCH", "CỦA CÔNG AN XÃ", "Thực hiện Kế hoạch số", "Công an xã xây dựng kế hoạch",
                          "Giải pháp thực hiện", "NHIỆM VỤ", "Nhiệm vụ số", NOTE, "TRƯỞNG CƠ QUAN/ĐƠN VỊ"])


def test_a_template_of_another_shape(phu_dong, tmp_path):
    """Another commune's template: other title, columns in another order, a column the program has no
    value for, sections in another order and wording, its own recipients and signing position."""
    with phu_dong.session() as s:
        plan = s.scalar(select(Plan))
        appendices = dict(plan.appendices)
        appendices["unit_plan"] = {
            "label": "Mẫu", "title": ["KẾ HOẠCH TRIỂN KHAI", "NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026", "CỦA ............"],
            "intro": "Căn cứ Kế hoạch số …/KH-UBND ngày … của UBND xã Phù Đổng, xây dựng kế hoạch như sau:",
            "columns": [{"key": "number", "header": "TT"}, {"key": "content", "header": "Nhiệm vụ được giao"},
                        {"key": "completion", "header": "Thời hạn"}, {"key": "extra", "header": "Kinh phí"},
                        {"key": "leader", "header": "Lãnh đạo phụ trách"}],
            "sections": [{"kind": "task", "label": "A", "title": "NHIỆM VỤ", "row": "Nhiệm vụ"},
                         {"kind": "indicator", "label": "B", "title": "CHỈ TIÊU", "row": "Chỉ tiêu"}],
            "note": "", "recipients": ["Văn phòng HĐND-UBND xã;", "Lưu: VT."], "position": "THỦ TRƯỞNG ĐƠN VỊ",
        }
        plan_service.update_plan(s, plan.uuid, appendices=appendices)
    xlsx = render_report(phu_dong, "unit-plan", "xlsx", tmp_path / "other.xlsx", unit_uuid="Công an xã")
    ws = load_workbook(xlsx).worksheets[0]
    header_row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    assert [c.value for c in ws[header_row]] == ["TT", "Nhiệm vụ được giao", "Thời hạn", "Kinh phí",
                                                 "Lãnh đạo phụ trách"]
    texts = sheet_strings(ws)
    assert_in_order("\n".join(texts), ["KẾ HOẠCH TRIỂN KHAI", "NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026", "CỦA CÔNG AN XÃ",
                                       "Căn cứ Kế hoạch số", "A", "NHIỆM VỤ", "Nhiệm vụ số", "B", "CHỈ TIÊU",
                                       "THỦ TRƯỞNG ĐƠN VỊ"])
    assert "Lưu: VT." in "\n".join(texts) and "CỦA ............" not in texts
    intro = next(t for t in texts if t.startswith("Căn cứ"))
    assert "Công an xã xây dựng kế hoạch" in intro and "…/KH-UBND" not in intro


def test_the_plans_own_layout_travels_in_a_package(phu_dong, tmp_path):
    """Titles, columns and the unit-plan template are the plan's own data: a package carries them and the
    receiving office prints the same unit plan."""
    from cds_desktop.database import open_database
    from cds_desktop.exchange import export_package
    from cds_desktop.exchange.packages import import_package

    with phu_dong.session() as s:
        sent = dict(s.scalar(select(Plan)).appendices)
    assert set(sent) == {"indicators", "tasks", "unit_plan"}
    package = export_package(phu_dong, tmp_path / "phu-dong.cdspkg").path
    other = open_database(tmp_path / "other")
    try:
        import_package(other, package, trust_new=True)
        with other.session() as s:
            assert s.scalar(select(Plan)).appendices == sent
        xlsx = render_report(other, "unit-plan", "xlsx", tmp_path / "received.xlsx", unit_uuid="Công an xã")
        texts = sheet_strings(load_workbook(xlsx).worksheets[0])
        assert NOTE in texts and "Chuyên viên chủ trì tham mưu" in texts
    finally:
        other.close()
