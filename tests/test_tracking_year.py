"""The status engine over a whole simulated year, at fixed "today"s.

A small plan (issued 10/01/2026, reports due on the 20th) with tasks of every
deadline form and indicators of several target forms; three units and two
villages report every month by a script (some late, some missing).  Reports
are entered day by day up to each checkpoint, then the engine is asked what it
sees: every warning kind, the completeness matrix, the indicator evaluations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import select

from cds_desktop.models import COORDINATING, LEAD, Item, Plan, Unit
from cds_desktop.services import assignments, catalog, items, plans
from cds_desktop.services.tracking import build_status, entry
from cds_desktop.services.tracking.calendar import get_period, set_calendar
from cds_desktop.services.tracking.month import month_rows

Y = 2026
UNITS = {"A": ("Văn phòng HĐND-UBND", "department"), "B": ("Phòng Văn hóa - Xã hội", "department"),
         "C": ("Công an xã", "police"), "V1": ("Thôn Đông", "village"), "V2": ("Thôn Đoài", "village"),
         "V3": ("Thôn Nam", "village")}
RECEIVE_DAY = {"A": 18, "B": 15, "C": 19, "V1": 12, "V2": 14}
EXCEPTIONS = {("A", 7): 23, ("B", 10): None, ("C", 5): None, ("C", 8): 25}  # late or missing
TASKS = {  # key: (deadline as written, lead, coordinating units asked to report)
    "T1": ("Quý II/2026", "A", []), "T2": ("Tháng 3/2026", "B", []), "T3": ("Thường xuyên", "A", ["C"]),
    "T4": ("Duy trì hằng tháng", "C", []), "T5": ("Quý IV/2026", "B", []), "T6": ("Khi phát sinh", "B", []),
    "T7": ("Thường xuyên", "B", []),
}
PERCENT = {
    "T1": {1: 10, 2: 25, 3: 40, 4: 45, 5: 50, 6: 60, 7: 80, 8: 100},
    "T2": {1: 20, 2: 60, 3: 90, 4: 100},
    "T5": {1: 0, 2: 5, 3: 15, 4: 25, 5: 30, 6: 40, 7: 50, 8: 55, 9: 65, 11: 85, 12: 100},
}
INDICATORS = {  # key: (content, target cell, lead)
    "I1": ("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn đạt ≥ 98%", "", "A"),
    "I2": (r"Phấn đấu tỷ lệ từ chối hoặc yêu cầu bổ sung $< 5\%$", "", "A"),
    "I3": ("Hệ thống báo cáo riêng lẻ", "Không phát sinh", "A"),
    "I4": ("Tỷ lệ người dân trưởng thành có chữ ký số cá nhân", "20-30%", "A"),
    "I5": ("Kênh truyền thông số chính thức", "Tối thiểu 05 kênh", "A"),
    "I6": ("Tỷ lệ người dân có danh tính điện tử đạt trên 90%", "", "A"),  # per village
    "I7": ("100% các thôn hình thành cộng đồng số trên iHanoi", "", "A"),  # village checklist
    "I8": ("Tỷ lệ tái sử dụng dữ liệu đạt tối thiểu 80%", "", None),  # nobody reports: no data
    "I9": ("Số hóa hồ sơ lưu trữ", "Theo hướng dẫn của Thành phố", "A"),  # target not understood
    "I10": ("Giảm ít nhất 50% văn bản lấy ý kiến giữa các cơ quan", "", "A"),  # a reduction: higher is better
}


def figure(key: str, m: int) -> dict:
    return {
        "I1": {"numerator": round(5 * (95 + 0.3 * m)), "denominator": 500},
        "I2": {"value": round(8 - 0.35 * m, 2)},
        "I3": {"achieved": True},
        "I4": {"value": 10 + 1.5 * m},
        "I5": {"value": 2 + m // 3},
        "I9": {"value": 50},
        "I10": {"value": 5 * m},
    }[key]


CHECKS = {"V1": date(Y, 3, 5), "V2": date(Y, 6, 10), "V3": date(Y, 11, 20)}


@dataclass
class Year:
    db: object
    plan_id: int
    events: list = field(default_factory=list)
    applied: int = 0

    def run_until(self, today: date) -> None:
        todo = [e for e in self.events[self.applied:] if e[0] <= today]
        if not todo:
            return
        with self.db.session("test") as s:
            plan = s.get(Plan, self.plan_id)
            for day, kind, item_key, unit_key, month, fields in todo:
                item = s.scalar(select(Item).where(Item.plan_id == plan.id, Item.number == item_key))
                unit = s.scalar(select(Unit).where(Unit.name == UNITS[unit_key][0]))
                if kind == "check":
                    entry.set_village_done(s, item, unit, day)
                    continue
                period = get_period(s, plan, f"{Y}-{month:02d}")
                record = entry.record_progress if kind == "task" else entry.record_indicator_value
                record(s, item, unit, period, today=day, received_on=day, **fields)
        self.applied += len(todo)

    def status(self, today: date, period: str | None = None):
        self.run_until(today)
        with self.db.session("test") as s:
            return build_status(s, s.get(Plan, self.plan_id), today, period)


@pytest.fixture
def year(db) -> Year:
    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Thử Nghiệm", "xã")
        plan = plans.create_plan(s, commune, Y, title="Chuyển đổi số xã Thử Nghiệm năm 2026", number="01/KH-UBND",
                                 issue_date=date(Y, 1, 10), report_day=20)
        set_calendar(s, plan, due_day=20)
        units = {k: catalog.create_unit(s, name, kind=kind, commune_id=commune.id) for k, (name, kind) in UNITS.items()}
        g_ind = plans.create_group(s, plan, "indicators", "I", "Chính quyền số")
        g_task = plans.create_group(s, plan, "tasks", "I", "Nhiệm vụ chung")
        for key, (deadline, lead, asked) in TASKS.items():
            item = items.create_item(s, plan, "task", g_task, number=key, local_number=key[1:],
                                     content=f"Nhiệm vụ thử {key}", deadline_text=deadline)
            assignments.assign(s, item, units[lead], LEAD)
            for other in asked:
                assignments.assign(s, item, units[other], COORDINATING)
                entry.set_report_requirement(s, item, units[other], True)
        for key, (content, target, lead) in INDICATORS.items():
            item = items.create_item(s, plan, "indicator", g_ind, number=key, local_number=key[1:],
                                     content=content, target_text=target)
            if lead:
                assignments.assign(s, item, units[lead], LEAD)
            if key == "I6":
                entry.set_measure(s, item, "per_unit")
                entry.set_report_requirement(s, item, units["A"], False)
                for village in ("V1", "V2"):
                    entry.set_report_requirement(s, item, units[village], True)
            if key == "I7":
                entry.set_measure(s, item, "villages", [units["V1"], units["V2"], units["V3"]])
        t5 = s.scalar(select(Item).where(Item.number == "T5"))
        entry.set_at_risk(s, t5, True, "Chưa có kinh phí")
        plan_id = plan.id
    return Year(db, plan_id, events=_script())


def _script() -> list:
    events = []
    for m in range(1, 13):
        for unit, default in RECEIVE_DAY.items():
            day = EXCEPTIONS.get((unit, m), default)
            if day is None:
                continue
            received = date(Y, m, day)
            for key, (_deadline, lead, asked) in TASKS.items():
                if unit != lead and unit not in asked:
                    continue
                fields: dict = {"status": "in_progress"}
                if key in PERCENT:
                    if m not in PERCENT[key] or (m > 1 and PERCENT[key].get(m - 1) == 100):
                        continue
                    fields = {"percent": PERCENT[key][m]}
                if key == "T7" and m == 9:
                    fields = {"status": "behind"}
                events.append((received, "task", key, unit, m, fields))
            for key, (_content, _target, lead) in INDICATORS.items():
                if key == "I6" and unit in ("V1", "V2"):
                    people = 1000 if unit == "V1" else 500
                    base = 850 if unit == "V1" else 400
                    step = 10 if unit == "V1" else 8
                    events.append((received, "value", key, unit, m,
                                   {"numerator": base + step * m, "denominator": people}))
                elif lead == unit and key not in ("I6", "I7"):
                    events.append((received, "value", key, unit, m, figure(key, m)))
    events += [(day, "check", "I7", village, 0, {}) for village, day in CHECKS.items()]
    return sorted(events, key=lambda e: e[0])


def kinds(report) -> list[tuple[str, str, str]]:
    return sorted((w.kind, _key(w), w.unit_name) for w in report.warnings)


def _key(warning) -> str:
    return ("T" if warning.item_kind == "task" else "I") + warning.item_ref.split(".")[-1]


A, B, C = UNITS["A"][0], UNITS["B"][0], UNITS["C"][0]


def test_february_only_the_officer_flag(year):
    report = year.status(date(Y, 2, 25))
    assert kinds(report) == [("at_risk", "T5", B)]
    warning = report.warnings[0]
    assert warning.message == "Cán bộ đánh dấu có nguy cơ chậm muộn: Chưa có kinh phí"
    assert report.missing_periods == ["2026-02"]


def test_march_due_soon_names_item_unit_and_reason(year):
    report = year.status(date(Y, 3, 22))
    assert kinds(report) == [("at_risk", "T5", B), ("due_soon", "T2", B)]
    due_soon = next(w for w in report.warnings if w.kind == "due_soon")
    assert due_soon.message == "Còn 9 ngày đến hạn (31/03/2026), đã đạt 90%."
    assert due_soon.days == 9 and due_soon.item_content == "Nhiệm vụ thử T2"


def test_april_done_late_clears_the_deadline(year):
    report = year.status(date(Y, 4, 25))
    assert kinds(report) == [("at_risk", "T5", B)]
    t2 = next(t for t in report.tasks if t.info.number == "T2")
    assert (t2.status, t2.label) == ("done_late", "Hoàn thành quá hạn")


def test_may_behind_schedule_and_missing_reports(year):
    report = year.status(date(Y, 5, 25))
    assert kinds(report) == [
        ("at_risk", "T5", B), ("behind_schedule", "T1", A), ("missing_report", "T3", C), ("missing_report", "T4", C),
    ]
    behind = next(w for w in report.warnings if w.kind == "behind_schedule")
    assert behind.message == "Đã qua 79% thời gian, mới đạt 50%."
    missing = next(w for w in report.warnings if w.kind == "missing_report")
    assert missing.message == "Chưa nhận báo cáo tháng 5/2026 (hạn 20/05/2026, đã quá 5 ngày)."
    assert missing.period_code == "2026-05"


def test_july_overdue(year):
    report = year.status(date(Y, 7, 12))
    assert kinds(report) == [("at_risk", "T5", B), ("overdue", "T1", A)]
    overdue = next(w for w in report.warnings if w.kind == "overdue")
    assert overdue.message == "Quá hạn 12 ngày (hạn 30/06/2026), mới đạt 60%."
    assert (overdue.days, overdue.due_date) == (12, date(Y, 6, 30))


def test_september_unit_reports_behind_and_finished_task_is_no_longer_expected(year):
    report = year.status(date(Y, 9, 25))
    assert kinds(report) == [("at_risk", "T5", B), ("behind_schedule", "T7", B)]
    assert next(w for w in report.warnings if w.kind == "behind_schedule").message == \
        "Đơn vị báo cáo «Chậm tiến độ» (Tháng 9/2026)."
    with year.db.session("test") as s:
        plan = s.get(Plan, year.plan_id)
        rows = month_rows(s, plan, get_period(s, plan, "2026-09"))
        expected_a = sorted(r.item.number for r in rows if r.unit_name == A and r.expected)
    assert "T1" not in expected_a  # done (late) in August: no more reports expected
    assert expected_a == ["I1", "I10", "I2", "I3", "I4", "I5", "I9", "T3"]


def test_october_whole_unit_missing(year):
    report = year.status(date(Y, 10, 25))
    assert kinds(report) == [
        ("at_risk", "T5", B), ("behind_schedule", "T7", B),
        ("missing_report", "T5", B), ("missing_report", "T6", B), ("missing_report", "T7", B),
    ]
    assert [u.name for u in report.completeness.missing_units("2026-10")] == [B]


def test_december_no_warnings_and_the_full_completeness_matrix(year):
    report = year.status(date(Y, 12, 25))
    assert report.warnings == []  # T5 done in December: the officer's flag no longer warns
    matrix = report.completeness
    assert [p.code for p in matrix.periods] == [f"{Y}-{m:02d}" for m in range(1, 13)]
    states = {u.name: "".join({"on_time": "o", "late": "l", "missing": "-"}[u.cell(p.code).state]
                              for p in matrix.periods) for u in matrix.units}
    assert states == {
        A: "oooooolooooo",
        B: "ooooooooo-oo",
        C: "oooo-ooloooo",
        "Thôn Đông": "o" * 12,
        "Thôn Đoài": "o" * 12,
    }
    rates = {u.name: u.rate for u in matrix.units}
    assert rates == {A: 100.0, B: 91.7, C: 91.7, "Thôn Đông": 100.0, "Thôn Đoài": 100.0}
    assert {u.name: u.on_time_rate for u in matrix.units}[C] == 83.3
    assert matrix.period_rate("2026-05") == 80.0 and matrix.period_rate("2026-10") == 80.0
    assert matrix.period_rate("2026-07") == 100.0
    assert [u.name for u in matrix.units] == [C, B, A, "Thôn Đoài", "Thôn Đông"]  # A–Z, villages last


def test_completeness_before_due_is_pending_and_before_the_plan_not_required(db):
    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Muộn", "xã")
        plan = plans.create_plan(s, commune, Y, title="KH", issue_date=date(Y, 4, 3))
        unit = catalog.create_unit(s, "Văn phòng HĐND-UBND", kind="department")
        task = items.create_item(s, plan, "task", None, content="Việc", deadline_text="Thường xuyên")
        assignments.assign(s, task, unit, LEAD)
        set_calendar(s, plan, due_day=15)
        report = build_status(s, plan, date(Y, 5, 10))
    row = report.completeness.units[0]
    assert [row.cell(f"{Y}-{m:02d}").state for m in (3, 4, 5, 6)] == ["not_required", "missing", "pending", "pending"]


INDICATORS_APRIL = {"I1": "not_achieved", "I2": "not_achieved", "I3": "achieved", "I4": "not_achieved",
                    "I5": "not_achieved", "I6": "not_achieved", "I7": "not_achieved", "I8": "no_data",
                    "I9": "not_evaluable", "I10": "not_achieved"}


def test_indicator_evaluations_through_the_year(year):
    april = {r.info.number: r for r in year.status(date(Y, 4, 25)).indicators}
    assert {k: r.evaluation.code for k, r in april.items()} == INDICATORS_APRIL
    assert april["I1"].figure.value == pytest.approx(96.2)
    assert april["I2"].figure.value == pytest.approx(6.6)  # "< 5%": 6,6% is not reached
    assert april["I6"].figure.value == pytest.approx(100 * (890 + 432) / 1500)  # pooled over villages
    assert april["I7"].figure_text == "1/3 thôn (33,3%)"
    december = {r.info.number: r for r in year.status(date(Y, 12, 25)).indicators}
    codes = {k: r.evaluation.code for k, r in december.items()}
    assert codes == {**{k: "achieved" for k in INDICATORS}, "I8": "no_data", "I9": "not_evaluable"}
    assert december["I2"].figure.value == pytest.approx(3.8)
    assert december["I2"].evaluation.detail == "3,8% so với chỉ tiêu < 5% (càng thấp càng tốt): đạt."
    assert december["I7"].figure_text == "3/3 thôn (100%)"
    assert december["I5"].evaluation.detail == "6 kênh so với chỉ tiêu ≥ 5 kênh: đạt."


def test_a_chosen_period_is_evaluated_as_of_its_end(year):
    year.status(date(Y, 12, 25))
    with year.db.session("test") as s:
        report = build_status(s, s.get(Plan, year.plan_id), date(Y, 12, 25), "2026-Q2")
    by_key = {r.info.number: r for r in report.indicators}
    assert by_key["I2"].figure.value == pytest.approx(round(8 - 0.35 * 6, 2))  # June's figure
    assert by_key["I7"].figure_text == "2/3 thôn (66,7%)"
    assert report.missing_periods == ["2026-04", "2026-05", "2026-06"]
    assert {(_key(w), w.unit_name) for w in report.warnings if w.kind == "missing_report"} == {
        ("T3", C), ("T4", C)}
    t1 = next(t for t in report.tasks if t.info.number == "T1")
    assert (t1.status, t1.percent) == ("in_progress", 60)
