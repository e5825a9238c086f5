"""Service rules behind defects a new user hit in the window (issue 11), each reproduced first."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from cds_desktop.models import Plan, ReportingPeriod
from cds_desktop.services import plans
from cds_desktop.services.tracking.calendar import ensure_periods


def _plan(db, year=2026, **fields):
    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Thạch Thất", "xã")
        return plans.create_plan(s, commune, year, title=f"Kế hoạch CĐS năm {year}", **fields).uuid


def test_two_screens_creating_the_periods_at_once_do_not_clash(db):
    """Item 1: month entry and dashboard both create the new plan's periods, each in its own session."""
    uuid = _plan(db, issue_date=date(2026, 1, 5))
    first_flushed, first_may_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first():
        try:
            with db.session("ui") as s:
                ensure_periods(s, s.scalar(select(Plan).where(Plan.uuid == uuid)))
                first_flushed.set()
                first_may_commit.wait(5)
        except BaseException as exc:
            errors.append(exc)
            first_flushed.set()

    def second():
        try:
            with db.session("ui") as s:
                ensure_periods(s, s.scalar(select(Plan).where(Plan.uuid == uuid)))
        except BaseException as exc:
            errors.append(exc)

    a = threading.Thread(target=first)
    a.start()
    assert first_flushed.wait(5)
    b = threading.Thread(target=second)
    b.start()
    b.join(0.5)  # the second one now waits for the first one's write lock
    first_may_commit.set()
    a.join(10)
    b.join(10)
    assert errors == []
    with db.session("test") as s:
        plan_id = s.scalar(select(Plan.id).where(Plan.uuid == uuid))
        codes = s.scalars(select(ReportingPeriod.code).where(ReportingPeriod.plan_id == plan_id)).all()
        assert len(codes) == len(set(codes)) > 12
        assert s.scalar(select(func.count()).select_from(ReportingPeriod)) == len(codes)


def _indicator_setup(db, content: str):
    from cds_desktop.models import LEAD
    from cds_desktop.services import assignments, catalog, items

    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Thạch Thất", "xã")
        plan = plans.create_plan(s, commune, 2026, title="Kế hoạch CĐS năm 2026", issue_date=date(2026, 1, 5))
        unit = catalog.create_unit(s, "Văn phòng HĐND-UBND", kind="department", commune_id=commune.id)
        group = plans.create_group(s, plan, "indicators", "I", "Chính quyền số")
        item = items.create_item(s, plan, "indicator", group, number="1", local_number="1", content=content)
        assignments.assign(s, item, unit, LEAD)
        ensure_periods(s, plan)
        return plan.uuid, item.uuid, unit.uuid


@pytest.mark.parametrize(("content", "typed", "message"), [
    ("Tỷ lệ hồ sơ xử lý đúng hạn đạt 100%", "150", "từ 0 đến 100%"),
    ("Tỷ lệ hồ sơ xử lý đúng hạn đạt 100%", "-5", "từ 0 đến 100%"),
    ("Tỷ lệ hồ sơ xử lý đúng hạn đạt 100%", "70/60", "không được lớn hơn mẫu số"),
    ("Tối thiểu 05 mô hình chuyển đổi số", "-3", "không được âm"),
])
def test_impossible_figures_are_refused_and_not_saved(db, content, typed, message):
    """Item 4: 150 for a "100%" indicator was saved and marked Đạt."""
    from cds_desktop.models import IndicatorValue
    from cds_desktop.services.common import ServiceError
    from cds_desktop.services.tracking.calendar import get_period
    from cds_desktop.services.tracking.month import save_cell

    plan_uuid, item_uuid, unit_uuid = _indicator_setup(db, content)
    with db.session("test") as s:
        plan = s.scalar(select(Plan).where(Plan.uuid == plan_uuid))
        with pytest.raises(ServiceError, match=message):
            save_cell(s, plan, get_period(s, plan, "2026-05"), item_uuid, unit_uuid, "figure", typed,
                      today=date(2026, 5, 10))
    with db.session("test") as s:
        assert s.scalar(select(func.count()).select_from(IndicatorValue)) == 0


def test_possible_figures_are_saved(db):
    from cds_desktop.services.tracking.calendar import get_period
    from cds_desktop.services.tracking.month import save_cell

    plan_uuid, item_uuid, unit_uuid = _indicator_setup(db, "Tỷ lệ hồ sơ xử lý đúng hạn đạt 100%")
    with db.session("test") as s:
        plan = s.scalar(select(Plan).where(Plan.uuid == plan_uuid))
        may = get_period(s, plan, "2026-05")
        assert save_cell(s, plan, may, item_uuid, unit_uuid, "figure", "100", today=date(2026, 5, 10)).value == 100
        assert save_cell(s, plan, may, item_uuid, unit_uuid, "figure", "60/60",
                         today=date(2026, 5, 10)).numerator == 60


