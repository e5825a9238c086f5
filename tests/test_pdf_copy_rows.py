"""Rows of copied PDF text read in another order than cell after cell (importers/pdf_copy_rows.py)."""

from cds_desktop.importers.pdf_copy_rows import BANNER_NOTE, BREAK_NOTE, read_row

_INDICATOR = ["content", "measure", "target", "deadline", "leader", "lead", "coordinating"]
_TASK = ["content", "leader", "lead", "coordinating", "deadline", "output_product"]


def test_page_break_without_a_mark_sends_the_content_tail_back():
    # the last cell ends on "UBND"; "trực tuyến" (the content's end) and "UBND xã" (the leader's) were
    # printed at the top of the next page, with no page number or header between
    lines = ["Số cuộc", "họp của", "UBND xã", "tổ chức", "Cuộc ≥ 10 Trước", "15/10/202", "6", "Đ/c Phạm",
             "Thị Hòa,", "Phó Chủ", "tịch", "Văn", "phòng", "HĐND và", "UBND", "trực", "tuyến", "UBND xã"]
    cells, _, note = read_row(lines, _INDICATOR)
    assert cells[0] == "Số cuộc họp của UBND xã tổ chức trực tuyến"
    assert cells[4] == "Đ/c Phạm Thị Hòa, Phó Chủ tịch UBND xã"
    assert "Văn phòng HĐND và UBND" in (cells[5], cells[6]) and "" in (cells[5], cells[6])
    assert note == BREAK_NOTE


def test_unit_going_on_in_lower_case_is_not_a_page_break():
    lines = ["Tỷ lệ hộ gia", "đình có cáp", "quang", "% 90 Năm 2026", "Đ/c Lê Văn Hậu", "Phòng Văn hóa - Xã", "hội",
             "Các phòng, ban", "chuyên môn tại xã"]
    cells, _, note = read_row(lines, _INDICATOR)
    assert note == ""
    assert cells[5] == "Phòng Văn hóa - Xã hội"


def test_first_line_of_every_cell_glued_is_split_into_the_columns():
    lines = ["Lắp đặt hệ Đ/c Vũ Văn Công an Phòng Kinh Quý Hệ thống", "thống", "camera an", "ninh tại các",
             "tuyến phố", "chính", "Toàn, Phó", "Chủ tịch", "UBND", "phường", "phường tế, Hạ tầng", "và Đô thị",
             "II/2026 camera vận", "hành"]
    cells, _, note = read_row(lines, _TASK)
    assert cells == ["Lắp đặt hệ thống camera an ninh tại các tuyến phố chính",
                     "Đ/c Vũ Văn Toàn, Phó Chủ tịch UBND phường", "Công an phường",
                     "Phòng Kinh tế, Hạ tầng và Đô thị", "Quý II/2026", "Hệ thống camera vận hành"]
    assert note == BANNER_NOTE


def test_page_number_lines_are_not_rows_nor_cell_text():
    from cds_desktop.importers.pdf_copy import _page_number

    lines = ["Quý III/2026", "3", "STT Tên chỉ tiêu", "hợp"]
    assert _page_number(lines, 1, [4, 4])  # before the header repeated on the new page
    assert _page_number(["UBND xã", "- 4 -", "mại điện tử"], 1, [3, 3])
    assert _page_number(["Tin, bài", "Trang 2", "Đ/c Lê"], 1, [3, 3])
    assert not _page_number(["Trước", "15/10/202", "6", "Đ/c Phạm"], 2, [3, 3])  # a date wrapped in its year
    assert not _page_number(["xuyên", "5", "Tỷ lệ hộ"], 1, [4, 4])  # the next row's number


def test_unit_of_measure_column_named_apart_in_the_flags():
    from support.corpus import PLANS

    from cds_desktop.importers.pdf_copy import rebuild

    text = (PLANS / "tay_ho_pdf_copy.txt").read_text(encoding="utf-8")
    tables = [b for b in rebuild(text) if not isinstance(b, str)]
    header = tables[0].rows[0].cells
    assert "Tên chỉ tiêu" in header and "Đơn vị tính" in header
    notes = " ".join(n for t in tables for r in t.rows for n in r.notes)
    assert notes and "«Tên chỉ tiêu Đơn vị tính»" not in notes
    assert not any("Tên chỉ tiêu" in cell and "tính" in cell for cell in header)


def test_place_name_before_a_person_is_not_the_person():
    fields = ["content", "deadline", "lead", "coordinating", "leader", "note"]
    lines = ["Phối hợp", "Viettel phủ", "sóng 5G tại", "các thôn", "vùng đồi", "Tháng", "12/2026", "Công chức",
             "Văn hóa -", "Xã hội", "Viettel Hà", "Nội", "Hoàng", "Minh Tuấn"]
    cells, _, _ = read_row(lines, fields)
    assert cells[3] == "Viettel Hà Nội" and cells[4] == "Hoàng Minh Tuấn" and cells[5] == ""


def test_content_does_not_take_a_line_starting_like_a_deadline():
    fields = ["content", "deadline", "lead", "coordinating", "leader", "note"]
    lines = ["Triển khai", "nền tảng", "học trực", "tuyến cho", "trường học", "trên địa", "bàn", "Năm học", "2026 -",
             "2027", "Trường", "Trung học", "cơ sở Yên", "Xuân", "Công chức", "Văn hóa -", "Xã hội", "Trịnh Văn", "Khải"]
    cells, _, _ = read_row(lines, fields)
    assert cells[0].endswith("trên địa bàn") and cells[1] == "Năm học 2026 - 2027"
