"""The window's part of ``cds-desktop selftest``: the main window, offscreen, opens a package
on the exchange screen and checks it (the dry run a double-click on a ``.cdspkg`` starts).

It proves that the frozen app carries what the window needs (Qt's platform and image
plugins, the icon, the screens imported lazily) without showing anything on screen.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

WAIT_SECONDS = 120


def window_check(data_dir: Path, package: Path) -> str:
    """Open *package* in a main window on *data_dir*; returns the check's summary, raises on failure."""
    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a check, not a window for the user
    # the offscreen platform's remarks ("does not support raise()") go to the log, not the summary
    previous_handler = qInstallMessageHandler(lambda _mode, _context, message: log.debug("Qt: %s", message))
    try:
        return _open_package(data_dir, package)
    finally:
        qInstallMessageHandler(previous_handler)


def _open_package(data_dir: Path, package: Path) -> str:
    from cds_desktop.database import open_database
    from cds_desktop.ui.app import create_application, open_in_window
    from cds_desktop.ui.common.jobs import wait_for_jobs
    from cds_desktop.ui.evidence.models import wait_for_thumbnails
    from cds_desktop.ui.main_window import MainWindow

    app = create_application()
    if app.windowIcon().isNull():
        raise RuntimeError("không tìm thấy biểu tượng của chương trình (resources/icon.png)")
    db = open_database(data_dir)
    window = MainWindow(db)
    from cds_desktop.ui.single_instance import InstanceServer, server_name

    if not InstanceServer(server_name(data_dir), window).listening:  # a double-clicked package reaches this window
        raise RuntimeError("cửa sổ không nhận được tệp mở từ lần chạy thứ hai (QtNetwork)")
    try:
        window.show()
        job = open_in_window(window, str(package))
        deadline = time.monotonic() + WAIT_SECONDS
        while not job.done and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)
        page = window.workspace.screen("exchange").import_page
        if page.result is None:
            raise RuntimeError(f"màn hình Trao đổi dữ liệu chưa có kết quả kiểm tra gói sau {WAIT_SECONDS} giây")
        if page.result.applied or not page.apply_button.isEnabled():
            raise RuntimeError("kết quả kiểm tra gói không sẵn sàng để nhập")
        return page.summary.text().split(". ")[0]
    finally:
        window.close()
        wait_for_jobs()
        wait_for_thumbnails()
        window.deleteLater()
        QCoreApplication.processEvents()
        db.close()
