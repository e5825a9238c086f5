"""Plans worded and laid out differently from the two seeds, and the building blocks one by one."""

from __future__ import annotations

import pytest

from cds_desktop.importers.build import analyse
from cds_desktop.importers.people import looks_like_person, parse_contact, parse_leaders
from cds_desktop.importers.readers import read_text
from cds_desktop.importers.units import UnitBook, looks_like_unit, match_key, split_units, unit_kind

WARD_PLAN = """\
ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
PHƯỜNG HOÀN KIẾM\tĐộc lập - Tự do - Hạnh phúc
Số: 45/KH-UBND\tHoàn Kiếm, ngày 10 tháng 3 năm 2026

KẾ HOẠCH
Triển khai chuyển đổi số năm 2026 trên địa bàn phường Hoàn Kiếm

Các đơn vị báo cáo kết quả trước ngày 18 hằng tháng về Phòng VH-XH.

Nơi nhận:
- UBND Thành phố;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
(Đã ký)
Nguyễn Văn Nam

PHỤ LỤC I
CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026
(Kèm theo Kế hoạch số 45/KH-UBND ngày 10/3/2026 của UBND phường Hoàn Kiếm)
TT\tChi tiết\tNội dung chỉ tiêu\tChỉ tiêu năm 2026\tCƠ QUAN CHỦ TRÌ\tCơ quan phối hợp\tLãnh đạo phụ trách\tThời gian thực hiện
(1)\t(2)\t(3)\t(4)\t(5)\t(6)\t(7)\t(8)
I\tCHÍNH QUYỀN SỐ (03 chỉ tiêu)\t\t\t\t\t\t
1\t1\tTỷ lệ hồ sơ xử lý trực tuyến toàn trình\t≥ 80%\tVăn phòng HĐND&UBND phường\tCác phòng, ban, đơn vị thuộc phường\tĐ.c Dương Viết Cường, Chủ tịch UBND phường\tCả năm
2\t2\tTỷ lệ văn bản ký số\t100%\tVP HĐND – UBND\tPhòng VHXH\tĐ/c Đỗ Hồng Sơn - Phó Chủ tịch UBND phường\tQuý II/2026
3\t3\tTỷ lệ cuộc họp trực tuyến trên tổng số cuộc họp của phường, tính đến hết\t\tVăn phòng HĐND-UBND\t\tĐ/c Đỗ Hồng Sơn - Phó Chủ tịch UBND phường\tNăm 2026
\t\tnăm 2026 đạt\tTrên 60%\t\t\t\t
II\tXÃ HỘI SỐ (02 chỉ tiêu)\t\t\t\t\t\t
4\t1\tTỷ lệ người dân có tài khoản định danh mức 2\t>90%\tCông an phường\tTổ dân phố số 1, Tổ dân phố số 2\tĐ/c Đỗ Hồng Sơn - Phó Chủ tịch UBND phường\tHằng tháng
TT\tChi tiết\tNội dung chỉ tiêu\tChỉ tiêu năm 2026\tCƠ QUAN CHỦ TRÌ\tCơ quan phối hợp\tLãnh đạo phụ trách\tThời gian thực hiện
5\t2\tTỷ lệ hộ gia đình có cáp quang\t20-30%\tPhòng Văn hóa - Xã hội\tCác doanh nghiệp viễn thông\tĐ/c Đỗ Hồng Sơn - Phó Chủ tịch UBND phường\tThường xuyên
Tổng cộng: 05 chỉ tiêu\t\t\t\t\t\t\t

PHỤ LỤC II
NHIỆM VỤ, GIẢI PHÁP
STT\tNhiệm vụ\tĐơn vị thực hiện\t\tThời hạn\tGhi chú
\t\tChủ trì\tPhối hợp\t\t
1\tLãnh đạo, chỉ đạo\t\t\t\t
1.1\tKiện toàn Ban Chỉ đạo chuyển đổi số phường\tPhòng VH-XH\tVăn phòng HĐND-UBND\tQuý I/2026\t
1.2\tXây dựng kế hoạch tuyên truyền\tPhòng Văn hóa - Xã hội; Trung tâm Văn hóa - Thông tin và Thể thao\tCác tổ dân phố\tTháng 4/2026\t
2\tHạ tầng số\t\t\t\t
2.1\tNâng cấp mạng nội bộ\tVăn phòng HĐND-UBND\tPhòng Kinh tế, Hạ tầng và Đô thị\tQuý III/2026\t
"""

