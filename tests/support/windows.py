"""The main window as the GUI tests open it (no tests here)."""

from __future__ import annotations


def open_window(qtbot, db, size: tuple[int, int] = (1366, 768), screen: str | None = None):
    """The main window on *db*, resized to *size*, shown and exposed; on *screen* if given."""
    from cds_desktop.ui.main_window import MainWindow

    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    if screen:
        window.workspace.show_screen(screen)
    return window
