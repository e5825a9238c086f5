"""The reader made general: each class of failure seen on plans of communes outside the tests, reproduced
on a small document, then the rule that fixes it (issue 10, "What went wrong")."""

from __future__ import annotations

from pathlib import Path

import pytest

from cds_desktop.importers.headers import score_header
from cds_desktop.importers.run import analyse_text, rows_report

HEAD = "UBND XÃ HỒNG VÂN\nSố: 52/KH-UBND\nHồng Vân, ngày 12 tháng 3 năm 2026\n\n"


def _items(analysis):
    return analysis.draft["items"]


def _by_content(analysis, start):
    return next(i for i in _items(analysis) if i["content"].startswith(start))


def test_indicator_table_named_by_its_title_and_targets_whatever_its_content_column():
    text = HEAD + (
        "Phụ lục I\nDANH SÁCH MỤC TIÊU CỤ THỂ NĂM 2026\n"
        "STT\tNội dung\tMục tiêu\tLãnh đạo chỉ đạo\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\n"
        "I\tChính quyền số\t\t\t\t\t\n"
        "1\tTỷ lệ hồ sơ xử lý trước hạn, đúng hạn\t≥ 98%\tĐ/c Lê Văn Hậu, PCT UBND xã\tVăn phòng HĐND-UBND\t"
        "Các phòng chuyên môn\tNăm 2026\n"
        "2\tTỷ lệ văn bản ký số\t100%\tĐ/c Lê Văn Hậu, PCT UBND xã\tVăn phòng HĐND-UBND\t\tQuý II/2026\n")
    analysis = analyse_text(text)
    assert [t.kind for t in analysis.tables] == ["indicators"]
    item = _by_content(analysis, "Tỷ lệ hồ sơ")
    assert (item["kind"], item["target_text"], item["leader"]) == ("indicator", "≥ 98%", "Lê Văn Hậu")


def test_measurable_targets_alone_make_an_indicator_table():
    text = HEAD + (
        "STT\tNội dung\tKết quả năm 2026\tĐơn vị chủ trì\tThời hạn\n"
        "1\tHồ sơ trực tuyến\t≥ 80%\tTrung tâm Phục vụ hành chính công\tNăm 2026\n"
        "2\tVăn bản ký số\t100%\tVăn phòng HĐND-UBND\tQuý II/2026\n"
        "3\tHộ có cáp quang\tTrên 90%\tPhòng Văn hóa - Xã hội\tNăm 2026\n")
    analysis = analyse_text(text)
    assert analysis.tables[0].kind == "indicators"
    assert _by_content(analysis, "Hộ có cáp quang")["target_text"] == "Trên 90%"


def test_a_task_table_with_figures_in_its_result_column_stays_tasks():
    text = HEAD + (
        "Phụ lục II\nNHIỆM VỤ, GIẢI PHÁP\n"
        "STT\tNhiệm vụ\tĐơn vị chủ trì\tThời hạn\tKết quả cần đạt\n"
        "1\tTập huấn kỹ năng số\tPhòng Văn hóa - Xã hội\tQuý II/2026\t100%\n"
        "2\tSố hóa hồ sơ\tVăn phòng HĐND-UBND\tQuý IV/2026\t80%\n")
    assert analyse_text(text).tables[0].kind == "tasks"


def test_two_numbering_columns_under_one_header_do_not_shift_the_cells():
    text = HEAD + (
        "Phụ lục 02\nNHIỆM VỤ TRỌNG TÂM\n"
        "STT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời hạn\n"
        "I\tChính quyền số\t\t\t\t\n"
        "1\t1\tRà soát dữ liệu hộ tịch\tVăn phòng HĐND - UBND\tCông an xã\tQuý II/2026\n"
        "2\t2\tVận hành một cửa không giấy\tTrung tâm Phục vụ hành chính công xã\tVăn phòng HĐND - UBND\tThường xuyên\n"
        "II\tXã hội số\t\t\t\t\n"
        "3\t1\tMở lớp kỹ năng số\tPhòng Văn hóa - Xã hội\tCác thôn\tQuý III/2026\n")
    analysis = analyse_text(text)
    item = _by_content(analysis, "Mở lớp kỹ năng số")
    assert (item["number"], item["local_number"], item["lead"], item["coordinating"], item["deadline_text"]) == (
        "3", "1", ["Phòng Văn hóa - Xã hội"], ["Các thôn"], "Quý III/2026")
    assert [(g["label"], g["title"]) for g in analysis.draft["groups"]] == [("I", "Chính quyền số"), ("II", "Xã hội số")]


