"""Tracking UI: every Qt model passes qtmodeltester; the dashboard's figures lead to their items;
month entry is driven from the keyboard and writes to the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from sqlalchemy import select
from support.month import open_month_entry, remember_demo_plan

from cds_desktop.models import AuditEntry, Item, Plan, TaskProgress
from cds_desktop.services.demo_progress import DEMO_TODAY
from cds_desktop.services.tracking.dashboard import build_dashboard
from cds_desktop.services.tracking.month_screen import month_view
from cds_desktop.ui.dashboard.screen import DashboardWidget
from cds_desktop.ui.month.models import (
    COLUMN_INDEX,
    ITEMS_ROLE,
    CompletenessModel,
    ItemLine,
    ItemListModel,
    MissingUnitsModel,
    MonthEntryModel,
    UpcomingModel,
    WarningsModel,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def progress_db(progress_db):
    return remember_demo_plan(progress_db)


@pytest.fixture
def dashboard_data(progress_db):
    with progress_db.session("test") as s:
        return build_dashboard(s, s.scalar(select(Plan)), DEMO_TODAY)


def test_read_only_models_pass_qtmodeltester(qtmodeltester, dashboard_data):
    report = dashboard_data.report
    warnings = WarningsModel()
    warnings.set_rows(report.warnings)
    missing = MissingUnitsModel()
    missing.set_rows(dashboard_data.missing_units)
    upcoming = UpcomingModel()
    upcoming.set_rows(dashboard_data.upcoming)
    items = ItemListModel()
    items.set_rows([ItemLine(t.info.uuid, "task", t.info.ref, t.info.content, t.label, "") for t in report.tasks])
    matrix = CompletenessModel()
    matrix.set_matrix(report.completeness, DEMO_TODAY)
    for model in (warnings, missing, upcoming, items, matrix):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    assert matrix.headers == ("Đơn vị", "T4", "T5", "T6", "T7", "T8", "T9", "Tỷ lệ")
    assert warnings.index(0, 0).data() == "Quá hạn"
    assert warnings.index(0, 0).data(ITEMS_ROLE) == [report.warnings[0].item_uuid]
    yt = next(r for r in range(matrix.rowCount()) if matrix.index(r, 0).data() == "Trạm Y tế")
    assert [matrix.index(yt, c).data() for c in range(1, 8)] == ["✓", "✓", "✓", "✓", "✗", "✗", "67%"]


def test_month_entry_model_passes_qtmodeltester(qtmodeltester, progress_db):
    with progress_db.session("test") as s:
        view = month_view(s, s.scalar(select(Plan)), "2026-09")
    model = MonthEntryModel(saver=None)
    model.set_rows(view.rows)
    qtmodeltester.check(model)
    task_row = next(i for i, r in enumerate(model.rows) if r.kind == "task")
    assert model.flags(model.index(task_row, COLUMN_INDEX["figure"])) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(task_row, COLUMN_INDEX["data_source"])) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(task_row, COLUMN_INDEX["content"])) & Qt.ItemFlag.ItemIsEditable
    model.set_rows(view.rows, locked=True)
    assert not model.flags(model.index(task_row, COLUMN_INDEX["figure"])) & Qt.ItemFlag.ItemIsEditable


# --------------------------------------------------------------------------
# Dashboard


@pytest.fixture
def dashboard(qtbot, progress_db):
    widget = DashboardWidget(progress_db, today=lambda: DEMO_TODAY)
    qtbot.addWidget(widget)
    widget.resize(1400, 850)
    widget.show()
    with qtbot.waitSignal(widget.refreshed, timeout=20_000):
        widget.set_plan(progress_db.demo_plan_uuid)
    return widget


def test_dashboard_shows_figures_charts_and_warnings(dashboard):
    tiles = {t.tile.key: t for t in dashboard.tiles if t.tile is not None}
    assert tiles["tasks"].value.text() == "12"
    assert tiles["indicators"].value.text() == "13/27"
    assert tiles["late"].value.text() == "3"
    assert "18/09/2026" in dashboard.subtitle.text()
    assert [r.label for r in dashboard.indicator_chart.rows] == ["I. Chính quyền số", "II. Kinh tế số",
                                                                 "III. Xã hội số"]
    assert len(dashboard.task_chart.rows) == 7
    assert dashboard.warnings_model.rowCount() == 15
    assert dashboard.missing_model.rowCount() == 4
    assert dashboard.kind_combo.count() == 6  # "all" and the five kinds
    dashboard.kind_combo.setCurrentIndex(dashboard.kind_combo.findData("overdue"))
    assert dashboard.warnings_model.rowCount() == 2


def test_clicking_figures_shows_the_items_behind_them(qtbot, dashboard):
    tile = next(t for t in dashboard.tiles if t.tile is not None and t.tile.key == "indicators")
    with qtbot.waitSignal(dashboard.listRequested) as blocker:
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert len(blocker.args[1]) == 13
    assert dashboard.items_model.rowCount() == 13
    assert {dashboard.items_model.index(r, 3).data() for r in range(13)} == {"Đạt"}
    # A bar segment, clicked with the mouse where it is drawn.
    chart = dashboard.indicator_chart
    chart.repaint()
    rect, caption, uuids, _tip = next(h for h in chart._hits if h[1].startswith("II. Kinh tế số — Chưa đạt"))
    with qtbot.waitSignal(dashboard.listRequested) as blocker:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(blocker.args[1]) == 3 and blocker.args[1] == uuids
    assert "II. Kinh tế số — Chưa đạt: 3" in dashboard.items_box.title_label.text()
    assert chart.hit(QPoint(2, 2)) is None
    # A row of the warnings table.
    first = dashboard.warnings_model.index(0, 3)
    with qtbot.waitSignal(dashboard.listRequested) as blocker:
        dashboard.warnings_view.clicked.emit(first)
    assert blocker.args[1] == [dashboard.warnings_model.rows[0].item_uuid]
    assert dashboard.items_model.index(0, 1).data() == "II.2"


def test_dashboard_period_choice_recomputes(qtbot, dashboard):
    combo = dashboard.period_combo
    with qtbot.waitSignal(dashboard.refreshed, timeout=20_000):
        combo.setCurrentIndex(combo.findData("2026-06"))
    assert dashboard.dashboard.report.period.code == "2026-06"
    assert "tháng 6/2026" in dashboard.subtitle.text()


def test_dashboard_refreshes_when_shown_again(qtbot, dashboard, progress_db):
    from cds_desktop.services.tracking.entry import set_at_risk

    with progress_db.session("test") as s:  # meanwhile, on another screen, the officer flags an item
        item = s.scalar(select(Item).where(Item.kind == "task", Item.local_number == "1",
                                           Item.deadline_text == "Thường xuyên"))
        set_at_risk(s, item, True, "Thiếu nhân lực")
    dashboard.hide()
    with qtbot.waitSignal(dashboard.refreshed, timeout=20_000):
        dashboard.show()
    assert dashboard.warnings_model.rowCount() == 16


# --------------------------------------------------------------------------
# Month entry


@pytest.fixture
def month(qtbot, progress_db):
    return open_month_entry(qtbot, progress_db, (1400, 850))


def _row(widget, ref: str, unit_short: str, kind: str = "task") -> int:
    return next(i for i, r in enumerate(widget.model.rows)
                if r.item.ref == ref and r.unit_short == unit_short and r.kind == kind)


def _progress(db, row, period: str = "2026-09"):
    with db.session("test") as s:
        return s.execute(
            select(TaskProgress.percent, TaskProgress.status, TaskProgress.source)
            .join(Item, Item.id == TaskProgress.item_id)
            .where(Item.uuid == row.item.uuid, TaskProgress.unit.has(uuid=row.unit_uuid),
                   TaskProgress.period.has(code=period))
        ).one_or_none()


def test_month_entry_title_and_rows(month):
    assert month.title.text() == "Báo cáo tháng 9/2026"
    assert "Hạn nộp 15/09/2026" in month.summary.text() and "36/44" in month.summary.text()
    assert month.model.rowCount() == 56  # 44 reports expected + 12 villages on two checklists


def test_typing_in_cells_saves_to_the_database(qtbot, month, progress_db):
    table = month.table
    row = _row(month, "III.1", "Phòng VHXH")  # task III.1, 75% in September
    month.focus_cell(row, "figure")
    qtbot.keyClicks(table, "8")  # typing starts editing with that key
    editor = table.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "0")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: month.model.rows[row].percent == 80)
    assert _progress(progress_db, month.model.rows[row])[:2] == (80, "in_progress")
    assert table.currentIndex().row() == row + 1  # Enter goes down
    assert "Đã lưu" in month.message.text()
    # Tab from the % cell goes to the next editable cell (the result), not to a grey one.
    month.focus_cell(row, "figure")
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert table.currentIndex().column() == COLUMN_INDEX["result"]
    # Delete clears a cell.
    month.focus_cell(row, "figure")
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert _progress(progress_db, month.model.rows[row])[0] is None


def test_status_list_and_a_refused_value(qtbot, month, progress_db):
    table = month.table
    row = _row(month, "IV.3", "VP HĐND-UBND")
    month.focus_cell(row, "status")
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens the editor
    combo = table.focusWidget()
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findText("Chậm tiến độ"))
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: month.model.rows[row].status == "behind")
    assert _progress(progress_db, month.model.rows[row])[1] == "behind"
    assert month.model.rows[row].status == "behind"
    index = month.model.index(row, COLUMN_INDEX["figure"])
    assert month.model.setData(index, "150") is False
    assert "từ 0 đến 100" in month.message.text()
    assert _progress(progress_db, month.model.rows[row])[0] == 40


def test_indicator_figure_and_new_report_take_the_default_source(qtbot, month, progress_db):
    row = _row(month, "III.5", "Trạm Y tế", "indicator")  # missing in September
    assert not month.model.rows[row].has_report
    month.source_combo.setCurrentIndex(month.source_combo.findData("phone"))
    assert month.model.setData(month.model.index(row, COLUMN_INDEX["figure"]), "1.234/1.500")
    saved = month.model.rows[row]
    assert (saved.numerator, saved.denominator, saved.source, saved.received_on) == (1234, 1500, "phone", DEMO_TODAY)
    assert "37/44" in month.summary.text()


def test_filters_locks_and_saved_filters(qtbot, month, progress_db, monkeypatch):
    unit_combo = month.combos["unit_uuid"]
    with qtbot.waitSignal(month.refreshed, timeout=20_000):
        unit_combo.setCurrentIndex(unit_combo.findText("Trạm Y tế xã"))
    assert {r.unit_name for r in month.model.rows} == {"Trạm Y tế xã"}
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Trạm Y tế", True))
    with qtbot.waitSignal(month.refreshed, timeout=20_000):
        month.save_current_filter()
    assert month.combos["saved"].findText("Trạm Y tế") > 0
    with qtbot.waitSignal(month.refreshed, timeout=20_000):
        month.clear_filters()
    assert month.model.rowCount() == 56  # 44 reports expected + 12 villages on two checklists
    period = month.combos["period_code"]
    with qtbot.waitSignal(month.refreshed, timeout=20_000):
        period.setCurrentIndex(period.findData("2026-05"))  # locked by the demo
    assert month.view_data.locked and "ĐÃ KHÓA" in month.summary.text()
    assert not month.model.flags(month.model.index(0, COLUMN_INDEX["figure"])) & Qt.ItemFlag.ItemIsEditable
    assert month.lock_button.text() == "Mở khóa…"
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Bổ sung số liệu Trạm Y tế", True))
    with qtbot.waitSignal(month.refreshed, timeout=20_000):
        month.toggle_lock()
    assert not month.view_data.locked
    assert month.model.flags(month.model.index(0, COLUMN_INDEX["figure"])) & Qt.ItemFlag.ItemIsEditable
    with progress_db.session("test") as s:
        reasons = s.scalars(select(AuditEntry.reason).where(AuditEntry.entity == "period_locks",
                                                            AuditEntry.field == "locked",
                                                            AuditEntry.new_value == "0")).all()
    assert reasons == ["Bổ sung số liệu Trạm Y tế"]


def test_officer_flags_an_item_at_risk_from_month_entry(month, progress_db):
    from cds_desktop.models import ItemTracking

    row = month.model.rows[_row(month, "III.1", "Phòng VHXH")]
    assert month.flag_at_risk(row, reason="Chờ hướng dẫn của Thành phố")
    with progress_db.session("test") as s:
        flags = s.execute(select(Item.uuid, ItemTracking.at_risk_reason).join(ItemTracking.item)
                          .where(ItemTracking.at_risk.is_(True))).all()
    assert (row.item.uuid, "Chờ hướng dẫn của Thành phố") in flags
    assert month.flag_at_risk(row)  # a second time takes the flag off
    with progress_db.session("test") as s:
        assert not s.scalar(select(ItemTracking.at_risk).join(ItemTracking.item).where(Item.uuid == row.item.uuid))
