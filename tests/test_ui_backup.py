"""Tệp → Sao lưu… / Khôi phục… through the window's menu (the file dialogs are the system's own,
so the test answers them; everything else is the window as the officer uses it)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select
from support.windows import open_window

from cds_desktop.database import open_database
from cds_desktop.exchange.dump import logical_dump
from cds_desktop.models import Item
from cds_desktop.paths import app_paths
from cds_desktop.services.backup import restore_backup
from cds_desktop.ui.common import questions
from cds_desktop.ui.common.jobs import running_jobs

pytestmark = [pytest.mark.gui, pytest.mark.sqlite_only(reason="a backup file holds the SQLite database")]


def _menu(window, text: str):
    top = next(a for a in window.menuBar().actions() if a.text().replace("&", "") == "Tệp")
    return next(a for a in top.menu().actions() if a.text() == text)


def test_backup_and_restore_from_the_file_menu(qtbot, demo_db, tmp_path, monkeypatch):
    window = open_window(qtbot, demo_db, screen="plan")
    told, asked = [], []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: told.append((title, text)))
    out = tmp_path / "sao-luu-thang-11"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    _menu(window, "Sao lưu…").trigger()
    qtbot.waitUntil(lambda: not running_jobs() and bool(told), timeout=30_000)
    assert told[-1][0] == "Đã sao lưu" and "1 kế hoạch" in told[-1][1]
    backup = tmp_path / "sao-luu-thang-11.cdsbak"
    assert backup.exists()
    elsewhere = app_paths(tmp_path / "kiem-tra")  # what the backup holds, restored in another folder
    restore_backup(elsewhere, backup)
    copy = open_database(elsewhere.data_dir)
    original = logical_dump(copy)
    copy.close()

    with demo_db.session("test") as s:  # work done after the backup
        s.scalar(select(Item).order_by(Item.id)).note = "ghi chú sau khi sao lưu"
    changed_note_source = logical_dump(demo_db)["tables"]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    monkeypatch.setattr(questions, "ask", lambda parent, title, text, **k: asked.append((title, text, k)) or True)
    _menu(window, "Khôi phục…").trigger()
    qtbot.waitUntil(lambda: not running_jobs() and len(told) == 2, timeout=30_000)
    title, text, options = asked[0]
    assert title == "Khôi phục dữ liệu" and "1 kế hoạch" in text and options["yes"] == "Khôi phục"
    assert told[-1][0] == "Đã khôi phục" and "before-restore" in told[-1][1]
    qtbot.waitUntil(lambda: not running_jobs(), timeout=30_000)
    now = logical_dump(demo_db)
    # The window makes the plan's reporting periods when a screen needs them (also after the restore)
    changed = {k for k, rows in now["tables"].items() if rows != original["tables"][k]}
    assert changed <= {"reporting_periods"} and now["evidence_files"] == original["evidence_files"]
    assert any(i["note"] == "ghi chú sau khi sao lưu" for i in changed_note_source["items"])
    assert not any(i.get("note") == "ghi chú sau khi sao lưu" for i in now["tables"]["items"])
    assert window.indicator_model.rowCount() > 0  # the window shows the restored plan


def test_a_damaged_backup_is_refused_in_the_window(qtbot, demo_db, tmp_path, monkeypatch):
    from cds_desktop.ui.common import errors

    window = open_window(qtbot, demo_db, screen="plan")
    bad = tmp_path / "hong.cdsbak"
    bad.write_bytes(b"PK\x03\x04 khong phai ban sao luu")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    asked = []
    monkeypatch.setattr(questions, "ask", lambda *a, **k: asked.append(a) or True)
    before = demo_db.paths.db_file.read_bytes()
    _menu(window, "Khôi phục…").trigger()
    qtbot.waitUntil(lambda: not running_jobs() and bool(errors.open_error_dialogs()), timeout=30_000)
    dialog = errors.open_error_dialogs()[0]
    assert "hong.cdsbak" in dialog.message and "Traceback" not in dialog.message
    dialog.reject()
    assert asked == [] and demo_db.paths.db_file.read_bytes() == before