@pytest.mark.parametrize("group_rows", [
    "II\n\tKinh tế số\t\t\t\n",  # the numeral alone on its line (empty cells dropped), the title next
    "II\t\t\t\t\n\tKinh tế số\t\t\t\n",  # the numeral alone on its row, the title on the next row
    "\tII\tKinh tế số\t\t\n",  # the numeral in the content column's neighbour
])
def test_group_rows_split_over_columns_or_lines_are_never_content(group_rows):
    text = HEAD + (
        "Phụ lục 02\nNHIỆM VỤ\n"
        "STT\tNhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời hạn\n"
        "I\tChính quyền số\t\t\t\n"
        "1\tĐào tạo kỹ năng cho cán bộ truyền thông\tPhòng Văn hóa - Xã hội\t\tQuý II/2026\n"
        + group_rows +
        "1\tHỗ trợ mở gian hàng số\tPhòng Kinh tế\tĐoàn Thanh niên xã\tQuý III/2026\n")
    analysis = analyse_text(text)
    first = _by_content(analysis, "Đào tạo")
    assert first["content"] == "Đào tạo kỹ năng cho cán bộ truyền thông"
    groups = {g["key"]: g for g in analysis.draft["groups"]}
    second = _by_content(analysis, "Hỗ trợ")
    assert (groups[second["group"]]["label"], groups[second["group"]]["title"]) == ("II", "Kinh tế số")
    assert len(analysis.draft["groups"]) == 2


def _kim_anh(rows: str) -> str:
    return ("UBND XÃ KIM ANH\nSố: 17/KH-UBND\nKim Anh, ngày 05 tháng 2 năm 2026\n\nPhụ lục 1\nDANH MỤC CHỈ TIÊU\n"
            "TT\tChỉ tiêu\tLãnh đạo chỉ đạo\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian\n"
            "1\t100% văn bản được ký số\tĐ/c Hoàng Văn Quyết, Chủ tịch UBND xã\tVăn phòng HĐND - UBND xã\t\tNăm 2026\n"
            + rows + "\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nHoàng Văn Quyết\n")


def _unit_names(analysis):
    return [u["name"] for u in analysis.draft["units"]]


@pytest.mark.parametrize("lead_cell", ["Văn Văn phòng HĐND - UBND xã", '"Văn\nVăn phòng HĐND - UBND xã"'])
def test_a_middle_name_pushed_into_the_unit_cell_goes_back_into_the_leader(lead_cell):
    analysis = analyse_text(_kim_anh(
        f"2\tGiảm 30% văn bản giấy\tĐ.c Hoàng Quyết, Chủ tịch UBND xã\t{lead_cell}\tCác phòng chuyên môn\tQuý IV/2026\n"))
    item = _by_content(analysis, "Giảm 30%")
    assert item["leader"] == "Hoàng Văn Quyết"
    assert item["lead"] == ["Văn phòng HĐND-UBND"]
    assert "Văn" not in _unit_names(analysis)
    flags = rows_report(analysis)[1]["flags"]
    assert any("ghép lại thành «Hoàng Văn Quyết»" in f for f in flags)


def test_a_fragment_nobody_explains_is_flagged_and_makes_no_unit():
    analysis = analyse_text(_kim_anh(
        "2\tGiảm 30% văn bản giấy\tĐ/c Trần Minh Đức, PCT UBND xã\tKhoa\tCác phòng chuyên môn\tQuý IV/2026\n"))
    assert "Khoa" not in _unit_names(analysis)
    report = rows_report(analysis)[1]
    assert report["lead"] == [] and any("«Khoa»" in f for f in report["flags"])


def test_a_guessed_middle_name_is_flagged_as_a_guess():
    analysis = analyse_text(_kim_anh(
        "2\tGiảm 30% văn bản giấy\tĐ.c Trần Đức, PCT UBND xã\tMinh Văn phòng HĐND - UBND xã\t\tQuý IV/2026\n"))
    report = rows_report(analysis)[1]
    assert report["leader"] == "Trần Minh Đức"
    assert any("đã đoán" in f for f in report["flags"])


