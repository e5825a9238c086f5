"""Defects a new user hit in the window (issue 11), driven with keys and clicks where a person would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import func, select

from cds_desktop.models import IndicatorValue
from cds_desktop.services.demo_progress import DEMO_TODAY, create_demo_progress
from cds_desktop.ui.month.entry import MonthEntryWidget
from cds_desktop.ui.month.models import COLUMN_INDEX

pytestmark = pytest.mark.gui


@pytest.fixture
def progress_db(demo_db):
    plan, _ = create_demo_progress(demo_db)
    demo_db.demo_plan_uuid = plan.uuid
    return demo_db


@pytest.fixture
def month(qtbot, progress_db):
    widget = MonthEntryWidget(progress_db, today=lambda: DEMO_TODAY)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    with qtbot.waitSignal(widget.refreshed, timeout=20_000):
        widget.set_plan(progress_db.demo_plan_uuid)
    return widget


def _values(db) -> int:
    with db.session("test") as s:
        return s.scalar(select(func.count()).select_from(IndicatorValue).where(IndicatorValue.deleted_at.is_(None)))


def test_a_percent_over_100_is_refused_inline_and_the_typed_text_stays(qtbot, month, progress_db):
    """Item 4: 150 for a "100%" indicator was saved and marked Đạt."""
    row = next(i for i, r in enumerate(month.model.rows)
               if r.kind == "indicator" and r.item.target_display.endswith("100%") and not r.checklist)
    before = _values(progress_db)
    old = month.model.rows[row]
    month.focus_cell(row, "figure")
    qtbot.keyClicks(month.table, "1")
    editor = month.table.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "50")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "từ 0 đến 100%" in month.message.text())
    index = month.model.index(row, COLUMN_INDEX["figure"])
    assert index.data() == "150"  # kept for correction
    assert month.table.currentIndex().row() == row  # the cursor stays on it
    assert _values(progress_db) == before and month.model.rows[row] == old
    # Correcting it saves and clears the mark.
    qtbot.keyClick(month.table, Qt.Key.Key_Return)
    editor = month.table.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "150"
    editor.selectAll()
    qtbot.keyClicks(editor, "95")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: month.model.rows[row].value == 95)
    assert month.model.refused_text(index) is None
    assert "Đã lưu" in month.message.text()
