"""The pictures of the in-app guide (resources/help/images/*.png), taken offscreen.

    .venv/bin/python tools/make_help_images.py [--out resources/help/images]

Creates a demo database (with sample reports) in a temporary folder, opens the
main window at 1366×768 and saves each screen, scaled to 820 px wide with a
reduced palette so that each picture stays small (they ship with the installer).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
WIDTH = 820


def _save(widget, path: Path, width: int = WIDTH, height: int | None = None) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = widget.grab().toImage()
    if height is not None:
        image = image.copy(0, 0, image.width(), height)
    if image.width() > width:
        image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
    image.save(str(path), "PNG", 9)
    print(path, path.stat().st_size // 1024, "KB")


def _wait(app, condition, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "resources" / "help" / "images"), help="output folder")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from cds_desktop.database import open_database
    from cds_desktop.models import SECTION_TASKS
    from cds_desktop.services.demo_progress import DEMO_TODAY, create_demo_progress
    from cds_desktop.ui.app import create_application
    from cds_desktop.ui.common.jobs import wait_for_jobs
    from cds_desktop.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="cds-help-") as tmp:
        app = create_application()
        db = open_database(Path(tmp) / "data")
        window = MainWindow(db)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        _save(window, out / "bat_dau.png", height=500)  # no plan yet: the three ways to start

        create_demo_progress(db)
        window.reload_plans()
        dashboard = window.workspace.show_screen("dashboard")
        before = dashboard._generation
        dashboard.set_today(DEMO_TODAY)
        _wait(app, lambda: dashboard._generation > before and dashboard.dashboard is not None
              and "18/09/2026" in dashboard.subtitle.text())
        _save(window, out / "tong_quan.png")

        window.workspace.show_screen("plan")
        window.select_group(SECTION_TASKS, "IV")
        window.select_item(window.task_model.rows[0].uuid)
        app.processEvents()
        _save(window, out / "ke_hoach.png")
        index = window.tree_model.find(SECTION_TASKS, "IV")
        menu = window.show_tree_menu(window.tree_view.visualRect(index).center())
        app.processEvents()
        _save(menu, out / "menu_nhom.png", 400)
        menu.close()
        window.tree_view.clearSelection()
        window.filter_bar.today = DEMO_TODAY
        window.filter_bar.toggle_button.setChecked(True)
        combo = window.filter_bar.combos["unit_uuid"]
        combo.setCurrentIndex(combo.findText("Công an xã"))
        app.processEvents()
        _save(window, out / "bo_loc.png")
        window.filter_bar.clear()
        window.filter_bar.toggle_button.setChecked(False)

        month = window.workspace.show_screen("month")
        month.set_today(DEMO_TODAY)
        _wait(app, lambda: month.model.rowCount() > 0 if hasattr(month, "model") else True)
        _save(window, out / "nhap_bao_cao.png")

        reports = window.workspace.show_screen("reports")
        reports.set_today(DEMO_TODAY)
        reports.preview_button.click()
        _wait(app, lambda: not reports.busy and reports.print_button.isEnabled(), 60)
        _save(window, out / "in_bao_cao.png")

        window.workspace.show_screen("exchange")
        app.processEvents()
        _save(window, out / "trao_doi.png")
        wait_for_jobs()
        window.close()
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