def test_a_whole_leader_cell_in_the_unit_column_becomes_the_leader_not_a_unit():
    analysis = analyse_text(_kim_anh(
        "2\tTỷ lệ định danh điện tử trên 90%\t\tĐ.c Nguyễn Thị Thu Trang, PCT UBND xã Công an xã\tCác thôn\tQuý III/2026\n"))
    report = rows_report(analysis)[1]
    assert (report["leader"], report["lead"]) == ("Nguyễn Thị Thu Trang", ["Công an xã"])
    assert report["flags"]
    assert not any("Trang" in name for name in _unit_names(analysis))


def test_a_leader_name_missing_its_middle_name_is_completed_from_the_catalogue():
    analysis = analyse_text(_kim_anh(
        "2\tGiảm 30% văn bản giấy\tĐ.c Hoàng Quyết, Chủ tịch UBND xã\tVăn phòng HĐND - UBND xã\t\tQuý IV/2026\n"))
    report = rows_report(analysis)[1]
    assert report["leader"] == "Hoàng Văn Quyết" and report["flags"]


@pytest.mark.parametrize("header", [
    "Lãnh đạo chỉ đạo", "Lãnh đạo phụ trách", "ĐỒNG CHÍ UVBTV/UVBCH PHỤ TRÁCH", "Đồng chí Phó Chủ tịch phụ trách",
    "Người phụ trách", "Cán bộ theo dõi", "Đ/c lãnh đạo phụ trách", "Phó Chủ tịch phụ trách",
])
def test_leader_header_families(header):
    assert score_header(header)[0] == "leader"


def test_the_unit_plan_template_still_has_its_specialist_columns():
    assert score_header("Chuyên viên chủ trì tham mưu")[0] == "specialist"
    assert score_header("Cán bộ chủ trì tham mưu")[0] == "specialist"


@pytest.mark.parametrize("header", ["Chỉ tiêu năm 2026", "Năm 2025 và thời gian tới", "Mục tiêu đến năm 2030"])
def test_target_header_words(header):
    analysis = analyse_text(HEAD + (
        f"STT\tNội dung\t{header}\tĐơn vị chủ trì\n"
        "1\tHồ sơ trực tuyến\t≥ 80%\tTrung tâm Phục vụ hành chính công\n"
        "2\tVăn bản ký số\t100%\tVăn phòng HĐND-UBND\n"))
    assert analysis.tables[0].col("target") == 2 and analysis.tables[0].kind == "indicators"


def test_title_is_the_kind_line_and_its_subject_lines():
    analysis = analyse_text(
        "UBND XÃ HỒNG VÂN\nSố: 52/KH-UBND\nHồng Vân, ngày 12 tháng 3 năm 2026\n\nKẾ HOẠCH HÀNH ĐỘNG\n"
        "Triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị\n"
        "trên địa bàn xã Hồng Vân năm 2026\n\nCăn cứ Luật Tổ chức chính quyền địa phương;\n\n"
        "STT\tNội dung\tĐơn vị chủ trì\tThời hạn\n1\tQuán triệt Nghị quyết\tVăn phòng Đảng ủy\tQuý I/2026\n")
    plan = analysis.draft["plan"]
    assert plan["kind"] == "Kế hoạch hành động"
    assert plan["title"] == ("Triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị "
                             "trên địa bàn xã Hồng Vân năm 2026")


def test_a_subject_line_starting_with_thuc_hien_is_part_of_the_title():
    analysis = analyse_text(
        "UBND XÃ THANH LÂM\nSố: 29/KH-UBND\nThanh Lâm, ngày 16 tháng 1 năm 2026\n\nKẾ HOẠCH\n"
        "Thực hiện nhiệm vụ chuyển đổi số năm 2026\n\n"
        "Thực hiện chỉ đạo của UBND Thành phố về chuyển đổi số năm 2026, UBND xã ban hành Kế hoạch như sau:\n\n"
        "STT\tNội dung\tĐơn vị chủ trì\tThời hạn\n1\tKiện toàn Ban Chỉ đạo\tVăn phòng HĐND-UBND\tQuý I/2026\n")
    assert analysis.draft["plan"]["title"] == "Thực hiện nhiệm vụ chuyển đổi số năm 2026"
    assert analysis.draft["plan"]["kind"] == "Kế hoạch chuyển đổi số"