EXCEL_COPY = (
    'STT\tTên chỉ tiêu\t"Chỉ tiêu\nnăm 2026"\t"Đơn vị\nchủ trì"\t"Lãnh đạo\nphụ trách"\tThời gian\n'
    "Nhóm 1: Chính quyền số\t(02 chỉ tiêu)\t\t\t\t\n"
    "1.\tTỷ lệ hồ sơ trực tuyến\tTrên 90%\tVP HĐND&UBND xã\tĐ/c Trần Văn Hải - PCT UBND xã\tNăm 2026\n"
    "2.\tTỷ lệ hộ dân có ví điện tử\t≥ 50%\tPhòng VH-XH\tĐ/c Trần Văn Hải - PCT UBND xã\tQuý IV/2026\n"
    "Nhóm 2: Xã hội số\t\t\t\t\t\n"
    '3.\tTỷ lệ người dân dùng iHanoi\t70%\t"Công an xã\nCác thôn"\tĐ/c Trần Văn Hải - PCT UBND xã\tHằng tháng\n'
)


@pytest.fixture(scope="module")
def ward():
    return analyse(read_text(WARD_PLAN, "hoan_kiem.txt"))


def test_ward_front_matter(ward) -> None:
    plan, commune = ward.draft["plan"], ward.draft["commune"]
    assert commune == {"name": "Hoàn Kiếm", "kind": "phường", "city": "Hà Nội"}
    assert (plan["number"], plan["issue_date"], plan["place"]) == ("45/KH-UBND", "2026-03-10", "Hoàn Kiếm")
    assert plan["title"] == "Triển khai chuyển đổi số năm 2026 trên địa bàn phường Hoàn Kiếm"
    assert (plan["position"], plan["signer"]) == ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Nguyễn Văn Nam")
    assert plan["report_day"] == 18 and plan["recipients"] == ["UBND Thành phố;", "Lưu: VT."]
    assert plan["appendices"]["indicators"]["declared_total"] == 5
    people = {p["name"]: p["title"] for p in ward.draft["people"]}
    assert people == {"Nguyễn Văn Nam": "Phó Chủ tịch UBND phường", "Dương Viết Cường": "Chủ tịch UBND phường",
                      "Đỗ Hồng Sơn": "Phó Chủ tịch UBND phường"}


def test_ward_indicators(ward) -> None:
    table = ward.tables[0]
    assert [c.field for c in table.columns[:8]] == ["number", "local_number", "content", "target", "lead",
                                                   "coordinating", "leader", "deadline"]
    items = [i for i in ward.draft["items"] if i["kind"] == "indicator"]
    assert [(i["group"], i["number"], i["local_number"]) for i in items] == [
        ("ind-I", "1", "1"), ("ind-I", "2", "2"), ("ind-I", "3", "3"), ("ind-II", "4", "1"), ("ind-II", "5", "2")]
    assert items[2]["content"].endswith("tính đến hết năm 2026 đạt") and items[2]["target_text"] == "Trên 60%"
    assert [i["target_text"] for i in items] == ["≥ 80%", "100%", "Trên 60%", ">90%", "20-30%"]
    assert items[0]["lead"] == items[1]["lead"] == ["Văn phòng HĐND-UBND"]
    assert items[3]["lead"] == ["Công an phường"]
    assert items[3]["coordinating"] == ["Tổ dân phố số 1", "Tổ dân phố số 2"]
    assert items[0]["leader"] == "Dương Viết Cường"
    groups = {g["key"]: g for g in ward.draft["groups"]}
    assert groups["ind-I"]["title"] == "CHÍNH QUYỀN SỐ" and groups["ind-I"]["declared_count"] == 3
    assert groups["ind-II"]["declared_count"] == 2
    assert not [w for w in ward.warnings if "ghi" in w["message"]]  # declared counts all match


