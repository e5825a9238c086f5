"""Screenshots of the main window and the units catalogue on the demo plan.

    .venv/bin/python tools/screenshot_main.py [--out screenshots]

Creates a demo database in a temporary folder (nothing of the user's is
touched), opens the main window at 1400×850, selects an indicator and saves
``main_window.png`` (plus the tasks tab, the item history, the units
catalogue, the unit editor and the error dialog).
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


def _save(widget, path: Path) -> None:
    widget.grab().save(str(path))
    print(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="output folder")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from cds_desktop.database import open_database
    from cds_desktop.logging_setup import configure_logging
    from cds_desktop.models import SECTION_INDICATORS, SECTION_TASKS
    from cds_desktop.services.common import ServiceError
    from cds_desktop.services.demo import create_demo
    from cds_desktop.ui.app import create_application
    from cds_desktop.ui.common.errors import show_error
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
        _save(window, out / "main_window.png")

        window.select_group(SECTION_TASKS, "IV")
        window.select_item(window.task_model.rows[0].uuid)
        window.detail.tabs.setCurrentIndex(1)
        app.processEvents()
        _save(window, out / "main_window_tasks.png")

        window.detail.tabs.setCurrentIndex(2)
        app.processEvents()
        _save(window.detail, out / "detail_history.png")

        dialog = open_units(window)
        dialog.resize(980, 600)
        app.processEvents()
        _save(dialog, out / "units_dialog.png")
        dialog.view.selectRow(1)
        editor = dialog.edit_selected()
        app.processEvents()
        _save(editor, out / "unit_edit_dialog.png")
        editor.close()
        dialog.close()

        try:
            raise ServiceError("Tên đơn vị không được để trống.")
        except ServiceError as exc:
            error = show_error(exc, window)
        error.details_button.setChecked(True)
        app.processEvents()
        _save(error, out / "error_dialog.png")
        error.close()
        window.close()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