def test_units_glued_by_a_lost_line_break_are_split():
    text = HEAD + (
        "STT\tNhiệm vụ\tChủ trì\tPhối hợp\tThời hạn\n"
        "1\tTổ dân phố số\tPhòng Văn hóa - Xã hội\tCác tổ dân phố Tổ công nghệ số cộng đồng\tQuý II/2026\n"
        "2\tAn toàn mạng cho học sinh\tCác trường\tCông an xã Đoàn Thanh niên xã\tNăm 2026\n")
    analysis = analyse_text(text)
    assert _by_content(analysis, "Tổ dân phố số")["coordinating"] == ["Các tổ dân phố", "Tổ công nghệ số cộng đồng"]
    assert _by_content(analysis, "An toàn")["coordinating"] == ["Công an xã", "Đoàn Thanh niên xã"]


def test_the_preview_shows_each_flag_on_its_row_with_the_reading_chosen():
    from cds_desktop.importers.preview import preview_rows, row_text, row_warnings

    analysis = analyse_text(_kim_anh(
        "2\tGiảm 30% văn bản giấy\tĐ.c Hoàng Quyết, Chủ tịch UBND xã\tVăn Văn phòng HĐND - UBND xã\t\tQuý IV/2026\n"))
    table, row, entry = next((t, r, e) for t, r, e in preview_rows(analysis)
                             if e is not None and e.kind == "item" and e.values["content"].startswith("Giảm"))
    assert any("ghép lại" in w for w in row_warnings(row, entry))
    assert "ghép lại" in row_text("warnings", table, row, entry, 2026)
    parsed = row_text("parsed", table, row, entry, 2026)
    assert "Lãnh đạo: Hoàng Văn Quyết" in parsed and "Chủ trì: Văn phòng HĐND - UBND xã" in parsed
    assert any("ghép lại" in w["message"] for w in analysis.warnings)


def test_dry_run_json_lists_every_row_with_its_flags(tmp_path, capsys):
    import json

    from cds_desktop.cli import main

    path = tmp_path / "kim_anh.txt"
    path.write_text(_kim_anh(
        "2\tGiảm 30% văn bản giấy\tĐ.c Hoàng Quyết, Chủ tịch UBND xã\tVăn Văn phòng HĐND - UBND xã\t\tQuý IV/2026\n"),
        encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "data"), "import-plan", str(path), "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = {r["content"]: r for r in report["rows"]}
    assert rows["100% văn bản được ký số"]["flags"] == []
    flagged = rows["Giảm 30% văn bản giấy"]
    assert flagged["leader"] == "Hoàng Văn Quyết" and any("ghép lại" in f for f in flagged["flags"])
    assert [g["title"] for g in report["groups_read"]] == []


def test_group_titles_alone_in_the_numbering_column_two_target_years_and_lettered_items():
    text = HEAD + (
        "PHỤ LỤC 01\nCHỈ TIÊU\n"
        "STT\tNội dung chỉ tiêu\tChỉ tiêu năm 2025\tChỉ tiêu năm 2026\tĐơn vị chủ trì\n"
        "CHÍNH QUYỀN SỐ\t\t\t\t\n"
        "1\tTỷ lệ hồ sơ trực tuyến\t70%\t≥ 80%\tTrung tâm Phục vụ hành chính công\n"
        "XÃ HỘI SỐ\t\t\t\t\n"
        "2\tTỷ lệ định danh\t80%\t≥ 90%\tAgribank\n\n"
        "PHỤ LỤC 02\nNHIỆM VỤ\n"
        "TT\tNội dung\tTrách nhiệm thực hiện\tThời gian\n"
        "1\tXã hội số\t\t\n"
        "a)\tMở lớp kỹ năng số\tPhòng Văn hóa - Xã hội\tQuý III/2026\n"
        "b)\tTuyên truyền iHanoi\tĐoàn Thanh niên xã\tThường xuyên\n")
    analysis = analyse_text(text)
    titles = [g["title"] for g in analysis.draft["groups"]]
    assert titles == ["CHÍNH QUYỀN SỐ", "XÃ HỘI SỐ", "Xã hội số"]
    item = _by_content(analysis, "Tỷ lệ định danh")
    assert (item["target_text"], item["lead"]) == ("≥ 90%", ["Agribank"])
    task = _by_content(analysis, "Mở lớp")
    assert task["lead"] == ["Phòng Văn hóa - Xã hội"] and task["kind"] == "task"
    assert [i["content"] for i in _items(analysis) if i["kind"] == "task"] == ["Mở lớp kỹ năng số", "Tuyên truyền iHanoi"]


