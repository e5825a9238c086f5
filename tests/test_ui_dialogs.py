"""Catalogue dialogs, the error dialog, background jobs and the application start."""

from __future__ import annotations

import sqlite3
import sys
import time
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from sqlalchemy import select

from cds_desktop.models import AuditEntry, Person, Unit

pytestmark = pytest.mark.gui


# -- catalogue dialogs -----------------------------------------------------------


def test_units_dialog_adds_edits_deletes_and_restores_a_unit(qtbot, demo_db):
    from cds_desktop.ui.common.catalog_dialogs import UnitsDialog

    dialog = UnitsDialog(demo_db)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 15
    editor = dialog.add()
    editor.name_edit.setText("Thôn Giang Cao")
    editor.short_edit.setText("Giang Cao")
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("village"))
    editor.aliases_edit.setText("thôn Giang Cao, Thon GC")
    with qtbot.waitSignal(dialog.catalogChanged):
        qtbot.mouseClick(editor.save_button(), Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 16
    with demo_db.session() as s:
        unit = s.scalar(select(Unit).where(Unit.name == "Thôn Giang Cao"))
        assert unit.kind == "village" and unit.short_name == "Giang Cao"
        assert [a.alias for a in unit.aliases if a.deleted_at is None] == ["Thon GC"]  # same key as name dropped
        uuid = unit.uuid
        assert s.scalar(select(AuditEntry).where(AuditEntry.entity_uuid == uuid)).source == "ui"
    row = dialog.model.row_at(dialog.model.row_of(uuid))
    assert dialog.model.index(dialog.model.row_of(uuid), 2).data() == "Thôn / tổ dân phố"

    # search without diacritics, through an alias
    dialog.search_edit.setText("thon gc")
    dialog.reload()
    assert [r.uuid for r in dialog.model.rows] == [uuid]

    # edit: change the aliases (comma-separated)
    dialog.select_uuid(uuid)
    editor = dialog.edit_selected()
    editor.aliases_edit.setText("Giang Cao thôn")
    editor.accept()
    with demo_db.session() as s:
        unit = s.scalar(select(Unit).where(Unit.uuid == uuid))
        assert [a.alias for a in unit.aliases if a.deleted_at is None] == ["Giang Cao thôn"]

    # delete, then restore
    dialog.search_edit.setText("")
    dialog.reload()
    dialog.select_uuid(uuid)
    dialog.delete_selected(confirm=False)
    assert dialog.model.row_of(uuid) == -1
    dialog.show_deleted.setChecked(True)
    dialog.select_uuid(uuid)
    assert dialog.selected_row().deleted and row is not None
    dialog.restore_selected()
    with demo_db.session() as s:
        assert s.scalar(select(Unit).where(Unit.uuid == uuid)).deleted_at is None


def test_unit_dialog_refuses_duplicate_and_stays_open(qtbot, demo_db, monkeypatch):
    from cds_desktop.ui.common import catalog_dialogs

    shown = []
    monkeypatch.setattr(catalog_dialogs, "show_error", lambda exc, parent=None, **kw: shown.append(str(exc)))
    dialog = catalog_dialogs.UnitsDialog(demo_db)
    qtbot.addWidget(dialog)
    editor = dialog.add()
    editor.name_edit.setText("Phòng VHXH")
    editor.accept()
    assert shown == []  # a rule of the catalogue: told in the form, not in the technical dialog
    assert "đã có trong danh mục" in editor.message.text() and editor.message.isVisibleTo(editor)
    assert editor.isVisible()
    assert dialog.model.rowCount() == 15


def test_people_dialog_adds_a_person(qtbot, demo_db):
    from cds_desktop.ui.common.catalog_dialogs import PeopleDialog

    dialog = PeopleDialog(demo_db)
    qtbot.addWidget(dialog)
    before = dialog.model.rowCount()
    editor = dialog.add()
    editor.name_edit.setText("Nguyễn Thị Hương")
    editor.title_edit.setText("Công chức Văn hóa - Xã hội")
    editor.phone_edit.setText("0912 345 678")
    editor.unit_combo.setCurrentIndex(editor.unit_combo.findText("Phòng Văn hóa - Xã hội"))
    editor.accept()
    assert dialog.model.rowCount() == before + 1
    with demo_db.session() as s:
        person = s.scalar(select(Person).where(Person.name == "Nguyễn Thị Hương"))
        assert person.unit.name == "Phòng Văn hóa - Xã hội" and person.phone == "0912 345 678"
    dialog.search_edit.setText("huong")
    dialog.reload()
    assert [r.name for r in dialog.model.rows] == ["Nguyễn Thị Hương"]


# -- error dialog ----------------------------------------------------------------------


def test_error_dialog_known_error_shows_message_and_copies_details(qtbot):
    from cds_desktop.services.common import ServiceError
    from cds_desktop.ui.common.errors import ErrorDialog, show_error

    try:
        raise ServiceError("Tên đơn vị không được để trống.")
    except ServiceError as exc:
        dialog = show_error(exc)  # deletes itself when closed
    assert isinstance(dialog, ErrorDialog)
    assert dialog.message_label.text() == "Tên đơn vị không được để trống."
    assert not dialog.details_edit.isVisibleTo(dialog)  # known error: details folded
    assert "Traceback" in dialog.details
    qtbot.mouseClick(dialog.details_button, Qt.MouseButton.LeftButton)
    assert dialog.details_edit.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "Tên đơn vị không được để trống." in copied and "ServiceError" in copied
    assert dialog.copy_button.text() == "Đã sao chép"
    dialog.close()


def test_error_dialog_unexpected_error_opens_traceback(qtbot, tmp_path):
    from cds_desktop.logging_setup import configure_logging
    from cds_desktop.ui.common.errors import show_error

    log_file = configure_logging(tmp_path / "logs")
    try:
        {}["khóa"]
    except KeyError as exc:
        dialog = show_error(exc)  # deletes itself when closed
    assert dialog.message_label.text().startswith("Đã xảy ra lỗi không mong đợi")
    assert dialog.details_edit.isVisibleTo(dialog)
    assert str(log_file) in dialog.log_label.text()
    assert "KeyError" in log_file.read_text(encoding="utf-8")
    dialog.close()


def test_excepthook_routes_to_error_dialog(qtbot, monkeypatch):
    from cds_desktop.ui.common import errors

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    try:
        raise RuntimeError("hỏng")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    dialogs = errors.open_error_dialogs()
    assert dialogs and "hỏng" in dialogs[-1].message
    for dialog in dialogs:
        dialog.close()


# -- background jobs ----------------------------------------------------------------------


def test_job_success_progress_and_cancel(qtbot):
    from cds_desktop.ui.common.jobs import run_job

    def work(ctx):
        for i in range(3):
            ctx.report(i + 1, 3, f"Bước {i + 1}")
        return "xong"

    job = run_job(work, title="Thử", progress=True)
    progress = []
    job.progressed.connect(lambda done, total, text: progress.append(done))
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert job.state == "ok" and job.result == "xong"

    def slow(ctx):
        while True:
            ctx.check_cancelled()
            time.sleep(0.01)

    job = run_job(slow, title="Chậm", cancellable=True)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.cancel()
    assert job.state == "cancelled"


def test_job_error_goes_to_error_dialog(qtbot, monkeypatch):
    from cds_desktop.ui.common import errors
    from cds_desktop.ui.common.jobs import run_job

    seen = []
    monkeypatch.setattr(errors, "show_error", lambda exc, parent=None, **kw: seen.append((exc, kw)))

    def fail(_ctx):
        raise ValueError("dữ liệu sai")

    job = run_job(fail, progress=False)
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert job.state == "error"
    assert str(seen[0][0]) == "dữ liệu sai" and "ValueError" in seen[0][1]["tb_text"]


# -- application start ------------------------------------------------------------------------


@pytest.mark.sqlite_only(reason="writes a newer revision into the SQLite file")
def test_run_gui_refuses_newer_database_without_touching_it(qtbot, tmp_path, monkeypatch):
    from cds_desktop.database import open_database
    from cds_desktop.ui import app as app_module
    from cds_desktop.ui.common.errors import ErrorDialog

    data_dir = tmp_path / "data"
    open_database(data_dir).close()
    db_file = data_dir / "cds.sqlite"
    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = db_file.read_bytes()
    messages = []
    monkeypatch.setattr(ErrorDialog, "exec", lambda self: messages.append(self.message) or 0)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    code = app_module.run_gui(SimpleNamespace(data_dir=str(data_dir), db_url=None))
    assert code == 1
    assert len(messages) == 1 and "mới hơn" in messages[0]
    assert db_file.read_bytes() == before


def test_run_gui_startup_probe_with_auto_demo(qtbot, tmp_path, monkeypatch):
    from cds_desktop.database import open_database
    from cds_desktop.services import plan_view
    from cds_desktop.ui import app as app_module

    probe = tmp_path / "probe.txt"
    monkeypatch.setenv("CDS_STARTUP_PROBE", str(probe))
    monkeypatch.setenv("CDS_AUTO_DEMO", "1")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    data_dir = tmp_path / "data"
    start = time.time()
    assert app_module.run_gui(SimpleNamespace(data_dir=str(data_dir), db_url=None)) == 0
    painted = float(probe.read_text())
    ready = float((tmp_path / "probe.txt.ready").read_text())
    assert start <= painted <= ready <= time.time()
    db = open_database(data_dir)
    with db.session() as s:
        assert [p.number for p in plan_view.plan_choices(s)] == ["139/KH-UBND"]
    db.close()


def test_font_has_vietnamese_glyphs(qapp):
    from PySide6.QtGui import QFontMetrics

    from cds_desktop.ui.app import apply_font, pick_font_family

    assert pick_font_family(["Foo", "DejaVu Sans", "Segoe UI"]) == "Segoe UI"
    assert pick_font_family(["Foo"]) is None
    apply_font(qapp)
    metrics = QFontMetrics(qapp.font())
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "ĐđƯươăâêôệộữẫ")


