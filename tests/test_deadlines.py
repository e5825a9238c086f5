"""Tests for cds_desktop.services.deadlines: deadlines as officers write them."""

from __future__ import annotations

import calendar
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds_desktop.services.deadlines import (
    KINDS,
    NOTE_NEEDS_YEAR,
    RECURRENCES,
    Deadline,
    describe_deadline,
    parse_deadline,
)
from cds_desktop.text import clean_text

D = date

# --------------------------------------------------------------------------
# One-off deadlines: (text, due_date, start_date, periods)

DATES = [
    ("Quý II/2026", D(2026, 6, 30), None, ("2026-Q2",)),
    ("Quý III//2026", D(2026, 9, 30), None, ("2026-Q3",)),
    ("Quý III/2026", D(2026, 9, 30), None, ("2026-Q3",)),
    ("Quý IV/2026", D(2026, 12, 31), None, ("2026-Q4",)),
    ("Quý I/2026", D(2026, 3, 31), None, ("2026-Q1",)),
    ("Quý 2/2026", D(2026, 6, 30), None, ("2026-Q2",)),
    ("quý II năm 2026", D(2026, 6, 30), None, ("2026-Q2",)),
    ("Quý I năm 2026", D(2026, 3, 31), None, ("2026-Q1",)),
    ("Quý II, III/2026", D(2026, 9, 30), D(2026, 4, 1), ("2026-Q2", "2026-Q3")),
    ("Quý II-III/2026", D(2026, 9, 30), D(2026, 4, 1), ("2026-Q2", "2026-Q3")),
    ("Quý II – III/2026", D(2026, 9, 30), D(2026, 4, 1), ("2026-Q2", "2026-Q3")),
    ("Quý II và III năm 2026", D(2026, 9, 30), D(2026, 4, 1), ("2026-Q2", "2026-Q3")),
    ("Quý I-IV/2026", D(2026, 12, 31), D(2026, 1, 1),
     ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")),
    ("Tháng 6/2026", D(2026, 6, 30), None, ("2026-06",)),
    ("Tháng 02/2026", D(2026, 2, 28), None, ("2026-02",)),
    ("tháng 12 năm 2026", D(2026, 12, 31), None, ("2026-12",)),
    ("Tháng 6-2026", D(2026, 6, 30), None, ("2026-06",)),
    ("6/2026", D(2026, 6, 30), None, ("2026-06",)),
    ("Trước 30/6/2026", D(2026, 6, 30), None, ()),
    ("Trước ngày 30/06/2026", D(2026, 6, 30), None, ()),
    ("30/6/2026", D(2026, 6, 30), None, ()),
    ("Chậm nhất ngày 15.7.2026", D(2026, 7, 15), None, ()),
    ("ngày 30 tháng 6 năm 2026", D(2026, 6, 30), None, ()),
    ("6 tháng đầu năm 2026", D(2026, 6, 30), None, ("2026-H1",)),
    ("6 tháng cuối năm 2026", D(2026, 12, 31), None, ("2026-H2",)),
    ("Năm 2026", D(2026, 12, 31), None, ("2026",)),
    ("Trong năm 2026", D(2026, 12, 31), None, ("2026",)),
    ("2026", D(2026, 12, 31), None, ("2026",)),
    ("Cả năm 2026", D(2026, 12, 31), D(2026, 1, 1), ("2026",)),
    ("Từ tháng 3/2026 và báo cáo vào tháng 12/2026", D(2026, 12, 31), D(2026, 3, 1),
     ("2026-03", "2026-12")),
    ("Từ tháng 6/2026 và báo cáo vào tháng 12/2026", D(2026, 12, 31), D(2026, 6, 1),
     ("2026-06", "2026-12")),
    ("Từ tháng 3 đến tháng 6/2026", D(2026, 6, 30), D(2026, 3, 1),
     ("2026-03", "2026-04", "2026-05", "2026-06")),
    ("Từ tháng 10 đến tháng 3/2027", D(2027, 3, 31), D(2026, 10, 1), ("2026-10", "2027-03")),
    ("Từ 01/3/2026 đến 30/6/2026", D(2026, 6, 30), D(2026, 3, 1), ()),
    ("Giai đoạn 2026-2030", D(2030, 12, 31), D(2026, 1, 1),
     ("2026", "2027", "2028", "2029", "2030")),
    ("Năm học 2025-2026", D(2026, 5, 31), D(2025, 9, 1), ()),
]


@pytest.mark.parametrize(("text", "due", "start", "periods"), DATES)
def test_one_off_deadlines(text, due, start, periods):
    d = parse_deadline(text)
    assert d.kind == "date", d
    assert d.understood
    assert d.due_date == due
    assert d.start_date == start
    assert d.periods == periods
    assert d.recurrence is None
    assert d.text == clean_text(text)


@pytest.mark.parametrize(("text", "due", "start", "periods"), DATES)
def test_one_off_deadlines_ignore_plan_year_when_year_is_written(text, due, start, periods):
    d = parse_deadline(text, plan_year=2030)
    assert (d.kind, d.due_date, d.start_date, d.periods) == ("date", due, start, periods)


@pytest.mark.parametrize(
    "text",
    [
        "quý ii/2026",
        "QUÝ II/2026",
        "Quý  II  /  2026",
        " Quý II/2026. ",
        "Quy II/2026",  # typed without diacritics
        unicodedata.normalize("NFD", "Quý II/2026"),
        "Quý II/ /2026",
    ],
)
def test_variants_of_the_same_quarter(text):
    d = parse_deadline(text)
    assert (d.kind, d.due_date, d.periods) == ("date", D(2026, 6, 30), ("2026-Q2",))


def test_nfd_text_is_kept_nfc():
    d = parse_deadline(unicodedata.normalize("NFD", "Tháng 6/2026"))
    assert d.text == "Tháng 6/2026"
    assert unicodedata.is_normalized("NFC", d.text)


# --------------------------------------------------------------------------
# Missing year: taken from the plan, otherwise not understood


@pytest.mark.parametrize(
    ("text", "due", "start", "periods"),
    [
        ("Cả năm", D(2026, 12, 31), D(2026, 1, 1), ("2026",)),
        ("cả năm", D(2026, 12, 31), D(2026, 1, 1), ("2026",)),
        ("Trong năm", D(2026, 12, 31), None, ("2026",)),
        ("Quý II", D(2026, 6, 30), None, ("2026-Q2",)),
        ("Tháng 6", D(2026, 6, 30), None, ("2026-06",)),
        ("Trước 30/6", D(2026, 6, 30), None, ()),
        ("6 tháng đầu năm", D(2026, 6, 30), None, ("2026-H1",)),
    ],
)
def test_missing_year_uses_plan_year(text, due, start, periods):
    d = parse_deadline(text, plan_year=2026)
    assert (d.kind, d.due_date, d.start_date, d.periods) == ("date", due, start, periods)
    assert d.understood
    assert "plan" in d.note


@pytest.mark.parametrize("text", ["Cả năm", "Quý II", "Tháng 6", "Trước 30/6"])
def test_missing_year_without_plan_year_is_not_understood(text):
    d = parse_deadline(text)
    assert d.understood is False
    assert d.due_date is None and d.start_date is None
    assert d.kind == "unparsed"
    assert d.note == NOTE_NEEDS_YEAR
    assert d.text == text
    assert describe_deadline(d) == "Thiếu năm — cần năm của kế hoạch để tính hạn"


def test_year_from_a_later_period_of_the_same_text():
    d = parse_deadline("Từ tháng 3 và báo cáo vào tháng 12/2026")
    assert (d.start_date, d.due_date) == (D(2026, 3, 1), D(2026, 12, 31))


# --------------------------------------------------------------------------
# Recurring: (text, recurrence, plan_year, due, start, periods)

RECURRING = [
    ("Thường xuyên", "continuous", None, None, None, ()),
    ("thường xuyên", "continuous", 2026, None, None, ()),
    ("Nhiệm vụ thường xuyên", "continuous", None, None, None, ()),
    ("Thực hiện liên tục", "continuous", None, None, None, ()),
    ("Duy trì hằng tháng", "monthly", None, None, None, ()),
    ("Thực hiện hằng tháng", "monthly", None, None, None, ()),
    ("Hằng tháng", "monthly", None, None, None, ()),
    ("Hàng tháng", "monthly", None, None, None, ()),
    ("HÀNG THÁNG", "monthly", None, None, None, ()),
    ("Định kỳ hằng tháng", "monthly", None, None, None, ()),
    ("Hàng quý", "quarterly", None, None, None, ()),
    ("Hằng quý", "quarterly", None, None, None, ()),
    ("Hằng tuần", "weekly", None, None, None, ()),
    ("6 tháng/lần", "half-yearly", None, None, None, ()),
    ("Hàng năm", "yearly", None, None, None, ()),
    ("Hằng năm", "yearly", None, None, None, ()),
    ("Hàng năm", "yearly", 2026, D(2026, 12, 31), None, ()),
    ("Hằng năm", "yearly", 2027, D(2027, 12, 31), None, ()),
    ("Năm 2026 và các năm tiếp theo", "yearly", None, D(2026, 12, 31), D(2026, 1, 1), ("2026",)),
    ("Năm 2026 và các năm tiếp theo", "yearly", 2030, D(2026, 12, 31), D(2026, 1, 1), ("2026",)),
    ("Hằng tháng đến hết năm 2026", "monthly", None, D(2026, 12, 31), None, ("2026",)),
    ("Thường xuyên, hằng tháng", "monthly", None, None, None, ()),  # the specific one wins
    ("Từ tháng 3/2026", "continuous", None, None, D(2026, 3, 1), ("2026-03",)),
    ("Theo quý", "quarterly", None, None, None, ()),
    ("Báo cáo theo tháng", "monthly", None, None, None, ()),
]


@pytest.mark.parametrize(("text", "recurrence", "plan_year", "due", "start", "periods"), RECURRING)
def test_recurring(text, recurrence, plan_year, due, start, periods):
    d = parse_deadline(text, plan_year=plan_year)
    assert d.kind == "recurring", d
    assert d.understood
    assert d.recurrence == recurrence
    assert d.due_date == due
    assert d.start_date == start
    assert d.periods == periods


# --------------------------------------------------------------------------
# Events, empty, garbage

EVENTS = [
    "Khi phát sinh",
    "khi phát sinh",
    "Khi Thành phố triển khai hệ thống",
    "Khi Thành phố lựa chọn mô hình điểm",
    "Theo tiến độ của Thành phố",
    "Theo hướng dẫn của Thành phố",
    "Theo chỉ đạo của UBND xã",
    "Đột xuất",
    "Sau khi có hướng dẫn",
]


@pytest.mark.parametrize("text", EVENTS)
def test_events(text):
    d = parse_deadline(text, plan_year=2026)
    assert d.kind == "event"
    assert d.understood
    assert d.due_date is None and d.start_date is None and d.recurrence is None
    assert d.periods == ()
    assert d.text == text
    assert describe_deadline(d) == f"{text} (không có hạn cố định)"


def test_event_with_an_expected_period_has_a_date():
    d = parse_deadline("Quý III/2026 (theo tiến độ của Thành phố)")
    assert (d.kind, d.due_date) == ("date", D(2026, 9, 30))
    assert "external event" in d.note


@pytest.mark.parametrize("text", [None, "", "   ", "\n"])
def test_empty(text):
    d = parse_deadline(text, plan_year=2026)
    assert d.kind == "none"
    assert d.understood
    assert d.due_date is None and d.recurrence is None and d.periods == ()
    assert describe_deadline(d) == "Không có thời hạn"


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "Quý V/2026",
        "Quý 5/2026",
        "quý VI năm 2026",
        "Tháng 13/2026",
        "Tháng 0/2026",
        "13/2026",
        "32/6/2026",
        "29/02/2026",
        "Quý II/1850",
        "Theo",
        "Hoàn thành sớm",
        "Từ tháng 12/2026 đến tháng 3/2026",  # starts after it ends
        "Hoàn thành theo quy định",  # "quy định" is not "quý"
        "Theo quy trình",
        "Quý này",
    ],
)
def test_unparsed(text):
    for plan_year in (None, 2026):
        d = parse_deadline(text, plan_year=plan_year)
        assert d.kind == "unparsed", d
        assert d.understood is False
        assert d.due_date is None and d.start_date is None
        assert d.text == text
        assert describe_deadline(d) == "Không hiểu được — giữ nguyên văn bản"


