"""The plan's structure in the window: blank plan, plan header, groups through the tree's
context menu, items moved by menu and by drag, Ctrl+Z / Ctrl+Y."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from sqlalchemy import select
from support.windows import open_window

from cds_desktop.models import Group, Item, Plan

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, demo_db):
    return open_window(qtbot, demo_db, screen="plan")


def menu_action(window, menu_title: str, text: str):
    for top in window.menuBar().actions():
        if top.text().replace("&", "") == menu_title:
            for action in top.menu().actions():
                if action.text() == text:
                    return action
    raise AssertionError(f"{menu_title} → {text} not found")


def popup_action(menu, text: str):
    for action in menu.actions():
        if action.text() == text:
            return action
        if action.menu() is not None:
            try:
                return popup_action(action.menu(), text)
            except AssertionError:
                pass
    raise AssertionError(f"{text} not in the menu")


def choose(window, text: str) -> None:
    """Pick *text* in the context menu on screen (closing it, as a click does)."""
    menu = window.context_menu
    assert menu is not None and menu.isVisible()
    action = popup_action(menu, text)
    menu.close()
    action.trigger()


def paste(qtbot, widget, text: str) -> None:
    """Type Vietnamese text as a person does on an offscreen display: clipboard, then Ctrl+V."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QApplication.clipboard().setText(text)
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def click_button(qtbot, parent, text: str) -> None:
    button = next(b for b in parent.findChildren(QPushButton) if b.text() == text and b.isVisible())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer_boxes(monkeypatch, text: str) -> list[str]:
    """Message boxes are answered by clicking *text* (their modal loop replaced: no timers, no hang);
    returns the questions asked."""
    asked: list[str] = []

    def run(box) -> int:
        box.show()
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == text).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", run)
    return asked


def activate(qtbot, window) -> None:
    """Wait until the window is the active one again (after a modal box or a progress dialog),
    as keyboard shortcuts only reach the active window."""
    from cds_desktop.ui.common.jobs import running_jobs

    def active() -> bool:
        # A job still running may put up its modal progress box after we looked: wait for
        # the jobs first, then for the window to have the keyboard.
        if running_jobs() or QApplication.activeModalWidget() is not None:
            return False
        window.activateWindow()
        return window.isActiveWindow()
    qtbot.waitUntil(active, timeout=30_000)


def tree_rows(window, section_row: int) -> list[str]:
    model = window.tree_model
    root = model.index(section_row, 0)
    return [model.index(r, 0, root).data() for r in range(model.rowCount(root))]


def test_blank_plan_from_the_file_menu_and_undo(qtbot, window):
    plans_before = window.plan_combo.count()
    menu_action(window, "Tệp", "Tạo kế hoạch trống…").trigger()
    from cds_desktop.ui.plan.structure_dialogs import BlankPlanDialog

    dialog = window.findChild(BlankPlanDialog)
    assert dialog.commune_edit.text() == "Bát Tràng"  # the commune of the current plan
    paste(qtbot, dialog.commune_edit, "Phù Đổng")
    qtbot.keyClick(dialog.year_spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.year_spin, "2027")
    click_button(qtbot, dialog, "Tạo kế hoạch")
    assert not dialog.isVisible()
    assert window.plan_combo.count() == plans_before + 1
    assert "Chuyển đổi số xã Phù Đổng năm 2027" in window.plan_combo.currentText()
    assert tree_rows(window, 0) == ["I. Chính quyền số", "II. Kinh tế số", "III. Xã hội số"]
    assert window.indicator_model.rowCount() == 0
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.plan_combo.count() == plans_before
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.plan_combo.count() == plans_before + 1