def test_names_and_units_wrapped_over_lines_in_a_cell():
    from cds_desktop.importers.people import parse_leaders
    from cds_desktop.importers.units import split_units

    assert [p.name for p in parse_leaders("Đ/c Nguyễn Văn\nAn, PCT UBND xã")] == ["Nguyễn Văn An"]
    assert [p.name for p in parse_leaders("Đ/c Hoàng Văn Quyết - CT;\nĐ/c Bùi Quang Vinh - PCT")] == [
        "Hoàng Văn Quyết", "Bùi Quang Vinh"]
    assert split_units("Trung tâm Phục vụ hành chính\ncông xã\nPhòng Văn hóa -\nXã hội") == [
        "Trung tâm Phục vụ hành chính công xã", "Phòng Văn hóa - Xã hội"]
    assert split_units("Văn phòng HĐND-UBND\nCông an xã") == ["Văn phòng HĐND-UBND", "Công an xã"]


def test_a_field_column_makes_the_groups_and_a_baseline_column_is_not_the_target():
    analysis = analyse_text(HEAD + (
        "STT\tLĩnh vực\tChỉ tiêu\tĐơn vị tính\tThực hiện năm 2025\tKế hoạch năm 2026\tĐơn vị chủ trì\n"
        "1\tChính quyền số\tHồ sơ trực tuyến\t%\t70%\t≥ 80%\tTrung tâm Phục vụ hành chính công\n"
        "2\t\tVăn bản ký số\t%\t90%\t100%\tVăn phòng HĐND-UBND\n"
        "3\tXã hội số\tĐịnh danh mức 2\t%\t80%\t≥ 90%\tCông an xã\n"))
    groups = {g["key"]: g["title"] for g in analysis.draft["groups"]}
    assert [(groups[i["group"]], i["content"], i["target_text"]) for i in _items(analysis)] == [
        ("Chính quyền số", "Hồ sơ trực tuyến", "≥ 80%"), ("Chính quyền số", "Văn bản ký số", "100%"),
        ("Xã hội số", "Định danh mức 2", "≥ 90%")]


def test_a_column_understood_from_its_cells_is_said_so():
    analysis = analyse_text(HEAD + (
        "STT\tNội dung\tPhấn đấu đạt\tĐơn vị chủ trì\n"
        "1\tHồ sơ trực tuyến\t≥ 80%\tTrung tâm Phục vụ hành chính công\n"
        "2\tVăn bản ký số\t100%\tVăn phòng HĐND-UBND\n"))
    assert analysis.tables[0].col("target") == 2
    assert any("được hiểu là «Chỉ tiêu (giá trị)»" in w["message"] for w in analysis.warnings)
    two = analyse_text(HEAD + (
        "STT\tNhiệm vụ\tĐơn vị chủ trì\tThời hạn\n"
        "1\t1\tRà soát dữ liệu\tVăn phòng HĐND-UBND\tQuý II/2026\n"
        "2\t2\tSố hóa hồ sơ\tVăn phòng HĐND-UBND\tQuý III/2026\n"))
    assert any("hai cột số" in w["message"] for w in two.warnings)


