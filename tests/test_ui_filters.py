"""The Kế hoạch filter bar and the dashboard's click-through (defect 7: a figure opens
the full list behind it, and the list is still there when the officer comes back)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from sqlalchemy import select
from support.windows import open_window

from cds_desktop.models import Assignment, Item, Unit
from cds_desktop.services.demo_progress import DEMO_TODAY

pytestmark = pytest.mark.gui
TIMEOUT = 20_000


@pytest.fixture
def window(qtbot, progress_db):
    win = open_window(qtbot, progress_db)
    dashboard = win.workspace.screen("dashboard")
    with qtbot.waitSignal(dashboard.refreshed, timeout=TIMEOUT):
        dashboard.set_today(DEMO_TODAY)
    win.filter_bar.today = DEMO_TODAY
    return win


def _table_uuids(model) -> set[str]:
    return {model.uuid_at(r) for r in range(model.rowCount())}


def test_a_figure_opens_exactly_its_items_and_the_list_stays(qtbot, window):
    dashboard = window.workspace.screen("dashboard")
    tile = next(t for t in dashboard.tiles if t.tile is not None and t.tile.key == "late")
    expected = set(tile.tile.uuids)
    assert len(expected) > 1  # several items behind the figure, not one
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert window.workspace.current_key() == "plan"
    shown = _table_uuids(window.indicator_model) | _table_uuids(window.task_model)
    assert shown == expected
    summary = window.filter_bar.summary_label.text()
    assert summary.startswith(f"Đang xem: {tile.tile.title}: {tile.tile.value}")
    assert window.current_item_uuid() in expected
    # Back on the dashboard (by its tab), the list of that figure is still there.
    tabs = window.workspace.tabBar()
    with qtbot.waitSignal(dashboard.refreshed, timeout=TIMEOUT):
        qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(0).center())
    assert dashboard.items_model.rowCount() == len(expected)
    assert f"({len(expected)} mục)" in dashboard.items_box.title_label.text()
    # "Bỏ lọc" shows the whole plan again.
    window.workspace.show_screen("plan")
    qtbot.mouseClick(window.filter_bar.clear_button, Qt.MouseButton.LeftButton)
    assert window.task_model.rowCount() == 12 and window.indicator_model.rowCount() == 27
    assert window.filter_bar.summary_label.text() == ""
    assert window.tabs.tabText(1) == "Nhiệm vụ"


def test_filter_bar_by_unit_and_deadline_and_saved_filters(qtbot, window, progress_db, monkeypatch):
    window.workspace.show_screen("plan")
    bar = window.filter_bar
    qtbot.mouseClick(bar.toggle_button, Qt.MouseButton.LeftButton)
    assert bar.panel.isVisible()
    with progress_db.session("test") as s:
        unit = s.scalar(select(Unit).where(Unit.name == "Công an xã"))
        expected = set(s.scalars(select(Item.uuid).join(Assignment, Assignment.item_id == Item.id)
                                 .where(Assignment.unit_id == unit.id, Assignment.deleted_at.is_(None),
                                        Item.deleted_at.is_(None))))
    combo = bar.combos["unit_uuid"]
    combo.setFocus()
    combo.setCurrentIndex(combo.findText("Công an xã"))
    assert _table_uuids(window.indicator_model) | _table_uuids(window.task_model) == expected
    assert "Đơn vị: Công an xã" in bar.summary_label.text()
    counts = (window.indicator_model.rowCount(), window.task_model.rowCount())
    assert window.tabs.tabText(0) == f"Chỉ tiêu ({counts[0]})"
    # Deadline range typed with the keyboard: nothing is due before 2000-01-02 → "—" stays "no bound".
    bar.due_to.setFocus()
    bar.due_to.setDate(bar.due_to.date().fromString("30/06/2026", "dd/MM/yyyy"))
    assert all(window.task_model.rows[r].due_date is not None and window.task_model.rows[r].due_date.month <= 6
               for r in range(window.task_model.rowCount())) and window.task_model.rowCount() <= counts[1]

    # Save it under a Vietnamese name (typed into the question box).
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *_a, **_k: ("Công an — 6 tháng đầu", True)))
    qtbot.mouseClick(bar.save_button, Qt.MouseButton.LeftButton)
    assert bar.saved_combo.currentText() == "Công an — 6 tháng đầu"
    saved_counts = (window.indicator_model.rowCount(), window.task_model.rowCount())
    qtbot.mouseClick(bar.clear_button, Qt.MouseButton.LeftButton)
    assert window.task_model.rowCount() == 12
    bar.saved_combo.activated.emit(bar.saved_combo.findText("Công an — 6 tháng đầu"))
    assert (window.indicator_model.rowCount(), window.task_model.rowCount()) == saved_counts
    assert combo.currentText() == "Công an xã"


def test_a_filter_does_not_follow_to_another_plan(qtbot, window):
    from cds_desktop.services.item_filters import ItemFilter

    window.workspace.show_screen("plan")
    window.filter_bar.apply(ItemFilter(warning_kind="overdue", today=DEMO_TODAY))
    assert window.task_model.rowCount() < 12
    window.reload_plans(window.current_plan().uuid)  # same plan: kept
    assert window.filter_bar.criteria() is not None
    window.filter_bar.set_plan(None)
    assert window.filter_bar.criteria() is None and window.filter_bar.summary_label.text() == ""


def test_one_item_from_another_screen_is_shown_even_behind_a_filter(qtbot, window):
    from cds_desktop.services.item_filters import ItemFilter

    window.workspace.show_screen("plan")
    hidden = window.task_model.rows[0].uuid
    window.filter_bar.apply(ItemFilter(warning_kind="overdue", today=DEMO_TODAY))
    assert window.task_model.row_of(hidden) < 0
    window.workspace.show_screen("month")
    window.open_items([hidden])  # "Xem mục trong kế hoạch" on the month screen
    assert window.workspace.current_key() == "plan"
    assert window.current_item_uuid() == hidden
    assert window.filter_bar.criteria() is None