def test_codes_are_unique_within_a_plan_with_parts_a_and_b(db):
    """Item 5: with parts A/B the prefix was dropped, so "I.1" appeared twice."""
    from cds_desktop.services import items
    from cds_desktop.services.tracking.refs import item_infos

    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Phù Đổng", "xã")
        plan = plans.create_plan(s, commune, 2026, title="Kế hoạch CĐS năm 2026")
        refs = {}
        for part in ("A", "B"):
            top = plans.create_group(s, plan, "tasks", part, f"Phần {part}")
            pillar = plans.create_group(s, plan, "tasks", "I", "Đổi mới chỉ đạo", parent=top)
            theme = plans.create_group(s, plan, "tasks", "I.1", "Chủ đề", parent=pillar)
            refs[part] = [items.create_item(s, plan, "task", pillar, number=f"{part}1", local_number="1",
                                            content=f"Nhiệm vụ {part}").uuid,
                          items.create_item(s, plan, "task", theme, number=f"{part}2", local_number="1",
                                            content=f"Nhiệm vụ chủ đề {part}").uuid]
        s.flush()
        by_uuid = {i.uuid: i.ref for i in item_infos(s, plan.id).values()}
    assert [by_uuid[u] for u in refs["A"]] == ["A.I.1", "A.I.1.1"]
    assert [by_uuid[u] for u in refs["B"]] == ["B.I.1", "B.I.1.1"]


def test_sub_items_read_under_their_item(db):
    """Sub-items «a)», «b)» of task 1 and of task 2 in group I: «I.1.a» … «I.2.a», not «I.a)» twice."""
    from cds_desktop.services import items
    from cds_desktop.services.tracking.refs import item_infos

    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Thạch Thất", "xã")
        plan = plans.create_plan(s, commune, 2026, title="Kế hoạch CĐS năm 2026")
        group = plans.create_group(s, plan, "tasks", "I", "Hạ tầng số")
        numbers = ["1", "a)", "b)", "2", "a)", "b.", "3"]
        made = [items.create_item(s, plan, "task", group, number=n, local_number=n, content=f"Nhiệm vụ {k}").uuid
                for k, n in enumerate(numbers)]
        s.flush()
        by_uuid = {i.uuid: i.ref for i in item_infos(s, plan.id).values()}
    assert [by_uuid[u] for u in made] == ["I.1", "I.1.a", "I.1.b", "I.2", "I.2.a", "I.2.b", "I.3"]


def test_a_hand_made_item_is_numbered_within_its_group(db):
    """Item 5: an item added by hand showed as "13" with no group prefix."""
    from cds_desktop.services import items
    from cds_desktop.services.tracking.refs import item_infos

    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Thạch Thất", "xã")
        plan = plans.create_plan(s, commune, 2026, title="Kế hoạch CĐS năm 2026")
        one = plans.create_group(s, plan, "indicators", "I", "Chính quyền số")
        two = plans.create_group(s, plan, "indicators", "II", "Kinh tế số")
        for n in (1, 2):
            items.create_item(s, plan, "indicator", one, number=str(n), local_number=str(n), content=f"Chỉ tiêu {n}")
        items.create_item(s, plan, "indicator", two, number="3", local_number="1", content="Chỉ tiêu 3")
        new = items.create_item(s, plan, "indicator", one, content="Chỉ tiêu thêm bằng tay")
        s.flush()
        assert (new.local_number, new.number) == ("3", "4")
        ref = next(i.ref for i in item_infos(s, plan.id).values() if i.uuid == new.uuid)
        refs = [i.ref for i in item_infos(s, plan.id).values()]
    assert ref == "I.3" and len(refs) == len(set(refs)) == 4


def test_a_draft_plan_says_it_is_a_draft_instead_of_raising_alarms(db):
    """Item 8: a plan imported in November showed overdue items and missing reports back to January."""
    from cds_desktop.models import LEAD, Item
    from cds_desktop.services import assignments, catalog, items
    from cds_desktop.services.tracking import codes
    from cds_desktop.services.tracking.status import build_status

    today = date(2026, 11, 20)
    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Phù Đổng", "xã")
        plan = plans.create_plan(s, commune, 2026, title="Kế hoạch CĐS năm 2026")  # no number, no date: draft
        unit = catalog.create_unit(s, "Văn phòng HĐND-UBND", kind="department", commune_id=commune.id)
        group = plans.create_group(s, plan, "tasks", "I", "Đổi mới chỉ đạo")
        task = items.create_item(s, plan, "task", group, content="Rà soát quy trình", deadline_text="Quý I/2026")
        assignments.assign(s, task, unit, LEAD)
        ensure_periods(s, plan)
        uuid = plan.uuid
    with db.session("test") as s:
        plan = s.scalar(select(Plan).where(Plan.uuid == uuid))
        assert plan.status == "draft" and plan.issue_date is None
        report = build_status(s, plan, today)
        assert report.warnings == [] and report.missing_periods == []
        assert "dự thảo" in report.draft_note
        # Once issued (in September), alarms count from the issue date only.
        plans.update_plan(s, uuid, status="issued", number="12/KH-UBND", issue_date=date(2026, 9, 10))
        s.flush()
        report = build_status(s, plan, today)
        assert report.draft_note == ""
        kinds = {w.kind for w in report.warnings}
        assert codes.OVERDUE in kinds
        missing = {w.period_code for w in report.warnings if w.kind == codes.MISSING_REPORT}
        assert missing and all(code >= "2026-09" for code in missing)
        assert s.scalar(select(func.count()).select_from(Item)) == 1