def test_an_unnumbered_title_read_as_a_group_is_flagged_unless_written_in_capitals():
    analysis = analyse_text(HEAD + (
        "STT\tNhiệm vụ\tĐơn vị chủ trì\tThời hạn\n"
        "Nhóm nhiệm vụ về hạ tầng số\t\t\t\n"
        "1\tNâng cấp mạng nội bộ\tVăn phòng HĐND-UBND\tQuý II/2026\n"
        "XÃ HỘI SỐ\t\t\t\n"
        "2\tMở lớp kỹ năng số\tPhòng Văn hóa - Xã hội\tQuý III/2026\n"))
    assert [g["title"] for g in analysis.draft["groups"]] == ["Nhóm nhiệm vụ về hạ tầng số", "XÃ HỘI SỐ"]
    flagged = [w["message"] for w in analysis.warnings if "tên nhóm" in w["message"]]
    assert len(flagged) == 1 and "hạ tầng số" in flagged[0]


QUANG_OAI = """ỦY BAN NHÂN DÂN XÃ QUẢNG OAI
Số: 75/KH-UBND
Quảng Oai, ngày 15 tháng 3 năm 2026
KẾ HOẠCH
Thực hiện Chuyển đổi số và Đề án 06 năm 2026
Căn cứ Kế hoạch số 131/KH-UBND ngày 31/3/2026 của UBND Thành phố;
Biểu 01: CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026
TT\tNội dung\tChỉ tiêu\tPhân công thực hiện\t\tThời gian
\t\t\tChủ trì\tPhối hợp\t
A\tCHÍNH QUYỀN SỐ\t\t\t\t
1\tTỷ lệ cán bộ có máy tính kết nối mạng\t100%\tVăn phòng HĐND và UBND\tPhòng Kinh tế\tQuý I/2026
B\tXÃ HỘI SỐ\t\t\t\t
2\tTỷ lệ người dân có danh tính điện tử\t≥ 95%\tCông an xã\tCác thôn\tQuý IV/2026
Tổng cộng: 02 chỉ tiêu
Biểu 02: NHIỆM VỤ TRỌNG TÂM
TT\tNhiệm vụ\tChủ trì\tPhối hợp\tLãnh đạo phụ trách\tThời gian
1\tKiện toàn Ban Chỉ đạo\tVăn phòng HĐND và UBND\t\tChủ tịch UBND xã\tQuý I/2026
2\tTập huấn kỹ năng số\tPhòng Văn hóa - Xã hội\t\tChủ tịch Hội Nông dân\tQuý II/2026
Nơi nhận:
- UBND Thành phố;
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Đinh Văn Toàn
"""


def test_tables_inside_the_text_signature_after_them_totals_between_them():
    analysis = analyse_text(QUANG_OAI)
    plan = analysis.draft["plan"]
    assert (plan["signer"], plan["recipients"]) == ("Đinh Văn Toàn", ["UBND Thành phố;"])
    assert [t.kind for t in analysis.tables] == ["indicators", "tasks"]
    assert not [w for w in analysis.warnings if "Tổng cộng" in w["message"]]
    report = {r["content"]: r for r in rows_report(analysis)}
    assert report["Kiện toàn Ban Chỉ đạo"]["leader"] == "Đinh Văn Toàn" and report["Kiện toàn Ban Chỉ đạo"]["flags"]
    assert report["Tập huấn kỹ năng số"]["leader"] == ""


def test_a_position_in_a_unit_cell_makes_no_unit():
    from cds_desktop.importers.people import people_in_units

    units, leaders, flags = people_in_units(
        {"lead": ["Phó Chủ tịch UBND xã phụ trách", "Văn phòng HĐND-UBND"], "coordinating": ["Thường trực Đảng ủy xã"]},
        [], set(), {"lead": "Đơn vị chủ trì", "coordinating": "Đơn vị phối hợp"})
    assert units == {"lead": ["Văn phòng HĐND-UBND"], "coordinating": ["Thường trực Đảng ủy xã"]}
    assert leaders == [] and len(flags) == 1 and "chức danh" in flags[0]


