"""A few months of realistic progress for the Bát Tràng demo plan (``demo --with-progress``).

Deterministic and relative to a fixed reference date, :data:`DEMO_TODAY`
(18/09/2026), so that tests and screenshots are reproducible: monthly reports
from April (the plan is dated 03/04/2026) to September 2026, due on the 15th;
most units report on time, some late, some not at all (Trạm Y tế xã misses
August and September, Phòng Kinh tế and the banks September); tasks on time,
late, behind, paused and overdue; indicators reached and not (among them the
"< 5%" rejection rate, where lower is better); one indicator measured per
village and two computed from a village checklist; one task flagged "at
risk"; April and May locked after consolidation.

The demo plan has no villages, so six *demo* villages (thôn) are added to the
commune, each with a note saying it is sample data.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import INDICATOR, LEAD, Assignment, Item, Plan, ReportingPeriod, TaskProgress, Unit
from cds_desktop.models.tracking import MEASURE_PER_UNIT, MEASURE_VILLAGES
from cds_desktop.services import assignments, catalog
from cds_desktop.services.demo import create_demo
from cds_desktop.services.tracking import codes, entry
from cds_desktop.services.tracking.calendar import ensure_periods, get_period, set_calendar
from cds_desktop.services.tracking.locks import lock_period
from cds_desktop.services.tracking.queries import reporting_pairs
from cds_desktop.services.tracking.refs import item_infos

log = logging.getLogger(__name__)

DEMO_TODAY = date(2026, 9, 18)
MONTHS = ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09")
LOCKED = ("2026-04", "2026-05")
DEMO_NOTE = "Thôn mẫu tạo cho dữ liệu minh họa (demo), không phải danh mục chính thức."
VILLAGES = ("Thôn Bát Tràng", "Thôn Giang Cao", "Thôn Kim Lan", "Thôn Văn Đức", "Thôn Đa Tốn", "Thôn Đông Dư")
VP, VHXH, KT, CA = "Văn phòng HĐND-UBND", "Phòng Văn hóa - Xã hội", "Phòng Kinh tế", "Công an xã"
YT, TT, NH = "Trạm Y tế xã", "Trung tâm Dịch vụ tổng hợp", "Các ngân hàng trên địa bàn"

# Reporting habit per month (April..September): o on time, l late, - nothing sent.
HABITS = {VP: "oooooo", VHXH: "oooolo", KT: "ooloo-", CA: "oooool", YT: "oooo--", TT: "oooooo", NH: "olooo-",
          "Thôn Văn Đức": "oolooo", "Thôn Đông Dư": "ooooo-"}
SOURCE = {VP: "email", CA: "paper", NH: "email", YT: "phone"}

IP, NS, DN, DL, BH, PS = (codes.IN_PROGRESS, codes.NOT_STARTED, codes.DONE, codes.DONE_LATE, codes.BEHIND,
                          codes.PAUSED)
RECURRING = "recurring"
# (task ref, unit) -> per month (status or None for "from the %", percent), or RECURRING.
TASKS: dict[tuple[str, str], Any] = {
    ("I.1", VP): RECURRING,
    ("II.1", VP): [(None, 30), (None, 60), (DN, 100)],
    ("II.1", VHXH): [(None, 20), (None, 50), (BH, 80), (DL, 100)],
    ("II.2", VP): [(None, 10), (None, 20), (BH, 30), (BH, 40), (BH, 50), (BH, 60)],
    ("II.2", VHXH): [(NS, 0), (None, 10), (None, 20), (None, 25), (PS, 25), (PS, 25)],
    ("III.1", VHXH): [(None, p) for p in (10, 20, 30, 45, 60, 75)],
    ("IV.1", VHXH): RECURRING,
    ("IV.2", VP): RECURRING,
    ("IV.3", VP): [(None, p) for p in (5, 10, 20, 25, 30, 40)],
    ("V.1", VP): [(NS, 0)] + [(None, p) for p in (5, 10, 15, 20, 25)],
    ("VI.1", CA): RECURRING,
    ("VI.2", VP): RECURRING,
    ("VI.2", CA): RECURRING,
    ("VII.1", VHXH): RECURRING,
    ("VII.2", VHXH): RECURRING,
}
RESULTS = {
    "I.1": "Lãnh đạo UBND xã chỉ đạo, điều hành trên hệ thống quản lý văn bản và iHanoi.",
    "II.1": "Đã cử cán bộ tham gia các lớp quản trị dữ liệu do Thành phố tổ chức.",
    "II.2": "Đã khảo sát nhu cầu, đang lập dự toán thuê dịch vụ.",
    "III.1": "Đã cập nhật dữ liệu chỉ tiêu lên hệ thống đo lường của Thành phố.",
    "IV.1": "Rà soát hiện trạng hạ tầng số, tổng hợp nhu cầu các phòng, ban.",
    "IV.2": "Duy trì kết nối mạng truyền số liệu chuyên dùng.",
    "IV.3": "Đã lắp đặt bổ sung thiết bị mạng tại bộ phận một cửa.",
    "V.1": "Đang rà soát danh mục quy trình nội bộ.",
    "VI.1": "Thẩm định hồ sơ cấp độ an toàn hệ thống thông tin của xã.",
    "VI.2": "Cập nhật bản vá, phần mềm phòng chống mã độc cho máy trạm.",
    "VII.1": "Rà soát các chương trình, kế hoạch liên quan đến chuyển đổi số.",
    "VII.2": "Triển khai các nhiệm vụ theo kế hoạch của Thành phố.",
}
DIFFICULTIES = {
    "II.2": ("Chưa có hướng dẫn định mức, đơn giá thuê dịch vụ nhân sự công nghệ thông tin.",
             "Đề nghị Sở Khoa học và Công nghệ sớm ban hành hướng dẫn."),
    "V.1": ("Chưa bố trí được kinh phí thuê tư vấn rà soát quy trình.", "Đề nghị bổ sung kinh phí năm 2026."),
}
# Indicator ref -> per month: a value, (numerator, denominator), True/False, or None (no figure).
INDICATORS: dict[str, list[Any]] = {
    "I.1": [60, 70, 75, 80, 85, 90],
    "I.2": [20, 30, 35, 45, 50, 55],
    "I.3": [80, 85, 90, 95, 100, 100],
    "I.4": [25, 30, 35, 38, 42, 45],
    "I.6": [100] * 6,
    "I.7": [(590, 640), (612, 655), (640, 668), (660, 671), (681, 690), (702, 702)],
    "I.9": [55, 60, 62, 68, 72, 76],
    "I.10": [None, True, True, True, True, True],
    "I.11": [(389, 412), (401, 418), (415, 431), (440, 452), (455, 470), (468, 485)],
    "I.12": [(26, 333), (22, 341), (19, 350), (18, 362), (16, 358), (15, 366)],  # "< 5%": lower is better
    "II.1": [6, 6.5, 7, 7.5, 8, 8.2],
    "II.2": [62, 65, 68, 70, 73, 76],
    "II.3": [70, 75, 80, 85, 90, 95],
    "III.2": [12, 14, 16, 18, 21, 23],
    "III.3": [78, 80, 82, 84, 86, 88],
    "III.4": [70, 72, 75, 78, 80, 83],
    "III.5": [60, 65, 70, 74, 78, 80],
    "III.6": [92, 93, 95, 96, 97, 98],
    "III.7": [100] * 6,
    "III.9": [40, 45, 50, 55, 60, 66],
    "III.11": [(40, 52), (44, 52), (47, 52), (50, 52), (52, 52), (52, 52)],
    "III.12": [50, 60, 70, 75, 80, 85],
}
DATA_SOURCES = {"I.7": "Hệ thống quản lý văn bản và điều hành", "I.11": "Cổng Dịch vụ công quốc gia",
                "I.12": "Cổng Dịch vụ công quốc gia", "III.4": "Số liệu các ngân hàng trên địa bàn"}
# Per-village figure (14+ population with an electronic identity): denominators and April rates.
E_ID = "III.1"
E_ID_VILLAGES = {"Thôn Bát Tràng": (2350, 86), "Thôn Giang Cao": (1980, 84), "Thôn Kim Lan": (3120, 80),
                 "Thôn Văn Đức": (2760, 82), "Thôn Đa Tốn": (2240, 85), "Thôn Đông Dư": (1890, 79)}
# Village checklists: the day each village met the indicator.
CHECKLISTS = {
    "III.8": {"Thôn Bát Tràng": date(2026, 4, 20), "Thôn Giang Cao": date(2026, 5, 12),
              "Thôn Kim Lan": date(2026, 7, 8), "Thôn Đa Tốn": date(2026, 8, 25)},
    "III.10": {"Thôn Bát Tràng": date(2026, 5, 5), "Thôn Giang Cao": date(2026, 6, 10),
               "Thôn Văn Đức": date(2026, 8, 2), "Thôn Đông Dư": date(2026, 9, 5)},
}
AT_RISK = {"V.1": "Chưa bố trí được kinh phí thuê tư vấn; khối lượng quy trình cần rà soát lớn."}
# Demo leaders in charge (lãnh đạo phụ trách) of the lead units' assignments.
LEADERS = {
    "Nguyễn Văn Hùng": ("Phó Chủ tịch UBND xã (mẫu)", (VHXH, TT, YT)),
    "Trần Thị Lan": ("Phó Chủ tịch UBND xã (mẫu)", (VP, KT, CA, NH)),
}


def _received(period: ReportingPeriod, unit_name: str, habit: str) -> date:
    """On time: 3–8 days before the due day; late: 2–7 days after (never after DEMO_TODAY)."""
    spread = sum(map(ord, unit_name)) % 6
    if habit == "l":
        return min(period.due_date + timedelta(days=2 + spread), DEMO_TODAY)
    return period.due_date - timedelta(days=3 + spread)


def create_demo_progress(db: Database) -> tuple[Plan, bool]:
    """Add the demo plan (if needed) and its progress (unless already there). Returns ``(plan, created)``."""
    plan, _ = create_demo(db)
    with db.session(source="demo") as session:
        plan = session.get(Plan, plan.id)
        assert plan is not None
        has_progress = session.scalar(
            select(func.count(TaskProgress.id)).join(Item, Item.id == TaskProgress.item_id)
            .where(Item.plan_id == plan.id)
        )
        if has_progress:
            return plan, False
        add_progress(session, plan)
    log.info("Demo progress added to plan %s", plan.uuid)
    return plan, True


def _unit(session: Session, name: str) -> Unit:
    unit = catalog.find_unit(session, name)
    if unit is None:
        raise LookupError(name)
    return unit


def add_progress(session: Session, plan: Plan) -> None:
    set_calendar(session, plan, due_day=plan.report_day or 15)
    ensure_periods(session, plan)
    villages = []
    for position, name in enumerate(VILLAGES, start=100):
        unit = catalog.find_unit(session, name) or catalog.create_unit(
            session, name, kind="village", note=DEMO_NOTE, position=position, commune_id=plan.commune_id)
        villages.append(unit)
    infos = {(i.kind, i.ref): i for i in item_infos(session, plan.id).values()}
    item = {key: session.get(Item, info.id) for key, info in infos.items()}

    def ind(ref: str) -> Item:
        return item[(INDICATOR, ref)]

    entry.set_measure(session, ind(E_ID), MEASURE_PER_UNIT)
    entry.set_report_requirement(session, ind(E_ID), _unit(session, CA), False)
    for village in villages:
        entry.set_report_requirement(session, ind(E_ID), village, True)
    for ref in CHECKLISTS:
        entry.set_measure(session, ind(ref), MEASURE_VILLAGES, villages)
    entry.set_report_requirement(session, item[("task", "VI.2")], _unit(session, CA), True)
    for ref, reason in AT_RISK.items():
        entry.set_at_risk(session, item[("task", ref)], True, reason)
    _leaders(session, plan)

    periods = [get_period(session, plan, code) for code in MONTHS]
    pairs = reporting_pairs(plan.id).subquery()
    units_of: dict[int, list[Unit]] = {}
    for item_id, unit_id in session.execute(select(pairs.c.item_id, pairs.c.unit_id)):
        units_of.setdefault(item_id, []).append(session.get(Unit, unit_id))
    for month, period in enumerate(periods):
        _tasks(session, item, period, month)
        _indicators(session, item, units_of, period, month)
    for ref, days in CHECKLISTS.items():
        for village in villages:
            if village.name in days:
                entry.set_village_done(session, ind(ref), village, days[village.name])
    for code in LOCKED:
        lock_period(session, get_period(session, plan, code), "Đã tổng hợp báo cáo tháng gửi UBND xã.")


def _leaders(session: Session, plan: Plan) -> None:
    for name, (title, unit_names) in LEADERS.items():
        person = catalog.find_person(session, name) or catalog.create_person(session, name, title=title)
        for link in session.scalars(
            select(Assignment).join(Item, Item.id == Assignment.item_id).join(Unit, Unit.id == Assignment.unit_id)
            .where(Item.plan_id == plan.id, Assignment.role == LEAD, Unit.name.in_(unit_names))
        ):
            assignments.set_people(session, link.uuid, leader_uuid=person.uuid)


def _habit(unit: Unit, month: int) -> str:
    return HABITS.get(unit.name, "oooooo")[month]


def _tasks(session: Session, item: dict, period: ReportingPeriod, month: int) -> None:
    for (ref, unit_name), spec in TASKS.items():
        unit = _unit(session, unit_name)
        habit = _habit(unit, month)
        if habit == "-":
            continue
        fields: dict[str, Any] = {"result": RESULTS.get(ref, ""), "source": SOURCE.get(unit_name, "paper"),
                                  "received_on": _received(period, unit_name, habit)}
        if spec == RECURRING:
            fields["status"] = codes.IN_PROGRESS
        else:
            if month >= len(spec):
                continue
            status, percent = spec[month]
            fields["percent"] = percent
            if status is not None:
                fields["status"] = status
            if status in (codes.BEHIND, codes.PAUSED, codes.NOT_STARTED) and ref in DIFFICULTIES:
                fields["difficulties"], fields["proposals"] = DIFFICULTIES[ref]
            if status in (codes.DONE, codes.DONE_LATE):
                fields["result"] = "Đã hoàn thành; có báo cáo kết quả kèm minh chứng."
        entry.record_progress(session, item[("task", ref)], unit, period, today=fields["received_on"], **fields)


def _indicators(session: Session, item: dict, units_of: dict[int, list[Unit]], period: ReportingPeriod,
                month: int) -> None:
    for ref, series in INDICATORS.items():
        target = item[(INDICATOR, ref)]
        figure = series[month]
        if figure is None:
            continue
        if isinstance(figure, bool):
            fields: dict[str, Any] = {"achieved": figure}
        elif isinstance(figure, tuple):
            fields = {"numerator": figure[0], "denominator": figure[1]}
        else:
            fields = {"value": figure}
        for unit in units_of.get(target.id, []):
            habit = _habit(unit, month)
            if habit == "-":
                continue
            received = _received(period, unit.name, habit)
            entry.record_indicator_value(
                session, target, unit, period, today=received, received_on=received,
                source=SOURCE.get(unit.name, "paper"), data_source=DATA_SOURCES.get(ref, ""), **fields)
    e_id = item[(INDICATOR, E_ID)]
    for village_name, (people, rate) in E_ID_VILLAGES.items():
        village = _unit(session, village_name)
        habit = _habit(village, month)
        if habit == "-":
            continue
        received = _received(period, village_name, habit)
        numerator = round(people * min(rate + 1.5 * month, 99) / 100)
        entry.record_indicator_value(
            session, e_id, village, period, today=received, numerator=numerator, denominator=people,
            received_on=received, source="phone", data_source="Số liệu Công an xã cung cấp cho thôn")