def test_quy_dinh_next_to_a_quarter_is_ignored():
    d = parse_deadline("Quý IV/2026 theo quy định")
    assert (d.kind, d.due_date, d.recurrence) == ("date", D(2026, 12, 31), None)


def test_impossible_plan_year_is_ignored():
    assert parse_deadline("Hằng năm", plan_year=99999).due_date is None
    assert parse_deadline("Cả năm", plan_year=0).understood is False


# --------------------------------------------------------------------------
# describe_deadline


@pytest.mark.parametrize(
    ("text", "plan_year", "expected"),
    [
        ("Quý II/2026", None, "Hạn: 30/06/2026"),
        ("Tháng 6/2026", None, "Hạn: 30/06/2026"),
        ("Từ tháng 3/2026 và báo cáo vào tháng 12/2026", None, "Từ 01/03/2026, hạn: 31/12/2026"),
        ("Thường xuyên", None, "Thường xuyên"),
        ("Duy trì hằng tháng", None, "Định kỳ hằng tháng"),
        ("Hàng quý", None, "Định kỳ hằng quý"),
        ("Hằng năm", None, "Định kỳ hằng năm"),
        ("Hằng năm", 2026, "Định kỳ hằng năm (hạn: 31/12/2026)"),
        ("Năm 2026 và các năm tiếp theo", None, "Định kỳ hằng năm, từ 01/01/2026 (hạn: 31/12/2026)"),
        ("Khi phát sinh", None, "Khi phát sinh (không có hạn cố định)"),
        ("abc", None, "Không hiểu được — giữ nguyên văn bản"),
    ],
)
def test_describe(text, plan_year, expected):
    assert describe_deadline(parse_deadline(text, plan_year)) == expected