def test_ward_tasks_two_row_header_and_numbered_groups(ward) -> None:
    table = ward.tables[1]
    assert [c.field for c in table.columns[:6]] == ["number", "content", "lead", "coordinating", "deadline", "note"]
    tasks = [i for i in ward.draft["items"] if i["kind"] == "task"]
    assert [(i["group"], i["number"]) for i in tasks] == [("task-1", "1.1"), ("task-1", "1.2"), ("task-2", "2.1")]
    assert tasks[1]["lead"] == ["Phòng Văn hóa - Xã hội", "Trung tâm Văn hóa - Thông tin và Thể thao"]
    assert tasks[2]["coordinating"] == ["Phòng Kinh tế, Hạ tầng và Đô thị"]


def test_excel_clipboard_with_quoted_cells() -> None:
    analysis = analyse(read_text(EXCEL_COPY, "dan.txt"))
    table = analysis.tables[0]
    assert [c.header for c in table.columns] == ["STT", "Tên chỉ tiêu", "Chỉ tiêu năm 2026", "Đơn vị chủ trì",
                                                 "Lãnh đạo phụ trách", "Thời gian"]
    assert table.kind == "indicators"
    items = analysis.draft["items"]
    assert [(i["group"], i["number"], i["target_text"]) for i in items] == [
        ("ind-1", "1", "Trên 90%"), ("ind-1", "2", "≥ 50%"), ("ind-2", "3", "70%")]
    assert items[2]["lead"] == ["Công an xã", "Các thôn"]
    assert analysis.draft["groups"][0]["declared_count"] == 2


def test_damaged_rows_are_flagged_not_silently_imported() -> None:
    text = (
        "TT\tNội dung\tĐơn vị chủ trì\tThời hạn\n"
        "1\tRà soát quy trình nội bộ\tVăn phòng HĐND-UBND\tQuý II/2026\n"
        "2\tPhòng Văn hóa - Xã hội\tQuý III/2026\t\n"
        "3\t\tCông an xã\tThường xuyên\n"
        "5\tĐ/c Nguyễn Văn An\tCông an xã\tNăm 2026\n"
    )
    analysis = analyse(read_text(text, "hong.txt"))
    messages = {w["row"]: w["message"] for w in analysis.warnings if w["row"]}
    assert "tên đơn vị" in messages[3] or "thời hạn" in messages[3]
    assert "không có nội dung" in messages[4]
    assert "tên người" in messages[5] or "nhảy" in messages[5]
    assert [i["number"] for i in analysis.draft["items"]] == ["1", "2", "5"]
    all_messages = " ".join(w["message"] for w in analysis.warnings)
    assert "trông giống thời hạn" in all_messages and "nhảy từ «3» sang «5»" in all_messages


def test_note_row_after_a_group_becomes_its_note() -> None:
    text = (
        "STT\tChỉ tiêu\tĐơn vị chủ trì\tĐơn vị phối hợp\n"
        "I\tChính quyền số\t\t\n"
        "1\tTỷ lệ văn bản ký số đạt 100%\tVăn phòng HĐND-UBND\t\n"
        "II\tKinh tế số\t\t\n"
        "\tTheo Kế hoạch 131/KH-UBND của UBND Thành phố, không có chỉ tiêu đối với cấp xã\t\t\n"
        "III\tXã hội số\t\t\n"
        "1\tTối thiểu 50% thôn có Tổ công nghệ số cộng đồng\tPhòng VHXH\tCác thôn\n"
    )
    analysis = analyse(read_text(text, "ghi_chu.txt"))
    groups = {g["label"]: g for g in analysis.draft["groups"]}
    assert "không có chỉ tiêu đối với cấp xã" in groups["II"]["note"]
    assert len(analysis.draft["items"]) == 2


