"""Evaluation of indicators against every target form of the foundation's parser tests
(tests/test_targets.py): each form is met by one figure and missed by another."""

from __future__ import annotations

import pytest
from test_targets import CELLS, CONTENT  # the parser's own cases: every form officers write

from cds_desktop.services.targets import Target, extract_target, parse_target
from cds_desktop.services.tracking.evaluation import Figure, evaluate, figure_text, fmt_number
from cds_desktop.services.tracking.refs import ItemInfo


def info_for(target: Target) -> ItemInfo:
    return ItemInfo(
        id=1, uuid="u", kind="indicator", number="1", local_number="1", group_id=None, group_label="I",
        pillar_id=None, content="x", position=1, deadline_text="", deadline_kind="none", due_date=None,
        start_date=None, target_comparator=target.comparator, target_value=target.value,
        target_value_max=target.value_max, target_unit=target.unit, target_understood=target.understood,
        target_text=target.text, leader_id=None,
    )


def met_and_missed(target: Target) -> tuple[float, float]:
    """A figure that meets the target and one that does not, from its comparator alone."""
    value = target.value
    assert value is not None
    return {
        "ge": (value, value - 0.5),
        "gt": (value + 0.5, value),
        "le": (value, value + 0.5),
        "lt": (value - 0.5, value),
        "eq": (value, value - 0.5),
        "range": ((value + (target.value_max or value)) / 2, value - 0.5),
    }[target.comparator]


NUMERIC = [(f"cell:{c[0]}", parse_target(c[0])) for c in CELLS] + [
    (f"content:{c[0][:40]}", extract_target(c[0])) for c in CONTENT]


@pytest.mark.parametrize(("case", "target"), NUMERIC, ids=[c for c, _ in NUMERIC])
def test_every_numeric_form_is_met_and_missed(case, target):
    good, bad = met_and_missed(target)
    info = info_for(target)
    assert evaluate(info, Figure(value=good)).code == "achieved", case
    assert evaluate(info, Figure(value=bad)).code == "not_achieved", case
    assert evaluate(info, Figure()).code == "no_data"
    assert evaluate(info, Figure()).label == "Chưa có số liệu"


def test_lower_is_better_for_ceilings():
    info = info_for(parse_target(r"$< 5\%$"))
    assert evaluate(info, Figure(value=4.2)).code == "achieved"
    assert evaluate(info, Figure(value=5.0)).code == "not_achieved"  # "< 5%": 5% itself is not reached
    assert evaluate(info, Figure(value=12)).code == "not_achieved"
    detail = evaluate(info, Figure(value=4.2)).detail
    assert detail == "4,2% so với chỉ tiêu < 5% (càng thấp càng tốt): đạt."
    assert evaluate(info_for(parse_target("≤ 5%")), Figure(value=5.0)).code == "achieved"


def test_hundred_percent_and_ranges():
    hundred = info_for(parse_target("100%"))
    assert evaluate(hundred, Figure(value=100)).code == "achieved"
    assert evaluate(hundred, Figure(value=99.9)).code == "not_achieved"
    range_ = info_for(parse_target("20-30%"))
    assert [evaluate(range_, Figure(value=v)).code for v in (19.9, 20, 25, 30, 35)] == [
        "not_achieved", "achieved", "achieved", "achieved", "achieved"]  # beyond the range is still met
    exact = info_for(parse_target("= 40%"))
    assert [evaluate(exact, Figure(value=v)).code for v in (39, 40, 41)] == ["not_achieved", "achieved",
                                                                           "not_achieved"]


def test_reduction_bigger_cut_is_better():
    info = info_for(extract_target("Giảm ít nhất 50% văn bản lấy ý kiến giữa các cơ quan"))
    assert evaluate(info, Figure(value=60)).code == "achieved"
    assert evaluate(info, Figure(value=30)).code == "not_achieved"


@pytest.mark.parametrize("text", ["Không phát sinh", "được cải thiện", "Được cải thiện so với cùng kỳ",
                                  "được đảm bảo", "Đạt", "Có", "Hoàn thành"])
def test_qualitative_targets_take_yes_or_no(text):
    info = info_for(parse_target(text))
    assert evaluate(info, Figure(achieved=True)).code == "achieved"
    assert evaluate(info, Figure(achieved=False)).code == "not_achieved"
    assert evaluate(info, Figure(value=3)).code == "not_evaluable"  # a number says nothing here
    assert evaluate(info, Figure()).code == "no_data"


@pytest.mark.parametrize("text", ["abc xyz", "Theo hướng dẫn", "Năm 2026", "≠ 5%", "???"])
def test_not_understood_targets_cannot_be_evaluated(text):
    info = info_for(parse_target(text))
    result = evaluate(info, Figure(value=50))
    assert (result.code, result.label) == ("not_evaluable", "Không đánh giá được")
    assert "chưa hiểu được mức chỉ tiêu" in result.detail
    assert evaluate(info, Figure(achieved=True)).code == "achieved"  # the officer's own judgement counts
    assert evaluate(info, Figure()).code == "no_data"


def test_indicator_without_target():
    info = info_for(parse_target(""))
    assert evaluate(info, Figure(value=10)).code == "not_evaluable"
    assert evaluate(info, Figure()).code == "no_data"


def test_numeric_target_with_only_a_yes_no_uses_it():
    info = info_for(parse_target("≥ 98%"))
    assert evaluate(info, Figure(achieved=True)).code == "achieved"
    assert evaluate(info, Figure(achieved=False)).code == "not_achieved"


def test_figure_texts():
    assert figure_text(Figure(value=75.0, numerator=45, denominator=60), "%") == "45/60 (75%)"
    assert figure_text(Figure(value=4.26), "%") == "4,3%"
    assert figure_text(Figure(value=6), "kênh") == "6 kênh"
    assert figure_text(Figure(achieved=True), "") == "Có / Đạt"
    assert figure_text(Figure(value=200 / 3, numerator=4, denominator=6, measure="villages"), "%") == \
        "4/6 thôn (66,7%)"
    assert fmt_number(12887) == "12.887" and fmt_number(96.49) == "96,5"