# --------------------------------------------------------------------------
# Properties

_JUNK = st.text(alphabet="bcfgjklmpqrswxzBCFGJKLMPQRSWXZ .,;:!?()-_'\"", max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.one_of(st.none(), st.integers(min_value=-5, max_value=10_000)))
def test_parse_deadline_never_raises(text, plan_year):
    d = parse_deadline(text, plan_year)
    assert isinstance(d, Deadline)
    assert d.kind in KINDS
    assert d.recurrence is None or d.recurrence in RECURRENCES
    assert d.understood == (d.kind != "unparsed")
    if d.kind == "date":
        assert d.due_date is not None
    if d.start_date and d.due_date:
        assert d.start_date <= d.due_date
    assert isinstance(describe_deadline(d), str)


@settings(max_examples=300, deadline=None)
@given(_JUNK, st.one_of(st.none(), st.just(2026)))
def test_junk_is_not_guessed(text, plan_year):
    d = parse_deadline(text, plan_year)
    if not clean_text(text):
        assert d.kind == "none"
    else:
        assert d.kind == "unparsed"
        assert d.understood is False
        assert d.due_date is None and d.start_date is None and d.recurrence is None
        assert d.text == clean_text(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=4),
       st.sampled_from(["Quý {q}/{y}", "quý {r} năm {y}", "Quý {r}//{y}", "QUÝ {r} / {y}"]))
def test_any_quarter_ends_on_the_last_day_of_its_last_month(year, quarter, template):
    roman = ["I", "II", "III", "IV"][quarter - 1]
    d = parse_deadline(template.format(q=quarter, r=roman, y=year))
    assert d.periods == (f"{year}-Q{quarter}",)
    assert d.due_date is not None
    assert d.due_date == D(year, 3 * quarter, calendar.monthrange(year, 3 * quarter)[1])
