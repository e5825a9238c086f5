"""Every screen of the main window at the two target screens, to look at before a release.

    .venv/bin/python tools/screenshot_all.py [--out screenshots/all]

The common office laptop (1366×768 at 100 %) and a 1920×1080 screen at 125 % Windows scaling
(QT_SCALE_FACTOR=1.25: a 1536×864 window in device-independent pixels).  Each size runs in its
own process (the scale factor is read when Qt starts) on the demo plan with its months of
progress, in a temporary folder; the window is maximised to the screen size minus a taskbar.
Files: ``<size>/<nn>-<screen>.png``.  Runs offscreen unless QT_QPA_PLATFORM says otherwise
(``xvfb-run`` gives a real X window).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {  # name: (physical width, height, scale factor)
    "1366x768": (1366, 768, 1.0),
    "1920x1080-125": (1920, 1080, 1.25),
}
TASKBAR = 40  # physical pixels the Windows taskbar takes


def shoot(out: Path, width: int, height: int, scale: float) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cds_desktop.database import open_database
    from cds_desktop.models import SECTION_INDICATORS, SECTION_TASKS
    from cds_desktop.services.demo import create_demo
    from cds_desktop.services.demo_progress import DEMO_TODAY, create_demo_progress
    from cds_desktop.ui.app import create_application
    from cds_desktop.ui.main_window import MainWindow

    app = create_application()  # noqa: F841 - kept alive while the screens are shot
    out.mkdir(parents=True, exist_ok=True)
    counter = [0]

    def settle(ms: int = 150) -> None:
        from PySide6.QtCore import QEventLoop

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait(condition, timeout_ms: int = 60_000) -> None:
        waited = 0
        while not condition() and waited < timeout_ms:
            settle(50)
            waited += 50

    def save(widget, name: str) -> None:
        import re
        import unicodedata

        name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
        name = re.sub(r"[^a-z0-9]+", "-", name.encode("ascii", "ignore").decode().lower()).strip("-")
        counter[0] += 1
        path = out / f"{counter[0]:02d}-{name}.png"
        widget.grab().save(str(path))
        print(path)

    with tempfile.TemporaryDirectory(prefix="cds-shot-") as tmp:
        db = open_database(Path(tmp) / "data")
        create_demo(db)
        create_demo_progress(db)
        window = MainWindow(db)
        window.resize(round(width / scale), round((height - TASKBAR) / scale))
        window.show()
        settle(300)

        dashboard = window.workspace.show_screen("dashboard")
        dashboard.set_today(DEMO_TODAY)
        wait(lambda: any(t.tile is not None for t in dashboard.tiles))
        settle()
        save(window, "tong-quan")

        window.workspace.show_screen("plan")
        window.select_group(SECTION_INDICATORS)
        window.select_item(window.indicator_model.rows[min(10, len(window.indicator_model.rows) - 1)].uuid)
        settle()
        save(window, "ke-hoach-chi-tieu")
        window.select_group(SECTION_TASKS)
        window.select_item(window.task_model.rows[0].uuid)
        for index in range(window.detail.tabs.count()):
            window.detail.tabs.setCurrentIndex(index)
            settle(100)
            name = window.detail.tabs.tabText(index).lower().replace(" ", "-")
            save(window, f"ke-hoach-nhiem-vu-{name}")
        window.detail.tabs.setCurrentIndex(0)

        month = window.workspace.show_screen("month")
        month.set_today(DEMO_TODAY)
        wait(lambda: month.model.rowCount() > 0)
        settle()
        save(window, "nhap-bao-cao-ky")

        window.workspace.show_screen("evidence")
        settle(400)
        save(window, "minh-chung")

        reports = window.workspace.show_screen("reports")
        reports.set_today(DEMO_TODAY)
        reports.set_kind("phu-luc-01")
        reports.preview()
        wait(lambda: reports.preview_pdf is not None and not reports.busy)
        settle()
        save(window, "in-bao-cao")

        exchange = window.workspace.show_screen("exchange")
        for index in range(exchange.tabs.count()):
            exchange.tabs.setCurrentIndex(index)
            settle(200)
            save(window, f"trao-doi-{exchange.tabs.tabText(index).lower().replace(' ', '-')}")

        from cds_desktop.ui.plan.import_preview import ImportPreviewDialog

        dialog = ImportPreviewDialog(db, parent=window)
        dialog.show()
        dialog.load_file(ROOT / "tests" / "fixtures" / "seeds" / "004_c2f9f5085f71fe4f.txt")
        wait(lambda: dialog.analysis is not None)
        dialog.resize(min(dialog.width(), window.width()), min(dialog.height(), window.height()))
        for index in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(index)
            settle(100)
            save(dialog, f"nhap-ke-hoach-{dialog.tabs.tabText(index).lower().replace(' ', '-')}")
        dialog.close()
        window.close()
        db.close()
        QApplication.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots" / "all"), help="output folder")
    parser.add_argument("--size", choices=sorted(SIZES), help="only this size (run in this process)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if args.size:
        width, height, scale = SIZES[args.size]
        shoot(out / args.size, width, height, scale)
        return 0
    code = 0
    for name, (_w, _h, scale) in SIZES.items():
        env = {**os.environ, "QT_SCALE_FACTOR": str(scale)}
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        with tempfile.TemporaryDirectory() as home:
            env.setdefault("CDS_DATA_DIR", str(Path(home) / "data"))
            code |= subprocess.call([sys.executable, __file__, "--out", str(out), "--size", name], env=env)
    return code


if __name__ == "__main__":
    sys.exit(main())
