"""Defects a new user hit in the window (issue 11), driven with keys and clicks where a person would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import func, select
from support.month import open_month_entry, remember_demo_plan
from support.windows import open_window

from cds_desktop.models import IndicatorValue
from cds_desktop.services.demo_progress import DEMO_TODAY
from cds_desktop.ui.month.models import COLUMN_INDEX

pytestmark = pytest.mark.gui


@pytest.fixture
def progress_db(progress_db):
    return remember_demo_plan(progress_db)


@pytest.fixture
def month(qtbot, progress_db):
    return open_month_entry(qtbot, progress_db)


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


# --------------------------------------------------------------------------
# Item 2: every screen follows the current plan; cached views are dropped


def _second_plan(db) -> str:
    """A small 2025 plan next to the demo plan: one group, one task, assigned."""
    from datetime import date

    from cds_desktop.models import LEAD, Unit
    from cds_desktop.services import assignments, items, plans

    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Thạch Thất", "xã")
        plan = plans.create_plan(s, commune, 2025, title="Kế hoạch thử năm 2025", issue_date=date(2025, 1, 6))
        group = plans.create_group(s, plan, "tasks", "I", "Nhóm thử")
        task = items.create_item(s, plan, "task", group, number="1", local_number="1",
                                 content="Nhiệm vụ riêng của kế hoạch 2025", deadline_text="Năm 2025")
        unit = s.scalar(select(Unit).where(Unit.deleted_at.is_(None)).order_by(Unit.id))
        assignments.assign(s, task, unit, LEAD)
        return plan.uuid


def test_month_entry_shows_the_new_plans_rows_after_switching(qtbot, month, progress_db):
    other = _second_plan(progress_db)
    assert month.model.rowCount() > 10
    with qtbot.waitSignal(month.refreshed, timeout=20_000):
        month.set_plan(other)
    contents = {r.item.content for r in month.model.rows}
    assert contents == {"Nhiệm vụ riêng của kế hoạch 2025"}
    assert "2025" in month.title.text()
    with qtbot.waitSignal(month.refreshed, timeout=20_000):
        month.set_plan(progress_db.demo_plan_uuid)
    assert month.model.rowCount() > 10 and "2026" in month.title.text()


def test_dashboard_drops_the_previous_plans_figures_at_once(qtbot, progress_db):
    from cds_desktop.ui.dashboard.screen import DashboardWidget

    widget = DashboardWidget(progress_db, today=lambda: DEMO_TODAY)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.refreshed, timeout=20_000):
        widget.set_plan(progress_db.demo_plan_uuid)
    assert "2026" in widget.heading.text() and widget.warnings_model.rowCount() > 0
    other = _second_plan(progress_db)
    with qtbot.waitSignal(widget.refreshed, timeout=20_000):
        widget.set_plan(other)
        assert widget.warnings_model.rowCount() == 0 and "2026" not in widget.heading.text()
    assert "Kế hoạch thử năm 2025" in widget.heading.text() or "2025" in widget.heading.text()


def test_reports_preview_is_dropped_when_the_plan_or_a_choice_changes(qtbot, progress_db, tmp_path):
    from PySide6.QtCore import QSettings

    from cds_desktop.reports.preview import backend
    from cds_desktop.ui.reports.screen import ReportsWidget

    w = ReportsWidget(progress_db, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.set_today(DEMO_TODAY)
    w.set_plan(progress_db.demo_plan_uuid)
    w.set_kind("progress")

    def preview():
        with qtbot.waitSignal(w.previewReady, timeout=60_000):
            qtbot.mouseClick(w.preview_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not w.busy, timeout=60_000)
        assert w.print_button.isEnabled() and w.open_button.isEnabled()

    preview()
    assert str(w.preview_pdf) not in w.status_label.text() and "cds-bao-cao" not in w.status_label.text()
    if backend() is not None:
        assert w.pages_layout.count() > 0
    w.period_combo.setCurrentIndex(w.period_combo.findData("2026-Q3"))
    assert not w.print_button.isEnabled() and not w.open_button.isEnabled()
    assert w.pages_layout.count() == 0 and "Xem trước" in w.status_label.text()
    preview()
    w.set_plan(_second_plan(progress_db))
    assert not w.print_button.isEnabled() and not w.open_button.isEnabled()
    assert w.preview_pdf is None and w.pages_layout.count() == 0
    assert "2025" in w.plan_label.text()


# --------------------------------------------------------------------------
# Helpers: answer the dialogs a person would answer


def paste(qtbot, widget, text: str) -> None:
    """Vietnamese text goes in through the clipboard, as keyClicks types ASCII only."""
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText(text)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def trigger(window, text: str) -> None:
    from PySide6.QtGui import QAction

    action = next(a for a in window.findChildren(QAction) if a.text().replace("&", "") == text)
    assert action.isEnabled()
    action.trigger()


@pytest.fixture
def window(qtbot, demo_db):
    return open_window(qtbot, demo_db, screen="plan")


# --------------------------------------------------------------------------
# Item 3: a new task with an indicator group selected goes into a task group


def test_new_task_with_an_indicator_group_selected_asks_for_its_task_group(qtbot, window, demo_db, monkeypatch):
    from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

    from cds_desktop.models import SECTION_INDICATORS, TASK, Item

    # Under load the plan tree may still be filling: select the group once it is there, and
    # make sure it is the selection before the action runs.
    qtbot.waitUntil(lambda: window.tree_model.find(SECTION_INDICATORS, "II").isValid(), timeout=30_000)
    window.select_group(SECTION_INDICATORS, "II")
    qtbot.waitUntil(lambda: (node := window.selected_group_node()) is not None and node.section == SECTION_INDICATORS
                    and not node.is_section, timeout=30_000)

    def no_modal(self, *_a, **_k):  # any other modal dialog fails the test at once instead of waiting forever
        raise AssertionError(f"unexpected modal dialog: {self.windowTitle()!r} {getattr(self, 'text', str)()!r}")

    monkeypatch.setattr(QDialog, "exec", no_modal)
    monkeypatch.setattr(QMessageBox, "exec", no_modal)
    offered: list[list[str]] = []

    def get_item(_parent, _title, label, names, _current=0, _editable=True, *a, **k):
        offered.append(list(names))
        assert "nhóm" in label
        return next(n for n in names if n.startswith("IV")), True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        staticmethod(lambda *a, **k: ("Diễn tập an toàn thông tin", True)))
    trigger(window, "Thêm nhiệm vụ")
    assert offered and [n.split(".")[0] for n in offered[0]][:5] == ["I", "II", "III", "IV", "V"]
    with demo_db.session() as s:
        item = s.scalar(select(Item).where(Item.content == "Diễn tập an toàn thông tin"))
        assert item is not None and item.kind == TASK
        assert item.group is not None and item.group.label == "IV"
    assert window.tabs.currentIndex() == 1 and window.current_item_uuid() == item.uuid


# --------------------------------------------------------------------------
# Item 9: assignments show in the Kế hoạch table at once; item 13: the unit picker


def _new_indicator_in_group_ii(window) -> str:
    from cds_desktop.models import INDICATOR, SECTION_INDICATORS

    window.select_group(SECTION_INDICATORS, "II")
    return window.add_item(INDICATOR, "Tỷ lệ hộ kinh doanh dùng hóa đơn điện tử đạt 60%")


def _lead_cell(window, uuid: str) -> str:
    model = window.indicator_model
    column = next(i for i, c in enumerate(model.columns) if c.key == "lead_text")
    return model.index(model.row_of(uuid), column).data()


def test_an_assignment_shows_in_the_plan_table_at_once(qtbot, window, monkeypatch):
    from cds_desktop.ui.common.pickers import UnitPickerDialog

    uuid = _new_indicator_in_group_ii(window)
    assert window.current_item_uuid() == uuid and _lead_cell(window, uuid) == ""

    def run_picker(dialog):  # the modal loop, as the officer types in it
        dialog.show()
        qtbot.keyClicks(dialog.search_edit, "cong an")  # one match: Công an xã
        qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(UnitPickerDialog, "exec", run_picker)
    qtbot.mouseClick(window.detail.add_lead_button, Qt.MouseButton.LeftButton)
    assert _lead_cell(window, uuid) == "Công an xã"


def test_unit_picker_says_why_choosing_does_nothing(qtbot, window):
    from PySide6.QtWidgets import QDialogButtonBox

    from cds_desktop.ui.common.pickers import UnitPickerDialog

    dialog = UnitPickerDialog(window.db, "lead", window)
    qtbot.addWidget(dialog)
    dialog.show()
    choose = next(b for b in dialog.findChildren(QDialogButtonBox)[0].buttons() if b.text() == "Chọn")
    qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "hãy bấm chọn một dòng" in dialog.message.text()
    qtbot.keyClicks(dialog.search_edit, "zzzz")
    qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Không có đơn vị nào" in dialog.message.text()
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, "tram y")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Accepted
    assert dialog.selected_uuid


# --------------------------------------------------------------------------
# Item 13: smaller points of the window


def test_deleting_shows_one_status_widget_and_the_title_does_not_repeat_the_app_name(qtbot, window):
    uuid = _new_indicator_in_group_ii(window)
    assert window.detail.delete()
    assert window.indicator_model.row_of(uuid) == -1
    assert window.statusBar().currentMessage() == ""  # nothing drawn over the undo button
    assert window.undo_button.isVisibleTo(window) and "Đã xóa mục" in window.undo_button.text()
    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert window.indicator_model.row_of(uuid) >= 0
    assert "CĐS Desktop" not in window.windowTitle()
    assert window.plan_combo.currentText().count("2026") == 1


def test_import_dialog_year_starts_at_this_year_not_2000(qtbot, db):
    from datetime import date

    from cds_desktop.ui.plan.import_preview import ImportPreviewDialog

    dialog = ImportPreviewDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.year_spin.value() == date.today().year


def _show_period(qtbot, month, code: str) -> None:
    combo = month.combos["period_code"]
    with qtbot.waitSignal(month.refreshed, timeout=20_000):
        combo.setCurrentIndex(combo.findData(code))


def test_a_locked_period_looks_locked_and_says_so_when_typed_in(qtbot, month):
    from cds_desktop.ui.month.models import LOCKED_BG, MISSING_BG

    _show_period(qtbot, month, "2026-05")  # locked by the demo
    assert month.view_data.locked
    index = month.model.index(0, COLUMN_INDEX["figure"])
    brush = index.data(Qt.ItemDataRole.BackgroundRole)
    assert brush is not None and brush.color() == LOCKED_BG and brush.color() != MISSING_BG
    month.table.setCurrentIndex(index)
    month.table.setFocus()
    qtbot.keyClicks(month.table, "5")
    assert "đã khóa" in month.message.text() and "Mở khóa" in month.message.text()


def test_unlocking_without_a_reason_is_told_inline_not_in_the_error_dialog(qtbot, month, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from cds_desktop.ui.common import errors

    shown = []
    monkeypatch.setattr(errors, "show_error", lambda *a, **k: shown.append(a))
    monkeypatch.setattr("cds_desktop.ui.month.entry.show_error", lambda *a, **k: shown.append(a))
    _show_period(qtbot, month, "2026-05")
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("   ", True))
    qtbot.mouseClick(month.lock_button, Qt.MouseButton.LeftButton)
    assert shown == [] and "lý do" in month.message.text()
    assert month.view_data.locked


def test_lock_confirmation_says_how_many_reports_are_missing(qtbot, month, monkeypatch):
    from cds_desktop.ui.common import questions

    asked = []
    monkeypatch.setattr(questions, "ask", lambda *a, **k: asked.append((a, k)) or False)
    qtbot.mouseClick(month.lock_button, Qt.MouseButton.LeftButton)  # September: 36 of 44 received
    assert asked and "Còn 8/44 báo cáo chưa nhận" in asked[0][1]["informative"]
    assert asked[0][1]["yes"] == "Khóa kỳ" and asked[0][1]["default_yes"] is False
    assert not month.view_data.locked


def test_questions_have_vietnamese_buttons(qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

    from cds_desktop.ui.common import questions

    questions.install_vietnamese()
    texts = []

    def read_and_close():
        box = QApplication.activeModalWidget()
        texts.append(sorted(b.text().replace("&", "") for b in box.buttons()))
        box.reject()

    QTimer.singleShot(50, read_and_close)
    assert questions.ask(None, "Xóa", "Xóa mục này?") is False
    assert texts == [["Có", "Không"]]
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Yes
                      | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel)
    assert sorted(b.text().replace("&", "") for b in box.buttons()) == ["Có", "Hủy", "Không"]
    dialog = QInputDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    from PySide6.QtWidgets import QDialogButtonBox

    assert sorted(b.text() for b in dialog.findChild(QDialogButtonBox).buttons()) == ["Hủy", "Đồng ý"]


def test_the_vietnamese_translator_leaves_other_qt_texts_alone(qapp):
    """It answered "" for every text it does not know, which Qt takes as a translation: every
    other Qt text became empty (and a PDF printed after it had 0 × 0 pages)."""
    from PySide6.QtCore import QCoreApplication

    from cds_desktop.ui.common.questions import install_vietnamese

    install_vietnamese()
    assert QCoreApplication.translate("QDialogButtonBox", "Cancel") == "Hủy"
    assert QCoreApplication.translate("QPageSize", "A4") == "A4"
    assert QCoreApplication.translate("QPrintDialog", "Landscape") == "Landscape"


def test_a_long_plan_title_does_not_widen_the_window_past_a_laptop_screen(qtbot, db):
    """A ward's title of 130 characters ("Thực hiện chuyển đổi số, phát triển kinh tế số và xã hội số trên
    địa bàn phường …") made the dashboard's heading 1,471 px wide and the window 1,804 px on a 1366×768 screen."""
    from cds_desktop.services import structure

    title = ("Thực hiện chuyển đổi số, phát triển kinh tế số và xã hội số gắn với bảo đảm an toàn thông tin "
             "trên địa bàn phường Tây Hồ năm 2026")
    with db.session() as s:
        uuid = structure.create_blank_plan(s, "Tây Hồ", 2026, "phường", with_pillars=True, title=title,
                                           number="245/KH-UBND").uuid
    window = open_window(qtbot, db, screen="dashboard")
    window.select_plan(uuid)
    dashboard = window.workspace.show_screen("dashboard")
    qtbot.waitUntil(lambda: "Tây Hồ" in dashboard.heading.text(), timeout=20_000)
    assert window.minimumSizeHint().width() <= 1366 and window.width() <= 1366