def test_a_numbered_title_alone_on_its_row_with_the_numbering_starting_again_under_it_is_a_group():
    analysis = analyse_text(HEAD + (
        "TT\tNhiệm vụ\tChủ trì\tThời gian\n"
        "1\tCông tác chỉ đạo\t\t\n"
        "1\tKiện toàn Ban Chỉ đạo\tVăn phòng HĐND-UBND\tQuý I/2026\n"
        "2\tBan hành quy chế\tVăn phòng HĐND-UBND\tQuý I/2026\n"
        "2\tHạ tầng số\t\t\n"
        "1\tLắp đặt wifi công cộng\tPhòng Văn hóa - Xã hội\tQuý III/2026\n"))
    assert [(g["label"], g["title"]) for g in analysis.draft["groups"]] == [("1", "Công tác chỉ đạo"), ("2", "Hạ tầng số")]
    assert [i["content"] for i in _items(analysis)] == ["Kiện toàn Ban Chỉ đạo", "Ban hành quy chế", "Lắp đặt wifi công cộng"]


def test_fragments_are_guessed_only_as_common_middle_names_and_titles_are_never_fragments():
    from cds_desktop.importers.people import PersonInfo, people_in_units

    labels = {"lead": "Đơn vị chủ trì", "coordinating": "Đơn vị phối hợp"}
    units, leaders, flags = people_in_units({"lead": ["Quang Văn phòng HĐND-UBND"], "coordinating": []},
                                            [PersonInfo("Bùi Vinh")], set(), labels)
    assert (units["lead"], leaders[0].name) == (["Văn phòng HĐND-UBND"], "Bùi Quang Vinh") and "đoán" in flags[0]
    units, leaders, flags = people_in_units({"lead": ["Khoa"], "coordinating": []}, [PersonInfo("Bùi Vinh")], set(), labels)
    assert (units["lead"], leaders[0].name) == ([], "Bùi Vinh") and "bỏ qua" in flags[0]
    units, leaders, flags = people_in_units({"lead": ["Trưởng Công an xã", "Công an xã"], "coordinating": []},
                                            [PersonInfo("Hoàng Quyết")], set(), labels)
    assert (units["lead"], leaders[0].name) == (["Công an xã"], "Hoàng Quyết") and "chức danh" in flags[0]


def test_one_table_holding_indicators_then_tasks_with_a_target_or_result_column():
    analysis = analyse_text(
        "UBND PHƯỜNG TÂY HỒ\nSố: 210/KH-UBND\nTây Hồ, ngày 08 tháng 4 năm 2026\n\nPHỤ LỤC\n"
        "DANH MỤC CHỈ TIÊU, NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026\n"
        "STT\tNội dung\tChỉ tiêu/Kết quả\tĐơn vị chủ trì\tThời gian hoàn thành\tLãnh đạo phụ trách\n"
        "A\tCHỈ TIÊU\t\t\t\t\n"
        "1\tTỷ lệ hồ sơ trực tuyến toàn trình\t≥ 85%\tVăn phòng HĐND-UBND\tNăm 2026\tPCT UBND phường Lê Minh Hà\n"
        "B\tNHIỆM VỤ\t\t\t\t\n"
        "1\tTổ chức Ngày hội chuyển đổi số\tSự kiện được tổ chức\tPhòng Văn hóa - Xã hội\tQuý IV/2026\t"
        "Đ/c Trần Quốc Toản - PCT UBND phường\n")
    report = {r["content"]: r for r in rows_report(analysis)}
    indicator = report["Tỷ lệ hồ sơ trực tuyến toàn trình"]
    assert (indicator["kind"], indicator["target"], indicator["leader"]) == ("indicator", "≥ 85%", "Lê Minh Hà")
    assert report["Tổ chức Ngày hội chuyển đổi số"]["kind"] == "task"
    assert not [w for w in analysis.warnings if "Không rõ bảng" in w["message"]]


def test_targets_inside_the_content_row_after_row_make_an_indicator_table():
    analysis = analyse_text(
        "UBND XÃ AN KHÁNH\nPHỤ LỤC 1\nSTT\tNội dung\tĐơn vị chủ trì\tThời gian\n"
        "1\tTỷ lệ hồ sơ trực tuyến đạt 80%\tVăn phòng HĐND-UBND\tNăm 2026\n"
        "2\t100% văn bản được ký số\tVăn phòng HĐND-UBND\tNăm 2026\n"
        "3\tTối thiểu 50% thôn có Tổ công nghệ số\tPhòng Văn hóa - Xã hội\tQuý II/2026\n")
    assert [t.kind for t in analysis.tables] == ["indicators"]


