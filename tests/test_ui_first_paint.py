"""First paint: the window shows the plan read with plain sqlite3, then the ORM takes over with
no visible change (same rows, columns, selection, scroll), or shows what changed meanwhile."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cds_desktop.services import items
from cds_desktop.services.view_rows import LightReader
from cds_desktop.ui.first_view import MENU_TITLES, prefetch

pytestmark = pytest.mark.sqlite_only(reason="the light first-paint path reads a SQLite file with plain sqlite3 (other databases wait for the data layer)")


def _table(view) -> list[list[str]]:
    model = view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    cells = [[str(model.index(r, c).data() or "") for c in range(model.columnCount())]
             for r in range(model.rowCount())]
    return [headers, *cells]


def _tree(window) -> list[str]:
    model, shown = window.tree_model, []

    def walk(parent, depth):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            shown.append("  " * depth + f"{index.data()} | {model.index(row, 1, parent).data()}")
            walk(index, depth + 1)
    from PySide6.QtCore import QModelIndex

    walk(QModelIndex(), 0)
    return shown


def _screen(window) -> dict:
    return {
        "indicators": _table(window.indicator_view), "tasks": _table(window.task_view), "tree": _tree(window),
        "plans": [window.plan_combo.itemText(i) for i in range(window.plan_combo.count())],
        "summary": window.summary_label.text(), "title": window.windowTitle(),
        "tab": window.tabs.currentIndex(), "screen": window.workspace.current_key(),
    }


def _light_window(qtbot, data_dir):
    from cds_desktop.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    reader = LightReader.open(data_dir)
    assert reader is not None and window.show_light(reader)
    window.resize(1366, 768)
    window.workspace.show_screen("plan")
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("use_prefetch", [True, False])
def test_the_orm_takes_over_the_demo_plan_without_a_visible_change(qtbot, demo_db, data_dir, use_prefetch):
    window = _light_window(qtbot, data_dir)
    assert window.db is None and window.indicator_model.rowCount() > 10
    assert [a.text() for a in window.menuBar().actions()] == list(MENU_TITLES)
    window.resize(1000, 460)  # the table scrolls
    window.tabs.setCurrentIndex(1)
    view = window.task_view
    last = view.model().rowCount() - 1
    assert last > 10
    view.selectRow(last)
    view.scrollTo(view.model().index(last, 0))
    qtbot.waitUntil(lambda: view.verticalScrollBar().value() > 0)
    before, scroll = _screen(window), view.verticalScrollBar().value()
    selected = window.current_item_uuid()
    resets = []
    for model in (window.indicator_model, window.task_model, window.tree_model):
        model.modelReset.connect(lambda m=model: resets.append(m))

    plan = window.current_plan()
    window.attach(demo_db, prefetch(demo_db, plan.id, plan.uuid) if use_prefetch else None)

    assert window.db is demo_db and window.light is None
    assert _screen(window) == before
    assert resets == []  # nothing was reset: the views kept their state
    assert view.verticalScrollBar().value() == scroll
    assert window.current_item_uuid() == selected
    assert window.detail.item_uuid == selected  # the row chosen meanwhile is in the detail panel
    assert [a.text() for a in window.menuBar().actions()] == list(MENU_TITLES)


def test_the_orm_takes_over_a_plan_with_parts_a_and_b(qtbot, db, data_dir):
    from support.plans import parts_plan

    parts_plan(db)
    window = _light_window(qtbot, data_dir)
    window.tabs.setCurrentIndex(1)
    before = _screen(window)
    assert [row[0] for row in before["tasks"][1:]] == ["A1", "A2", "B1", "B2"]
    window.attach(db)
    assert _screen(window) == before


def test_a_change_made_meanwhile_shows_after_the_take_over(qtbot, demo_db, data_dir):
    window = _light_window(qtbot, data_dir)
    plan = window.current_plan()
    prefetched = prefetch(demo_db, plan.id, plan.uuid)
    count = window.task_model.rowCount()
    with demo_db.session("test") as s:  # another process adds a task after the first paint
        from cds_desktop.models import Plan

        items.create_item(s, s.get(Plan, plan.id), "task", None, content="Nhiệm vụ mới thêm")
    window.attach(demo_db, prefetch(demo_db, plan.id, plan.uuid))
    assert window.task_model.rowCount() == count + 1
    assert "Nhiệm vụ mới thêm" in [r.content for r in window.task_model.rows]
    assert prefetched.rows["task"] != window.task_model.rows


def test_a_group_chosen_before_the_take_over_stays_chosen(qtbot, demo_db, data_dir):
    window = _light_window(qtbot, data_dir)
    window.select_group("tasks", window.tree_model.roots[1].children[0].label)
    rows = window.task_model.rowCount()
    assert 0 < rows < len(window.light.item_rows(window.current_plan().id, "task"))
    window.attach(demo_db)
    assert window.tabs.currentIndex() == 1 and window.task_model.rowCount() == rows
    assert window.selected_group_node().uuid == window.tree_model.roots[1].children[0].uuid


def test_an_empty_database_waits_for_the_data_layer(qtbot, db, data_dir):
    from cds_desktop.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    reader = LightReader.open(data_dir)
    assert reader is not None and not window.show_light(reader)
    reader.close()
    assert window.loading_label is not None and window.centralWidget() is window.loading_label


def test_with_the_plan_first_the_dashboard_frame_comes_after_the_first_paint(qtbot, demo_db, data_dir):
    from cds_desktop.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    reader = LightReader.open(data_dir)
    assert reader is not None and window.show_light(reader, "plan")
    assert window.workspace.current_key() == "plan" and window.task_model.rowCount() > 10
    assert window.dashboard_frame is None and not window.search_edit.isClearButtonEnabled()  # not painted yet
    window.finish_frame()  # (run_gui: right after the first paint)
    assert window.search_edit.isClearButtonEnabled()
    qtbot.waitUntil(lambda: window.dashboard_frame is not None)  # (in a turn of its own)
    frame = window.dashboard_frame
    window.workspace.show_screen("dashboard")  # the officer opens Tổng quan before the take-over
    assert window.workspace.pages["dashboard"].stack.currentWidget() is frame
    window.finish_frame()  # (twice: nothing more, nothing scheduled)
    assert window.dashboard_frame is frame

    plan = window.current_plan()
    window.attach(demo_db, prefetch(demo_db, plan.id, plan.uuid))
    live = window.workspace.screen("dashboard", create=False)
    assert live is not None and live is not frame
    assert window.workspace.pages["dashboard"].stack.currentWidget() is live


def test_the_take_over_before_the_frame_is_finished_builds_no_frame(qtbot, demo_db, data_dir):
    from cds_desktop.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    reader = LightReader.open(data_dir)
    assert reader is not None and window.show_light(reader, "plan")
    plan = window.current_plan()
    window.attach(demo_db, prefetch(demo_db, plan.id, plan.uuid))
    assert window.search_edit.isClearButtonEnabled()
    window.finish_frame()  # (nothing scheduled: the live screen comes instead)
    assert window.dashboard_frame is None