@pytest.mark.parametrize(("cell", "expected"), [
    ("Phòng VHXH", ["Phòng VHXH"]),
    ("Văn phòng HĐND-UBND Công an xã", ["Văn phòng HĐND-UBND", "Công an xã"]),
    ("Các phòng, ban, đơn vị thuộc xã; Doanh nghiệp viễn thông", ["Các phòng, ban, đơn vị thuộc xã",
                                                                  "Doanh nghiệp viễn thông"]),
    ("Các hợp tác xã, doanh nghiệp, hộ kinh doanh trên địa bàn xã",
     ["Các hợp tác xã, doanh nghiệp, hộ kinh doanh trên địa bàn xã"]),
    ("Văn phòng HĐND-UBND, Phòng VHXXH", ["Văn phòng HĐND-UBND", "Phòng VHXXH"]),
    ("Phòng VHXH và Phòng Kinh tế", ["Phòng VHXH", "Phòng Kinh tế"]),
    ("Sở Khoa học và Công nghệ", ["Sở Khoa học và Công nghệ"]),
    ("Chuyên gia, đơn vị tư vấn", ["Chuyên gia, đơn vị tư vấn"]),
    ("Phòng Văn hóa - Xã hội (theo hướng dẫn của Sở chuyên ngành)",
     ["Phòng Văn hóa - Xã hội (theo hướng dẫn của Sở chuyên ngành)"]),
    ("Chủ trì: Phòng Kinh tế", ["Phòng Kinh tế"]),
])
def test_split_units(cell: str, expected: list[str]) -> None:
    assert split_units(cell) == expected


def test_unit_spellings_meet() -> None:
    book = UnitBook(commune="Phù Đổng")
    keys = {book.add(s) for s in ("Phòng VHXH", "Phòng VH-XH", "Phòng VHXXH", "Phòng Văn hóa - Xã hội",
                                  "phòng Văn hóa - xã hội xã")}
    assert len(keys) == 1 and book.name(keys.pop()) == "Phòng Văn hóa - Xã hội"
    keys = {book.add(s) for s in ("Văn phòng HĐND-UBND", "VP HĐND – UBND", "Văn phòng HĐND&UBND xã",
                                  "Văn phòng HĐND và UBND", "Văn phòng HỘND-UBND;")}
    assert len(keys) == 1 and book.name(keys.pop()) == "Văn phòng HĐND-UBND"
    assert match_key("Công an xã Phù Đổng", "Phù Đổng") == match_key("Công an xã")
    assert match_key("Sở KH&CN") == match_key("Sở Khoa học và Công nghệ") == match_key("Sở Khoa học và CN")
    assert match_key("Trung tâm DVTH") == match_key("Trung tâm Dịch vụ tổng hợp xã")
    assert unit_kind("Các phòng, ban chuyên môn") == "collective"
    assert unit_kind("Phòng Kinh tế, Hạ tầng và Đô thị") == "department"
    assert unit_kind("Sở Nông nghiệp và Môi trường") == "city_agency"
    assert unit_kind("Thôn Giang Cao") == "village"
    assert looks_like_unit("Văn phòng HĐND-UBND") and not looks_like_unit("Số hóa hồ sơ lưu trữ")
    assert not looks_like_unit("Cả năm") and not looks_like_unit("Đổi mới công tác chỉ đạo")


def test_people() -> None:
    assert [(p.name, p.title) for p in parse_leaders("Đ.c Dương Viết Cường, Chủ tịch UBND xã")] == [
        ("Dương Viết Cường", "Chủ tịch UBND xã")]
    assert [(p.name, p.title) for p in parse_leaders("Đ/c Đỗ Hồng Sơn - Phó Chủ tịch UBND xã")] == [
        ("Đỗ Hồng Sơn", "Phó Chủ tịch UBND xã")]
    assert [p.name for p in parse_leaders("Đ/c Lê Thị Bình – PCT UBND xã; Đ/c Trần Văn Cả, Trưởng phòng")] == [
        "Lê Thị Bình", "Trần Văn Cả"]
    assert parse_leaders("Chủ tịch UBND xã") == []
    contact = parse_contact("- **Đ/c Bùi Thu Hoàng**, Trưởng phòng Văn hóa - Xã hội, ĐT 0982.369.759;")
    assert contact is not None and (contact.name, contact.phone) == ("Bùi Thu Hoàng", "0982.369.759")
    assert looks_like_person("Nguyễn Văn An") and not looks_like_person("Văn phòng HĐND-UBND")
