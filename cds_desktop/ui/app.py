"""Start the desktop application: ``run_gui(args)`` (called by ``cds_desktop.cli``).

Environment:

- ``CDS_AUTO_DEMO=1`` (or ``args.demo``): on an empty database, create the
  demo plan without asking;
- ``CDS_STARTUP_PROBE=<file>``: write ``time.time()`` to *file* when the main
  window paints its first frame, then quit (used by the start-up benchmark).

Start-up stays light: no report/export libraries are imported here.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from cds_desktop import APP_ID, APP_NAME, __version__

log = logging.getLogger(__name__)

# Fonts with full Vietnamese coverage, best first (Windows, then common Linux ones).
PREFERRED_FONTS = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial", "Tahoma")
FONT_POINT_SIZE = 10


def pick_font_family(available: list[str] | None = None) -> str | None:
    families = set(available if available is not None else QFontDatabase.families())
    for name in PREFERRED_FONTS:
        if name in families:
            return name
    return None


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused if one exists), named and with a Vietnamese-capable font."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_ID)
    apply_font(app)
    icon_file = Path(__file__).resolve().parent.parent.parent / "resources" / "icon.png"
    if icon_file.exists():
        app.setWindowIcon(QIcon(str(icon_file)))
    return app


def apply_font(app: QApplication) -> None:
    family = pick_font_family()
    font = QFont(family) if family else QFont(app.font())
    font.setPointSize(FONT_POINT_SIZE)
    app.setFont(font)
    log.info("UI font: %s %spt", family or font.family(), FONT_POINT_SIZE)


class FirstPaintProbe(QObject):
    """Writes ``time.time()`` to a file at the first paint of *widget*, then quits."""

    def __init__(self, widget: QWidget, path: str, quit_after: bool = True) -> None:
        super().__init__(widget)
        self.path = path
        self.quit_after = quit_after
        self.fired = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.fired and event.type() == QEvent.Type.Paint:
            self.fired = True
            Path(self.path).write_text(repr(time.time()), encoding="utf-8")
            watched.removeEventFilter(self)
            if self.quit_after:
                QTimer.singleShot(0, QApplication.quit)
        return False


def auto_demo_requested(args) -> bool:
    return bool(getattr(args, "demo", False)) or os.environ.get("CDS_AUTO_DEMO", "").strip() not in ("", "0")


def run_gui(args) -> int:
    """Open the database and show the main window; returns the exit code."""
    from cds_desktop.database import DatabaseError, open_database
    from cds_desktop.ui.errors import install_excepthook, show_error

    app = create_application()
    install_excepthook()
    try:
        db = open_database(getattr(args, "data_dir", None), getattr(args, "db_url", None))
    except DatabaseError as exc:
        show_error(exc, None, block=True, title="Không mở được dữ liệu")
        return 1

    from cds_desktop.ui.jobs import wait_for_jobs
    from cds_desktop.ui.main_window import MainWindow

    window = MainWindow(db)
    probe_file = os.environ.get("CDS_STARTUP_PROBE")
    if probe_file:
        FirstPaintProbe(window.splitter, probe_file)
    window.show()
    auto = auto_demo_requested(args)
    if not window.has_plans() and (auto or not probe_file):  # the probe never waits for a question
        QTimer.singleShot(0, lambda: window.offer_demo(auto=auto))
    try:
        code = app.exec()
    finally:
        wait_for_jobs()
        db.close()
    log.info("GUI closed (exit code %s)", code)
    return int(code)