def test_plan_header_dialog_checks_the_date_and_saves(qtbot, window, demo_db):
    menu_action(window, "Kế hoạch", "Thông tin kế hoạch (số, ngày, người ký, trích yếu)…").trigger()
    from cds_desktop.ui.plan.structure_dialogs import PlanHeaderDialog

    dialog = window.findChild(PlanHeaderDialog)
    assert dialog.number_edit.text() == "139/KH-UBND" and dialog.date_edit.text() == "03/04/2026"
    qtbot.keyClick(dialog.number_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.number_edit, "200/KH-UBND")
    qtbot.keyClick(dialog.date_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.date_edit, "31/02/2026")
    paste(qtbot, dialog.signer_edit, "Nguyễn Văn Hùng")
    click_button(qtbot, dialog, "Lưu")
    assert dialog.isVisible() and "31/02/2026" in dialog.error_label.text()
    with demo_db.session("test") as s:
        assert s.scalar(select(Plan)).number == "139/KH-UBND"  # nothing saved
    qtbot.keyClick(dialog.date_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.date_edit, "02/05/2026")
    assert dialog.tracking_edit.text() == ""  # tracked from the issue date
    qtbot.keyClicks(dialog.tracking_edit, "1/11/26")
    click_button(qtbot, dialog, "Lưu")
    assert dialog.isVisible() and "bắt đầu theo dõi «1/11/26»" in dialog.error_label.text()
    qtbot.keyClick(dialog.tracking_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.tracking_edit, "1/11/2026")
    click_button(qtbot, dialog, "Lưu")
    assert not dialog.isVisible()
    assert "200/KH-UBND" in window.plan_combo.currentText()
    with demo_db.session("test") as s:
        plan = s.scalar(select(Plan))
        assert (plan.number, plan.signer, plan.issue_date.isoformat()) == ("200/KH-UBND", "Nguyễn Văn Hùng",
                                                                          "2026-05-02")
        assert plan.tracking_start.isoformat() == "2026-11-01"
    assert menu_action(window, "Sửa", "Hoàn tác Sửa thông tin kế hoạch").isEnabled()
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "139/KH-UBND" in window.plan_combo.currentText()


def test_groups_through_the_tree_context_menu(qtbot, window, demo_db, monkeypatch):
    from cds_desktop.ui.plan.structure_dialogs import GroupDialog

    tree = window.tree_view
    before = tree_rows(window, 1)
    section = window.tree_model.index(1, 0)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(section).center())
    tree.customContextMenuRequested.emit(tree.visualRect(section).center())
    choose(window, "Thêm nhóm…")
    dialog = window.findChildren(GroupDialog)[-1]
    label = dialog.label_edit.text()
    assert label and label not in [row.split(".")[0] for row in before]
    click_button(qtbot, dialog, "Lưu")
    assert dialog.isVisible() and dialog.error_label.text() == "Hãy ghi tên nhóm."
    paste(qtbot, dialog.name_edit, "Hạ tầng số")
    click_button(qtbot, dialog, "Lưu")
    assert tree_rows(window, 1) == [*before, f"{label}. Hạ tầng số"]
    assert window.selected_group_node().title == "Hạ tầng số"
    # A subgroup, then rename it with F2.
    rect = tree.visualRect(window.tree_model.find_uuid(window.selected_group_node().uuid))
    tree.customContextMenuRequested.emit(rect.center())
    choose(window, "Thêm nhóm con…")
    dialog = window.findChildren(GroupDialog)[-1]
    assert dialog.label_edit.text() == f"{label}.1"
    paste(qtbot, dialog.name_edit, "Mạng 5G")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert window.selected_group_node().display == f"{label}.1. Mạng 5G"
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    dialog = window.findChildren(GroupDialog)[-1]
    paste(qtbot, dialog.name_edit, "Mạng di động 5G")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert window.selected_group_node().display == f"{label}.1. Mạng di động 5G"
    # Up one place (the top-level group), then delete it with its subgroup, then undo.
    with demo_db.session("test") as s:
        top_uuid = s.scalar(select(Group.uuid).where(Group.title == "Hạ tầng số"))
    window.select_group_uuid(top_uuid)
    tree.customContextMenuRequested.emit(tree.visualRect(window.tree_model.find_uuid(top_uuid)).center())
    choose(window, "Chuyển nhóm lên")
    assert tree_rows(window, 1)[-2] == f"{label}. Hạ tầng số"
    asked = answer_boxes(monkeypatch, "Xóa nhóm")
    tree.customContextMenuRequested.emit(tree.visualRect(window.tree_model.find_uuid(top_uuid)).center())
    choose(window, "Xóa nhóm…")
    assert asked and "1 nhóm con" in asked[0]
    assert tree_rows(window, 1) == before
    activate(qtbot, window)  # the message box has closed
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert f"{label}. Hạ tầng số" in tree_rows(window, 1)
    with demo_db.session("test") as s:
        sub = s.scalar(select(Group).where(Group.title == "Mạng di động 5G"))
        assert sub.deleted_at is None


