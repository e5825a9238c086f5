"""Filters of the Kế hoạch table, in SQL: unit, leader, status, warning kind, deadline range,
pillar, exact lists behind a dashboard figure; saved filters per plan (services.item_filters)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cds_desktop.models import TASK, Assignment, Group, Item, Person, Plan, Unit
from cds_desktop.services import item_filters as flt
from cds_desktop.services.common import ServiceError
from cds_desktop.services.demo_progress import DEMO_TODAY
from cds_desktop.services.plan_view import item_rows
from cds_desktop.services.tracking.filters import list_filters
from cds_desktop.services.tracking.status import build_status


def _rows(db, f, kind=None):
    with db.session("test") as s:
        plan = s.scalar(select(Plan))
        return {r.uuid for r in item_rows(s, plan.id, kind, item_filter=f)}


def test_unit_leader_deadline_and_pillar_filters(progress_db):
    with progress_db.session("test") as s:
        plan = s.scalar(select(Plan))
        unit = s.scalar(select(Unit).where(Unit.name == "Công an xã"))
        by_unit = set(s.scalars(select(Item.uuid).join(Assignment, Assignment.item_id == Item.id)
                                .where(Assignment.unit_id == unit.id, Assignment.deleted_at.is_(None))))
        pillar = s.scalar(select(Group).where(Group.plan_id == plan.id, Group.parent_id.is_(None),
                                              Group.section == "indicators").order_by(Group.position))
        in_pillar = set(s.scalars(select(Item.uuid).where(Item.group_id == pillar.id)))
        leader_id = s.scalar(select(Assignment.leader_id).where(Assignment.leader_id.is_not(None)))
        leader = s.get(Person, leader_id)
        led = set(s.scalars(select(Item.uuid).join(Assignment, Assignment.item_id == Item.id)
                            .where(Assignment.leader_id == leader_id))) | set(
            s.scalars(select(Item.uuid).where(Item.leader_id == leader_id)))
        june = set(s.scalars(select(Item.uuid).where(Item.due_date >= date(2026, 6, 1),
                                                     Item.due_date <= date(2026, 6, 30))))
        unit_uuid, pillar_uuid, leader_uuid = unit.uuid, pillar.uuid, leader.uuid
    assert by_unit and in_pillar and led and june
    assert _rows(progress_db, flt.ItemFilter(unit_uuid=unit_uuid)) == by_unit
    assert _rows(progress_db, flt.ItemFilter(pillar_uuid=pillar_uuid)) == in_pillar
    assert _rows(progress_db, flt.ItemFilter(leader_uuid=leader_uuid)) == led
    f = flt.ItemFilter(due_from=date(2026, 6, 1), due_to=date(2026, 6, 30))
    assert _rows(progress_db, f) == june
    both = flt.ItemFilter(unit_uuid=unit_uuid, due_from=date(2026, 6, 1), due_to=date(2026, 6, 30))
    assert _rows(progress_db, both) == by_unit & june
    with progress_db.session("test") as s:
        assert both.describe(s) == "Đơn vị: Công an xã · Hạn từ 01/06/2026 · Hạn đến 30/06/2026"


def test_status_and_warning_filters_match_the_status_engine(progress_db):
    with progress_db.session("test") as s:
        plan = s.scalar(select(Plan))
        report = build_status(s, plan, DEMO_TODAY)
    behind = {t.info.uuid for t in report.tasks if t.status == "behind"}
    achieved = {r.info.uuid for r in report.indicators if r.evaluation.code == "achieved"}
    overdue = {w.item_uuid for w in report.warnings if w.kind == "overdue"}
    assert behind and achieved and overdue
    assert _rows(progress_db, flt.ItemFilter(status="behind", today=DEMO_TODAY), TASK) == behind
    assert _rows(progress_db, flt.ItemFilter(status="achieved", today=DEMO_TODAY)) == achieved
    assert _rows(progress_db, flt.ItemFilter(warning_kind="overdue", today=DEMO_TODAY)) == overdue


def test_exact_list_of_a_figure(progress_db):
    with progress_db.session("test") as s:
        uuids = list(s.scalars(select(Item.uuid).where(Item.kind == TASK).limit(5)))
    f = flt.exact(uuids, "Chậm, quá hạn: 5")
    assert _rows(progress_db, f) == set(uuids) and len(uuids) == 5
    assert _rows(progress_db, flt.exact([], "Không có mục")) == set()
    with progress_db.session("test") as s:
        assert f.describe(s) == "Chậm, quá hạn: 5"


def test_saved_filters_are_per_plan_and_apart_from_the_month_screen(progress_db):
    with progress_db.session("test") as s:
        plan = s.scalar(select(Plan))
        unit = s.scalar(select(Unit).where(Unit.name == "Công an xã"))
        f = flt.ItemFilter(unit_uuid=unit.uuid, due_to=date(2026, 12, 31))
        flt.save_item_filter(s, plan.uuid, "Công an — cả năm", f)
        flt.save_item_filter(s, plan.uuid, "Công an — cả năm", f)  # same name: overwritten, not doubled
        with pytest.raises(ServiceError, match="Tên bộ lọc"):
            flt.save_item_filter(s, plan.uuid, " ", f)
        with pytest.raises(ServiceError, match="Tổng quan"):
            flt.save_item_filter(s, plan.uuid, "Danh sách", flt.exact(["x"]))
        saved = flt.saved_item_filters(s, plan.uuid)
        assert [(x.name, x.filter) for x in saved] == [("Công an — cả năm", f)]
        assert list_filters(s, plan) == []  # not offered on the month screen
        flt.delete_item_filter(s, saved[0].uuid)
        assert flt.saved_item_filters(s, plan.uuid) == []


def test_filter_choices(progress_db):
    with progress_db.session("test") as s:
        plan = s.scalar(select(Plan))
        choices = flt.filter_choices(s, plan.uuid)
    assert any(name == "Công an xã" for _uuid, name in choices.units)
    assert choices.leaders and choices.pillars
    assert ("behind", "Chậm tiến độ") in choices.statuses
    assert [k for k, _ in choices.warning_kinds][0] == "overdue"
