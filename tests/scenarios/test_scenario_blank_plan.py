"""Scenario 1: an empty data folder → Tệp → Tạo kế hoạch trống → a unit in the catalogue → groups
from the tree's context menu → an indicator and a task from the toolbar → the task assigned to the
unit → Phụ lục 01 and 02 printed to PDF, all by mouse and keyboard."""

from __future__ import annotations

import pytest
from driver import open_screen
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit
from test_scenario_import_month import pdf_text

pytestmark = pytest.mark.gui

COMMUNE = "Đông Anh"
UNIT = "Văn phòng HĐND và UBND xã"
INDICATOR = "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận trực tuyến toàn trình đạt ≥ 80%"
TASK = "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực"


def fill_form(driver, dialog, values: dict[str, str]) -> None:
    """Each labelled field of a form dialog clicked and typed into (Vietnamese pasted)."""
    from PySide6.QtWidgets import QFormLayout

    form = dialog.findChild(QFormLayout)
    for label, text in values.items():
        field = None
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and item.widget() is not None and item.widget().text().startswith(label):
                field = form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
        assert isinstance(field, QLineEdit), f"no field «{label}»"
        driver.fill(field, text)


def add_group(driver, window, section_title: str, label: str, name: str) -> None:
    tree = window.tree_view
    root = next(tree.model().index(r, 0) for r in range(tree.model().rowCount())
                if tree.model().index(r, 0).data().startswith(section_title))
    driver.context_menu(tree, root, "Thêm nhóm")
    dialog = driver.wait_window("Thêm nhóm")
    fill_form(driver, dialog, {"Ký hiệu": label, "Tên nhóm": name})
    driver.click_button(dialog, "Lưu")
    driver.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)


def click_group(driver, window, text: str) -> None:
    tree = window.tree_view
    model = tree.model()
    found = []

    def walk(parent):
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            if text in (index.data() or ""):
                found.append(index)
            walk(index)

    walk(tree.rootIndex())
    assert found, f"no group «{text}» in the tree"
    driver.click_index(tree, found[0])


def test_blank_plan_to_printed_appendices(qtbot, driver, empty_window, tmp_path):
    window = empty_window
    # The blank plan
    driver.menu(window, "Tệp", "Tạo kế hoạch trống")
    dialog = driver.wait_window("Tạo kế hoạch trống")
    fill_form(driver, dialog, {"Tên xã/phường": COMMUNE, "Trích yếu": f"Chuyển đổi số xã {COMMUNE} năm 2026"})
    driver.click_button(dialog, "Tạo kế hoạch")
    qtbot.waitUntil(lambda: window.plan_combo.count() == 1, timeout=10_000)
    assert COMMUNE in window.plan_combo.currentText()

    # A unit in the catalogue
    driver.menu(window, "Danh mục", "Đơn vị, thôn/tổ dân phố")
    catalog = driver.wait_window("Danh mục đơn vị")
    driver.click_button(catalog, "Thêm")
    editor = driver.wait_window("Thêm đơn vị")
    fill_form(driver, editor, {"Tên đơn vị": UNIT})
    driver.click_button(editor, "Lưu")
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=10_000)
    driver.click_button(catalog, "Đóng")

    # Groups, an indicator and a task
    open_screen(driver, window, "Kế hoạch")
    add_group(driver, window, "Phụ lục 01", "I", "Chính quyền số")
    add_group(driver, window, "Phụ lục 02", "I", "Cải cách hành chính gắn với chuyển đổi số")
    click_group(driver, window, "Chính quyền số")
    driver.answer_input(INDICATOR)
    driver.click_button(window, "Thêm chỉ tiêu")
    qtbot.waitUntil(lambda: window.indicator_model.rowCount() == 1, timeout=10_000)
    click_group(driver, window, "Cải cách hành chính")
    driver.answer_input(TASK)
    driver.click_button(window, "Thêm nhiệm vụ")
    qtbot.waitUntil(lambda: window.task_model.rowCount() == 1, timeout=10_000)
    assert window.indicator_model.rows[0].content == INDICATOR
    assert window.task_model.rows[0].content == TASK

    # The task assigned to the unit (its row is the one selected after adding it)
    driver.click_cell(window.task_view, 0, 1)
    driver.tab(window.detail.tabs, "Phân công")

    def pick(picker: QDialog) -> None:
        search = next(e for e in picker.findChildren(QLineEdit) if e.isVisible())
        search.setFocus()
        driver.qtbot.keyClicks(search, "van phong")
        driver.qtbot.waitUntil(lambda: picker.view.model().rowCount() == 1, timeout=5000)
        driver.key(search, Qt.Key.Key_Return)

    driver.when_modal(pick, QDialog)
    driver.click_button(window.detail, "+ Chủ trì")
    qtbot.waitUntil(lambda: UNIT in window.task_model.index(0, 2).data(), timeout=10_000)

    # Phụ lục 01 and 02 printed
    reports = open_screen(driver, window, "In báo cáo")
    for kind, expected in (("Phụ lục 01", ("Chính quyền số", "80%")), ("Phụ lục 02", ("Số hóa hồ sơ", "Văn phòng"))):
        driver.choose(reports.kind_combo, kind)
        target = tmp_path / f"{kind.replace(' ', '-')}.pdf"
        driver.answer_file_dialog(target)
        with qtbot.waitSignal(reports.saved, timeout=60_000):
            driver.click_button(reports, "Lưu PDF")
        text = pdf_text(target)
        assert COMMUNE in text
        for words in expected:
            assert words in text, f"«{words}» not printed in {kind}"
