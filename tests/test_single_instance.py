"""One window per data folder: a second start (a package double-clicked while the app is open) hands
its file to the open window and exits, instead of opening a second window on the same data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cds_desktop.ui.instance_lock import Claim, InstanceLock
from cds_desktop.ui.single_instance import InstanceServer, bring_to_front, hand_over, server_name

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parent.parent


def _second_start(name: str, open_file: str | None, wait_ms: int = 0) -> subprocess.Popen:
    """Another process, as a second start of the app does before it opens a window."""
    code = ("import sys; from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]); "
            "from cds_desktop.ui.single_instance import hand_over; "
            f"sys.exit(0 if hand_over({name!r}, {open_file!r}, wait_ms={wait_ms}) else 3)")
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)


def test_a_second_start_hands_its_package_to_the_open_window(qtbot, tmp_path):
    name = server_name(tmp_path / "data")
    server = InstanceServer(name)
    assert server.listening
    package = tmp_path / "xa-an-khanh.cdspkg"
    package.write_bytes(b"PK")
    with qtbot.waitSignal(server.requested, timeout=20_000) as blocker:
        proc = _second_start(name, str(package))
    assert blocker.args == [str(package.resolve())]
    assert proc.wait(timeout=20) == 0  # handed over: the second start exits without a window
    with qtbot.waitSignal(server.requested, timeout=20_000) as blocker:
        proc = _second_start(name, None)  # started again without a file: the window comes to the front
    assert blocker.args == [None] and proc.wait(timeout=20) == 0
    server.server.close()
    server.deleteLater()
    qtbot.wait(50)


def test_without_an_open_window_the_start_opens_its_own(qapp, tmp_path):
    assert hand_over(server_name(tmp_path / "nobody-here"), None) is False


def test_each_data_folder_has_its_own_window(tmp_path):
    one, other = server_name(tmp_path / "a"), server_name(tmp_path / "b")
    assert one != other and one == server_name(tmp_path / "a" / ".." / "a")
    assert str(tmp_path) not in one  # no path in a system-wide name


def test_the_open_window_comes_to_the_front_and_opens_the_file(qtbot):
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    opened: list[str] = []
    handle = bring_to_front(window, opened.append)
    handle("/tmp/x.cdspkg")
    handle(None)
    assert opened == ["/tmp/x.cdspkg"] and not window.isMinimized()


def test_run_gui_exits_at_once_when_the_window_is_already_open(qapp, tmp_path, monkeypatch):
    from argparse import Namespace

    from cds_desktop.ui import app, single_instance

    handed: list = []
    monkeypatch.setattr(single_instance, "hand_over",
                        lambda name, path, wait_ms=0: handed.append((name, path, wait_ms)) or True)
    monkeypatch.setattr(app, "MainWindow", None, raising=False)  # no window may be made
    args = Namespace(data_dir=str(tmp_path / "data"), db_url=None, open_file=str(tmp_path / "y.cdspkg"))
    assert app.run_gui(args) == 0  # no data folder yet, so no lock: the socket is asked at once
    assert handed == [(server_name(tmp_path / "data"), str(tmp_path / "y.cdspkg"), 0)]
    (tmp_path / "data").mkdir()
    window_open = InstanceLock(tmp_path / "data")
    assert window_open.claim() is Claim.OWNED
    try:
        assert app.run_gui(args) == 0  # the open window's lock: wait for it to listen
        assert handed[-1] == (server_name(tmp_path / "data"), str(tmp_path / "y.cdspkg"),
                              single_instance.HANDOVER_WAIT_MS)
    finally:
        window_open.release()


def test_the_data_folders_lock_says_whether_a_window_is_open(tmp_path):
    """Asked before the first paint without QtNetwork; the lock ends with its holder (no stale lock)."""
    assert InstanceLock(tmp_path / "not-made").claim() is Claim.UNKNOWN
    first, second = InstanceLock(tmp_path), InstanceLock(tmp_path)
    assert first.claim() is Claim.OWNED
    assert second.claim() is Claim.HELD
    first.release()
    assert second.claim() is Claim.OWNED
    second.release()
    code = ("import sys; from cds_desktop.ui.instance_lock import InstanceLock; "
            f"lock = InstanceLock({str(tmp_path)!r}); print(lock.claim().value); sys.stdout.flush(); "
            "import os; os._exit(0)")  # ends without releasing: the system lets go
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60).stdout.strip() == "owned"
    assert first.claim() is Claim.OWNED
    first.release()


def test_a_start_waits_for_an_open_window_that_listens_only_after_its_first_paint(qtbot, tmp_path):
    name = server_name(tmp_path / "data")
    proc = _second_start(name, None, wait_ms=20_000)  # the lock was held: a window is opening
    qtbot.wait(1_000)  # …and listens after its first paint
    server = InstanceServer(name)
    with qtbot.waitSignal(server.requested, timeout=20_000) as blocker:
        pass
    assert blocker.args == [None] and proc.wait(timeout=20) == 0
    server.server.close()
    server.deleteLater()
    qtbot.wait(50)
