"""``demo --with-progress``, ``status`` (text and --json) and the dashboard figures on the demo plan."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from cds_desktop.cli import main
from cds_desktop.models import IndicatorValue, Plan, TaskProgress, Unit
from cds_desktop.services.demo_progress import DEMO_TODAY, create_demo_progress
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.dashboard import build_dashboard

WARNING_KEYS = {"kind", "kind_label", "item", "unit", "message", "period_code", "due_date", "days"}


@pytest.fixture
def progress_dir(db_templates, data_dir):
    """A data directory with the demo plan and its progress (what ``demo --with-progress`` makes)."""
    return db_templates.copy("progress", data_dir)


def _status(capsys, data_dir, *extra):
    assert main(["status", "--data-dir", str(data_dir), "--today", "2026-09-18", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_status_json_has_every_part(progress_dir, capsys):
    data = _status(capsys, progress_dir)
    assert set(data) >= {"warnings", "completeness", "indicators"}
    assert data["period"]["code"] == "2026-09"
    assert {w["kind"] for w in data["warnings"]} == set(codes.WARNING_KINDS)
    for warning in data["warnings"]:
        assert set(warning) >= WARNING_KEYS
        assert warning["kind"] in codes.WARNING_KINDS
        assert warning["item"]["uuid"] and warning["item"]["content"]
        assert warning["unit"]["name"]
        assert warning["message"][0].isupper()
    overdue = [w for w in data["warnings"] if w["kind"] == "overdue"]
    assert {w["unit"]["name"] for w in overdue} == {"Văn phòng HĐND-UBND", "Phòng Văn hóa - Xã hội"}
    assert overdue[0]["message"].startswith("Quá hạn 80 ngày (hạn 30/06/2026)")
    indicators = {i["ref"]: i for i in data["indicators"]}
    assert len(indicators) == 27
    assert {i["evaluation"] for i in indicators.values()} == {"achieved", "not_achieved", "no_data"}
    low = indicators["I.12"]
    assert (low["comparator"], low["lower_is_better"], low["evaluation"]) == ("lt", True, "achieved")
    assert low["figure"] == "15/366 (4,1%)"
    assert indicators["III.8"]["measure"] == "villages" and indicators["III.8"]["figure"] == "4/6 thôn (66,7%)"
    assert indicators["III.1"]["measure"] == "per_unit"
    completeness = data["completeness"]
    units = {u["name"]: u for u in completeness["units"]}
    assert units["Trạm Y tế xã"]["cells"]["2026-08"]["state"] == "missing"
    assert units["Phòng Kinh tế"]["cells"]["2026-06"]["state"] == "late"
    assert units["Văn phòng HĐND-UBND"]["rate"] == 100.0
    assert completeness["period_rates"]["2026-09"] == pytest.approx(69.2)


def test_status_for_a_chosen_period_and_the_text_output(progress_dir, capsys):
    data = _status(capsys, progress_dir, "--period", "2026-08")
    assert data["missing_report_periods"] == ["2026-08"]
    missing = [w for w in data["warnings"] if w["kind"] == "missing_report"]
    by_unit = {}
    for w in missing:
        by_unit.setdefault(w["unit"]["name"], set()).add(w["item"]["ref"])
    assert by_unit == {"Trạm Y tế xã": {"III.5"}, "Văn phòng HĐND-UBND": {"I.5", "I.8"}}
    assert main(["status", "--data-dir", str(progress_dir), "--today", "2026-09-18"]) == 0
    text = capsys.readouterr().out
    assert "CẢNH BÁO (15)" in text
    assert "Quá hạn — Nhiệm vụ II.2 — Văn phòng HĐND-UBND: Quá hạn 80 ngày" in text
    assert "TÌNH HÌNH GỬI BÁO CÁO" in text and "CHỈ TIÊU (13/27 đạt)" in text


def test_status_errors_are_one_vietnamese_line(progress_dir, capsys):
    assert main(["status", "--data-dir", str(progress_dir), "--period", "2026-13"]) == 2  # a wrong value: usage
    assert "Lỗi: Tháng không hợp lệ" in capsys.readouterr().err
    assert main(["status", "--data-dir", str(progress_dir), "--period", "2027-01"]) == 3  # not found
    assert "không có kỳ báo cáo" in capsys.readouterr().err


def test_status_without_plan(data_dir, capsys):
    assert main(["status", "--data-dir", str(data_dir), "--create"]) == 3
    assert "Chưa có kế hoạch nào" in capsys.readouterr().err


def test_demo_progress_is_deterministic_and_idempotent(demo_db, tmp_path, capsys):
    from cds_desktop.database import open_database

    plan, created = create_demo_progress(demo_db)
    assert created
    assert create_demo_progress(demo_db)[1] is False
    assert main(["demo", "--data-dir", str(tmp_path / "other"), "--with-progress"]) == 0
    assert "Đã thêm tiến độ mẫu" in capsys.readouterr().out
    other = open_database(tmp_path / "other")
    try:
        snapshots = []
        for database in (demo_db, other):
            with database.session("test") as s:
                snapshots.append(sorted(
                    ((r.status, r.percent, r.received_on, r.source) for r in s.scalars(select(TaskProgress))),
                    key=repr))
                assert s.scalar(select(func.count(IndicatorValue.id))) == 166
                villages = s.scalars(select(Unit.note).where(Unit.kind == "village")).all()
                assert len(villages) == 6 and all("demo" in note for note in villages)
        assert snapshots[0] == snapshots[1]
        assert max(r[2] for r in snapshots[0]) <= DEMO_TODAY
    finally:
        other.close()


def test_dashboard_figures_lead_to_their_items(progress_db):
    with progress_db.session("test") as s:
        plan = s.scalar(select(Plan))
        dash = build_dashboard(s, plan, DEMO_TODAY)
    report = dash.report
    task_uuids = {t.info.uuid for t in report.tasks}
    assert dash.task_total.total == 12 == len(task_uuids)
    assert sum(g.total for g in dash.task_groups if g.depth == 0) == 12
    assert set(dash.task_total.uuids()) == task_uuids
    assert dash.task_total.count(codes.DONE_LATE) == 1 and dash.task_total.count(codes.BEHIND) == 1
    pillars = {g.display: g for g in dash.indicator_groups}
    assert {k: (g.count("achieved"), g.count("not_achieved"), g.count("no_data")) for k, g in pillars.items()} == {
        "I. Chính quyền số": (8, 2, 2), "II. Kinh tế số": (0, 3, 0), "III. Xã hội số": (5, 7, 0)}
    tiles = {t.key: t for t in dash.tiles}
    assert tiles["indicators"].value == "13/27" and len(tiles["indicators"].uuids) == 13
    assert tiles["late"].value == "3" and tiles["reporting"].value == "69%"
    assert {t.title for t in dash.tiles} >= {"Nhiệm vụ", "Chậm, quá hạn", "Chỉ tiêu đạt", "Cảnh báo"}
    missing = {m.name: m for m in dash.missing_units}
    assert missing["Trạm Y tế xã"].periods == ("2026-08", "2026-09")
    assert missing["Trạm Y tế xã"].periods_text == "T8/2026, T9/2026"
    assert missing["Phòng Kinh tế"].items and set(missing["Phòng Kinh tế"].items) <= {
        i.uuid for i in report.infos.values()}
    upcoming = [(u.day.isoformat(), u.kind) for u in dash.upcoming]
    assert upcoming[:3] == [("2026-09-30", "task"), ("2026-09-30", "task"), ("2026-10-15", "report")]
    assert all(u.uuids for u in dash.upcoming)
