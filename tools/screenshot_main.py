"""Screenshots of the main window and the units catalogue on the demo plan.

    .venv/bin/python tools/screenshot_main.py [--out screenshots]

Creates a demo database in a temporary folder (nothing of the user's is
touched), opens the main window at 1400×850, selects an indicator and saves
``main_window.png``, ``main_window_tasks.png`` and ``units_dialog.png``.
Runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="output folder")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from cds_desktop.database import open_database
    from cds_desktop.logging_setup import configure_logging
    from cds_desktop.models import SECTION_INDICATORS, SECTION_TASKS
    from cds_desktop.services.demo import create_demo
    from cds_desktop.ui.app import create_application
    from cds_desktop.ui.main_window import MainWindow
    from cds_desktop.ui.menus import open_units

    with tempfile.TemporaryDirectory(prefix="cds-shot-") as tmp:
        data_dir = Path(tmp) / "data"
        configure_logging(data_dir / "logs")
        app = create_application()
        db = open_database(data_dir)
        create_demo(db)
        window = MainWindow(db)
        window.resize(1400, 850)
        window.show()
        app.processEvents()

        window.select_group(SECTION_INDICATORS)
        model = window.indicator_model
        row = next((i for i, r in enumerate(model.rows) if r.number == "11"), 0)
        window.select_item(model.rows[row].uuid)
        app.processEvents()
        path = out / "main_window.png"
        window.grab().save(str(path))
        print(path)

        window.select_group(SECTION_TASKS, "IV")
        window.select_item(window.task_model.rows[0].uuid)
        window.detail.tabs.setCurrentIndex(1)
        app.processEvents()
        path = out / "main_window_tasks.png"
        window.grab().save(str(path))
        print(path)

        dialog = open_units(window)
        dialog.resize(980, 600)
        app.processEvents()
        path = out / "units_dialog.png"
        dialog.grab().save(str(path))
        print(path)
        dialog.close()
        window.close()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
