"""Tests for cds_desktop.services.targets: target cells and targets embedded in content."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds_desktop.services.targets import (
    COMPARATOR_SYMBOLS,
    COMPARATORS,
    NOTE_REACH,
    Target,
    extract_target,
    format_target,
    parse_target,
)
from cds_desktop.text import clean_text

# --------------------------------------------------------------------------
# Target cells: (text, comparator, value, value_max, unit, display)

CELLS = [
    ("100%", "eq", 100, None, "%", "100%"),
    ("≥ 98%", "ge", 98, None, "%", "≥ 98%"),
    (">= 98%", "ge", 98, None, "%", "≥ 98%"),
    ("=> 98%", "ge", 98, None, "%", "≥ 98%"),
    (r"$\geq 98\%$", "ge", 98, None, "%", "≥ 98%"),
    (r"$\ge 98\%$", "ge", 98, None, "%", "≥ 98%"),
    (r"\geq 98\%", "ge", 98, None, "%", "≥ 98%"),
    (r"$< 5\%$", "lt", 5, None, "%", "< 5%"),
    (r"$\leq 5\%$", "le", 5, None, "%", "≤ 5%"),
    ("< 5%", "lt", 5, None, "%", "< 5%"),
    ("<= 5%", "le", 5, None, "%", "≤ 5%"),
    ("≤ 5%", "le", 5, None, "%", "≤ 5%"),
    (">60%", "gt", 60, None, "%", "> 60%"),
    ("> 60 %", "gt", 60, None, "%", "> 60%"),
    ("20-30%", "range", 20, 30, "%", "20–30%"),
    ("20–30%", "range", 20, 30, "%", "20–30%"),
    ("20 — 30 %", "range", 20, 30, "%", "20–30%"),
    ("60%- 70%", "range", 60, 70, "%", "60–70%"),
    ("20% đến 30%", "range", 20, 30, "%", "20–30%"),
    ("từ 20 đến 30%", "range", 20, 30, "%", "20–30%"),
    ("từ 20-30%", "range", 20, 30, "%", "20–30%"),
    ("đạt từ 20-30%", "range", 20, 30, "%", "20–30%"),
    ("80–90%", "range", 80, 90, "%", "80–90%"),
    ("Trên 90%", "gt", 90, None, "%", "> 90%"),
    ("trên 90%", "gt", 90, None, "%", "> 90%"),
    ("TRÊN 90%", "gt", 90, None, "%", "> 90%"),
    ("hơn 90%", "gt", 90, None, "%", "> 90%"),
    ("Dưới 5%", "lt", 5, None, "%", "< 5%"),
    ("Tối thiểu 50%", "ge", 50, None, "%", "≥ 50%"),
    ("tối thiểu 80%", "ge", 80, None, "%", "≥ 80%"),
    ("ít nhất 50%", "ge", 50, None, "%", "≥ 50%"),
    ("Không thấp hơn 70%", "ge", 70, None, "%", "≥ 70%"),
    ("Tối đa 5%", "le", 5, None, "%", "≤ 5%"),
    ("Không quá 5%", "le", 5, None, "%", "≤ 5%"),
    ("Không vượt quá 5%", "le", 5, None, "%", "≤ 5%"),
    ("từ 50% trở lên", "ge", 50, None, "%", "≥ 50%"),
    ("10% trở xuống", "le", 10, None, "%", "≤ 10%"),
    ("= 40%", "eq", 40, None, "%", "= 40%"),
    ("bằng 40%", "eq", 40, None, "%", "= 40%"),
    ("đạt 100%", "eq", 100, None, "%", "100%"),
    ("99,5%", "ge", 99.5, None, "%", "≥ 99,5%"),
    ("99.5%", "ge", 99.5, None, "%", "≥ 99,5%"),
    ("Tối thiểu 05 kênh", "ge", 5, None, "kênh", "≥ 5 kênh"),
    ("Dưới 30 phút", "lt", 30, None, "phút", "< 30 phút"),
    ("Tối đa 3 ngày", "le", 3, None, "ngày", "≤ 3 ngày"),
    # Bare numbers without "%": a count to reach (the "reach N" rule -> ge).
    ("05 nhiệm vụ", "ge", 5, None, "nhiệm vụ", "≥ 5 nhiệm vụ"),
    ("01", "ge", 1, None, "", "≥ 1"),
    ("100 bài giảng", "ge", 100, None, "bài giảng", "≥ 100 bài giảng"),
    ("1.000 lượt", "ge", 1000, None, "lượt", "≥ 1000 lượt"),
]


@pytest.mark.parametrize(("text", "comparator", "value", "value_max", "unit", "display"), CELLS)
def test_parse_target_cells(text, comparator, value, value_max, unit, display):
    t = parse_target(text)
    assert t.understood, t
    assert t.comparator == comparator
    assert t.value == pytest.approx(value)
    assert t.value_max == (None if value_max is None else pytest.approx(value_max))
    assert t.unit == unit
    assert format_target(t) == display
    assert t.extra == ()


def test_latex_is_cleaned_in_text():
    assert parse_target(r"$\geq 98\%$").text == "≥ 98%"
    assert parse_target(r"$< 5\%$").text == "< 5%"


@pytest.mark.parametrize(
    "text",
    [
        "Không phát sinh",
        "Không phát sinh hệ thống riêng lẻ",
        "không phát sinh",
        "được cải thiện",
        "Được cải thiện so với cùng kỳ",
        "được đảm bảo",
        "được bảo đảm",
        "Đạt",
        "đạt",
        "Có",
        "Hoàn thành",
    ],
)
def test_parse_target_qualitative(text):
    t = parse_target(text)
    assert t.understood
    assert t.comparator == "qualitative"
    assert t.value is None and t.value_max is None
    assert t.text == text
    assert format_target(t) == text


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t"])
def test_parse_target_empty(text):
    t = parse_target(text)
    assert t.comparator == "none"
    assert t.understood
    assert t.value is None
    assert format_target(t) == ""


@pytest.mark.parametrize(
    "text",
    [
        "abc xyz",
        "Theo hướng dẫn",
        "Theo hướng dẫn của Thành phố",
        "Năm 2026",  # a year is not a target
        "31/12/2026",  # nor a date
        "Quý II/2026",
        "Cơ quan chủ trì",  # "Cơ" must not be read as "Có"
        "≠ 5%",  # negated comparators are not guessed
        "???",
    ],
)
def test_parse_target_not_understood(text):
    t = parse_target(text)
    assert t.understood is False
    assert t.text == text.strip()
    assert t.value is None
    assert format_target(t) == t.text  # the caller shows the text as written


def test_reach_rule_cells():
    """A quantity without comparator is 'at least'; exactly 100% is 'eq'."""
    t = parse_target("85%")
    assert (t.comparator, t.value) == ("ge", 85)
    assert NOTE_REACH in t.note
    t = parse_target("100%")
    assert (t.comparator, t.value) == ("eq", 100)
    assert NOTE_REACH not in t.note
    assert parse_target("đạt 85%").comparator == "ge"
    assert parse_target("Phấn đấu đạt 85%").comparator == "ge"


def test_parse_target_nfd_and_spaces():
    nfd = unicodedata.normalize("NFD", "  Tối   thiểu   50 % ")
    t = parse_target(nfd)
    assert (t.comparator, t.value, t.unit) == ("ge", 50, "%")
    assert t.text == "Tối thiểu 50%"
    assert unicodedata.is_normalized("NFC", t.text)


def test_parse_target_two_clauses_in_a_cell():
    t = parse_target("100% siêu thị; tối thiểu 85% chợ")
    assert (t.comparator, t.value) == ("eq", 100)
    assert len(t.extra) == 1
    assert (t.extra[0].comparator, t.extra[0].value) == ("ge", 85)
    assert format_target(t) == "100%; ≥ 85%"


def test_descending_dash_is_two_targets_not_a_range():
    t = parse_target("80% - 20%")
    assert t.comparator == "ge" and t.value == 80
    assert [(e.comparator, e.value) for e in t.extra] == [("ge", 20)]


@pytest.mark.parametrize(
    ("comparator", "lower"),
    [("lt", True), ("le", True), ("ge", False), ("gt", False), ("eq", False),
     ("range", False), ("qualitative", False), ("none", False)],
)
def test_lower_is_better(comparator, lower):
    t = Target("x", comparator, 1.0, None, "%", True)
    assert t.lower_is_better is lower


def test_comparator_symbols_cover_all_comparators():
    assert set(COMPARATOR_SYMBOLS) == set(COMPARATORS)
    assert COMPARATOR_SYMBOLS["ge"] == "≥" and COMPARATOR_SYMBOLS["range"] == "–"


# --------------------------------------------------------------------------
# Targets embedded in content (real sentences from the seed plans)

CONTENT = [
    ("100% các thôn hình thành cộng đồng số trên các nền tảng mạng", "eq", 100, None),
    ("100% các thôn, tổ dân phố hình thành cộng đồng số trên iHanoi.", "eq", 100, None),
    ("Giảm ít nhất 50% văn bản lấy ý kiến giữa các cơ quan, tính từ thời điểm ban hành "
     "Kế hoạch đến hết năm 2026", "ge", 50, None),
    (r"Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn đạt $\geq 95\%$", "ge", 95, None),
    ("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn đạt ≥ 98% .", "ge", 98, None),
    (r"Phần đầu tỷ lệ từ chối hoặc yêu cầu bổ sung $< 5\%$", "lt", 5, None),
    ("Tỷ lệ tái sử dụng dữ liệu đạt tối thiểu 80%", "ge", 80, None),
    ("Tỷ lệ tái sử dụng dữ liệu đạt tối thiểu 95% .", "ge", 95, None),
    ("Tỷ lệ người dân trưởng thành có chữ ký số cá nhân đạt 20-30%", "range", 20, 30),
    ("Tỷ lệ người dân từ 14 tuổi trở lên có danh tính điện tử đạt trên 90%", "gt", 90, None),
    ("40% cuộc họp ứng dụng họp trực tuyến trên tổng số hội nghị, cuộc họp trong cơ quan",
     "ge", 40, None),
    ("Tỷ lệ dân số từ 15 tuổi trở lên có tài khoản giao dịch thanh toán tại ngân hàng hoặc "
     "tổ chức được phép khác đạt 85%", "ge", 85, None),
    ("Tỷ lệ hộ gia đình có đường Internet cáp quang băng thông rộng đạt 100%", "eq", 100, None),
    ("Tối thiểu 50% thôn triển khai hoạt động hướng dẫn kỹ năng số cộng đồng.", "ge", 50, None),
    ("≥ 70% thông báo chính thức của Thành phố để phổ biến đến người dân được thực hiện qua iHanoi.",
     "ge", 70, None),
    (r"Tỷ lệ người dân có khả năng tự bảo vệ ở mức cơ bản trên môi trường số (nhận biết lừa đảo, "
     r"bảo mật tài khoản, bảo vệ dữ liệu cá nhân...) đạt $\geq 70\%$", "ge", 70, None),
    ("Giảm tối thiểu 80–90% báo cáo thủ công về chuyển đổi số", "range", 80, 90),
    ("Thiết lập và vận hành tối thiểu 05 kênh truyền thông số chính thức", "ge", 5, None),
    ("80% TTHC nội bộ, các công việc ngoài thủ tục hành chính đều thực hiện bằng quy trình số, "
     "tính tại thời điểm tháng 12/2026", "ge", 80, None),
]


@pytest.mark.parametrize(("content", "comparator", "value", "value_max"), CONTENT)
def test_extract_target_from_seed_content(content, comparator, value, value_max):
    t = extract_target(content)
    assert t.understood
    assert t.comparator == comparator
    assert t.value == pytest.approx(value)
    assert t.value_max == (None if value_max is None else pytest.approx(value_max))
    assert "embedded in content" in t.note
    assert t.extra == ()


def test_extract_reduction():
    t = extract_target("Giảm ít nhất 50% văn bản lấy ý kiến giữa các cơ quan")
    assert (t.comparator, t.value, t.unit) == ("ge", 50, "%")
    assert "reduction" in t.note
    assert not t.lower_is_better  # a bigger cut is better
    assert "reduction" in extract_target("Giảm 20% thời gian xử lý").note
    assert extract_target("Giảm 20% thời gian xử lý").comparator == "ge"


def test_extract_reduce_to_is_a_ceiling():
    t = extract_target("Giảm tỷ lệ hồ sơ trễ hạn xuống còn 5%")
    assert (t.comparator, t.value) == ("le", 5)
    assert t.lower_is_better


def test_extract_lower_is_better():
    t = extract_target(r"Phần đầu tỷ lệ từ chối hoặc yêu cầu bổ sung $< 5\%$")
    assert t.lower_is_better
    assert format_target(t) == "< 5%"


def test_extract_reach_rule():
    t = extract_target("40% cuộc họp ứng dụng họp trực tuyến")
    assert (t.comparator, t.value) == ("ge", 40)
    assert NOTE_REACH in t.note
    t = extract_target("100% các thôn hình thành cộng đồng số trên các nền tảng mạng")
    assert (t.comparator, t.value) == ("eq", 100)
    assert NOTE_REACH not in t.note


def test_extract_primary_and_extra_clause():
    t = extract_target("100% siêu thị, trung tâm thương mại; tối thiểu 85% chợ dân sinh có phương thức "
                       "thanh toán số")
    assert (t.comparator, t.value, t.unit) == ("eq", 100, "%")
    assert t.text == "100% siêu thị, trung tâm thương mại"
    assert len(t.extra) == 1
    extra = t.extra[0]
    assert (extra.comparator, extra.value, extra.unit) == ("ge", 85, "%")
    assert extra.text == "tối thiểu 85% chợ dân sinh có phương thức thanh toán số"
    assert format_target(t) == "100%; ≥ 85%"


def test_extract_four_clauses():
    content = (
        "≥ 50% TTHC phát sinh nhiều hồ sơ được tổ chức lại theo nhóm sự kiện (khai sinh, nhập học, "
        "việc làm, an sinh, tuổi già...). ≥ 60% hồ sơ thuộc các nhóm này được hệ thống tự động gợi ý "
        "dịch vụ liên quan. ≥ 80% doanh nghiệp mới thành lập được hệ thống tự động cung cấp “gói thủ "
        "tục khởi sự”, khuyến cáo nghĩa vụ pháp lý cơ bản trong 12 tháng đầu. ≥ 50% doanh nghiệp "
        "đang hoạt động nhận được gợi ý chính sách hỗ trợ phù hợp."
    )
    t = extract_target(content)
    assert (t.comparator, t.value) == ("ge", 50)
    assert t.text.startswith("≥ 50% TTHC") and t.text.endswith("tuổi già...)")
    assert [(e.comparator, e.value) for e in t.extra] == [("ge", 60), ("ge", 80), ("ge", 50)]
    assert t.extra[0].text.startswith("≥ 60% hồ sơ")
    assert t.extra[2].text.startswith("≥ 50% doanh nghiệp đang hoạt động")
    assert format_target(t) == "≥ 50%; ≥ 60%; ≥ 80%; ≥ 50%"  # "12 tháng" is not a target


def test_extract_numeric_plus_qualitative_clause():
    t = extract_target(
        "100% hệ thống/ứng dụng mới hoặc nâng cấp của Thành phố phải “API-first” và kết nối LGSP. "
        "Không phát sinh hệ thống/ứng dụng riêng lẻ ngoài kiến trúc số thống nhất của Thành phố."
    )
    assert (t.comparator, t.value) == ("eq", 100)
    assert t.text.endswith("kết nối LGSP")
    assert len(t.extra) == 1
    assert t.extra[0].comparator == "qualitative"
    assert t.extra[0].text.startswith("Không phát sinh hệ thống/ứng dụng riêng lẻ")


@pytest.mark.parametrize(
    "content",
    [
        "Chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực "
        "hiện TTHC, dịch vụ công theo thời gian thực trên môi trường điện tử của xã được cải thiện so "
        "với cùng kỳ",
        "Chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực "
        "hiện thủ tục hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử được đảm bảo",
        "Không phát sinh hệ thống báo cáo riêng lẻ ngoài các nền tảng dùng chung của TP",
    ],
)
def test_extract_qualitative(content):
    t = extract_target(content)
    assert t.understood
    assert t.comparator == "qualitative"
    assert t.value is None
    assert t.extra == ()


def test_extract_date_is_not_a_target():
    assert extract_target("Tính từ 01/10/2026").comparator == "none"
    t = extract_target(
        "100% cơ quan nhà nước Thành phố ứng dụng AI để phục vụ công tác chỉ đạo, điều hành (sử dụng "
        "AI dùng chung của Thành phố sau khi hoàn thành) - tính từ 01/10/2026"
    )
    assert (t.comparator, t.value) == ("eq", 100)
    assert t.extra == ()


def test_extract_document_numbers_are_not_targets():
    t = extract_target(
        "Trang thông tin điện tử thực hiện nghiêm công khai, minh bạch theo Luật tiếp cận thông tin "
        "và Nghị định 42/2022/NĐ-CP ngày 24/06/2022 của Chính phủ; Kế hoạch 131/KH-UBND"
    )
    assert t.comparator == "none"
    assert t.understood
    assert t.value is None


def test_extract_age_is_not_the_target():
    t = extract_target(
        "Tỷ lệ dân số từ 15 tuổi trở lên có tài khoản giao dịch thanh toán tại ngân hàng đạt 85%"
    )
    assert (t.comparator, t.value) == ("ge", 85)
    assert extract_target("Người dân trên 60 tuổi được hướng dẫn kỹ năng số").comparator == "none"


@pytest.mark.parametrize(
    "content",
    [
        None,
        "",
        "Tổ chức thực hiện các chiến lược, chương trình, đề án liên quan đến chuyển đổi số",
        "Triển khai thực hiện tại Điều 4 và Điều 9 của Luật",
        "Xây dựng và triển khai Kế hoạch phát triển hạ tầng số giai đoạn 2026-2030",
        "Kênh hỗ trợ 24/7; xử lý yêu cầu từ xa",
        "Đăng tải lên 2-3 kênh Youtube",  # a bare range without % is not a target in content
        "Trong 12 tháng đầu",
    ],
)
def test_extract_no_target(content):
    t = extract_target(content)
    assert t.comparator == "none"
    assert t.understood
    assert t.value is None and t.extra == ()
    assert format_target(t) == ""


# --------------------------------------------------------------------------
# Properties

_JUNK = st.text(alphabet="bcfgjkqvwxzBCFGJKQVWXZ .,;:!?()-_/'\"", max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_parsers_never_raise(text):
    for t in (parse_target(text), extract_target(text)):
        assert t.comparator in COMPARATORS
        assert isinstance(format_target(t), str)
        if t.comparator == "range":
            assert t.value is not None and t.value_max is not None and t.value < t.value_max


@settings(max_examples=300, deadline=None)
@given(_JUNK)
def test_junk_is_not_guessed(text):
    t = parse_target(text)
    if not clean_text(text):
        assert t.comparator == "none" and t.understood
    else:
        assert t.understood is False
        assert t.value is None
    e = extract_target(text)
    assert e.comparator == "none" and e.value is None


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["eq", "ge", "gt", "le", "lt", "range"]),
    st.integers(min_value=0, max_value=999),
    st.integers(min_value=1, max_value=500),
    st.sampled_from(["%", "", "nhiệm vụ", "phút"]),
)
def test_format_round_trip(comparator, value, width, unit):
    value_max = value + width if comparator == "range" else None
    original = Target("x", comparator, float(value), value_max and float(value_max), unit, True)
    again = parse_target(format_target(original))
    assert again.understood
    assert (again.value, again.value_max, again.unit) == (value, value_max, unit)
    assert again.comparator == comparator


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("32/32 tổ dân phố", 32, "tổ dân phố"), ("Đạt 5/5 thôn", 5, "thôn"), ("20/32", 20, "")])
def test_a_share_of_named_units_reads_as_at_least_that_many(text, value, unit):
    """"32/32 tổ dân phố": 32 of the 32 units, read as ≥ 32 (an unseen ward's Excel plan wrote its target so)."""
    parsed = parse_target(text)
    assert (parsed.comparator, parsed.value, parsed.unit, parsed.understood) == ("ge", value, unit, True)


@pytest.mark.parametrize("text", ["30/6", "5/5", "0/3 thôn", "7/5 thôn"])
def test_a_date_or_an_impossible_share_is_not_a_target(text):
    assert not parse_target(text).understood