def test_a_leader_cell_without_a_name_is_flagged():
    analysis = analyse_text(_kim_anh(
        "2\tGiảm 30% văn bản giấy\tCác đồng chí Phó Chủ tịch UBND xã\tVăn phòng HĐND - UBND xã\t\tQuý IV/2026\n"))
    report = rows_report(analysis)[1]
    assert report["leader"] == "" and any("không có tên người" in f for f in report["flags"])


def test_one_unit_cell_marking_who_leads_and_who_coordinates():
    analysis = analyse_text(HEAD + (
        "STT\tNhiệm vụ\tCơ quan chủ trì, phối hợp\tThời hạn\n"
        "1\tBảo đảm an toàn thông tin\tVăn phòng HĐND-UBND (chủ trì); Công an xã; Các thôn\tThường xuyên\n"
        '2\tPhổ cập kỹ năng số\t"Phòng Văn hóa - Xã hội (chủ trì)\nĐoàn Thanh niên xã (phối hợp)"\tQuý III/2026\n'))
    first = _by_content(analysis, "Bảo đảm")
    assert (first["lead"], first["coordinating"]) == (["Văn phòng HĐND-UBND"], ["Công an xã", "Các thôn"])
    second = _by_content(analysis, "Phổ cập")
    assert (second["lead"], second["coordinating"]) == (["Phòng Văn hóa - Xã hội"], ["Đoàn Thanh niên xã"])


def test_a_name_split_over_the_two_cells_under_one_merged_leader_header(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from make_plan_corpus import write_docx

    from cds_desktop.importers.run import analyse_path

    rows = [["TT", "Nội dung", "Lãnh đạo chỉ đạo", "", "Đơn vị chủ trì", "Thời gian"],
            ["1", "Kiện toàn Ban Chỉ đạo", "Đ.c Nguyễn Văn", "Hùng, Chủ tịch UBND xã", "Văn phòng HĐND-UBND", "Quý I/2026"],
            ["2", "Số hóa hồ sơ", "Đ.c Lê Thị", "Mai, PCT UBND xã", "Văn phòng HĐND-UBND", "Quý II/2026"]]
    path = tmp_path / "split.docx"
    write_docx(path, ["UBND XÃ AN KHÁNH", "Số: 12/KH-UBND", "An Khánh, ngày 02 tháng 3 năm 2026", "PHỤ LỤC 2",
                      "NHIỆM VỤ", {"rows": rows, "header_spans": {2: 2}}])
    analysis = analyse_path(path)
    assert [(r["leader"], r["lead"]) for r in rows_report(analysis)] == [
        ("Nguyễn Văn Hùng", ["Văn phòng HĐND-UBND"]), ("Lê Thị Mai", ["Văn phòng HĐND-UBND"])]
    columns = analysis.draft["plan"]["appendices"]["tasks"]["columns"]
    assert [c["key"] for c in columns] == ["number", "content", "leader", "lead", "deadline"]


def test_signature_block_in_the_second_column_is_not_glued_to_the_last_task():
    """A signature laid out as a borderless two-column table right under the last row of a tab-separated
    appendix ('\\tTM. ỦY BAN NHÂN DÂN' / '\\tCHỦ TỊCH' / '\\tname') closes the table: it is never content."""
    from cds_desktop.importers.document import RawTable
    from cds_desktop.importers.readers import read_text

    text = ("PHỤ LỤC II\nTT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tThời gian hoàn thành\n"
            "1\tTriển khai nền tảng bản đồ số\tPhòng Kinh tế\tQuý II/2026\n\n"
            "Nơi nhận:\tTM. ỦY BAN NHÂN DÂN\n- Như trên;\tCHỦ TỊCH\n- Lưu: VT.\t\n\tPhạm Quốc Khánh\n")
    document = read_text(text, "x.txt")
    tables = [b for b in document.blocks if isinstance(b, RawTable)]
    assert len(tables) == 1
    assert all("TM." not in cell and "Khánh" not in cell for row in tables[0].rows for cell in row.cells)
    after = document.blocks[document.blocks.index(tables[0]) + 1:]
    paragraphs = [b for b in after if isinstance(b, str) and b]
    assert paragraphs[:3] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Quốc Khánh"]
    assert "Nơi nhận:" in paragraphs and "- Lưu: VT." in paragraphs
