"""Property-based tests of the header mapper and the row joiner.

Tables are generated from real cell values: the columns come in any order,
optional columns are dropped, headers use any of the wordings communes use,
numbering is one column, two columns or a combined "STT/chi tiết" cell; rows
are wrapped onto continuation rows and the header is repeated at page breaks.
Whatever the layout, the importer must read the same items.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cds_desktop.importers.build import analyse
from cds_desktop.importers.readers import read_text

HEADERS = {
    "content": ["Nội dung", "Tên nhiệm vụ", "NỘI DUNG NHIỆM VỤ", "Nhiệm vụ, giải pháp", "Tên nhóm nhiệm vụ/ nhiệm vụ"],
    "lead": ["Đơn vị chủ trì", "Cơ quan chủ trì tham mưu thực hiện tại xã", "CƠ QUAN CHỦ TRÌ", "Chủ trì",
             "Đơn vị chủ trì tham mưu"],
    "coordinating": ["Đơn vị phối hợp", "Cơ quan phối hợp tại xã", "PHỐI HỢP", "Phối hợp"],
    "deadline": ["Thời hạn", "Thời hạn hoàn thành", "Thời gian hoàn thành", "THỜI GIAN THỰC HIỆN", "Tiến độ"],
    "guiding_agency": ["Sở, ngành TP hướng dẫn", "Sở, ngành cấp trên chỉ đạo, HD, phối hợp", "Cơ quan hướng dẫn"],
    "expected_result": ["Kết quả cần đạt (Định lượng)", "Kết quả cần đạt", "KẾT QUẢ DỰ KIẾN"],
    "output_product": ["Sản phẩm đầu ra", "Sản phẩm", "SẢN PHẨM ĐẦU RA (Theo HD của từng ngành, lĩnh vực)"],
    "basis": ["Căn cứ", "Cơ sở pháp lý"],
    "leader": ["Lãnh đạo chỉ đạo", "Lãnh đạo phụ trách", "LÃNH ĐẠO UBND PHỤ TRÁCH"],
    "note": ["Ghi chú", "GHI CHÚ"],
}
OPTIONAL = [f for f in HEADERS if f not in ("content", "lead")]

CONTENTS = [
    "Phát triển hạ tầng mạng đáp ứng nhu cầu triển khai CDS theo hướng ưu tiên thuê dịch vụ, kết nối và "
    "sử dụng hiệu quả Mạng truyền số liệu chuyên dùng của các cơ quan Đảng, Nhà nước.",
    "Rà soát, tái cấu trúc tối thiểu 100% các quy trình nội bộ có tần suất xử lý cao",
    "Triển khai khung Chương trình đào tạo về quản trị dữ liệu cho cán bộ chuyên trách về công nghệ thông tin, "
    "chuyển đổi số",
    "Xây dựng kênh Hỗ trợ chuyển đổi số online 24/7 cho cán bộ, công chức, viên chức, người dân và doanh nghiệp",
    "Nâng cấp, bổ sung, duy trì các thiết bị bảo mật nhằm bảo đảm an toàn thông tin",
    "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn đạt ≥ 95%",
    "Phổ cập kỹ năng cho người dân về công nghệ thông tin và truyền thông số trên môi trường điện tử thông qua "
    "phương thức truyền thông đa nền tảng.",
    "Chiến dịch truyền thông cho Ngày chuyển đổi số quốc gia 10/10",
]
UNITS = {  # as written -> catalogue name
    "Văn phòng HĐND-UBND": "Văn phòng HĐND-UBND",
    "VP HĐND – UBND": "Văn phòng HĐND-UBND",
    "Phòng VHXXH": "Phòng Văn hóa - Xã hội",
    "Phòng VH-XH": "Phòng Văn hóa - Xã hội",
    "Phòng Văn hóa - Xã hội": "Phòng Văn hóa - Xã hội",
    "Công an xã": "Công an xã",
    "Phòng Kinh tế": "Phòng Kinh tế",
    "Trung tâm DVTH": "Trung tâm Dịch vụ tổng hợp",
    "Các phòng, ban, đơn vị thuộc xã": "Các phòng, ban, đơn vị thuộc xã",
    "Các Thôn trên địa bàn xã": "Các thôn trên địa bàn xã",
}
OTHER = {
    "deadline": ["Quý II/2026", "Thường xuyên", "Tháng 6/2026", "Năm 2026", "Nhiệm vụ thường xuyên",
                 "Từ tháng 3/2026 và báo cáo vào tháng 12/2026"],
    "guiding_agency": ["Sở KH&CN", "Trung tâm Phục vụ hành chính công", "Công an Thành phố"],
    "expected_result": ["Hạ tầng CNTT được đầu tư, bổ sung hoàn thiện", "Báo cáo", "Kênh hỗ trợ 24/7; xử lý yêu cầu từ xa",
                        "- Giảm trung gian; - Chuẩn hoá dữ liệu đầu vào; - Tích hợp xử lý liên thông trên môi trường số"],
    "output_product": ["Báo cáo", "Quyết định phê duyệt; Báo cáo thực hiện", "Chứng chỉ"],
    "basis": ["Quyết định số 2629/QĐ-TTg ngày 01/12/2025", "Thực tế triển khai tại xã"],
    "leader": ["Đ/c Đỗ Hồng Sơn - Phó Chủ tịch UBND xã", "Đ.c Dương Viết Cường, Chủ tịch UBND xã"],
    "note": ["", "Chỉ tiêu phối hợp"],
}
LABELS = ["I", "II", "III", "IV"]
TITLES = ["Đổi mới trong công tác chỉ đạo, điều hành", "Phát triển nhân lực số", "Bảo đảm an toàn thông tin",
          "Triển khai Luật Chuyển đổi số"]


@st.composite
def plans(draw):
    """A list of groups, each a list of item dicts (field -> cell text)."""
    groups = []
    for g in range(draw(st.integers(1, 3))):
        rows = []
        for _ in range(draw(st.integers(1, 4))):
            lead = draw(st.lists(st.sampled_from(sorted(UNITS)), min_size=1, max_size=2, unique=True))
            coordinating = draw(st.lists(st.sampled_from(sorted(UNITS)), max_size=2, unique=True))
            row = {"content": draw(st.sampled_from(CONTENTS)), "lead": "; ".join(lead),
                   "coordinating": "; ".join(coordinating)}
            for name, values in OTHER.items():
                row[name] = draw(st.sampled_from(values))
            rows.append(row)
        groups.append((LABELS[g], TITLES[g], rows))
    return groups


@st.composite
def layouts(draw):
    kept = draw(st.lists(st.sampled_from(OPTIONAL), unique=True))
    columns = ["content", "lead", *kept]
    columns = draw(st.permutations(columns))
    headers = {f: draw(st.sampled_from(HEADERS[f])) for f in columns}
    numbering = draw(st.sampled_from(["single", "two", "combined"]))
    return columns, headers, numbering


def render(groups, columns, headers, numbering, *, wraps=None, repeats=frozenset()) -> str:
    """The table as Word/Excel put it on the clipboard (tab-separated lines)."""
    number_header = {"single": ["TT"], "two": ["TT", "Chi tiết"], "combined": ["STT/chi tiết"]}[numbering]
    header = "\t".join(number_header + [headers[f] for f in columns])
    width = 1 if numbering == "single" else 2
    lines = ["Phụ lục 02", "DANH MỤC CÁC NHIỆM VỤ, GIẢI PHÁP", header]
    running = 0
    for label, title, rows in groups:
        lines.append("\t".join([label, title] + [""] * (len(columns) + width - 2)))
        for local, row in enumerate(rows, start=1):
            running += 1
            numbers = [str(local)] if numbering == "single" else [str(running), str(local)]
            cells = [row[f] for f in columns]
            wrap = (wraps or {}).get(running)
            continuation = None
            if wrap:
                continuation = [""] * len(cells)
                for f, cut in wrap.items():
                    if f in columns:
                        i = columns.index(f)
                        cells[i], continuation[i] = cells[i][:cut].rstrip(), cells[i][cut:].lstrip()
            lines.append("\t".join(numbers + cells))
            if running in repeats:
                lines += ["", header]
            if continuation is not None and any(continuation):
                lines.append("\t".join([""] * width + continuation))
    return "\n".join(lines) + "\n"


def read_items(text: str) -> list[tuple]:
    analysis = analyse(read_text(text, "bảng.txt"))
    return [(i["group"], i["content"], tuple(i["lead"]), tuple(i["coordinating"]), i["deadline_text"],
             i["guiding_agency"], i["expected_result"], i["output_product"], i["basis"], i["leader_text"], i["note"])
            for i in analysis.draft["items"]]


def expected_items(groups, columns) -> list[tuple]:
    out = []
    for label, _title, rows in groups:
        for row in rows:
            def value(field, row=row):
                return row[field] if field in columns else ""

            lead = tuple(dict.fromkeys(UNITS[u] for u in row["lead"].split("; ") if u))
            coordinating = tuple(dict.fromkeys(UNITS[u] for u in value("coordinating").split("; ") if u))
            out.append((f"task-{label}", row["content"], lead, coordinating, value("deadline"),
                        value("guiding_agency"), value("expected_result"), value("output_product"), value("basis"),
                        value("leader"), value("note")))
    return out


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(plans(), layouts())
def test_header_mapper_any_order_wording_and_columns(groups, layout) -> None:
    columns, headers, numbering = layout
    assert read_items(render(groups, columns, headers, numbering)) == expected_items(groups, columns)


def _cuts(text: str, draw, lowercase_only: bool) -> int | None:
    spaces = [i for i, ch in enumerate(text) if ch == " " and 0 < i < len(text) - 1]
    if lowercase_only:
        spaces = [i for i in spaces if text[i + 1].islower()]
    return draw(st.sampled_from(spaces)) if spaces else None


@st.composite
def breaks(draw, groups):
    """Where rows wrap onto a continuation row, and after which rows the header is repeated."""
    total = sum(len(rows) for _, _, rows in groups)
    wraps: dict[int, dict[str, int]] = {}
    flat = [row for _, _, rows in groups for row in rows]
    for n in draw(st.lists(st.integers(1, total), unique=True, max_size=total)):
        row = flat[n - 1]
        wrap = {}
        for field in draw(st.lists(st.sampled_from(["content", "expected_result", "output_product", "lead"]),
                                   unique=True, min_size=1)):
            if field == "lead":
                if "; " in row["lead"]:
                    wrap["lead"] = row["lead"].index("; ") + 1  # the next unit goes on the next line
                continue
            cut = _cuts(row[field], draw, lowercase_only=field == "content")
            if cut is not None:
                wrap[field] = cut
        if wrap:
            wraps[n] = wrap
    repeats = frozenset(draw(st.lists(st.integers(1, total), unique=True, max_size=2)))
    return wraps, repeats


@SETTINGS
@given(st.data(), plans(), layouts())
def test_row_joiner_continuations_and_page_breaks(data, groups, layout) -> None:
    columns, headers, numbering = layout
    wraps, repeats = data.draw(breaks(groups))
    plain = read_items(render(groups, columns, headers, numbering))
    broken = read_items(render(groups, columns, headers, numbering, wraps=wraps, repeats=repeats))
    assert broken == plain == expected_items(groups, columns)


@SETTINGS
@given(plans())
def test_dropping_optional_columns_keeps_the_rest(groups) -> None:
    full = ["content", "lead", *OPTIONAL]
    headers = {f: HEADERS[f][0] for f in full}
    everything = read_items(render(groups, full, headers, "two"))
    minimal = read_items(render(groups, ["content", "lead"], headers, "two"))
    assert [(g, c, lead) for g, c, lead, *_ in everything] == [(g, c, lead) for g, c, lead, *_ in minimal]