def test_items_move_to_another_group_by_menu_and_by_drag(qtbot, window, demo_db):
    window.tabs.setCurrentIndex(1)
    view = window.task_view
    model = window.task_model
    with demo_db.session("test") as s:
        groups = list(s.scalars(select(Group).where(Group.section == "tasks", Group.deleted_at.is_(None))
                                .order_by(Group.position)))
        first, second = groups[0], groups[1]
        first_title, second_uuid, second_id = first.display, second.uuid, second.id
    row = model.row_of(model.rows[0].uuid)
    uuid = model.rows[0].uuid
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(row, 1)).center())
    assert window.selected_item_uuids() == [uuid]
    view.customContextMenuRequested.emit(view.visualRect(model.index(row, 1)).center())
    choose(window, second.display)
    with demo_db.session("test") as s:
        assert s.scalar(select(Item).where(Item.uuid == uuid)).group_id == second_id
    assert window.current_item_uuid() == uuid
    activate(qtbot, window)  # the shortcut reaches only the active window (under load a progress box may be up)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with demo_db.session("test") as s:
        assert s.scalar(select(Item).where(Item.uuid == uuid)).group.display == first_title
    # By drag: the table's drag data dropped onto a group of the tree.
    data: QMimeData = model.mimeData([model.index(row, 0), model.index(row, 1)])
    target = window.tree_model.find_uuid(second_uuid)
    indicators_group = window.tree_model.index(0, 0, window.tree_model.index(0, 0))
    assert not window.tree_model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, indicators_group)
    assert window.tree_model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)
    window.tree_model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)
    qtbot.waitUntil(lambda: window.tree_model.find_uuid(second_uuid).isValid() and _group_of(demo_db, uuid)
                    == second_id)


def test_item_edits_and_deletes_are_undone_with_ctrl_z(qtbot, window, demo_db):
    model = window.indicator_model
    uuid = model.rows[2].uuid
    window.select_item(uuid)
    editor = window.detail.editors["note"]
    paste(qtbot, editor, "Ghi chú mới")
    click_button(qtbot, window.detail, "Lưu")
    with demo_db.session("test") as s:
        assert s.scalar(select(Item.note).where(Item.uuid == uuid)) == "Ghi chú mới"
    activate(qtbot, window)
    window.indicator_view.setFocus()
    qtbot.keyClick(window.indicator_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with demo_db.session("test") as s:
        assert s.scalar(select(Item.note).where(Item.uuid == uuid)) == ""
    assert window.detail.editors["note"].toPlainText() == ""  # the panel shows it at once
    activate(qtbot, window)
    qtbot.keyClick(window.indicator_view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    with demo_db.session("test") as s:
        assert s.scalar(select(Item.note).where(Item.uuid == uuid)) == "Ghi chú mới"
    # A delete, undone the same way.
    rows = model.rowCount()
    window.detail.delete()
    assert model.rowCount() == rows - 1
    activate(qtbot, window)
    qtbot.keyClick(window.indicator_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.rowCount() == rows and model.row_of(uuid) >= 0


def test_a_group_dragged_onto_another_becomes_its_subgroup(qtbot, window):
    model = window.tree_model
    tasks = model.index(1, 0)
    last = model.index(model.rowCount(tasks) - 1, 0, tasks)
    first = model.index(0, 0, tasks)
    moving, title = model.node(last).uuid, model.node(last).display
    data = model.mimeData([last])
    indicators = model.index(0, 0)
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, indicators)  # other appendix
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, first)
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, first)
    qtbot.waitUntil(lambda: title in [model.index(r, 0, model.index(0, 0, model.index(1, 0))).data()
                                      for r in range(model.rowCount(model.index(0, 0, model.index(1, 0))))])
    # Now a subgroup: a group with a subgroup cannot go under another group (two levels at most).
    parent = model.index(0, 0, model.index(1, 0))
    second = model.index(1, 0, model.index(1, 0))
    assert not model.canDropMimeData(model.mimeData([parent]), Qt.DropAction.MoveAction, -1, 0, second)
    # Dropped back at the top level, at the end.
    child = model.find_uuid(moving)
    model.dropMimeData(model.mimeData([child]), Qt.DropAction.MoveAction, -1, 0, model.index(1, 0))
    qtbot.waitUntil(lambda: tree_rows(window, 1)[-1] == title)


