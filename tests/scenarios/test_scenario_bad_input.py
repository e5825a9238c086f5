"""Scenario 4: impossible or missing input shows its message where it was typed (no technical
error dialog), the typed text stays for correction, and nothing is saved."""

from __future__ import annotations

import pytest
from driver import open_screen, open_window
from PySide6.QtCore import Qt

from cds_desktop.ui.common.errors import open_error_dialogs

pytestmark = pytest.mark.gui
KEY = Qt.Key


@pytest.fixture
def window(qtbot, progress_db):
    return open_window(qtbot, progress_db)


def month_on(driver, window, period: str):
    month = open_screen(driver, window, "Nhập báo cáo kỳ")
    driver.qtbot.waitUntil(lambda: month.combos["period_code"].count() > 0, timeout=30_000)
    if month.combos["period_code"].currentText() != period:
        with driver.qtbot.waitSignal(month.refreshed, timeout=30_000):
            driver.choose(month.combos["period_code"], period)
    return month


def cell(month, row: int, key: str) -> str:
    from cds_desktop.ui.month.models import COLUMN_INDEX

    return month.model.index(row, COLUMN_INDEX[key]).data() or ""


def reopen(driver, month, period: str, other: str) -> None:
    """Look at another period and come back (what is shown then is what was saved)."""
    for code in (other, period):
        with driver.qtbot.waitSignal(month.refreshed, timeout=30_000):
            driver.choose(month.combos["period_code"], code)


@pytest.mark.parametrize(("kind", "typed", "words"), [
    ("task", "150", "100"),  # a share above 100 %
    ("indicator", "70/60", "60"),  # a numerator above its denominator
])
def test_impossible_figures_are_refused_inline(qtbot, driver, window, kind, typed, words):
    from cds_desktop.ui.month.models import COLUMN_INDEX

    month = month_on(driver, window, "Tháng 6/2026")
    row = next(i for i, r in enumerate(month.model.rows)
               if r.kind == kind and month.model.flags(month.model.index(i, COLUMN_INDEX["figure"]))
               & Qt.ItemFlag.ItemIsEditable and (kind == "task" or r.item.content and "%" not in (r.figure_text or "")))
    before = cell(month, row, "figure")
    key = (month.model.rows[row].item.uuid, month.model.rows[row].unit_name)
    driver.click_cell(month.table, row, COLUMN_INDEX["figure"])
    driver.type_here(typed, month.table)
    driver.press(KEY.Key_Return, fallback=month.table)
    qtbot.waitUntil(lambda: words in month.message.text(), timeout=10_000)
    assert cell(month, row, "figure") == typed  # kept in its cell for correction
    assert not open_error_dialogs()
    reopen(driver, month, "Tháng 6/2026", "Tháng 5/2026")
    again = next(i for i, r in enumerate(month.model.rows) if (r.item.uuid, r.unit_name) == key)
    assert cell(month, again, "figure") == before  # nothing was saved


def test_empty_unit_name_is_refused_inline(qtbot, driver, window, progress_db):
    from sqlalchemy import func, select

    from cds_desktop.models import Unit

    with progress_db.session() as s:
        units = s.scalar(select(func.count()).select_from(Unit))
    driver.menu(window, "Danh mục", "Đơn vị, thôn/tổ dân phố")
    catalog = driver.wait_window("Danh mục đơn vị")
    driver.click_button(catalog, "Thêm")
    editor = driver.wait_window("Thêm đơn vị")
    driver.click_button(editor, "Lưu")
    qtbot.wait(200)
    assert editor.isVisible()  # stays open for correction
    assert not open_error_dialogs(), "a simple mistake opened the technical error dialog"
    from PySide6.QtWidgets import QLabel

    messages = [label.text() for label in editor.findChildren(QLabel) if label.isVisible() and "tên" in label.text().lower()
                and label.text() not in ("Tên đơn vị", "Tên viết tắt", "Tên gọi khác")]
    assert messages, "no inline message in the form"
    with progress_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Unit)) == units


def test_unlock_without_a_reason_is_refused_inline(qtbot, driver, window):
    month = month_on(driver, window, "Tháng 5/2026")  # locked by the demo
    assert "ĐÃ KHÓA" in month.summary.text()
    driver.answer_input("")  # the reason left empty
    driver.click(month.lock_button)
    qtbot.wait(300)
    assert not open_error_dialogs(), "a simple mistake opened the technical error dialog"
    assert "ĐÃ KHÓA" in month.summary.text()
    assert "lý do" in month.message.text().lower()
