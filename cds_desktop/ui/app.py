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
    from cds_desktop.ui.common.questions import install_vietnamese

    install_vietnamese()
    from cds_desktop.paths import resources_dir

    icon_file = resources_dir() / "icon.png"
    if icon_file.exists():
        app.setWindowIcon(QIcon(str(icon_file)))
    return app


def apply_font(app: QApplication) -> None:
    family = pick_font_family()
    font = QFont(family) if family else QFont(app.font())
    font.setPointSize(FONT_POINT_SIZE)
    app.setFont(font)
    log.info("UI font: %s %spt", family or font.family(), FONT_POINT_SIZE)


class FirstPaintWatcher(QObject):
    """Calls ``callback(painted_at)`` once, queued right after the first paint event
    of *widget* (or after *fallback_ms* without a paint, with ``painted_at=None``)."""

    def __init__(self, widget: QWidget, callback, fallback_ms: int = 2000) -> None:
        super().__init__(widget)
        self.callback = callback
        self.painted_at: float | None = None
        widget.installEventFilter(self)
        self._fallback = QTimer(self, singleShot=True, interval=fallback_ms)
        self._fallback.timeout.connect(self._fire)
        self._fallback.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.painted_at is None and event.type() == QEvent.Type.Paint:
            self.painted_at = time.time()
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        if self.callback is not None:
            callback, self.callback = self.callback, None
            callback(self.painted_at)


def _write_probe(path: str, at: float | None) -> None:
    Path(path).write_text(repr(at if at is not None else time.time()), encoding="utf-8")


def auto_demo_requested(args) -> bool:
    return bool(getattr(args, "demo", False)) or os.environ.get("CDS_AUTO_DEMO", "").strip() not in ("", "0")


def open_in_window(window, path: str):
    """Show the exchange screen with *path* (a package or a unit workbook) checked by a dry
    run, ready to import; returns the check's job."""
    screen = window.workspace.show_screen("exchange")
    window.raise_()
    window.activateWindow()
    return screen.open_file(path)


def run_gui(args) -> int:
    """Show the main window, then open the database and load the plan; returns the exit code.

    The window paints before the data layer is even imported.  With
    ``CDS_STARTUP_PROBE`` set, the time of that first paint is written to the
    file, the time of the first paint with the plan loaded to ``<file>.ready``,
    and the app quits then (after the demo plan is made, with CDS_AUTO_DEMO).
    """
    from cds_desktop.ui.common.errors import install_excepthook
    from cds_desktop.ui.main_window import MainWindow

    app = create_application()
    install_excepthook()
    window = MainWindow()
    probe = os.environ.get("CDS_STARTUP_PROBE")
    state = {"code": 0, "db": None}

    def open_and_attach(painted_at: float | None) -> None:
        if probe:
            _write_probe(probe, painted_at)
        from cds_desktop.database import DatabaseError, open_database
        from cds_desktop.ui.common.errors import show_error

        try:
            db = open_database(getattr(args, "data_dir", None), getattr(args, "db_url", None))
        except DatabaseError as exc:
            show_error(exc, window, block=not probe, title="Không mở được dữ liệu")
            state["code"] = 1
            window.close()
            app.exit(1)
            return
        state["db"] = db
        window.attach(db)
        auto = auto_demo_requested(args)
        if probe:
            quit_now = window.has_plans() or not auto  # the probe never waits for a question

            def ready(at: float | None) -> None:
                _write_probe(probe + ".ready", at)
                if quit_now:
                    app.quit()

            FirstPaintWatcher(window.workspace, ready)
            if quit_now:
                return
        open_file = getattr(args, "open_file", None)
        if open_file:  # a package or workbook double-clicked: check it, ready to import
            open_in_window(window, open_file)
            return
        if not window.has_plans():
            job = window.offer_demo(auto=auto)
            if probe and job is not None:
                job.finished.connect(app.quit)

    FirstPaintWatcher(window.centralWidget(), open_and_attach)
    window.show()
    try:
        code = app.exec()
    finally:
        from cds_desktop.ui.common.jobs import wait_for_jobs
        from cds_desktop.ui.evidence.models import wait_for_thumbnails

        wait_for_jobs()
        wait_for_thumbnails()
        window.close()
        # quit() closes the windows, which posts one more Quit: drop it, so that a
        # caller that keeps the QApplication (tests) still has working event loops.
        app.removePostedEvents(app, QEvent.Type.Quit)
        if state["db"] is not None:
            state["db"].close()
    code = code or state["code"]
    log.info("GUI closed (exit code %s)", code)
    return int(code)
