"""Drive the real main window the way a person does: mouse clicks on what is visible
(menu titles and entries, tabs, buttons, cells, list entries), keys typed, Vietnamese
text pasted from the clipboard (Ctrl+V), modal dialogs answered when they appear.

Everything is found by its visible (Vietnamese) text.  Reading what is on screen
(labels, cells, combo texts) is allowed; calling a widget's private method to do
what a click does is not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTabBar,
    QTabWidget,
    QWidget,
)
from support.windows import open_window  # noqa: F401  (the scenarios take it from here)

LEFT = Qt.MouseButton.LeftButton
WAIT = 30_000


def plain(text: str) -> str:
    """Visible text without the mnemonic '&' and the trailing '…', NFC."""
    return unicodedata.normalize("NFC", text.replace("&", "")).strip()


def matches(text: str, wanted: str) -> bool:
    shown, wanted = plain(text), plain(wanted)
    return shown == wanted or shown.rstrip("…").rstrip(".").strip() == wanted.rstrip("…").strip() \
        or shown.startswith(wanted)


class Driver:
    """A person at the keyboard and mouse, with *qtbot* as hands."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self._handlers: list[QTimer] = []

    # -- finding ---------------------------------------------------------------------------
    def button(self, parent: QWidget, text: str) -> QAbstractButton:
        found = [b for b in parent.findChildren(QAbstractButton) if b.isVisible() and matches(b.text(), text)]
        assert found, f"no visible button «{text}» in {parent!r}: " + ", ".join(
            sorted({plain(b.text()) for b in parent.findChildren(QAbstractButton) if b.isVisible() and b.text()}))
        exact = [b for b in found if plain(b.text()) == plain(text)]
        return (exact or found)[0]

    def window_titled(self, title: str) -> QWidget:
        found = [w for w in QApplication.topLevelWidgets() if w.isVisible() and matches(w.windowTitle(), title)]
        assert found, f"no window «{title}»"
        return found[-1]

    def wait_window(self, title: str, timeout: int = WAIT) -> QWidget:
        self.qtbot.waitUntil(lambda: any(w.isVisible() and matches(w.windowTitle(), title)
                                         for w in QApplication.topLevelWidgets()), timeout=timeout)
        return self.window_titled(title)

    # -- mouse -------------------------------------------------------------------------------
    def activate(self, widget: QWidget) -> None:
        """A click on a window brings it to the front and gives it the keyboard (the test platform
        does not do that by itself)."""
        window = widget.window()
        if QApplication.activeWindow() is not window and not isinstance(window, QMenu) \
                and QApplication.activePopupWidget() is None:
            window.activateWindow()
            try:
                self.qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=1000)
            except Exception:
                pass

    def click(self, widget: QWidget, pos: QPoint | None = None) -> None:
        assert widget.isVisible(), f"{widget!r} is not visible"
        assert widget.isEnabled(), f"{widget!r} is disabled"
        self.activate(widget)
        if pos is None:
            self.qtbot.mouseClick(widget, LEFT)
        else:
            self.qtbot.mouseClick(widget, LEFT, pos=pos)

    def click_button(self, parent: QWidget, text: str) -> None:
        self.click(self.button(parent, text))

    def menu(self, window, title: str, entry: str) -> None:
        """Click the menu *title* in the menu bar, then its *entry*."""
        bar = window.menuBar()
        top = next((a for a in bar.actions() if matches(a.text(), title)), None)
        assert top is not None, f"no menu «{title}»"
        self.click(bar, bar.actionGeometry(top).center())
        menu: QMenu = top.menu()
        self.qtbot.waitUntil(menu.isVisible, timeout=5000)
        self.click_menu_entry(menu, entry)

    def click_menu_entry(self, menu: QMenu, entry: str) -> None:
        action = next((a for a in menu.actions() if a.isVisible() and matches(a.text(), entry)), None)
        assert action is not None, f"no entry «{entry}» in menu: " + ", ".join(plain(a.text()) for a in menu.actions())
        assert action.isEnabled(), f"menu entry «{entry}» is disabled"
        self.qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(action).center())

    def context_menu(self, view: QAbstractItemView, index: QModelIndex, entry: str) -> None:
        """Right-click *index* and choose *entry* in the menu that opens."""
        view.scrollTo(index)
        pos = view.visualRect(index).center()
        self.qtbot.mouseClick(view.viewport(), LEFT, pos=pos)
        before = {id(m) for m in QApplication.topLevelWidgets() if isinstance(m, QMenu) and m.isVisible()}
        # a right click reaches a widget as a context-menu event (the platform window makes it from the
        # button press; QTest's mouse events go to the widget directly, so it is sent as the platform would)
        from PySide6.QtGui import QContextMenuEvent

        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos))
        QApplication.sendEvent(view.viewport(), event)
        self.qtbot.waitUntil(lambda: any(isinstance(m, QMenu) and m.isVisible() and id(m) not in before
                                         for m in QApplication.topLevelWidgets()), timeout=5000)
        menu = next(m for m in QApplication.topLevelWidgets()
                    if isinstance(m, QMenu) and m.isVisible() and id(m) not in before)
        self.click_menu_entry(menu, entry)

    def tab(self, tabs: QTabWidget | QTabBar, text: str) -> None:
        bar = tabs.tabBar() if isinstance(tabs, QTabWidget) else tabs
        index = next((i for i in range(bar.count()) if matches(bar.tabText(i), text)), -1)
        assert index >= 0, f"no tab «{text}»"
        self.click(bar, bar.tabRect(index).center())
        assert bar.currentIndex() == index

    def click_cell(self, view: QAbstractItemView, row: int, column: int, double: bool = False) -> None:
        index = view.model().index(row, column)
        assert index.isValid(), f"no cell ({row}, {column})"
        view.scrollTo(index)
        pos = view.visualRect(index).center()
        self.activate(view)
        self.qtbot.mouseClick(view.viewport(), LEFT, pos=pos)
        if double:
            self.qtbot.mouseDClick(view.viewport(), LEFT, pos=pos)

    def click_index(self, view: QAbstractItemView, index: QModelIndex) -> None:
        view.scrollTo(index)
        self.activate(view)
        self.qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())

    def choose(self, combo: QComboBox, text: str) -> None:
        """Open the combo's list with a click and click the entry showing *text*."""
        row = next((i for i in range(combo.count()) if plain(combo.itemText(i)) == plain(text)),
                   next((i for i in range(combo.count()) if matches(combo.itemText(i), text)), -1))
        assert row >= 0, f"no «{text}» in the list: " + ", ".join(combo.itemText(i) for i in range(combo.count()))
        view = combo.view()
        for _attempt in range(3):  # a late window activation may close the list at once: open it again
            self.click(combo)
            self.qtbot.waitUntil(view.isVisible, timeout=5000)
            # the list ignores a release within a double-click time of opening (a press-drag-release gesture)
            self.qtbot.wait(QApplication.doubleClickInterval() + 30)
            if view.isVisible():
                break
        index = view.model().index(row, combo.modelColumn())
        view.scrollTo(index)
        rect = view.visualRect(index)
        if view.viewport().rect().contains(rect.center()):
            self.qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())
        if view.isVisible():  # the entry is not where a click reaches it: the arrow keys and Enter
            step = Qt.Key.Key_Down if row > view.currentIndex().row() else Qt.Key.Key_Up
            for _ in range(abs(row - view.currentIndex().row())):
                self.qtbot.keyClick(view, step)
            self.qtbot.keyClick(view, Qt.Key.Key_Return)
        self.qtbot.waitUntil(lambda: not view.isVisible(), timeout=5000)
        assert combo.currentIndex() == row, f"«{text}» not chosen (shows «{combo.currentText()}»)"

    # -- keyboard ----------------------------------------------------------------------------
    def type(self, widget: QWidget, text: str) -> None:
        """ASCII typed key by key; anything else pasted (clipboard + Ctrl+V), as Vietnamese is typed through
        an input method that the test platform does not have."""
        if text.isascii():
            self.qtbot.keyClicks(widget, text)
        else:
            self.paste(widget, text)

    def paste(self, widget: QWidget, text: str) -> None:
        QApplication.clipboard().setText(text)
        self.qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    def focused(self, fallback: QWidget | None = None) -> QWidget:
        widget = QApplication.focusWidget() or fallback
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def type_here(self, text: str, fallback: QWidget | None = None) -> None:
        """Type into whatever has the focus, key by key (a cell editor opens on the first key)."""
        if not text.isascii():
            self.paste(self.focused(fallback), text)
            return
        for char in text:
            self.qtbot.keyClicks(self.focused(fallback), char)

    def press(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier, fallback: QWidget | None = None) -> None:
        """A key pressed where the focus is."""
        self.qtbot.keyClick(self.focused(fallback), key, modifier)

    def key(self, widget: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(widget, key, modifier)

    def fill(self, edit: QLineEdit, text: str) -> None:
        """Click into a field, select what is there and type over it."""
        self.click(edit)
        self.key(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        self.key(edit, Qt.Key.Key_Delete)
        self.type(edit, text)

    # -- modal dialogs -----------------------------------------------------------------------
    def when_modal(self, handler: Callable[[QWidget], None], kind: type = QDialog, timeout_ms: int = WAIT) -> list:
        """Answer the next modal dialog of *kind* with *handler(dialog)* when it appears
        (call before the click that opens it: the click does not return until it is closed).
        Returns a list that gets the dialog once handled."""
        seen: list = []
        timer = QTimer()
        timer.setInterval(30)
        waited = [0]

        def poll() -> None:
            waited[0] += 30
            widget = QApplication.activeModalWidget()
            if isinstance(widget, kind) and widget.isVisible():
                timer.stop()
                seen.append(widget)
                try:
                    handler(widget)
                except BaseException:
                    import traceback

                    traceback.print_exc()
                    widget.reject() if isinstance(widget, QDialog) else widget.close()
                    raise
            elif waited[0] > timeout_ms:
                timer.stop()

        timer.timeout.connect(poll)
        timer.start()
        self._handlers.append(timer)
        return seen

    def answer_file_dialog(self, path: Path | str) -> list:
        """The next file dialog gets *path* typed into its file name and Enter."""

        def handle(dialog: QWidget) -> None:
            # the path pasted into the file name box (as copied from the file manager), then Enter
            edit = next(e for e in dialog.findChildren(QLineEdit) if e.objectName() == "fileNameEdit")
            edit.setFocus()
            self.paste(edit, str(path))
            self.key(edit, Qt.Key.Key_Return)

        return self.when_modal(handle, QFileDialog)

    def answer_message(self, accept: bool = True, seen_text: list | None = None) -> list:
        """The next message box is answered with its affirmative (or negative) button; its text is kept."""

        def handle(box: QMessageBox) -> None:
            if seen_text is not None:
                seen_text.append(box.text())
            roles = (QMessageBox.ButtonRole.AcceptRole, QMessageBox.ButtonRole.YesRole) if accept else (
                QMessageBox.ButtonRole.RejectRole, QMessageBox.ButtonRole.NoRole)
            button = next(b for b in box.buttons() if box.buttonRole(b) in roles)
            self.qtbot.mouseClick(button, LEFT)

        return self.when_modal(handle, QMessageBox)

    def answer_input(self, text: str, seen: list | None = None) -> list:
        """The next input dialog (QInputDialog) gets *text* and OK."""
        from PySide6.QtWidgets import QInputDialog, QPlainTextEdit

        def handle(dialog: QInputDialog) -> None:
            if seen is not None:
                seen.append(dialog.labelText())
            edits = [e for e in dialog.findChildren(QLineEdit) if e.isVisible()] or [
                e for e in dialog.findChildren(QPlainTextEdit) if e.isVisible()]
            edit = edits[0]
            edit.setFocus()
            self.type(edit, text)
            ok = next(b for b in dialog.findChildren(QAbstractButton)
                      if b.isVisible() and plain(b.text()) in ("OK", "Đồng ý", "Lưu"))
            self.qtbot.mouseClick(ok, LEFT)

        return self.when_modal(handle, QInputDialog)


def open_screen(driver, window, title: str):
    """Click the screen's tab; returns the screen once it is on screen."""
    driver.tab(window.workspace, title)
    page = window.workspace.currentWidget()
    driver.qtbot.waitUntil(lambda: page.screen is not None and page.screen.isVisible(), timeout=10_000)
    return page.screen