def _group_of(db, uuid):
    with db.session("test") as s:
        return s.scalar(select(Item.group_id).where(Item.uuid == uuid))


def test_models_pass_the_model_tester(qtmodeltester, window):
    from cds_desktop.services.item_filters import ItemFilter

    qtmodeltester.check(window.tree_model)
    qtmodeltester.check(window.task_model)
    window.task_model.item_filter = ItemFilter(due_to=date(2026, 6, 30))
    window.task_model.reload()
    qtmodeltester.check(window.task_model)


@pytest.fixture(autouse=True)
def _no_error_dialog():
    yield
    from cds_desktop.ui.common import errors

    assert [d.message for d in errors.open_error_dialogs()] == []


def test_from_an_empty_start_to_a_plan_with_groups_and_items(qtbot, db, monkeypatch):
    """Empty data folder → Tạo kế hoạch trống → a task group → a task in it, by clicks and keys."""
    from PySide6.QtWidgets import QInputDialog

    from cds_desktop.ui.common.empty_state import EmptyState
    from cds_desktop.ui.plan.structure_dialogs import BlankPlanDialog, GroupDialog

    win = open_window(qtbot, db)
    empty = win.workspace.currentWidget().stack.currentWidget()
    assert isinstance(empty, EmptyState)
    qtbot.mouseClick(empty.buttons["Tạo kế hoạch trống…"], Qt.MouseButton.LeftButton)
    dialog = win.findChild(BlankPlanDialog)
    paste(qtbot, dialog.commune_edit, "Phù Đổng")
    click_button(qtbot, dialog, "Tạo kế hoạch")
    assert win.workspace.current_key() == "plan"
    assert "Phù Đổng" in win.plan_combo.currentText()
    assert tree_rows(win, 0) == ["I. Chính quyền số", "II. Kinh tế số", "III. Xã hội số"]
    # A task group, from the tree's context menu on "Phụ lục 02 — Nhiệm vụ".
    tree = win.tree_view
    section = win.tree_model.index(1, 0)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(section).center())
    tree.customContextMenuRequested.emit(tree.visualRect(section).center())
    choose(win, "Thêm nhóm…")
    group_dialog = win.findChildren(GroupDialog)[-1]
    assert group_dialog.label_edit.text() == "I"
    paste(qtbot, group_dialog.name_edit, "Hạ tầng số")
    qtbot.keyClick(group_dialog.name_edit, Qt.Key.Key_Return)
    assert tree_rows(win, 1) == ["I. Hạ tầng số"]
    # A task in it ("Thêm nhiệm vụ" on the toolbar with the group selected; the content typed in the box).
    asked: list[str] = []

    def type_content(_parent, _title, label, *_args, **_kwargs):
        asked.append(label)
        return "Lắp đặt wifi miễn phí tại nhà văn hóa các thôn", True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(type_content))
    activate(qtbot, win)  # once the figures of the new plan are computed (a progress box may show)
    from PySide6.QtWidgets import QToolBar

    button = win.findChild(QToolBar, "mainToolbar").widgetForAction(win.add_task_action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked == ["Nội dung của nhiệm vụ mới:"]
    assert win.task_model.rowCount() == 1
    assert win.tree_model.index(0, 1, win.tree_model.index(1, 0)).data() == "1"  # counted in the group
    with db.session("test") as s:
        item = s.scalar(select(Item).where(Item.content.like("Lắp đặt wifi%")))
        assert item.group is not None and item.group.title == "Hạ tầng số"
