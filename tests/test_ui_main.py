"""The main window on the demo plan: tree filter, editing, search, add/move/delete, demo offer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select
from support.windows import open_window

from cds_desktop.models import (
    COORDINATING,
    INDICATOR,
    SECTION_INDICATORS,
    SECTION_TASKS,
    TASK,
    AuditEntry,
    Item,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, demo_db):
    return open_window(qtbot, demo_db, (1400, 850))


def _indicator(window, number: str) -> str:
    model = window.indicator_model
    return next(r.uuid for r in model.rows if r.number == number)


def test_window_shows_demo_plan(window):
    assert window.windowTitle() == "Chuyển đổi số xã Bát Tràng năm 2026"  # Qt adds "— CĐS Desktop"
    assert window.plan_combo.currentText() == (
        "Kế hoạch 139/KH-UBND — Chuyển đổi số xã Bát Tràng năm 2026"
    )
    assert window.summary_label.text() == "27 chỉ tiêu · 12 nhiệm vụ · 15 đơn vị"
    assert "Thư mục dữ liệu" in window.data_label.text()
    assert window.indicator_model.rowCount() == 27
    assert window.task_model.rowCount() == 12
    assert window.search_edit.placeholderText() == "Tìm kiếm (không cần dấu)…"


def test_selecting_pillar_ii_shows_three_indicators(window):
    window.select_group(SECTION_INDICATORS, "II")
    assert window.tabs.currentIndex() == 0
    assert window.indicator_model.rowCount() == 3
    assert window.task_model.rowCount() == 12  # the other appendix is not filtered
    window.select_group(SECTION_TASKS, "IV")
    assert window.tabs.currentIndex() == 1
    assert window.task_model.rowCount() == 3
    window.select_group(SECTION_INDICATORS)
    assert window.indicator_model.rowCount() == 27


def test_edit_content_through_detail_panel(window, demo_db, qtbot):
    uuid = _indicator(window, "11")
    assert window.select_item(uuid)
    panel = window.detail
    assert panel.item_uuid == uuid
    assert panel.target_reading.text() == "Hiểu là: ≥ 95% (đọc từ nội dung)"
    new_text = "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn đạt ≥ 97%"
    panel.editors["content"].setPlainText(new_text)
    assert panel.target_reading.text() == "Hiểu là: ≥ 97% (đọc từ nội dung)"  # live preview before saving
    panel.editors["target_text"].setText("Trên 98%")
    assert panel.target_reading.text() == "Hiểu là: > 98%"
    panel.editors["target_text"].setText("")
    with qtbot.waitSignal(panel.itemEdited):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    with demo_db.session() as s:
        item = s.scalar(select(Item).where(Item.uuid == uuid))
        assert item.content == new_text
        assert item.target_value == 97
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_uuid == uuid, AuditEntry.field == "content")
        ).all()
        assert len(entries) == 1
        assert entries[0].source == "ui" and entries[0].new_value == new_text
    # the table and the history show the change; the selection is kept
    row = window.indicator_model.row_of(uuid)
    assert window.indicator_model.index(row, 1).data() == new_text
    assert window.current_item_uuid() == uuid
    assert any("Nội dung" in r.text for r in panel.history.rows)


def test_deadline_reading_and_service_error(window, qtbot, monkeypatch):
    from cds_desktop.ui.plan import detail_panel

    window.tabs.setCurrentIndex(1)
    window.select_item(window.task_model.rows[1].uuid)
    panel = window.detail
    panel.editors["deadline_text"].setText("Quý II/2026")
    assert panel.deadline_reading.text() == "Hạn: 30/06/2026"
    shown = []
    monkeypatch.setattr(detail_panel, "show_error", lambda exc, parent=None, **kw: shown.append(exc))
    panel.editors["content"].setPlainText("   ")
    assert not panel.save()
    assert shown and "không được để trống" in str(shown[0])
    panel.reload()  # "Bỏ thay đổi"
    assert not panel.has_unsaved_changes()


def test_search_without_diacritics(window, qtbot):
    window.search_edit.setText("vhxh")
    with qtbot.waitSignal(window.searchTextChanged, timeout=2000):
        pass
    indicators = window.indicator_model.rowCount()
    assert 0 < indicators < 27
    assert window.task_model.rowCount() < 12
    window.search_edit.setText("thon")
    window.apply_search()
    assert 0 < window.indicator_model.rowCount() < 27
    assert any("thôn" in r.content for r in window.indicator_model.rows)
    window.search_edit.setText("")
    window.apply_search()
    assert window.indicator_model.rowCount() == 27


def test_add_move_delete_and_undo(window, demo_db):
    window.select_group(SECTION_INDICATORS, "II")
    uuid = window.add_item(INDICATOR, "Tỷ lệ hộ kinh doanh dùng hóa đơn điện tử đạt 60%")
    assert uuid and window.current_item_uuid() == uuid
    assert window.indicator_model.rowCount() == 4
    assert window.indicator_model.rows[-1].uuid == uuid
    assert window.summary_label.text().startswith("28 chỉ tiêu")

    window.move_current(-1)
    assert window.indicator_model.rows[-2].uuid == uuid
    assert window.current_item_uuid() == uuid

    assert window.detail.delete()
    assert window.indicator_model.row_of(uuid) == -1
    assert window.undo_button.isVisibleTo(window)
    window.undo_delete()
    assert window.indicator_model.row_of(uuid) >= 0
    assert window.current_item_uuid() == uuid

    window.detail.delete()
    from cds_desktop.ui.menus import open_deleted_items

    dialog = open_deleted_items(window)
    assert dialog.model.rowCount() == 1
    dialog.view.selectRow(0)
    dialog.restore_selected()
    assert dialog.model.rowCount() == 0
    assert window.indicator_model.row_of(uuid) >= 0
    dialog.close()


def test_add_task_needs_a_task_group(window):
    window.select_group(SECTION_TASKS, "VI")
    uuid = window.add_item(TASK, "Diễn tập an toàn thông tin")
    with window.db.session() as s:
        item = s.scalar(select(Item).where(Item.uuid == uuid))
        assert item.group.label == "VI" and item.kind == TASK


def test_assignment_added_and_removed(window, demo_db):
    from cds_desktop.services import catalog_view

    uuid = _indicator(window, "11")
    window.select_item(uuid)
    with demo_db.session() as s:
        police = next(u for u in catalog_view.unit_rows(s) if u.name == "Công an xã")
    panel = window.detail
    before = panel.assignments.rowCount()
    assert panel.add_assignment(police.uuid, COORDINATING)
    assert panel.assignments.rowCount() == before + 1
    row = panel.assignments.row_of(next(r.uuid for r in panel.assignments.rows if r.unit_uuid == police.uuid))
    assert panel.assignments.index(row, 1).data() == "Phối hợp"
    panel.assignments_view.selectRow(row)
    panel.remove_selected_assignment()
    assert panel.assignments.rowCount() == before


def test_check_database_job(window, qtbot):
    from cds_desktop.ui.menus import check_database

    job = check_database(window)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert job.state == "ok" and job.result["ok"] is True


def test_first_start_shows_one_clear_choice_and_no_question(qtbot, db, monkeypatch):
    """First start: the screen says what to do next (three buttons); no box asks the same on top."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from cds_desktop.ui.common import questions
    from cds_desktop.ui.main_window import MainWindow

    asked = []
    monkeypatch.setattr(questions, "ask", lambda *a, **k: asked.append(a) or False)

    def boxes() -> set:
        return {w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()}
    before = boxes()  # an earlier test of this worker may have left one
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert not win.has_plans()
    assert win.summary_label.text() == "Chưa có kế hoạch"
    assert win.offer_demo() is None  # what run_gui calls on first start
    assert asked == []
    assert boxes() - before == set()
    empty = win.workspace.currentWidget().empty
    assert empty is not None and empty.isVisible()
    assert list(empty.buttons) == ["Nhập kế hoạch…", "Tạo kế hoạch trống…", "Dùng kế hoạch mẫu"]
    with qtbot.waitSignal(win.demoCreated, timeout=60_000):
        qtbot.mouseClick(empty.buttons["Dùng kế hoạch mẫu"], Qt.MouseButton.LeftButton)
    assert win.has_plans()
    assert win.indicator_model.rowCount() == 27
    assert win.offer_demo(auto=True) is None  # a plan exists: nothing more


def test_first_start_with_auto_demo_makes_the_demo_at_once(qtbot, db):
    from cds_desktop.ui.main_window import MainWindow

    win = MainWindow(db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.demoCreated, timeout=60_000):
        assert win.offer_demo(auto=True) is not None
    assert win.has_plans()


def test_close_asks_about_unsaved_changes(window, monkeypatch):
    from cds_desktop.ui.common import questions

    window.select_item(_indicator(window, "1"))
    window.detail.editors["note"].setPlainText("Ghi chú mới")
    answers = [questions.CANCEL, questions.SAVE]
    monkeypatch.setattr(questions, "ask_save", lambda *a, **k: answers.pop(0))
    assert not window.close()
    assert window.isVisible()
    assert window.close()
    with window.db.session() as s:
        assert s.scalar(select(Item).where(Item.uuid == _indicator(window, "1"))).note == "Ghi chú mới"


def test_screenshot_of_main_window(window, tmp_path):
    window.select_group(SECTION_INDICATORS)
    window.select_item(_indicator(window, "11"))
    path = tmp_path / "main_window.png"
    assert window.grab().save(str(path))
    assert path.exists() and path.stat().st_size > 30_000
