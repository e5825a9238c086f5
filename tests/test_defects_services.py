"""Service rules behind defects a new user hit in the window (issue 11), each reproduced first."""

from __future__ import annotations

import threading
from datetime import date

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
