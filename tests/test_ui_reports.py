"""The Reports screen: choices, preview in the background, saving, printing, remembered settings."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import select

from cds_desktop.models import Plan
from cds_desktop.reports.preview import backend
from cds_desktop.services.demo_progress import DEMO_TODAY
from cds_desktop.ui.reports.screen import ReportsWidget

pytestmark = pytest.mark.gui
TIMEOUT = 60_000


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _plan_uuid(db) -> str:
    with db.session() as s:
        return s.scalar(select(Plan)).uuid


@pytest.fixture
def widget(qtbot, progress_db, settings):
    w = ReportsWidget(progress_db, settings=settings)
    qtbot.addWidget(w)
    w.set_today(DEMO_TODAY)
    w.set_plan(_plan_uuid(progress_db))
    return w


def _preview(qtbot, w: ReportsWidget) -> int:
    with qtbot.waitSignal(w.previewReady, timeout=TIMEOUT) as blocker:
        w.preview_button.click()
    qtbot.waitUntil(lambda: not w.busy, timeout=TIMEOUT)
    return blocker.args[0]


def test_choices_follow_the_plan_and_the_report_kind(widget):
    w = widget
    assert w.kind_combo.count() == 6  # the five reports of the plan and the evidence list
    assert w.kind_combo.findData("evidence") >= 0
    w.set_kind("phu-luc-01")
    assert w.columns_list.isEnabled() and not w.period_combo.isEnabled() and not w.unit_combo.isEnabled()
    assert w.checked_columns() == ["number", "content", "lead", "coordinating", "basis", "note"]
    headers = [w.columns_list.item(i).text() for i in range(w.columns_list.count())]
    assert headers[:2] == ["TT", "Chỉ tiêu"] and "Mục tiêu" in headers
    w.set_kind("phu-luc-02")
    assert "deadline" in w.checked_columns() and "basis" not in w.checked_columns()
    w.set_kind("unit-plan")
    names = [w.unit_combo.itemText(i) for i in range(w.unit_combo.count())]
    assert "Văn phòng HĐND-UBND" in names and "Các phòng, ban chuyên môn" not in names
    assert w.all_units_button.isEnabled() and w.unit_combo.isEnabled()
    w.set_kind("reminders")
    assert w.unit_combo.itemText(0) == "Tất cả đơn vị"
    w.set_kind("progress")
    assert w.period_combo.isEnabled()
    assert w.period_combo.currentData() == "2026-09"  # the month containing "today"
    assert w.period_combo.findData("2026-Q3") >= 0 and w.period_combo.findData("2026") >= 0


def test_preview_shows_every_page(qtbot, widget):
    w = widget
    w.set_kind("phu-luc-01")
    if backend() is None:
        pytest.skip("neither pypdfium2 nor pdftoppm on this machine")
    pages = _preview(qtbot, w)
    assert pages == len(PdfReader(str(w.preview_pdf)).pages) >= 2
    labels = [w.pages_layout.itemAt(i).widget() for i in range(w.pages_layout.count())]
    assert len(labels) == pages
    assert all(not label.pixmap().isNull() for label in labels)
    first = labels[0].pixmap()
    assert first.width() > first.height()  # landscape appendix
    assert "trang" in w.status_label.text()
    assert w.print_button.isEnabled() and w.open_button.isEnabled()


def test_preview_of_the_progress_report_for_a_quarter(qtbot, widget):
    w = widget
    w.set_kind("progress")
    w.period_combo.setCurrentIndex(w.period_combo.findData("2026-Q3"))
    assert w.request().period == "2026-Q3" and w.request().today == DEMO_TODAY
    _preview(qtbot, w)
    text = "\n".join(p.extract_text() for p in PdfReader(str(w.preview_pdf)).pages)
    assert "quý III/2026" in text and "Phụ lục 04" in text


def test_save_excel_and_pdf_with_chosen_columns(qtbot, widget, tmp_path):
    w = widget
    w.set_kind("phu-luc-02")
    w.set_columns(["number", "content", "deadline"])
    target = tmp_path / "pl02.xlsx"
    with qtbot.waitSignal(w.saved, timeout=TIMEOUT):
        w.save_as("xlsx", target)
    qtbot.waitUntil(lambda: not w.busy, timeout=TIMEOUT)
    ws = load_workbook(target).worksheets[0]
    header_row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    assert [c.value for c in ws[header_row] if c.value] == ["TT", "Tên nhóm nhiệm vụ/ nhiệm vụ", "Thời gian hoàn thành"]
    pdf = tmp_path / "pl02.pdf"
    with qtbot.waitSignal(w.saved, timeout=TIMEOUT):
        w.save_as("pdf", pdf)
    qtbot.waitUntil(lambda: not w.busy, timeout=TIMEOUT)
    assert len(PdfReader(str(pdf)).pages) >= 1


def test_unit_plan_for_all_units(qtbot, widget, tmp_path):
    w = widget
    w.set_kind("unit-plan")
    with qtbot.waitSignal(w.saved, timeout=TIMEOUT) as blocker:
        w.save_all_units("pdf", tmp_path / "don_vi")
    qtbot.waitUntil(lambda: not w.busy, timeout=TIMEOUT)
    files = list((tmp_path / "don_vi").glob("*.pdf"))
    assert len(files) == w.unit_combo.count() >= 5
    assert f"({len(files)} tệp)" in blocker.args[0]


def test_print_sends_every_page_in_its_orientation(qtbot, widget, tmp_path):
    if backend() is None:
        pytest.skip("neither pypdfium2 nor pdftoppm on this machine")
    w = widget
    w.set_kind("progress")
    w.period_combo.setCurrentIndex(w.period_combo.findData("2026-Q3"))
    pages = _preview(qtbot, w)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setFullPage(True)
    w.print_to(printer)
    qtbot.waitUntil(lambda: not w.busy and "máy in" in w.status_label.text(), timeout=TIMEOUT)
    printed = PdfReader(str(tmp_path / "printed.pdf")).pages
    assert len(printed) == pages
    orientations = [float(p.mediabox.width) > float(p.mediabox.height) for p in printed]
    assert orientations[0] is False and orientations[-1] is True  # portrait body, landscape appendices


def test_choices_are_remembered(qtbot, progress_db, settings, widget):
    w = widget
    w.set_kind("phu-luc-01")
    item = next(w.columns_list.item(i) for i in range(w.columns_list.count())
                if w.columns_list.item(i).data(Qt.ItemDataRole.UserRole) == "basis")
    item.setCheckState(Qt.CheckState.Unchecked)
    w.set_kind("reminders")
    w.unit_combo.setCurrentIndex(w.unit_combo.findText("Trạm Y tế xã"))
    w.period_combo.setCurrentIndex(w.period_combo.findData("2026-Q3"))
    settings.sync()
    again = ReportsWidget(progress_db, settings=settings)
    qtbot.addWidget(again)
    again.set_today(DEMO_TODAY)
    again.set_plan(_plan_uuid(progress_db))
    assert again.kind() == "reminders"
    assert again.unit_combo.currentText() == "Trạm Y tế xã"
    assert again.period_combo.currentData() == "2026-Q3"
    again.set_kind("phu-luc-01")
    assert "basis" not in again.checked_columns() and "lead" in again.checked_columns()
    again.reset_columns()
    assert "basis" in again.checked_columns()


def test_errors_are_shown_not_raised(qtbot, demo_db, settings):
    w = ReportsWidget(demo_db, settings=settings)  # a plan without reporting periods
    qtbot.addWidget(w)
    w.set_plan(_plan_uuid(demo_db))
    w.set_kind("progress")
    with qtbot.waitSignal(w.failed, timeout=TIMEOUT) as blocker:
        w.preview_button.click()
    qtbot.waitUntil(lambda: not w.busy, timeout=TIMEOUT)
    assert "kỳ báo cáo" in blocker.args[0]
    assert "kỳ báo cáo" in w.status_label.text()


def test_without_a_database(qtbot, settings):
    w = ReportsWidget(None, settings=settings)
    qtbot.addWidget(w)
    w.set_plan(None)
    assert not w.preview_button.isEnabled()
    w.preview()
    assert not w.busy
