"""Scenario 2: Tệp → Nhập kế hoạch of each real plan → preview → import → month entry for two
months with Enter/Tab → lock → progress report, through the window's mouse and keyboard only."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import shiboken6
from driver import open_screen
from pypdf import PdfReader
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
EXPECTED = {  # what a person reads in the preview and the plan selector
    "004_c2f9f5085f71fe4f.txt": ("139/KH-UBND", "Bát Tràng"),
    "000_0b2d4eebbd1ce4dd.txt": ("", "Phù Đổng"),
}
KEY = Qt.Key


def pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text)


def import_plan_file(driver, window, path: Path):
    """Tệp → Nhập kế hoạch từ tệp…, the file chosen in the file dialog, the preview, «Nhập»."""
    before = window.plan_combo.count()
    driver.answer_file_dialog(path)
    driver.menu(window, "Tệp", "Nhập kế hoạch từ tệp")
    dialog = driver.wait_window("Nhập kế hoạch từ tệp")
    driver.qtbot.waitUntil(lambda: driver.button(dialog, "Nhập").isEnabled(), timeout=30_000)
    preview = dialog.summary.text()
    driver.tab(dialog.tabs, "Các dòng")
    rows_shown = dialog.rows_view.model().rowCount()
    driver.click_button(dialog, "Nhập")
    driver.qtbot.waitUntil(lambda: window.plan_combo.count() > before, timeout=60_000)
    driver.qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    return preview, rows_shown


def month_screen(driver, window):
    month = open_screen(driver, window, "Nhập báo cáo kỳ")
    driver.qtbot.waitUntil(lambda: month.combos["period_code"].count() > 0, timeout=30_000)
    return month


def choose_period(driver, month, label: str) -> None:
    with driver.qtbot.waitSignal(month.refreshed, timeout=30_000):
        driver.choose(month.combos["period_code"], label)


def cell_text(month, row: int, key: str) -> str:
    from cds_desktop.ui.month.models import COLUMN_INDEX

    return month.model.index(row, COLUMN_INDEX[key]).data() or ""


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_import_enter_two_months_lock_and_report(qtbot, driver, empty_window, tmp_path, seed):
    from cds_desktop.ui.month.models import COLUMN_INDEX

    started = time.monotonic()
    window = empty_window
    number, commune = EXPECTED[seed]
    preview, rows_shown = import_plan_file(driver, window, SEEDS / seed)
    assert re.search(r"\d+ chỉ tiêu, \d+ nhiệm vụ", preview), preview
    assert rows_shown > 10
    assert commune in window.plan_combo.currentText()
    if number:
        assert number in window.plan_combo.currentText()
    assert window.indicator_model.rowCount() > 0 and window.task_model.rowCount() > 0
    assert commune in window.windowTitle()

    # Month entry: October, a task's % and result typed in with Tab and Enter
    month = month_screen(driver, window)
    choose_period(driver, month, "Tháng 10/2026")
    assert "Tháng 10/2026" in month.title.text() or "10/2026" in month.title.text()
    task_row = next(i for i, r in enumerate(month.model.rows) if r.kind == "task")
    item = month.model.rows[task_row].item
    driver.click_cell(month.table, task_row, COLUMN_INDEX["figure"])
    driver.type_here("40", month.table)  # the first key opens the cell
    driver.press(KEY.Key_Tab, fallback=month.table)  # saves it, opens the next cell that can be edited
    assert month.table.currentIndex().column() == COLUMN_INDEX["result"]
    assert month.table.state() == month.table.State.EditingState
    result = "Đã khảo sát hiện trạng, lập dự toán"
    driver.type_here(result, month.table)
    driver.press(KEY.Key_Return, fallback=month.table)  # saves, goes down
    qtbot.waitUntil(lambda: cell_text(month, task_row, "result") == result, timeout=10_000)
    assert cell_text(month, task_row, "figure") == "40%"
    assert month.table.currentIndex().row() == task_row + 1

    # Lock October: the confirmation answered with its affirmative button
    asked: list[str] = []
    driver.answer_message(accept=True, seen_text=asked)
    with qtbot.waitSignal(month.refreshed, timeout=30_000):
        driver.click(month.lock_button)
    assert asked and "Tháng 10/2026".lower() in asked[0].lower()
    assert "ĐÃ KHÓA" in month.summary.text()
    assert not month.model.flags(month.model.index(task_row, COLUMN_INDEX["figure"])) & Qt.ItemFlag.ItemIsEditable

    # November: the same task at 70 %
    choose_period(driver, month, "Tháng 11/2026")
    row = next(i for i, r in enumerate(month.model.rows) if r.item.uuid == item.uuid)
    driver.click_cell(month.table, row, COLUMN_INDEX["figure"])
    driver.type_here("70", month.table)
    driver.press(KEY.Key_Return, fallback=month.table)
    qtbot.waitUntil(lambda: cell_text(month, row, "figure") == "70%", timeout=10_000)

    # The progress report for November, saved as PDF through the file dialog
    reports = open_screen(driver, window, "In báo cáo")
    driver.choose(reports.kind_combo, "Báo cáo kết quả thực hiện")
    driver.choose(reports.period_combo, "Tháng 11/2026")
    target = tmp_path / "bao-cao-tien-do.pdf"
    driver.answer_file_dialog(target)
    with qtbot.waitSignal(reports.saved, timeout=60_000):
        driver.click_button(reports, "Lưu PDF")
    text = pdf_text(target)
    assert commune in text
    assert "70%" in text or "70 %" in text
    assert time.monotonic() - started < 60