def test_run_gui_first_start_asks_nothing_over_the_empty_screen(qtbot, tmp_path, monkeypatch):
    """The empty screen offers Nhập kế hoạch… / Tạo kế hoạch trống… / Dùng kế hoạch mẫu: no box asks again."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from cds_desktop.ui import app as app_module
    from cds_desktop.ui.common import questions
    from cds_desktop.ui.instance_lock import Claim, InstanceLock
    from cds_desktop.ui.main_window import MainWindow

    asked, seen = [], {}
    monkeypatch.setattr(questions, "ask", lambda *a, **k: asked.append(a) or False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.delenv("CDS_AUTO_DEMO", raising=False)

    def look() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible() and w.attached and w.workspace.db is not None]
        if not windows:
            QTimer.singleShot(20, look)
            return
        QTimer.singleShot(200, lambda: check(windows[0]))  # what the start does once attached has run

    def check(window) -> None:
        page = window.workspace.currentWidget()
        seen["empty"] = page.empty is not None and page.showing_empty
        seen["boxes"] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        lock_seen.append(InstanceLock(tmp_path / "data").claim())
        QApplication.instance().quit()

    lock_seen: list = []
    QTimer.singleShot(0, look)
    assert app_module.run_gui(SimpleNamespace(data_dir=str(tmp_path / "data"), db_url=None, create=True)) == 0
    assert seen == {"empty": True, "boxes": []}
    assert asked == []
    # the folder did not exist when the window started: once made, the window holds its lock (a later
    # start, a package double-clicked, finds this window instead of opening a second one)
    assert lock_seen == [Claim.HELD]


def test_run_gui_asks_before_making_a_database_in_a_folder_without_data(qtbot, tmp_path, monkeypatch):
    """A mistyped --data-dir: the window asks (Vietnamese buttons) and «Thoát» leaves nothing behind."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from cds_desktop.ui import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.delenv("CDS_AUTO_DEMO", raising=False)
    seen = {}

    def answer() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(20, answer)
            return
        box = boxes[0]
        seen["text"] = box.text()
        seen["buttons"] = sorted(b.text() for b in box.buttons())
        next(b for b in box.buttons() if b.text() == "Thoát").click()

    typo = tmp_path / "du-lieu-go-sai"
    QTimer.singleShot(0, answer)
    assert app_module.run_gui(SimpleNamespace(data_dir=str(typo), db_url=None)) == 2
    assert "chưa có dữ liệu" in seen["text"] and str(typo) in seen["text"]
    assert seen["buttons"] == ["Thoát", "Tạo dữ liệu mới"]
    assert not (typo / "cds.sqlite").exists()


def test_run_gui_prepares_a_worker_process_once_attached(qtbot, tmp_path, monkeypatch):
    """A worker process is started while the officer reads the first screen: the first report, import
    or package does not start one then (on Linux that held the window ~20 ms, and its start-up a CPU)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cds_desktop.ui import app as app_module
    from cds_desktop.ui.common import worker_pool

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.delenv("CDS_AUTO_DEMO", raising=False)
    monkeypatch.setattr(app_module, "PREWARM_AFTER_MS", 10)
    prepared = []

    def prewarm() -> None:
        prepared.append(True)
        QApplication.instance().quit()

    monkeypatch.setattr(worker_pool, "prewarm_worker", prewarm)
    # A failure must not hang the suite; the guard is stopped when the test ends: a timer left
    # armed would quit the next test's event loop in this process (a run_gui 20 s later did).
    guard = QTimer(singleShot=True, interval=20_000)
    guard.timeout.connect(QApplication.instance().quit)
    guard.start()
    try:
        assert app_module.run_gui(SimpleNamespace(data_dir=str(tmp_path / "data"), db_url=None, create=True)) == 0
    finally:
        guard.stop()
    assert prepared == [True]
