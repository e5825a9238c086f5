"""A package or a unit workbook opened from outside (double-click, *Mở bằng*,
``cds-desktop FILE``): the window shows the exchange screen with the file's dry-run
report ready to confirm, and nothing is written until the officer imports."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cds_desktop.exchange import export_package
from cds_desktop.models import Item

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, demo_db):
    from cds_desktop.ui.main_window import MainWindow

    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    return win


def _wait(qtbot, job):
    qtbot.waitUntil(lambda: job.done, timeout=60_000)


def _items(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(Item.id)))


def test_a_package_opens_on_the_exchange_screen_checked_and_ready_to_import(qtbot, window, new_db, tmp_path):
    from cds_desktop.ui.app import open_in_window

    other = new_db(tmp_path / "other", "demo")
    with other.session() as session:
        session.scalar(select(Item).order_by(Item.position)).content = "Nội dung sửa ở máy khác"
    package = export_package(other, tmp_path / "Gói từ máy khác.cdspkg").path
    from cds_desktop.exchange.package_read import package_signer
    from cds_desktop.exchange.trust import trust_signer

    trust_signer(window.db.paths.data_dir, package_signer(package))  # the other machine is trusted already
    before = _items(window.db)
    job = open_in_window(window, str(package))
    screen = window.workspace.screen("exchange")
    assert window.workspace.current_key() == "exchange"
    assert screen.tabs.currentWidget() is screen.import_page
    _wait(qtbot, job)
    page = screen.import_page
    assert page.kind == "package" and page.paths == [package]
    assert page.result is not None and not page.result.applied
    assert page.summary.text().startswith("Kết quả kiểm tra (chưa ghi gì)")
    assert page.model.rowCount() > 0
    assert page.apply_button.isEnabled()
    assert _items(window.db) == before  # a dry run: nothing written yet


def test_a_unit_workbook_opens_as_returned_workbooks(qtbot, window, tmp_path):
    from cds_desktop.exchange.workbook_write import generate_all_workbooks
    from cds_desktop.models import Plan
    from cds_desktop.services.tracking import ensure_periods
    from cds_desktop.ui.app import open_in_window
    from cds_desktop.ui.common.jobs import running_jobs

    qtbot.waitUntil(lambda: not running_jobs(), timeout=60_000)  # the dashboard's first status
    with window.db.session() as session:  # the reporting periods (the dashboard may not have made them)
        ensure_periods(session, session.scalar(select(Plan)))
    made = generate_all_workbooks(window.db, "2026-05", tmp_path)
    assert made
    job = open_in_window(window, str(made[0].path))
    _wait(qtbot, job)
    page = window.workspace.screen("exchange").import_page
    assert page.kind == "workbooks" and page.paths == [made[0].path]
    assert page.result is not None and not page.result.applied


def test_the_gui_started_with_a_package_shows_its_check(qtbot, qapp, demo_db, tmp_path, monkeypatch):
    """``cds-desktop FILE.cdspkg`` end to end: run_gui opens the window on the file (no demo offer)."""
    from cds_desktop.cli import main
    from cds_desktop.ui import app as app_module

    package = export_package(demo_db, tmp_path / "p.cdspkg").path
    data_dir = demo_db.paths.data_dir
    demo_db.close()
    seen = {}

    def spy(window, path):
        from PySide6.QtCore import QTimer

        job = open_in_window(window, path)
        seen["window"], seen["job"] = window, job
        timer = QTimer(window, interval=50)  # the app's event loop ends once the check is done

        def quit_when_done() -> None:
            if job.done:
                timer.stop()
                qapp.exit(0)

        timer.timeout.connect(quit_when_done)
        timer.start()
        return job

    open_in_window = app_module.open_in_window
    monkeypatch.setattr(app_module, "open_in_window", spy)
    assert main(["--data-dir", str(data_dir), str(package)]) == 0
    page = seen["window"].workspace.screen("exchange").import_page
    assert seen["job"].done and page.result is not None and not page.result.applied
