"""Help inside the app (F1 / Trợ giúp → Hướng dẫn, the guide in resources/help, shipped by the
installer) and the empty screens that say what to do next."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from support.windows import open_window

from cds_desktop.paths import resources_dir

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parent.parent


def _window(qtbot, db):
    return open_window(qtbot, db)


def test_the_guide_and_its_pictures_are_shipped():
    from cds_desktop.ui.help import ANCHORS, GUIDE, help_dir

    html = (help_dir() / GUIDE).read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 6
    for name in images:
        path = help_dir() / name
        assert path.exists(), name
        assert path.stat().st_size < 200_000, name  # small: they ship with the installer
    for anchor in ANCHORS.values():
        assert f'<a name="{anchor}">' in html
    assert help_dir().parent == resources_dir()
    spec = (ROOT / "installer" / "cds_desktop.spec").read_text(encoding="utf-8")
    assert '(str(root / "resources"), "resources")' in spec  # resources/help goes with it


def test_f1_opens_the_guide_at_the_current_screen(qtbot, demo_db):
    win = _window(qtbot, demo_db)
    win.workspace.show_screen("plan")
    from PySide6.QtWidgets import QProgressDialog

    from cds_desktop.ui.common.jobs import wait_for_jobs

    def settled() -> bool:  # shortcuts reach the active window only: no job's progress box may be up
        if not wait_for_jobs(0) or any(box.isVisible() for box in win.findChildren(QProgressDialog)):
            return False
        win.activateWindow()
        return win.isActiveWindow()

    qtbot.waitUntil(settled, timeout=30_000)
    qtbot.keyClick(win.tree_view, Qt.Key.Key_F1)
    from cds_desktop.ui.help import HelpDialog

    qtbot.waitUntil(lambda: win.findChild(HelpDialog) is not None and win.findChild(HelpDialog).isVisible(),
                    timeout=10_000)
    dialog = win.findChild(HelpDialog)
    browser = dialog.browser
    assert "Hướng dẫn sử dụng CĐS Desktop" in browser.toPlainText()
    image = browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl("images/ke_hoach.png"))
    assert image is not None and not image.isNull()
    assert browser.verticalScrollBar().value() > 0  # scrolled to "Kế hoạch"
    help_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "Trợ &giúp")
    entry = next(a for a in help_menu.actions() if a.text() == "Hướng dẫn")
    assert entry.shortcut().toString() == "F1"
    dialog.close()


def test_empty_screens_offer_the_next_steps(qtbot, db):
    win = _window(qtbot, db)
    from cds_desktop.ui.common.empty_state import EmptyState

    page = win.workspace.currentWidget()
    assert win.workspace.current_key() == "dashboard"
    empty = page.stack.currentWidget()
    assert isinstance(empty, EmptyState)
    assert empty.findChild(type(empty.buttons["Nhập kế hoạch…"])) is not None
    assert list(empty.buttons) == ["Nhập kế hoạch…", "Tạo kế hoạch trống…", "Dùng kế hoạch mẫu"]
    # The plan screen says the same; the exchange screen (a package can bring a plan) does not.
    win.workspace.show_screen("plan")
    assert isinstance(win.workspace.currentWidget().stack.currentWidget(), EmptyState)
    win.workspace.show_screen("exchange")
    assert not isinstance(win.workspace.currentWidget().stack.currentWidget(), EmptyState)
    # "Tạo kế hoạch trống…" opens the dialog.
    win.workspace.show_screen("dashboard")
    qtbot.mouseClick(empty.buttons["Tạo kế hoạch trống…"], Qt.MouseButton.LeftButton)
    from cds_desktop.ui.plan.structure_dialogs import BlankPlanDialog

    dialog = win.findChild(BlankPlanDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    # "Dùng kế hoạch mẫu": the demo plan, and the screens come back.
    with qtbot.waitSignal(win.demoCreated, timeout=30_000):
        qtbot.mouseClick(empty.buttons["Dùng kế hoạch mẫu"], Qt.MouseButton.LeftButton)
    assert win.has_plans()
    assert win.workspace.currentWidget().stack.currentWidget() is win.workspace.screen("dashboard")
    win.workspace.show_screen("month")
    page = win.workspace.currentWidget()
    assert page.stack.currentWidget() is page.screen
