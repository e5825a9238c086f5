"""After data comes in from outside (a received package, an imported plan), the main window reads
its plans and rows again in a background job, not on the GUI thread (issue 11: no stall)."""

from __future__ import annotations

import threading

import pytest
from support.windows import open_window

from cds_desktop.services import items, plan_actions, plan_view, plans
from cds_desktop.ui.common.jobs import running_jobs

pytestmark = pytest.mark.gui


@pytest.fixture
def reads(monkeypatch):
    """The threads the plan editor's reads ran on, from now on."""
    seen: list[tuple[str, threading.Thread]] = []
    for module, name in ((plan_actions, "load_item_rows"), (plan_actions, "load_group_tree"),
                         (plan_view, "load_plan_choices"), (plan_view, "plan_summary")):
        original = getattr(module, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            seen.append((_name, threading.current_thread()))
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return seen


def _another_plan(db) -> str:
    """A second, small plan (as a received package or an imported document brings one)."""
    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Nơi Khác", "xã")
        plan = plans.create_plan(s, commune, 2026, title="Kế hoạch CĐS xã Nơi Khác", number="7/KH-UBND")
        group = plans.create_group(s, plan, "indicators", "I", "Chính quyền số")
        for number in ("1", "2", "3"):
            items.create_item(s, plan, "indicator", group, number=number, content=f"Chỉ tiêu {number}")
        return plan.uuid


def _settled(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not running_jobs(), timeout=10_000)


def test_received_data_is_read_off_the_gui_thread(qtbot, demo_db, reads):
    window = open_window(qtbot, demo_db)
    _settled(qtbot, window)
    demo_uuid = window.current_plan().uuid
    window.select_item(window.indicator_model.rows[2].uuid)
    chosen = window.current_item_uuid()
    new_uuid = _another_plan(demo_db)  # records that came in from another machine
    reads.clear()
    exchange = window.workspace.show_screen("exchange")
    exchange.import_page.imported.emit()  # what a package or workbook import emits when it is done
    _settled(qtbot, window)
    assert {name for name, _t in reads} == {"load_item_rows", "load_group_tree", "load_plan_choices", "plan_summary"}
    assert all(thread is not threading.main_thread() for _name, thread in reads)
    assert new_uuid in [p.uuid for p in window.plans]  # the list of plans has the received plan
    assert window.current_plan().uuid == demo_uuid  # the plan on screen stays, and its selected row
    assert window.current_item_uuid() == chosen
    assert window.indicator_model.rowCount() == 27
    assert window.summary_label.text() == "27 chỉ tiêu · 12 nhiệm vụ · 15 đơn vị"


def test_imported_plan_is_read_off_the_gui_thread(qtbot, demo_db, reads):
    from cds_desktop.ui import menus

    window = open_window(qtbot, demo_db)
    _settled(qtbot, window)
    new_uuid = _another_plan(demo_db)
    dialog = menus._import_dialog(window)
    reads.clear()
    dialog.imported.emit({"plan": {"uuid": new_uuid}})  # «Nhập» done: the new plan is shown
    dialog.close()
    _settled(qtbot, window)
    assert reads and all(thread is not threading.main_thread() for _name, thread in reads)
    assert window.current_plan().uuid == new_uuid
    assert window.tree_model.plan_id == window.current_plan().id
    assert window.indicator_model.rowCount() == 3
    assert "3 chỉ tiêu" in window.summary_label.text()


def test_a_search_typed_during_the_reload_is_kept(qtbot, demo_db, reads):
    window = open_window(qtbot, demo_db)
    _settled(qtbot, window)
    window.reload_plans_later()
    window.search_edit.setText("dịch vụ công")
    window.apply_search()
    _settled(qtbot, window)
    expected = plan_actions.load_item_rows(demo_db, window.current_plan().id, "indicator", None, "dịch vụ công")
    assert 0 < len(expected) < 27
    assert window.indicator_model.rows == expected
