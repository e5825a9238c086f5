"""Hand-written plans of invented Hà Nội communes, each in its own wording, for the plan corpus.

``tools/make_plan_corpus.py`` renders them as documents (.txt, .docx, .xlsx) with the layouts and the
damage of real files, and writes each document's expectation from the same data: what the plan says.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Row:
    content: str
    target: str = ""  # what the target means (also printed when the table has a target column)
    lead: list[str] = field(default_factory=list)
    coord: list[str] = field(default_factory=list)
    leader: str = ""  # key into Plan.people
    deadline: str = ""
    product: str = ""
    note: str = ""


@dataclass
class Group:
    label: str
    title: str
    rows: list[Row]


@dataclass
class Appendix:
    kind: str  # "indicators" | "tasks"
    label: str
    title: str
    columns: list[tuple[str, str]]  # (field, header as printed)
    groups: list[Group]


@dataclass
class Plan:
    commune: str
    kind: str  # "xã" | "phường"
    number: str
    date: tuple[int, int, int]
    kind_line: str
    subject: list[str]
    signer: str
    position: list[str]
    people: dict[str, str]  # name -> title as the leader cells write it
    appendices: list[Appendix]
    intro: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


def R(content: str, target: str = "", lead: str = "", coord: str = "", leader: str = "", deadline: str = "",
      product: str = "", note: str = "") -> Row:
    """A row; several units are separated by "|" here (the renderer writes them as the document does)."""
    split = lambda text: [u.strip() for u in text.split("|") if u.strip()]  # noqa: E731
    return Row(content, target, split(lead), split(coord), leader, deadline, product, note)


# --- Hồng Vân: an action plan for Resolution 57 ("KẾ HOẠCH HÀNH ĐỘNG"), indicators called "mục tiêu",
# a "Mục tiêu" target column, a leader column headed "ĐỒNG CHÍ UVBTV/UVBCH PHỤ TRÁCH".

HONG_VAN = Plan(
    commune="Hồng Vân", kind="xã", number="52/KH-UBND", date=(12, 3, 2026),
    kind_line="KẾ HOẠCH HÀNH ĐỘNG",
    subject=["Triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
             "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
             "trên địa bàn xã Hồng Vân năm 2026"],
    signer="Nguyễn Đức Thịnh", position=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    people={"Nguyễn Đức Thịnh": "Chủ tịch UBND xã", "Lê Văn Hậu": "Phó Chủ tịch UBND xã",
            "Đỗ Thị Hằng": "Phó Chủ tịch UBND xã", "Phạm Minh Tuấn": "Phó Bí thư Thường trực Đảng ủy"},
    intro=["Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
           "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia; Kế hoạch số 131/KH-UBND ngày 31/3/2026 của "
           "UBND Thành phố, UBND xã Hồng Vân ban hành Kế hoạch hành động như sau:",
           "I. MỤC ĐÍCH, YÊU CẦU",
           "- Cụ thể hóa các mục tiêu, nhiệm vụ của Nghị quyết phù hợp với điều kiện của xã.",
           "- Phân công rõ người, rõ việc, rõ thời gian, rõ trách nhiệm, rõ kết quả.",
           "II. MỤC TIÊU, NHIỆM VỤ (chi tiết tại Phụ lục I, Phụ lục II kèm theo)",
           "III. TỔ CHỨC THỰC HIỆN",
           "Các đơn vị báo cáo kết quả thực hiện trước ngày 20 hằng tháng về Phòng Văn hóa - Xã hội."],
    recipients=["Thường trực Đảng ủy xã;", "TT HĐND xã;", "Các phòng, ban, đơn vị;", "Lưu: VT."],
    appendices=[
        Appendix("indicators", "Phụ lục I",
                 "DANH SÁCH MỤC TIÊU CỤ THỂ VỀ KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ NĂM 2026",
                 [("number", "STT"), ("content", "Nội dung"), ("target", "Mục tiêu"), ("leader", "Lãnh đạo chỉ đạo"),
                  ("lead", "Đơn vị chủ trì"), ("coord", "Đơn vị phối hợp"), ("deadline", "Thời gian thực hiện")],
                 [Group("I", "Chính quyền số", [
                     R("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", "≥ 98%", "Trung tâm Phục vụ hành chính công xã",
                       "Các phòng chuyên môn", "Lê Văn Hậu", "Năm 2026"),
                     R("Tỷ lệ thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình", "100%",
                       "Trung tâm Phục vụ hành chính công xã", "Văn phòng HĐND và UBND xã", "Lê Văn Hậu", "Quý II/2026"),
                     R("Tỷ lệ văn bản đi được ký số và gửi trên hệ thống quản lý văn bản và điều hành", "100%",
                       "Văn phòng HĐND và UBND xã", "Các phòng chuyên môn|Các đơn vị sự nghiệp", "Nguyễn Đức Thịnh",
                       "Thường xuyên"),
                     R("Tỷ lệ cuộc họp của UBND xã được tổ chức trực tuyến hoặc kết hợp trực tuyến", "≥ 60%",
                       "Văn phòng HĐND và UBND xã", "Trung tâm Dịch vụ tổng hợp", "Nguyễn Đức Thịnh", "Năm 2026"),
                     R("Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa", "100%",
                       "Trung tâm Phục vụ hành chính công xã", "Văn phòng HĐND và UBND xã", "Lê Văn Hậu", "Hằng tháng"),
                 ]),
                  Group("II", "Kinh tế số", [
                      R("Tỷ lệ thanh toán không dùng tiền mặt tại các chợ dân sinh trên địa bàn", "≥ 70%", "Phòng Kinh tế",
                        "Ban Quản lý chợ|Các ngân hàng trên địa bàn", "Đỗ Thị Hằng", "Quý IV/2026"),
                      R("Tỷ lệ sản phẩm OCOP của xã có mặt trên sàn thương mại điện tử", "100%", "Phòng Kinh tế",
                        "Hội Nông dân xã|Hợp tác xã Nông nghiệp Hồng Vân", "Đỗ Thị Hằng", "Quý III/2026"),
                      R("Tỷ lệ hộ kinh doanh kê khai, nộp thuế điện tử", "≥ 95%", "Phòng Kinh tế", "Đội Thuế liên xã",
                        "Đỗ Thị Hằng", "Năm 2026"),
                  ]),
                  Group("III", "Xã hội số", [
                      R("Tỷ lệ người dân từ 14 tuổi trở lên có danh tính điện tử mức 2", "≥ 95%", "Công an xã",
                        "Các thôn", "Phạm Minh Tuấn", "Quý III/2026"),
                      R("Tỷ lệ hộ gia đình có kết nối Internet cáp quang băng rộng", "≥ 90%", "Phòng Văn hóa - Xã hội",
                        "VNPT Hà Nội|Viettel Hà Nội", "Đỗ Thị Hằng", "Năm 2026"),
                      R("Tỷ lệ người dân có hồ sơ sức khỏe điện tử được cập nhật", "≥ 85%", "Trạm Y tế xã", "Các thôn",
                        "Đỗ Thị Hằng", "Năm 2026"),
                      R("Tỷ lệ thôn có Tổ công nghệ số cộng đồng hoạt động hiệu quả", "100%", "Phòng Văn hóa - Xã hội",
                        "Đoàn Thanh niên xã|Các thôn", "Phạm Minh Tuấn", "Quý II/2026"),
                  ])]),
        Appendix("tasks", "Phụ lục II", "PHỤ LỤC BẢNG PHÂN CÔNG NHIỆM VỤ, TIẾN ĐỘ THỰC HIỆN",
                 [("number", "TT"), ("content", "Nhiệm vụ"), ("leader", "ĐỒNG CHÍ UVBTV/UVBCH PHỤ TRÁCH"),
                  ("lead", "Đơn vị chủ trì"), ("coord", "Đơn vị phối hợp"), ("deadline", "Thời gian hoàn thành"),
                  ("product", "Sản phẩm")],
                 [Group("I", "Nâng cao nhận thức, đổi mới tư duy", [
                     R("Tổ chức quán triệt, tuyên truyền Nghị quyết số 57-NQ/TW đến cán bộ, đảng viên và Nhân dân", "",
                       "Văn phòng Đảng ủy", "Ủy ban MTTQ Việt Nam xã|Trung tâm Dịch vụ tổng hợp", "Phạm Minh Tuấn",
                       "Quý I/2026", "Hội nghị quán triệt; tin bài trên Trang thông tin điện tử"),
                     R("Xây dựng chuyên mục “Chuyển đổi số” trên Trang thông tin điện tử và hệ thống truyền thanh của xã",
                       "", "Trung tâm Dịch vụ tổng hợp", "Phòng Văn hóa - Xã hội", "Đỗ Thị Hằng", "Quý II/2026",
                       "Chuyên mục hoạt động thường xuyên"),
                 ]),
                  Group("II", "Hoàn thiện thể chế, cơ chế", [
                      R("Ban hành quy chế vận hành Hệ thống quản lý văn bản và điều hành của xã", "",
                        "Văn phòng HĐND và UBND xã", "Các phòng chuyên môn", "Nguyễn Đức Thịnh", "Quý II/2026",
                        "Quy chế được ban hành"),
                      R("Ban hành danh mục cơ sở dữ liệu dùng chung của xã và phân công đơn vị cập nhật", "",
                        "Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND xã|Công an xã", "Lê Văn Hậu", "Quý III/2026",
                        "Quyết định ban hành danh mục"),
                  ]),
                  Group("III", "Phát triển hạ tầng số", [
                      R("Nâng cấp mạng nội bộ và đường truyền Internet tại trụ sở UBND xã", "", "Văn phòng HĐND và UBND xã",
                        "VNPT Hà Nội", "Lê Văn Hậu", "Quý II/2026", "Hệ thống mạng hoạt động ổn định"),
                      R("Lắp đặt camera giám sát an ninh trật tự tại các trục đường chính, kết nối về Công an xã", "",
                        "Công an xã", "Phòng Kinh tế|Các thôn", "Phạm Minh Tuấn", "Quý IV/2026",
                        "Hệ thống camera kết nối về Công an xã"),
                      R("Triển khai phòng họp trực tuyến tại nhà văn hóa các thôn", "", "Văn phòng HĐND và UBND xã",
                        "Các thôn|Viettel Hà Nội", "Nguyễn Đức Thịnh", "Quý III/2026", "Phòng họp trực tuyến tại 100% thôn"),
                  ]),
                  Group("IV", "Phát triển nguồn nhân lực số", [
                      R("Tập huấn kỹ năng số, ứng dụng trí tuệ nhân tạo cho cán bộ, công chức xã", "",
                        "Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND xã", "Đỗ Thị Hằng", "Quý II, III/2026",
                        "100% cán bộ, công chức được tập huấn"),
                      R("Kiện toàn và bồi dưỡng Tổ công nghệ số cộng đồng tại các thôn", "", "Phòng Văn hóa - Xã hội",
                        "Đoàn Thanh niên xã|Các thôn", "Đỗ Thị Hằng", "Thường xuyên", "Quyết định kiện toàn"),
                  ])]),
    ],
)

# --- Tam Hưng: tasks numbered twice (overall and within the group) under one "STT" header; group rows
# with the numeral and the title in different columns, or the title on the next line.

TAM_HUNG = Plan(
    commune="Tam Hưng", kind="xã", number="88/KH-UBND", date=(20, 3, 2026),
    kind_line="KẾ HOẠCH", subject=["Chuyển đổi số năm 2026 trên địa bàn xã Tam Hưng"],
    signer="Vũ Thị Ngọc Ánh", position=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
    people={},
    intro=["Thực hiện Kế hoạch số 131/KH-UBND ngày 31/3/2026 của UBND Thành phố về chuyển đổi số năm 2026, "
           "UBND xã Tam Hưng ban hành Kế hoạch như sau:",
           "I. MỤC TIÊU", "Các chỉ tiêu cụ thể tại Phụ lục 01.", "II. NHIỆM VỤ", "Chi tiết tại Phụ lục 02."],
    recipients=["UBND Thành phố;", "Sở Khoa học và Công nghệ;", "Lưu: VT, VHXH."],
    appendices=[
        Appendix("indicators", "PHỤ LỤC 01", "CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026",
                 [("number", "STT"), ("content", "Tên chỉ tiêu"), ("target", "Chỉ tiêu năm 2026"),
                  ("lead", "Đơn vị chủ trì"), ("coord", "Đơn vị phối hợp"), ("deadline", "Thời hạn")],
                 [Group("I", "Chính quyền số", [
                     R("Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến", "≥ 80%",
                       "Trung tâm Phục vụ hành chính công xã", "Văn phòng HĐND - UBND", deadline="Năm 2026"),
                     R("Tỷ lệ báo cáo định kỳ được thực hiện trên Hệ thống thông tin báo cáo", "100%",
                       "Văn phòng HĐND - UBND", "Các phòng chuyên môn", deadline="Quý II/2026"),
                     R("Tỷ lệ cán bộ, công chức sử dụng chữ ký số cá nhân", "100%", "Văn phòng HĐND - UBND",
                       "Phòng Văn hóa - Xã hội", deadline="Quý I/2026"),
                 ]),
                  Group("II", "Kinh tế số", [
                      R("Tỷ lệ doanh nghiệp trên địa bàn sử dụng hóa đơn điện tử", "100%", "Phòng Kinh tế",
                        "Đội Thuế liên xã", deadline="Năm 2026"),
                      R("Tỷ lệ hộ sản xuất, kinh doanh sử dụng thanh toán không dùng tiền mặt", "Trên 70%",
                        "Phòng Kinh tế", "Các ngân hàng trên địa bàn xã", deadline="Năm 2026"),
                  ]),
                  Group("III", "Xã hội số", [
                      R("Tỷ lệ người dân trưởng thành có điện thoại thông minh", "Trên 90%", "Phòng Văn hóa - Xã hội",
                        "Các doanh nghiệp viễn thông", deadline="Năm 2026"),
                      R("Tỷ lệ người dân sử dụng ứng dụng iHanoi", "≥ 60%", "Phòng Văn hóa - Xã hội",
                        "Công an xã|Các thôn", deadline="Quý III/2026"),
                      R("Tỷ lệ trường học triển khai sổ điểm điện tử, học bạ số", "100%", "Phòng Văn hóa - Xã hội",
                        "Các trường Tiểu học, THCS trên địa bàn", deadline="Quý IV/2026"),
                  ])]),
        Appendix("tasks", "PHỤ LỤC 02", "NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM NĂM 2026",
                 [("number", "STT"), ("local", ""), ("content", "Nội dung nhiệm vụ"), ("lead", "Đơn vị chủ trì"),
                  ("coord", "Đơn vị phối hợp"), ("deadline", "Thời hạn hoàn thành"), ("product", "Kết quả đầu ra")],
                 [Group("I", "Chính quyền số", [
                     R("Rà soát, chuẩn hóa dữ liệu hộ tịch đã số hóa trên phần mềm dùng chung", "", "Văn phòng HĐND - UBND",
                       "Công an xã", deadline="Quý II/2026", product="Dữ liệu hộ tịch được làm sạch"),
                     R("Vận hành bộ phận một cửa theo mô hình không giấy tờ", "", "Trung tâm Phục vụ hành chính công xã",
                       "Văn phòng HĐND - UBND", deadline="Thường xuyên", product="Hồ sơ điện tử 100%"),
                     R("Cập nhật thông tin lên Trang thông tin điện tử của xã theo quy định", "",
                       "Trung tâm Dịch vụ tổng hợp", "Các phòng chuyên môn", deadline="Hằng tháng",
                       product="Tin, bài được đăng tải"),
                     R("Trang bị bổ sung máy tính, máy quét cho bộ phận tiếp nhận hồ sơ", "", "Phòng Kinh tế",
                       "Văn phòng HĐND - UBND", deadline="Quý III/2026", product="Thiết bị được bàn giao"),
                 ]),
                  Group("II", "Kinh tế số", [
                      R("Hỗ trợ hộ kinh doanh mở gian hàng trên sàn thương mại điện tử", "", "Phòng Kinh tế",
                        "Hội Liên hiệp Phụ nữ xã|Đoàn Thanh niên xã", deadline="Quý III/2026",
                        product="Ít nhất 30 gian hàng được mở"),
                      R("Tuyên truyền thanh toán không dùng tiền mặt tại chợ Tam Hưng", "", "Phòng Kinh tế",
                        "Ban Quản lý chợ", deadline="Quý II/2026", product="Mã QR tại 100% quầy hàng"),
                      R("Xây dựng bản đồ số các điểm du lịch, làng nghề của xã", "", "Phòng Văn hóa - Xã hội",
                        "Phòng Kinh tế", deadline="Quý IV/2026", product="Bản đồ số trên iHanoi"),
                  ]),
                  Group("III", "Xã hội số", [
                      R("Tổ chức lớp “Bình dân học vụ số” cho người dân tại các thôn", "", "Phòng Văn hóa - Xã hội",
                        "Tổ công nghệ số cộng đồng|Các thôn", deadline="Quý II, III/2026",
                        product="Mỗi thôn ít nhất 01 lớp"),
                      R("Hướng dẫn người dân cài đặt, kích hoạt tài khoản định danh điện tử mức 2", "", "Công an xã",
                        "Đoàn Thanh niên xã", deadline="Thường xuyên", product="Số tài khoản được kích hoạt"),
                      R("Triển khai hồ sơ sức khỏe điện tử tại Trạm Y tế xã", "", "Trạm Y tế xã", "Công an xã",
                        deadline="Năm 2026", product="Hồ sơ sức khỏe điện tử được cập nhật"),
                  ])]),
    ],
)

# --- Kim Anh: a "Lãnh đạo chỉ đạo" column whose names a converter split across cells.

KIM_ANH = Plan(
    commune="Kim Anh", kind="xã", number="17/KH-UBND", date=(5, 2, 2026),
    kind_line="KẾ HOẠCH", subject=["Triển khai nhiệm vụ chuyển đổi số xã Kim Anh năm 2026"],
    signer="Hoàng Văn Quyết", position=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    people={"Hoàng Văn Quyết": "Chủ tịch UBND xã", "Nguyễn Thị Thu Trang": "PCT UBND xã",
            "Bùi Quang Vinh": "PCT UBND xã"},
    intro=["Căn cứ Kế hoạch số 131/KH-UBND ngày 31/3/2026 của UBND Thành phố; UBND xã Kim Anh xây dựng Kế hoạch "
           "triển khai nhiệm vụ chuyển đổi số năm 2026 như sau:",
           "I. MỤC ĐÍCH, YÊU CẦU", "- Gắn trách nhiệm người đứng đầu với kết quả chuyển đổi số.",
           "II. NỘI DUNG", "(Chi tiết tại Phụ lục 1, Phụ lục 2 kèm theo)"],
    recipients=["UBND Thành phố;", "Đảng ủy xã;", "Lưu: VT."],
    appendices=[
        Appendix("indicators", "Phụ lục 1", "DANH MỤC CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026",
                 [("number", "TT"), ("content", "Chỉ tiêu"), ("leader", "Lãnh đạo chỉ đạo"), ("lead", "Đơn vị chủ trì"),
                  ("coord", "Đơn vị phối hợp"), ("deadline", "Thời gian")],
                 [Group("I", "Chính quyền số", [
                     R("100% văn bản đi của UBND xã được ký số, trừ văn bản mật", "100%", "Văn phòng HĐND - UBND xã",
                       "Các phòng chuyên môn", "Hoàng Văn Quyết", "Thường xuyên"),
                     R("Tỷ lệ hồ sơ trực tuyến toàn trình đạt tối thiểu 80%", "≥ 80%",
                       "Trung tâm Phục vụ hành chính công xã", "Văn phòng HĐND - UBND xã", "Bùi Quang Vinh", "Năm 2026"),
                     R("Giảm ít nhất 30% văn bản giấy gửi giữa các phòng chuyên môn", "≥ 30%",
                       "Văn phòng HĐND - UBND xã", "Các phòng chuyên môn", "Hoàng Văn Quyết", "Quý IV/2026"),
                     R("100% cuộc họp giao ban của UBND xã sử dụng tài liệu điện tử", "100%", "Văn phòng HĐND - UBND xã",
                       "Trung tâm Dịch vụ tổng hợp", "Bùi Quang Vinh", "Quý II/2026"),
                 ]),
                  Group("II", "Xã hội số", [
                      R("Tỷ lệ người dân có tài khoản định danh điện tử mức 2 đạt trên 90%", "> 90%", "Công an xã",
                        "Các thôn", "Nguyễn Thị Thu Trang", "Quý III/2026"),
                      R("100% thôn có Tổ công nghệ số cộng đồng", "100%", "Phòng Văn hóa - Xã hội", "Các thôn",
                        "Nguyễn Thị Thu Trang", "Quý II/2026"),
                      R("Tỷ lệ hộ gia đình có cáp quang đạt 95%", "95%", "Phòng Văn hóa - Xã hội",
                        "Các doanh nghiệp viễn thông", "Nguyễn Thị Thu Trang", "Năm 2026"),
                  ])]),
        Appendix("tasks", "Phụ lục 2", "DANH MỤC NHIỆM VỤ TRỌNG TÂM",
                 [("number", "TT"), ("content", "Nội dung công việc"), ("leader", "Lãnh đạo phụ trách"),
                  ("lead", "Chủ trì"), ("coord", "Phối hợp"), ("deadline", "Thời gian hoàn thành")],
                 [Group("I", "Chính quyền số", [
                     R("Kiện toàn Ban Chỉ đạo chuyển đổi số xã", "", "Văn phòng HĐND - UBND xã", "Phòng Văn hóa - Xã hội",
                       "Hoàng Văn Quyết", "Quý I/2026"),
                     R("Số hóa hồ sơ lưu trữ của UBND xã giai đoạn 2016 - 2025", "", "Văn phòng HĐND - UBND xã",
                       "Các phòng chuyên môn", "Bùi Quang Vinh", "Quý IV/2026"),
                     R("Triển khai trợ lý ảo hỗ trợ cán bộ, công chức tra cứu văn bản", "", "Văn phòng HĐND - UBND xã",
                       "Phòng Văn hóa - Xã hội", "Bùi Quang Vinh", "Quý III/2026"),
                 ]),
                  Group("II", "Xã hội số", [
                      R("Tuyên truyền cài đặt, sử dụng ứng dụng iHanoi đến từng hộ gia đình", "",
                        "Phòng Văn hóa - Xã hội", "Các thôn|Đoàn Thanh niên xã", "Nguyễn Thị Thu Trang", "Quý II/2026"),
                      R("Tổ chức Ngày hội chuyển đổi số xã Kim Anh", "", "Phòng Văn hóa - Xã hội",
                        "Trung tâm Dịch vụ tổng hợp", "Nguyễn Thị Thu Trang", "Quý IV/2026"),
                      R("Hướng dẫn người cao tuổi sử dụng dịch vụ công trực tuyến", "", "Trung tâm Phục vụ hành chính công xã",
                        "Hội Người cao tuổi xã", "Bùi Quang Vinh", "Thường xuyên"),
                  ])]),
    ],
)

# --- Đoài Phương: an Excel workbook; columns in another order, "Chỉ tiêu năm 2026", "Người phụ trách",
# "Cán bộ theo dõi"; the person in charge merged down over the rows they follow.

DOAI_PHUONG = Plan(
    commune="Đoài Phương", kind="xã", number="63/KH-UBND", date=(27, 2, 2026),
    kind_line="KẾ HOẠCH", subject=["Chuyển đổi số xã Đoài Phương năm 2026"],
    signer="Kiều Văn Dũng", position=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    people={"Kiều Văn Dũng": "Chủ tịch UBND xã", "Phùng Thị Hải Yến": "Phó Chủ tịch UBND xã",
            "Khuất Duy Tiến": "Phó Chủ tịch UBND xã", "Kiều Thị Hà": "Công chức Văn hóa - Xã hội",
            "Đỗ Mạnh Cường": "Công chức Văn phòng - Thống kê"},
    appendices=[
        Appendix("indicators", "PHỤ LỤC 01", "CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026",
                 [("number", "STT"), ("content", "Nội dung"), ("lead", "Đơn vị chủ trì"),
                  ("target", "Chỉ tiêu năm 2026"), ("deadline", "Thời gian"), ("coord", "Đơn vị phối hợp"),
                  ("leader", "Người phụ trách")],
                 [Group("I", "CHÍNH QUYỀN SỐ", [
                     R("Hồ sơ thủ tục hành chính được số hóa khi tiếp nhận", "100%", "Trung tâm Phục vụ hành chính công xã",
                       "Văn phòng HĐND-UBND", "Khuất Duy Tiến", "Thường xuyên"),
                     R("Hồ sơ giải quyết đúng hạn", "≥ 98%", "Trung tâm Phục vụ hành chính công xã",
                       "Các phòng chuyên môn", "Khuất Duy Tiến", "Năm 2026"),
                     R("Văn bản trao đổi giữa các phòng dưới dạng điện tử", "≥ 90%", "Văn phòng HĐND-UBND",
                       "Các phòng chuyên môn", "Khuất Duy Tiến", "Quý II/2026"),
                 ]),
                  Group("II", "KINH TẾ SỐ", [
                      R("Hộ kinh doanh có tài khoản thanh toán điện tử", "≥ 75%", "Phòng Kinh tế",
                        "Các ngân hàng trên địa bàn", "Phùng Thị Hải Yến", "Năm 2026"),
                      R("Hợp tác xã ứng dụng nền tảng số trong quản lý sản xuất", "≥ 50%", "Phòng Kinh tế",
                        "Hợp tác xã Nông nghiệp Đoài Phương", "Phùng Thị Hải Yến", "Quý IV/2026"),
                  ]),
                  Group("III", "XÃ HỘI SỐ", [
                      R("Người dân trưởng thành có chữ ký số cá nhân", "20-30%", "Phòng Văn hóa - Xã hội",
                        "Công an xã|Các thôn", "Phùng Thị Hải Yến", "Năm 2026"),
                      R("Trường học có phòng học trực tuyến", "100%", "Phòng Văn hóa - Xã hội",
                        "Các trường Mầm non, Tiểu học, THCS", "Phùng Thị Hải Yến", "Quý III/2026"),
                  ])]),
        Appendix("tasks", "PHỤ LỤC 02", "NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026",
                 [("number", "STT"), ("content", "Nhiệm vụ"), ("deadline", "Thời gian thực hiện"),
                  ("lead", "Đơn vị chủ trì"), ("coord", "Đơn vị phối hợp"), ("leader", "Cán bộ theo dõi"),
                  ("note", "Ghi chú")],
                 [Group("I", "Hạ tầng và dữ liệu", [
                     R("Rà soát, nâng cấp đường truyền số liệu chuyên dùng tại trụ sở xã", "", "Văn phòng HĐND-UBND",
                       "VNPT Hà Nội", "Đỗ Mạnh Cường", "Quý II/2026"),
                     R("Xây dựng cơ sở dữ liệu hộ gia đình, nhà trọ trên địa bàn", "", "Công an xã",
                       "Các thôn|Phòng Kinh tế", "Đỗ Mạnh Cường", "Quý III/2026"),
                 ]),
                  Group("II", "Ứng dụng và dịch vụ", [
                      R("Triển khai phần mềm quản lý di tích, lễ hội trên nền tảng số", "", "Phòng Văn hóa - Xã hội",
                        "Ban Quản lý di tích xã", "Kiều Thị Hà", "Quý IV/2026"),
                      R("Cập nhật dữ liệu người có công, bảo trợ xã hội lên hệ thống của Thành phố", "",
                        "Phòng Văn hóa - Xã hội", "Các thôn", "Kiều Thị Hà", "Hằng tháng"),
                      R("Tổ chức cuộc thi tìm hiểu về chuyển đổi số trong thanh niên", "", "Đoàn Thanh niên xã",
                        "Phòng Văn hóa - Xã hội", "Kiều Thị Hà", "Quý III/2026"),
                  ])]),
    ],
)

# --- Thanh Lâm: only tasks, in a Word table that runs over several pages; the lead unit merged down.

THANH_LAM = Plan(
    commune="Thanh Lâm", kind="xã", number="29/KH-UBND", date=(16, 1, 2026),
    kind_line="KẾ HOẠCH", subject=["Thực hiện nhiệm vụ chuyển đổi số, cải cách hành chính", "xã Thanh Lâm năm 2026"],
    signer="Trịnh Văn Lâm", position=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    people={"Trịnh Văn Lâm": "Chủ tịch UBND xã", "Lê Thị Minh Nguyệt": "Phó Chủ tịch UBND xã"},
    intro=["Thực hiện chỉ đạo của UBND Thành phố về chuyển đổi số năm 2026, UBND xã Thanh Lâm ban hành Kế hoạch "
           "thực hiện như sau:", "I. NHIỆM VỤ", "Các nhiệm vụ cụ thể tại Phụ lục kèm theo."],
    recipients=["UBND Thành phố;", "Lưu: VT."],
    appendices=[
        Appendix("tasks", "PHỤ LỤC", "NHIỆM VỤ CHUYỂN ĐỔI SỐ, CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA XÃ THANH LÂM",
                 [("number", "STT"), ("content", "Nội dung nhiệm vụ"), ("lead", "Cơ quan chủ trì"),
                  ("coord", "Cơ quan phối hợp"), ("leader", "Lãnh đạo phụ trách"), ("deadline", "Thời gian hoàn thành"),
                  ("note", "Ghi chú")],
                 [Group("I", "Cải cách hành chính", [
                     R("Công khai đầy đủ thủ tục hành chính trên Cổng dịch vụ công và tại bộ phận một cửa", "",
                       "Văn phòng HĐND-UBND", "Trung tâm Phục vụ hành chính công xã", "Lê Thị Minh Nguyệt", "Quý I/2026"),
                     R("Rà soát, đơn giản hóa thủ tục hành chính nội bộ", "", "Văn phòng HĐND-UBND",
                       "Các phòng chuyên môn", "Lê Thị Minh Nguyệt", "Quý II/2026"),
                     R("Khảo sát mức độ hài lòng của người dân qua thiết bị điện tử", "", "Văn phòng HĐND-UBND",
                       "Trung tâm Phục vụ hành chính công xã", "Lê Thị Minh Nguyệt", "Hằng quý"),
                 ]),
                  Group("II", "Chính quyền số", [
                      R("Duy trì hệ thống hội nghị truyền hình từ xã đến các thôn", "", "Trung tâm Dịch vụ tổng hợp",
                        "Các thôn", "Trịnh Văn Lâm", "Thường xuyên"),
                      R("Nâng cấp Trang thông tin điện tử của xã theo bộ nhận diện thống nhất của Thành phố", "",
                        "Trung tâm Dịch vụ tổng hợp", "Văn phòng HĐND-UBND", "Trịnh Văn Lâm", "Quý III/2026"),
                      R("Triển khai chữ ký số trên thiết bị di động cho lãnh đạo xã", "", "Văn phòng HĐND-UBND",
                        "Viettel Hà Nội", "Trịnh Văn Lâm", "Quý I/2026"),
                      R("Bảo đảm an toàn thông tin cho các máy tính kết nối mạng", "", "Văn phòng HĐND-UBND",
                        "Công an xã", "Trịnh Văn Lâm", "Thường xuyên"),
                  ]),
                  Group("III", "Xã hội số", [
                      R("Thành lập nhóm Zalo của từng thôn để thông tin đến người dân", "", "Phòng Văn hóa - Xã hội",
                        "Các thôn", "Lê Thị Minh Nguyệt", "Quý I/2026"),
                      R("Phối hợp với Bưu điện văn hóa xã hỗ trợ người dân nộp hồ sơ trực tuyến", "",
                        "Trung tâm Phục vụ hành chính công xã", "Bưu điện văn hóa xã", "Lê Thị Minh Nguyệt",
                        "Thường xuyên"),
                      R("Tổ chức tập huấn kỹ năng phòng chống lừa đảo trực tuyến cho người dân", "", "Công an xã",
                        "Phòng Văn hóa - Xã hội|Các thôn", "Lê Thị Minh Nguyệt", "Quý II/2026"),
                      R("Vận động người dân khám chữa bệnh bằng căn cước công dân gắn chip", "", "Trạm Y tế xã",
                        "Công an xã", "Lê Thị Minh Nguyệt", "Năm 2026"),
                  ])]),
    ],
)

# --- Ngọc Thụy (a ward): "Năm 2025 và thời gian tới" targets, "Đồng chí Phó Chủ tịch phụ trách",
# "Người phụ trách", "Tiến độ"; group rows written as "I. CHÍNH QUYỀN SỐ" in one cell or split over two lines.

NGOC_THUY = Plan(
    commune="Ngọc Thụy", kind="phường", number="104/KH-UBND", date=(9, 4, 2026),
    kind_line="KẾ HOẠCH", subject=["Chuyển đổi số phường Ngọc Thụy năm 2026"],
    signer="Nguyễn Mạnh Hùng", position=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    people={"Nguyễn Mạnh Hùng": "Chủ tịch UBND phường", "Tạ Thị Phương Lan": "Phó Chủ tịch UBND phường",
            "Đinh Công Sơn": "Phó Chủ tịch UBND phường"},
    intro=["Căn cứ Kế hoạch số 131/KH-UBND ngày 31/3/2026 của UBND Thành phố; UBND phường Ngọc Thụy ban hành "
           "Kế hoạch chuyển đổi số năm 2026 như sau:", "I. CHỈ TIÊU (Phụ lục I)", "II. NHIỆM VỤ (Phụ lục II)"],
    recipients=["UBND Thành phố;", "Thường trực Đảng ủy phường;", "Lưu: VT, VHXH."],
    appendices=[
        Appendix("indicators", "PHỤ LỤC I", "MỤC TIÊU CHUYỂN ĐỔI SỐ CỦA PHƯỜNG",
                 [("number", "TT"), ("content", "Chỉ tiêu"), ("target", "Năm 2025 và thời gian tới"),
                  ("lead", "Cơ quan chủ trì"), ("coord", "Cơ quan phối hợp"),
                  ("leader", "Đồng chí Phó Chủ tịch phụ trách")],
                 [Group("I", "CHÍNH QUYỀN SỐ", [
                     R("Hồ sơ trực tuyến trên tổng số hồ sơ thủ tục hành chính", "≥ 85%",
                       "Trung tâm Phục vụ hành chính công phường", "Văn phòng HĐND - UBND", "Đinh Công Sơn"),
                     R("Phản ánh trên iHanoi được xử lý đúng hạn", "100%", "Văn phòng HĐND - UBND",
                       "Các tổ dân phố", "Đinh Công Sơn"),
                     R("Tỷ lệ hồ sơ bị trả lại hoặc yêu cầu bổ sung", "< 5%", "Trung tâm Phục vụ hành chính công phường",
                       "Các phòng chuyên môn", "Đinh Công Sơn"),
                 ]),
                  Group("II", "KINH TẾ SỐ", [
                      R("Cửa hàng, hộ kinh doanh chấp nhận thanh toán bằng mã QR", "Trên 80%", "Phòng Kinh tế",
                        "Các tổ dân phố|Các ngân hàng trên địa bàn", "Tạ Thị Phương Lan"),
                      R("Doanh nghiệp nhỏ và vừa được hỗ trợ chuyển đổi số", "Tối thiểu 20 doanh nghiệp", "Phòng Kinh tế",
                        "Hiệp hội doanh nghiệp phường", "Tạ Thị Phương Lan"),
                  ]),
                  Group("III", "XÃ HỘI SỐ", [
                      R("Tổ dân phố có cộng đồng số trên iHanoi", "100%", "Phòng Văn hóa - Xã hội", "Các tổ dân phố",
                        "Tạ Thị Phương Lan"),
                      R("Người dân được phổ cập kỹ năng số cơ bản", "≥ 70%", "Phòng Văn hóa - Xã hội",
                        "Tổ công nghệ số cộng đồng|Đoàn Thanh niên phường", "Tạ Thị Phương Lan"),
                  ])]),
        Appendix("tasks", "PHỤ LỤC II", "NHIỆM VỤ, GIẢI PHÁP",
                 [("number", "STT"), ("content", "Nhiệm vụ, giải pháp"), ("lead", "Chủ trì"), ("coord", "Phối hợp"),
                  ("leader", "Người phụ trách"), ("deadline", "Tiến độ"), ("product", "Sản phẩm")],
                 [Group("I", "Chính quyền số", [
                     R("Vận hành Trung tâm điều hành thông minh của phường", "", "Văn phòng HĐND - UBND",
                       "Công an phường", "Nguyễn Mạnh Hùng", "Quý III/2026", "Trung tâm đi vào hoạt động"),
                     R("Chuẩn hóa dữ liệu đất đai, xây dựng trên nền bản đồ số", "", "Phòng Kinh tế, Hạ tầng và Đô thị",
                       "Văn phòng HĐND - UBND", "Đinh Công Sơn", "Quý IV/2026", "Cơ sở dữ liệu đất đai"),
                 ]),
                  Group("II", "Kinh tế số", [
                      R("Tổ chức hội chợ hàng Việt kết hợp quảng bá trên nền tảng số", "", "Phòng Kinh tế, Hạ tầng và Đô thị",
                        "Các doanh nghiệp trên địa bàn", "Tạ Thị Phương Lan", "Quý IV/2026", "Hội chợ và gian hàng số"),
                  ]),
                  Group("III", "Xã hội số", [
                      R("Triển khai mô hình “Tổ dân phố số” tại 05 tổ dân phố điểm", "", "Phòng Văn hóa - Xã hội",
                        "Các tổ dân phố|Tổ công nghệ số cộng đồng", "Tạ Thị Phương Lan", "Quý II/2026",
                        "05 tổ dân phố số"),
                      R("Hướng dẫn học sinh kỹ năng an toàn trên không gian mạng", "", "Các trường trên địa bàn phường",
                        "Công an phường|Đoàn Thanh niên phường", "Tạ Thị Phương Lan", "Năm học 2026 - 2027",
                        "Các buổi ngoại khóa"),
                  ])]),
    ],
)

PLANS = {"hong_van": HONG_VAN, "tam_hung": TAM_HUNG, "kim_anh": KIM_ANH, "doai_phuong": DOAI_PHUONG,
         "thanh_lam": THANH_LAM, "ngoc_thuy": NGOC_THUY}

# --- Quảng Oai: the tables inside the text ("Biểu 01", "Biểu 02") and the signature after them; A/B over I/II;
# a two-row header ("Phân công thực hiện" over "Chủ trì | Phối hợp"); leaders written by position only.

QUANG_OAI = Plan(
    commune="Quảng Oai", kind="xã", number="75/KH-UBND", date=(15, 3, 2026),
    kind_line="KẾ HOẠCH", subject=["Thực hiện Chuyển đổi số và Đề án 06 năm 2026"],
    signer="Đinh Văn Toàn", position=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    people={"Đinh Văn Toàn": "Chủ tịch UBND xã", "Nguyễn Văn Bình": "PCT"},
    intro=["Căn cứ Kế hoạch số 131/KH-UBND ngày 31/3/2026 của UBND Thành phố; UBND xã Quảng Oai ban hành Kế hoạch "
           "như sau:", "I. MỤC TIÊU"],
    recipients=["UBND Thành phố;", "Lưu: VT."],
    appendices=[
        Appendix("indicators", "Biểu 01:", "CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026",
                 [("number", "TT"), ("content", "Nội dung"), ("target", "Chỉ tiêu"), ("lead", "Chủ trì"),
                  ("coord", "Phối hợp"), ("deadline", "Thời gian")],
                 [Group("I", "Hạ tầng, nền tảng", [
                     R("Tỷ lệ cán bộ, công chức có máy tính kết nối mạng", "100%", "Văn phòng HĐND và UBND",
                       "Phòng Kinh tế", deadline="Quý I/2026"),
                     R("Tỷ lệ hồ sơ công việc xử lý trên môi trường mạng", "≥ 90%", "Văn phòng HĐND và UBND",
                       deadline="Năm 2026"),
                 ]),
                  Group("II", "Dịch vụ công", [
                      R("Tỷ lệ hồ sơ trực tuyến toàn trình", "≥ 60%", "Trung tâm Phục vụ hành chính công xã",
                        "Văn phòng HĐND và UBND", deadline="Năm 2026"),
                      R("Tỷ lệ kết quả giải quyết thủ tục hành chính trả bản điện tử", "100%",
                        "Trung tâm Phục vụ hành chính công xã", deadline="Quý II/2026"),
                  ]),
                  Group("III", "Đề án 06", [
                      R("Tỷ lệ người dân có danh tính điện tử mức 2", "≥ 95%", "Công an xã", "Các thôn",
                        deadline="Quý IV/2026"),
                      R("Tỷ lệ cơ sở lưu trú khai báo tạm trú trực tuyến", "100%", "Công an xã",
                        "Các cơ sở lưu trú trên địa bàn", deadline="Thường xuyên"),
                  ])]),
        Appendix("tasks", "Biểu 02:", "NHIỆM VỤ TRỌNG TÂM",
                 [("number", "TT"), ("content", "Nhiệm vụ"), ("lead", "Chủ trì"), ("coord", "Phối hợp"),
                  ("leader", "Lãnh đạo phụ trách"), ("deadline", "Thời gian")],
                 [Group("1", "Công tác chỉ đạo", [
                     R("Kiện toàn Ban Chỉ đạo chuyển đổi số và Đề án 06 của xã", "", "Văn phòng HĐND và UBND",
                       leader="Đinh Văn Toàn", deadline="Quý I/2026"),
                     R("Ban hành quy chế hoạt động của Tổ công nghệ số cộng đồng", "", "Phòng Văn hóa - Xã hội",
                       "Các thôn", "Nguyễn Văn Bình", "Quý I/2026"),
                 ]),
                  Group("2", "Hạ tầng số", [
                      R("Lắp đặt wifi công cộng tại nhà văn hóa các thôn", "", "Phòng Văn hóa - Xã hội", "VNPT",
                        "Nguyễn Văn Bình", "Quý III/2026"),
                      R("Nâng cấp đường truyền Internet tại bộ phận một cửa", "", "Văn phòng HĐND và UBND", "Viettel",
                        "Nguyễn Văn Bình", "Quý II/2026"),
                      R("Rà soát, thay thế máy tính cũ của cán bộ, công chức", "", "Phòng Kinh tế",
                        "Văn phòng HĐND và UBND", "Đinh Văn Toàn", "Quý III/2026"),
                  ])]),
    ],
)

# --- An Khánh: an Excel workbook with the groups in a "Lĩnh vực" column merged down, the year before
# ("Thực hiện năm 2025") beside the target ("Kế hoạch năm 2026"), a unit of measure column; tasks in
# numbered groups ("1", "2") with lettered items ("a)", "b)").

AN_KHANH = Plan(
    commune="An Khánh", kind="xã", number="41/KH-UBND", date=(6, 3, 2026),
    kind_line="KẾ HOẠCH", subject=["Chuyển đổi số xã An Khánh năm 2026"],
    signer="Phạm Thanh Tùng", position=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    people={},
    appendices=[
        Appendix("indicators", "PHỤ LỤC 1", "BỘ CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026",
                 [("number", "STT"), ("group", "Lĩnh vực"), ("content", "Chỉ tiêu"), ("unit", "Đơn vị tính"),
                  ("baseline", "Thực hiện năm 2025"), ("target", "Kế hoạch năm 2026"), ("lead", "Đơn vị chủ trì")],
                 [Group("", "Chính quyền số", [
                     R("Hồ sơ thủ tục hành chính được xử lý trực tuyến", "≥ 80%", "Trung tâm Phục vụ hành chính công xã",
                       note="70%"),
                     R("Văn bản đi được ký số", "100%", "Văn phòng HĐND-UBND", note="92%"),
                     R("Cuộc họp tổ chức trực tuyến", "≥ 50%", "Văn phòng HĐND-UBND", note="35%"),
                 ]),
                  Group("", "Kinh tế số", [
                      R("Hộ kinh doanh thanh toán không dùng tiền mặt", "≥ 75%", "Phòng Kinh tế", note="60%"),
                  ]),
                  Group("", "Xã hội số", [
                      R("Người dân có danh tính điện tử mức 2", "≥ 95%", "Công an xã", note="88%"),
                      R("Hộ gia đình có cáp quang", "≥ 90%", "Phòng Văn hóa - Xã hội", note="85%"),
                  ])]),
        Appendix("tasks", "PHỤ LỤC 2", "NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026",
                 [("number", "TT"), ("content", "Nội dung"), ("lead", "Trách nhiệm thực hiện"), ("deadline", "Thời gian")],
                 [Group("1", "Chính quyền số", [
                     R("Số hóa sổ hộ tịch giai đoạn 2010 - 2020", "", "Văn phòng HĐND-UBND", deadline="Quý III/2026"),
                     R("Triển khai Hệ thống quản lý văn bản trên thiết bị di động", "", "Văn phòng HĐND-UBND",
                       deadline="Quý II/2026"),
                 ]),
                  Group("2", "Xã hội số", [
                      R("Mở lớp kỹ năng số cho người cao tuổi", "", "Phòng Văn hóa - Xã hội", deadline="Quý III/2026"),
                      R("Tuyên truyền ứng dụng iHanoi trên loa truyền thanh", "", "Trung tâm Dịch vụ tổng hợp",
                        deadline="Thường xuyên"),
                      R("Hỗ trợ hộ nghèo tiếp cận điện thoại thông minh", "", "Phòng Văn hóa - Xã hội|Agribank",
                        deadline="Quý IV/2026"),
                  ])]),
    ],
)

PLANS.update({"quang_oai": QUANG_OAI, "an_khanh": AN_KHANH})
