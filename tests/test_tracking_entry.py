"""Writing progress: calendar and periods, task reports, indicator values, checklists,
locks (with the unlock reason in the audit log), month-entry cells and saved filters."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cds_desktop.models import (
    LEAD,
    AuditEntry,
    IndicatorValue,
    Item,
    PeriodLock,
    Plan,
    ReportingPeriod,
    TaskProgress,
)
from cds_desktop.services import assignments, catalog, items, plans
from cds_desktop.services.common import ServiceError
from cds_desktop.services.tracking import codes, entry
from cds_desktop.services.tracking.calendar import (
    calendar_settings,
    ensure_periods,
    get_period,
    live_periods,
    make_spec,
    period_label,
    report_title,
    set_calendar,
)
from cds_desktop.services.tracking.filters import Criteria, delete_filter, list_filters, save_filter
from cds_desktop.services.tracking.locks import is_locked, lock_period, unlock_period
from cds_desktop.services.tracking.month import month_rows, parse_day, save_cell

TODAY = date(2026, 5, 10)


@pytest.fixture
def setup(db):
    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Thạch Thất", "xã")
        plan = plans.create_plan(s, commune, 2026, title="Chuyển đổi số xã Thạch Thất năm 2026", number="5/KH-UBND",
                                 issue_date=date(2026, 1, 5), report_day=18)
        office = catalog.create_unit(s, "Văn phòng HĐND-UBND", kind="department", commune_id=commune.id)
        culture = catalog.create_unit(s, "Phòng Văn hóa - Xã hội", kind="department", commune_id=commune.id)
        leader = catalog.create_person(s, "Nguyễn Văn Bình", title="Phó Chủ tịch UBND xã")
        for name in ("Thôn Đông", "Thôn Đoài", "Thôn Nam", "Thôn Bắc"):
            catalog.create_unit(s, name, kind="village", commune_id=commune.id)
        g_ind = plans.create_group(s, plan, "indicators", "I", "Chính quyền số")
        g_task = plans.create_group(s, plan, "tasks", "I", "Đổi mới chỉ đạo, điều hành")
        task = items.create_item(s, plan, "task", g_task, number="1", local_number="1", content="Rà soát quy trình",
                                 deadline_text="Quý II/2026")
        routine = items.create_item(s, plan, "task", g_task, number="2", local_number="2",
                                    content="Duy trì hệ thống", deadline_text="Thường xuyên")
        indicator = items.create_item(s, plan, "indicator", g_ind, number="1", local_number="1",
                                      content="Tỷ lệ hồ sơ xử lý đúng hạn đạt ≥ 98%")
        villages = items.create_item(s, plan, "indicator", g_ind, number="2", local_number="2",
                                     content="100% các thôn hình thành cộng đồng số")
        for item in (task, indicator, villages):
            assignments.assign(s, item, office, LEAD)
        link = assignments.assign(s, routine, culture, LEAD)
        assignments.set_people(s, link.uuid, leader_uuid=leader.uuid)
        ensure_periods(s, plan)
        return {"plan": plan.uuid, "task": task.uuid, "routine": routine.uuid, "indicator": indicator.uuid,
                "villages": villages.uuid, "office": office.uuid, "culture": culture.uuid, "leader": leader.uuid,
                "group": g_task.uuid}


def _get(s, model, uuid):
    return s.scalar(select(model).where(model.uuid == uuid))


# --------------------------------------------------------------------------
# Calendar and periods


@pytest.mark.parametrize(("day", "code", "due"), [
    (15, "2026-05", date(2026, 5, 15)), (18, "2026-Q2", date(2026, 6, 18)), (20, "2026-H1", date(2026, 6, 20)),
    (25, "2026", date(2026, 12, 25)), (31, "2026-02", date(2026, 2, 28)), (31, "2026-H2", date(2026, 12, 31)),
])
def test_period_codes_and_due_dates(day, code, due):
    spec = make_spec(code, day)
    assert spec.due == due
    assert spec.end >= spec.due >= spec.start


def test_period_labels():
    assert [period_label(c) for c in ("2026-05", "2026-Q2", "2026-H1", "2026-H2", "2026")] == [
        "Tháng 5/2026", "Quý II/2026", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "Năm 2026"]
    assert report_title("2026-05") == "Báo cáo tháng 5/2026"
    assert report_title("2026-Q3") == "Báo cáo quý III/2026"
    with pytest.raises(ServiceError, match="Mã kỳ báo cáo không hợp lệ"):
        make_spec("2026-Q5")


def test_calendar_defaults_to_plan_day_and_drives_the_periods(db, setup):
    with db.session("test") as s:
        plan = _get(s, Plan, setup["plan"])
        assert calendar_settings(s, plan).due_day == 18
        codes_ = [p.code for p in live_periods(s, plan.id)]
        assert len(codes_) == 19 and codes_[:4] == ["2026-01", "2026-02", "2026-03", "2026-Q1"]
        assert codes_[-1] == "2026"
        set_calendar(s, plan, due_day=25, quarterly=False)
        assert get_period(s, plan, "2026-05").due_date == date(2026, 5, 25)
        assert "2026-Q2" not in [p.code for p in live_periods(s, plan.id)]
        assert len(ensure_periods(s, plan)) == 15  # idempotent
        with pytest.raises(ServiceError, match="Ngày hạn báo cáo"):
            set_calendar(s, plan, due_day=40)
        with pytest.raises(ServiceError, match="ít nhất một loại kỳ"):
            set_calendar(s, plan, monthly=False, quarterly=False, half_yearly=False, yearly=False)


# --------------------------------------------------------------------------
# Task progress and indicator values


def test_status_follows_percent_unless_set(db, setup):
    with db.session("test") as s:
        plan, task = _get(s, Plan, setup["plan"]), _get(s, Item, setup["task"])
        office = catalog.find_unit(s, "Văn phòng HĐND-UBND")
        may, july = get_period(s, plan, "2026-05"), get_period(s, plan, "2026-07")
        row = entry.record_progress(s, task, office, may, today=TODAY, percent=40)
        assert (row.status, row.received_on, row.source) == ("in_progress", TODAY, "paper")
        row = entry.record_progress(s, task, office, may, today=TODAY, status="behind")
        assert (row.status, row.percent) == ("behind", 40)
        row = entry.record_progress(s, task, office, may, today=TODAY, percent=50)
        assert row.status == "behind"  # an explicit status is kept
        late = entry.record_progress(s, task, office, july, today=date(2026, 7, 15), percent=100)
        assert late.status == "done_late"  # reported done in a period after the deadline (30/06)
        done = entry.record_progress(s, task, office, get_period(s, plan, "2026-06"), today=TODAY, status="done")
        assert done.percent == 100
        assert s.query(TaskProgress).count() == 3  # upserted by (item, period, unit)
        with pytest.raises(ServiceError, match="từ 0 đến 100"):
            entry.record_progress(s, task, office, may, today=TODAY, percent=120)
        with pytest.raises(ServiceError, match="Trạng thái không hợp lệ"):
            entry.record_progress(s, task, office, may, today=TODAY, status="finished")
        with pytest.raises(ServiceError, match="Chỉ nhập tiến độ cho nhiệm vụ"):
            entry.record_progress(s, _get(s, Item, setup["indicator"]), office, may, today=TODAY, percent=1)


@pytest.mark.parametrize(("text", "expected"), [
    ("45/60", {"numerator": 45.0, "denominator": 60.0}), ("45 / 60", {"numerator": 45.0, "denominator": 60.0}),
    ("12,5", {"value": 12.5}), ("12.5%", {"value": 12.5}), ("1.000", {"value": 1000.0}),
    ("1.234,5", {"value": 1234.5}), ("Có", {"achieved": True}), ("đạt", {"achieved": True}),
    ("không", {"achieved": False}), ("", {}),
])
def test_parse_value_text(text, expected):
    result = entry.parse_value_text(text)
    assert {k: v for k, v in result.items() if v is not None} == expected


def test_parse_value_text_rejects_nonsense():
    with pytest.raises(ServiceError, match="Không hiểu số liệu"):
        entry.parse_value_text("khoảng một nửa")


def test_indicator_values_and_validation(db, setup):
    with db.session("test") as s:
        plan, indicator = _get(s, Plan, setup["plan"]), _get(s, Item, setup["indicator"])
        may = get_period(s, plan, "2026-05")
        commune_wide = entry.record_indicator_value(s, indicator, None, may, today=TODAY, value=97.5,
                                                    data_source="Cổng DVC")
        again = entry.record_indicator_value(s, indicator, None, may, today=TODAY, value=98.1)
        assert commune_wide.id == again.id and again.value == 98.1 and again.data_source == "Cổng DVC"
        with pytest.raises(ServiceError, match="Mẫu số phải lớn hơn 0"):
            entry.record_indicator_value(s, indicator, None, may, today=TODAY, numerator=3, denominator=0)


def test_village_checklist(db, setup):
    with db.session("test") as s:
        item = _get(s, Item, setup["villages"])
        tracking = entry.set_measure(s, item, "villages")
        assert tracking.measure == "villages"
        east = catalog.find_unit(s, "Thôn Đông")
        entry.set_village_done(s, item, east, date(2026, 3, 1), note="Nhóm Zalo thôn")
        with pytest.raises(ServiceError, match="không có trong danh sách"):
            entry.set_village_done(s, item, catalog.find_unit(s, "Văn phòng HĐND-UBND"), date(2026, 3, 1))


# --------------------------------------------------------------------------
# Locks


def test_locked_period_refuses_writes_and_unlock_needs_a_reason(db, setup):
    with db.session("test") as s:
        plan, task = _get(s, Plan, setup["plan"]), _get(s, Item, setup["task"])
        office = catalog.find_unit(s, "Văn phòng HĐND-UBND")
        may = get_period(s, plan, "2026-05")
        entry.record_progress(s, task, office, may, today=TODAY, percent=40)
        lock_period(s, may, "Đã tổng hợp")
        assert is_locked(s, may)
        with pytest.raises(ServiceError, match="Kỳ Tháng 5/2026 đã khóa"):
            entry.record_progress(s, task, office, may, today=TODAY, percent=60)
        with pytest.raises(ServiceError, match="đã khóa"):
            entry.record_indicator_value(s, _get(s, Item, setup["indicator"]), office, may, today=TODAY, value=1)
        with pytest.raises(ServiceError, match="cần nêu lý do"):
            unlock_period(s, may, "   ")
        period_uuid = may.uuid
    with db.session("ui") as s:
        unlock_period(s, _get(s, ReportingPeriod, period_uuid), "Phòng Kinh tế gửi bổ sung số liệu")
    with db.session("test") as s:
        lock = s.scalar(select(PeriodLock))
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity_uuid == lock.uuid,
                                                     AuditEntry.field == "locked")).all()
        assert [(e.old_value, e.new_value, e.reason, e.source) for e in entries] == [
            ("1", "0", "Phòng Kinh tế gửi bổ sung số liệu", "ui")]
        plan, task = _get(s, Plan, setup["plan"]), _get(s, Item, setup["task"])
        may = get_period(s, plan, "2026-05")
        row = entry.record_progress(s, task, catalog.find_unit(s, "Văn phòng HĐND-UBND"), may, today=TODAY,
                                    percent=60)
        assert row.percent == 60
        other = s.scalar(select(AuditEntry).where(AuditEntry.entity == "task_progress", AuditEntry.field == "percent"))
        assert other.reason == ""  # the reason stays on the unlock only


def test_locked_quarter_locks_its_months_and_the_checklist(db, setup):
    with db.session("test") as s:
        plan, task = _get(s, Plan, setup["plan"]), _get(s, Item, setup["task"])
        office = catalog.find_unit(s, "Văn phòng HĐND-UBND")
        lock_period(s, get_period(s, plan, "2026-Q1"))
        with pytest.raises(ServiceError, match="thuộc kỳ Quý I/2026 đã khóa"):
            entry.record_progress(s, task, office, get_period(s, plan, "2026-02"), today=TODAY, percent=10)
        entry.record_progress(s, task, office, get_period(s, plan, "2026-04"), today=TODAY, percent=10)
        item = _get(s, Item, setup["villages"])
        entry.set_measure(s, item, "villages")
        east = catalog.find_unit(s, "Thôn Đông")
        with pytest.raises(ServiceError, match="đã khóa"):
            entry.set_village_done(s, item, east, date(2026, 3, 1))
        entry.set_village_done(s, item, east, date(2026, 4, 2))


# --------------------------------------------------------------------------
# Month entry and filters


def test_month_rows_and_save_cell(db, setup):
    with db.session("test") as s:
        plan = _get(s, Plan, setup["plan"])
        may = get_period(s, plan, "2026-05")
        rows = month_rows(s, plan, may)
        assert [(r.item.ref, r.kind, r.unit_name) for r in rows] == [
            ("I.1", "indicator", "Văn phòng HĐND-UBND"), ("I.2", "indicator", "Văn phòng HĐND-UBND"),
            ("I.1", "task", "Văn phòng HĐND-UBND"), ("I.2", "task", "Phòng Văn hóa - Xã hội")]
        assert all(r.expected and not r.has_report for r in rows)
        task_row, indicator_row = rows[2], rows[0]
        assert task_row.editable("percent") and not task_row.editable("figure")
        assert indicator_row.editable("figure") and not indicator_row.editable("difficulties")
        saved = save_cell(s, plan, may, task_row.item.uuid, task_row.unit_uuid, "percent", "35%", today=TODAY,
                          default_source="email")
        assert (saved.status, saved.percent, saved.source, saved.received_on) == ("in_progress", 35, "email", TODAY)
        saved = save_cell(s, plan, may, task_row.item.uuid, task_row.unit_uuid, "status", "Chậm tiến độ",
                          today=TODAY)
        assert saved.status == "behind"
        saved = save_cell(s, plan, may, task_row.item.uuid, task_row.unit_uuid, "received_on", "12/5", today=TODAY)
        assert saved.received_on == date(2026, 5, 12)
        saved = save_cell(s, plan, may, indicator_row.item.uuid, indicator_row.unit_uuid, "figure", "490/500",
                          today=TODAY)
        assert (saved.numerator, saved.denominator, saved.figure_text) == (490, 500, "490/500")
        with pytest.raises(ServiceError, match="không nhập được"):
            save_cell(s, plan, may, indicator_row.item.uuid, indicator_row.unit_uuid, "percent", "5", today=TODAY)
        with pytest.raises(ServiceError, match="Trạng thái không hợp lệ"):
            save_cell(s, plan, may, task_row.item.uuid, task_row.unit_uuid, "status", "xong xuôi", today=TODAY)
        assert s.scalar(select(IndicatorValue.numerator)) == 490
        june = month_rows(s, plan, get_period(s, plan, "2026-06"))
        assert next(r for r in june if r.item.uuid == task_row.item.uuid).previous == "35% · Chậm tiến độ"


def test_month_filters(db, setup):
    with db.session("test") as s:
        plan = _get(s, Plan, setup["plan"])
        may = get_period(s, plan, "2026-05")
        by_unit = month_rows(s, plan, may, Criteria(unit_uuid=setup["culture"]))
        assert [r.unit_name for r in by_unit] == ["Phòng Văn hóa - Xã hội"]
        assert [r.item.uuid for r in month_rows(s, plan, may, Criteria(leader_uuid=setup["leader"]))] == [
            setup["routine"]]
        assert len(month_rows(s, plan, may, Criteria(kind="indicator"))) == 2
        assert len(month_rows(s, plan, may, Criteria(group_uuid=setup["group"]))) == 2
        save_cell(s, plan, may, setup["task"], setup["office"], "percent", "10", today=TODAY)
        assert len(month_rows(s, plan, may, Criteria(status="no_report"))) == 3
        assert len(month_rows(s, plan, may, Criteria(status="in_progress"))) == 1


def test_saved_filters(db, setup):
    with db.session("test") as s:
        plan = _get(s, Plan, setup["plan"])
        save_filter(s, plan, "Văn phòng — chưa báo cáo", Criteria(unit_uuid=setup["office"], status="no_report"))
        save_filter(s, None, "Chỉ tiêu", Criteria(kind="indicator", period_code="2026-05"))
        save_filter(s, plan, "Văn phòng — chưa báo cáo", Criteria(unit_uuid=setup["office"]))  # overwrite
        saved = list_filters(s, plan)
        assert [f.name for f in saved] == ["Chỉ tiêu", "Văn phòng — chưa báo cáo"]
        assert saved[1].criteria == Criteria(unit_uuid=setup["office"])
        assert saved[0].criteria.to_dict() == {"kind": "indicator", "period_code": "2026-05"}
        delete_filter(s, saved[0].uuid)
        assert [f.name for f in list_filters(s, plan)] == ["Văn phòng — chưa báo cáo"]
        with pytest.raises(ServiceError):
            save_filter(s, plan, "  ", Criteria())


def test_parse_day():
    assert parse_day("05/06/2026", 2026) == date(2026, 6, 5)
    assert parse_day("5-6-26", 2026) == date(2026, 6, 5)
    assert parse_day("2026-06-05", 2026) == date(2026, 6, 5)
    assert parse_day("", 2026) is None
    with pytest.raises(ServiceError, match="Ngày không hợp lệ"):
        parse_day("31/02/2026", 2026)


def test_status_codes_from_text():
    assert codes.status_from_text("Hoàn thành quá hạn") == "done_late"
    assert codes.status_from_text("hoan thanh") == "done"
    assert codes.status_from_text("3") == "done"
    assert codes.status_from_text("tạm") == "paused"
    assert codes.status_from_text("") is None
    with pytest.raises(ValueError):
        codes.status_from_text("Ch")  # ambiguous: Chưa triển khai / Chậm tiến độ


def test_village_checklist_rows_in_month_entry(db, setup):
    with db.session("test") as s:
        plan, item = _get(s, Plan, setup["plan"]), _get(s, Item, setup["villages"])
        entry.set_measure(s, item, "villages")
        east = catalog.find_unit(s, "Thôn Đông")
        entry.set_village_done(s, item, east, date(2026, 3, 1))
        may = get_period(s, plan, "2026-05")
        rows = [r for r in month_rows(s, plan, may) if r.item.uuid == setup["villages"]]
        assert {r.unit_name for r in rows} == {"Thôn Bắc", "Thôn Đoài", "Thôn Đông", "Thôn Nam"}
        assert all(r.checklist and not r.expected for r in rows)  # the checklist is not a unit's report
        east_row = next(r for r in rows if r.unit_name == "Thôn Đông")
        assert (east_row.figure_text, east_row.previous, east_row.received_on) == ("Có", "Có", date(2026, 3, 1))
        assert east_row.editable("figure") and not east_row.editable("status") and not east_row.editable("source")
        north = next(r for r in rows if r.unit_name == "Thôn Bắc")
        saved = save_cell(s, plan, may, north.item.uuid, north.unit_uuid, "figure", "có", today=TODAY)
        assert (saved.figure_text, saved.received_on) == ("Có", TODAY)
        saved = save_cell(s, plan, may, north.item.uuid, north.unit_uuid, "result", "Nhóm Zalo 320 hộ", today=TODAY)
        assert saved.result == "Nhóm Zalo 320 hộ" and saved.figure_text == "Có"
        with pytest.raises(ServiceError, match="nhập Có"):
            save_cell(s, plan, may, north.item.uuid, north.unit_uuid, "figure", "45", today=TODAY)
        saved = save_cell(s, plan, may, east_row.item.uuid, east_row.unit_uuid, "figure", "", today=TODAY)
        assert saved.figure_text == "" and saved.received_on is None
        from cds_desktop.services.tracking import build_status

        result = next(r for r in build_status(s, plan, TODAY, "2026-05").indicators if r.info.uuid == setup["villages"])
        assert result.figure_text == "1/4 thôn (25%)"
