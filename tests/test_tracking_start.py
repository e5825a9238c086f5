"""Issue #11 item 8: the officer's start of tracking.  A plan issued in April and taken up in
the app in November must not count every period since April as missing, nor every deadline
before November as overdue; the officer chooses the day (import preview, plan header,
``import-plan --track-from``) and the status says what is left out."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from cds_desktop.cli import main as cli_main
from cds_desktop.models import LEAD, Plan
from cds_desktop.services import assignments, catalog, items, plans, structure
from cds_desktop.services.structure import suggested_tracking_start
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import ensure_periods
from cds_desktop.services.tracking.status import build_status
from cds_desktop.text import parse_date

TODAY = date(2026, 11, 20)


def _issued_plan(db) -> str:
    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Phù Đổng", "xã")
        plan = plans.create_plan(s, commune, 2026, title="Kế hoạch CĐS năm 2026", number="12/KH-UBND",
                                 issue_date=date(2026, 4, 3), status="issued")
        unit = catalog.create_unit(s, "Văn phòng HĐND-UBND", kind="department", commune_id=commune.id)
        group = plans.create_group(s, plan, "tasks", "I", "Đổi mới chỉ đạo")
        early = items.create_item(s, plan, "task", group, content="Rà soát quy trình", deadline_text="Quý II/2026")
        late = items.create_item(s, plan, "task", group, content="Số hóa hồ sơ", deadline_text="Tháng 11/2026")
        for task in (early, late):
            assignments.assign(s, task, unit, LEAD)
        ensure_periods(s, plan)
        return plan.uuid


def _missing_months(report) -> set[str]:
    return {code for unit in report.completeness.units for code in unit.cells
            if unit.cell(code).state == codes.MISSING and len(code) == 7 and "-Q" not in code and "-H" not in code}


def test_tracking_from_the_officers_day_leaves_out_earlier_periods_and_deadlines(db):
    uuid = _issued_plan(db)
    with db.session("test") as s:
        plan = s.scalar(select(Plan).where(Plan.uuid == uuid))
        before = build_status(s, plan, TODAY)
    overdue = [w for w in before.warnings if w.kind == codes.OVERDUE]
    assert [w.item_content for w in overdue] == ["Rà soát quy trình"]  # due 30/06, nothing reported
    assert {"2026-04", "2026-05", "2026-10", "2026-11"} <= _missing_months(before)
    assert before.tracking_note == ""

    with db.session("test") as s:
        structure.edit_header(s, uuid, tracking_start=date(2026, 11, 1))
    with db.session("test") as s:
        plan = s.scalar(select(Plan).where(Plan.uuid == uuid))
        after = build_status(s, plan, TODAY)
        data = after.to_dict()
    assert not [w for w in after.warnings if w.kind == codes.OVERDUE]
    assert _missing_months(after) == {"2026-11"}  # the month tracked from, due 15/11, is missing
    assert "01/11/2026" in after.tracking_note and "1 nhiệm vụ có hạn trước ngày này" in after.tracking_note
    assert data["tracking_start"] == "2026-11-01" and data["notes"] == [after.tracking_note]
    # The task due in November is still watched, and December's missing reports will count.
    with db.session("test") as s:
        plan = s.scalar(select(Plan).where(Plan.uuid == uuid))
        december = build_status(s, plan, date(2026, 12, 20))
    assert _missing_months(december) == {"2026-11", "2026-12"}
    assert [w.item_content for w in december.warnings if w.kind == codes.OVERDUE] == ["Số hóa hồ sơ"]


def test_the_start_of_tracking_is_audited_and_a_bad_value_refused(db):
    uuid = _issued_plan(db)
    with db.session("test") as s:
        changed = structure.edit_header(s, uuid, tracking_start=date(2026, 11, 1))
    assert changed
    with db.session("test") as s:
        assert structure.header_values(s, uuid)["tracking_start"] == date(2026, 11, 1)
    from cds_desktop.services.common import ServiceError

    with pytest.raises(ServiceError, match="bắt đầu theo dõi"), db.session("test") as s:
        structure.edit_header(s, uuid, tracking_start="01/11/2026")


def test_proposed_start_is_this_month_only_for_a_plan_issued_long_ago_this_year():
    assert suggested_tracking_start(date(2026, 4, 3), 2026, TODAY) == date(2026, 11, 1)
    assert suggested_tracking_start(date(2026, 11, 2), 2026, TODAY) is None  # just issued
    assert suggested_tracking_start(date(2026, 10, 25), 2026, TODAY) is None  # within a month
    assert suggested_tracking_start(None, 2026, TODAY) is None  # a draft
    assert suggested_tracking_start(date(2025, 4, 3), 2025, TODAY) is None  # last year's plan: as issued


def test_dates_as_the_officer_types_them():
    assert parse_date(" 1/11/2026 ") == date(2026, 11, 1)
    assert parse_date("01-11-2026") == date(2026, 11, 1)
    assert parse_date("") is None
    for bad in ("2026-11-01", "31/02/2026", "1/11"):
        try:
            parse_date(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_import_plan_track_from_on_the_command_line(data_dir, seeds_dir, capsys):
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    assert cli_main(["--data-dir", str(data_dir), "--create", "import-plan", str(seed),
                     "--track-from", "01/11/2026", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["plan"]["tracking_start"] == "2026-11-01"
    assert cli_main(["--data-dir", str(data_dir), "status", "--today", "2026-11-20", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["tracking_start"] == "2026-11-01"
    assert not [w for w in status["warnings"] if w["kind"] == "overdue"]
    months = {code for unit in status["completeness"]["units"] for code, cell in unit["cells"].items()
              if cell["state"] == "missing" and len(code) == 7}
    assert months <= {"2026-11"}
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["--data-dir", str(data_dir), "import-plan", str(seed), "--track-from", "31/02/2026"])
    assert exit_info.value.code == 2
    assert "ngày không hợp lệ" in capsys.readouterr().err


def test_an_earlier_month_can_still_be_filled_in(db):
    from cds_desktop.services.tracking.calendar import get_period
    from cds_desktop.services.tracking.month import month_rows

    uuid = _issued_plan(db)
    with db.session("test") as s:
        structure.edit_header(s, uuid, tracking_start=date(2026, 11, 1))
    with db.session("test") as s:
        plan = s.scalar(select(Plan).where(Plan.uuid == uuid))
        rows = month_rows(s, plan, get_period(s, plan, "2026-10"))
    assert sorted(r.item.content for r in rows) == ["Rà soát quy trình", "Số hóa hồ sơ"]


@pytest.mark.sqlite_only(reason="SQLite's write-ahead log refuses a write from a stale read (busy snapshot)")
def test_periods_are_made_again_when_another_commit_made_the_read_stale(db, monkeypatch):
    """The dashboard's worker makes the periods while the window commits an edit: SQLite refuses the
    worker's write at once («database is locked», no busy wait); a fresh try sees the edit and succeeds
    (CI: the dashboard's error box after the officer added a group)."""
    from sqlalchemy import text

    from cds_desktop.services.tracking import calendar
    from cds_desktop.services.tracking.calendar import ensure_plan_periods, live_periods

    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Phù Đổng", "xã")
        plan = plans.create_plan(s, commune, 2026, title="Kế hoạch CĐS năm 2026", status="issued")
        plan_uuid, plan_id = plan.uuid, plan.id
    original = calendar._add_periods
    tries: list[int] = []

    def add_after_a_stale_read(session, plan, specs):
        tries.append(len(specs))
        if len(tries) == 1:
            session.execute(text("SAVEPOINT stale"))  # a transaction that has read…
            session.execute(text("SELECT count(*) FROM reporting_periods")).scalar()
            with db.session("test") as other:  # …then another connection commits
                other.get(Plan, plan_id).title = "Kế hoạch CĐS năm 2026 (sửa)"
        original(session, plan, specs)

    monkeypatch.setattr(calendar, "_add_periods", add_after_a_stale_read)
    ensure_plan_periods(db, plan_uuid)
    assert len(tries) == 2
    with db.session("test") as s:
        assert len(live_periods(s, plan_id)) == tries[-1] > 0
        assert s.get(Plan, plan_id).title.endswith("(sửa)")
