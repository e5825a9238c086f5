"""The day again on plans no test was written for: a commune's signed PDF and its Word file, each
through Tệp → Nhập kế hoạch → preview → «Nhập», then a task's progress typed in month entry and
Phụ lục 02 saved as PDF, through the window's mouse and keyboard only.  What the officer must see is
taken from the hand-written expectations of the corpus (what the document says), not from the importer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from driver import open_screen
from PySide6.QtCore import Qt
from test_scenario_import_month import choose_period, import_plan_file, month_screen, pdf_text

pytestmark = pytest.mark.gui

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"
UNSEEN = ("lien_ha_pdf.pdf", "van_con_word.docx")


def expectation(name: str) -> dict:
    return json.loads((PLANS / (Path(name).stem + ".expect.json")).read_text(encoding="utf-8"))


def folded(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", UNSEEN)
def test_an_unseen_plan_from_the_file_menu_to_a_printed_appendix(qtbot, driver, empty_window, tmp_path, name):
    from cds_desktop.ui.month.models import COLUMN_INDEX

    expected = expectation(name)
    plan, counts = expected["plan"], expected["counts"]
    window = empty_window
    preview, rows_shown = import_plan_file(driver, window, PLANS / name)
    assert f"{counts['indicator']} chỉ tiêu, {counts['task']} nhiệm vụ" in preview, preview
    assert rows_shown >= counts["indicator"] + counts["task"]
    assert plan["commune"] in window.plan_combo.currentText()
    assert plan["number"] in window.plan_combo.currentText()
    assert window.indicator_model.rowCount() == counts["indicator"]
    assert window.task_model.rowCount() == counts["task"]

    # A task's progress for October, typed in (the first task the document lists)
    first_task = next(row for row in expected["rows"] if row["kind"] == "task")
    month = month_screen(driver, window)
    choose_period(driver, month, "Tháng 10/2026")
    row = next(i for i, r in enumerate(month.model.rows)
               if r.kind == "task" and folded(r.item.content) == folded(first_task["content"]))
    driver.click_cell(month.table, row, COLUMN_INDEX["figure"])
    driver.type_here("55", month.table)
    driver.press(Qt.Key.Key_Return, fallback=month.table)
    qtbot.waitUntil(lambda: (month.model.index(row, COLUMN_INDEX["figure"]).data() or "") == "55%", timeout=10_000)

    # Phụ lục 02 (the tasks) saved as PDF: the commune, the plan's number and every task as written
    reports = open_screen(driver, window, "In báo cáo")
    driver.choose(reports.kind_combo, "Phụ lục 02")
    target = tmp_path / "phu-luc-02.pdf"
    driver.answer_file_dialog(target)
    with qtbot.waitSignal(reports.saved, timeout=60_000):
        driver.click_button(reports, "Lưu PDF")
    text = folded(pdf_text(target))
    assert plan["commune"] in text and plan["number"] in text
    for task in (r for r in expected["rows"] if r["kind"] == "task"):
        words = folded(task["content"]).split()
        assert " ".join(words[:6]) in text, task["content"]
