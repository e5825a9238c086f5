"""The demo plan and the month entry screen as the GUI tests open them (no tests here)."""

from __future__ import annotations

from sqlalchemy import select

from cds_desktop.models import Plan
from cds_desktop.services.demo_progress import DEMO_TODAY


def remember_demo_plan(db):
    """Note the (only) plan's uuid on *db* as ``db.demo_plan_uuid``; returns *db*."""
    with db.session() as s:
        db.demo_plan_uuid = s.scalar(select(Plan.uuid))
    return db


def open_month_entry(qtbot, db, size: tuple[int, int] = (1366, 768)):
    """The month entry screen on the demo plan, "today" the demo's day, shown and loaded."""
    from cds_desktop.ui.month.entry import MonthEntryWidget

    widget = MonthEntryWidget(db, today=lambda: DEMO_TODAY)
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    with qtbot.waitSignal(widget.refreshed, timeout=20_000):
        widget.set_plan(db.demo_plan_uuid)
    return widget
