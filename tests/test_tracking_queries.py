"""The status engine's SQL building blocks agree with each other, on SQLite and on PostgreSQL.

``missing_select`` probes each expected report with ``NOT EXISTS`` (one index lookup each, robust
to PostgreSQL's row estimates); it must give exactly the expected reports that
``received_reports`` does not hold, tombstoned reports counting as not received.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from cds_desktop.models import IndicatorValue, Plan, TaskProgress
from cds_desktop.services.tracking.calendar import live_periods
from cds_desktop.services.tracking.queries import expected_reports, missing_select, received_reports


def _reference(session, plan_id: int, period_ids: list[int]) -> set[tuple[int, int, int]]:
    expected = {tuple(r) for r in session.execute(expected_reports(plan_id, period_ids=period_ids))}
    received = received_reports(plan_id)
    got = {tuple(r) for r in session.execute(select(received.c.item_id, received.c.unit_id, received.c.period_id))}
    return expected - got


def _missing(session, plan_id: int, period_ids: list[int]) -> list[tuple[int, int, int]]:
    return [tuple(r) for r in session.execute(missing_select(plan_id, period_ids))]


def test_missing_reports_are_the_expected_ones_not_received(progress_db):
    with progress_db.session("test") as s:
        plan = s.scalars(select(Plan)).one()
        periods = [p.id for p in live_periods(s, plan.id)]
        expected = {tuple(r) for r in s.execute(expected_reports(plan.id, period_ids=periods))}
        before = _missing(s, plan.id, periods)
        assert len(before) == len(set(before))  # each missing report once
        assert set(before) == _reference(s, plan.id, periods)
        assert expected - set(before), "the demo has received reports"
        assert before, "the demo has missing reports"

        # A report that was received and then deleted (a tombstone) is missing again.
        received = expected - set(before)
        task_report = s.scalars(select(TaskProgress).where(TaskProgress.period_id.in_(periods))).first()
        value = s.scalars(select(IndicatorValue).where(IndicatorValue.period_id.in_(periods),
                                                       IndicatorValue.unit_id.is_not(None))).first()
        assert task_report is not None and value is not None
        deleted = {(r.item_id, r.unit_id, r.period_id) for r in (task_report, value)}
        assert deleted <= received
        for record in (task_report, value):
            record.deleted_at = datetime(2026, 10, 1, 8, 0)
        s.flush()
        after = _missing(s, plan.id, periods)
        assert set(after) == set(before) | deleted
        assert set(after) == _reference(s, plan.id, periods)

        # Only the periods asked for.
        one = periods[len(periods) // 2]
        assert set(_missing(s, plan.id, [one])) == {r for r in after if r[2] == one}
