"""Screenshots of the plan-structure commands: the plan header, a blank plan, a group,
the tree's context menu, "Chuyển sang nhóm…".

    .venv/bin/python tools/screenshot_structure.py [--out screenshots] [--size 1366x768]

Creates a demo database in a temporary folder (nothing of the user's is touched).
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


def _wait(app, condition, seconds: float = 30) -> None:
    import time

    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="output folder")
    parser.add_argument("--size", default="1366x768", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    width, height = (int(x) for x in args.size.split("x"))

    from cds_desktop.database import open_database
    from cds_desktop.models import SECTION_TASKS
    from cds_desktop.services.demo import create_demo
    from cds_desktop.ui.app import create_application
    from cds_desktop.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="cds-shot-") as tmp:
        app = create_application()
        db = open_database(Path(tmp) / "data")
        create_demo(db)
        window = MainWindow(db)
        window.resize(width, height)
        window.show()
        window.workspace.show_screen("plan")
        app.processEvents()

        window.select_group(SECTION_TASKS, "II")
        app.processEvents()
        index = window.tree_model.find(SECTION_TASKS, "II")
        menu = window.show_tree_menu(window.tree_view.visualRect(index).center())
        app.processEvents()
        _save(menu, out / "structure_tree_menu.png")
        menu.close()
        _save(window, out / "structure_plan_screen.png")

        for name, dialog in (
            ("structure_header_dialog.png", window.edit_plan_header()),
            ("structure_blank_plan_dialog.png", window.new_blank_plan()),
            ("structure_group_dialog.png", window.add_group(sub=True)),
        ):
            app.processEvents()
            _save(dialog, out / name)
            dialog.reject()

        window.select_item(window.task_model.rows[0].uuid)
        dialog = window.move_items_to_group()
        app.processEvents()
        _save(dialog, out / "structure_move_items.png")
        dialog.reject()

        # The filter bar open, filtered by a unit; then the list behind a dashboard figure.
        from cds_desktop.services.demo_progress import DEMO_TODAY, create_demo_progress

        create_demo_progress(db)
        window.reload_plans()
        window.filter_bar.today = DEMO_TODAY
        window.filter_bar.toggle_button.setChecked(True)
        combo = window.filter_bar.combos["unit_uuid"]
        combo.setCurrentIndex(combo.findText("Công an xã"))
        app.processEvents()
        _save(window, out / "filter_bar.png")
        window.filter_bar.toggle_button.setChecked(False)
        dashboard = window.workspace.screen("dashboard")
        dashboard.set_today(DEMO_TODAY)
        _wait(app, lambda: dashboard.dashboard is not None)
        tile = next(t for t in dashboard.tiles if t.tile is not None and t.tile.key == "late")
        dashboard.show_items(f"{tile.tile.title}: {tile.tile.value}", list(tile.tile.uuids))
        app.processEvents()
        _save(window, out / "filter_figure_list.png")
        window.workspace.show_screen("dashboard")
        _wait(app, lambda: dashboard.dashboard is not None)
        app.processEvents()
        _save(window, out / "dashboard_back.png")
        from cds_desktop.ui.common.jobs import wait_for_jobs

        wait_for_jobs()
        window.close()
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
