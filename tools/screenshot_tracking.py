"""Screenshots of the dashboard and of the month-entry screen on the demo plan with progress.

    .venv/bin/python tools/screenshot_tracking.py [--out screenshots]

Creates a demo database with a few months of progress (``demo --with-progress``)
in a temporary folder (nothing of the user's is touched), opens the dashboard and
the month-entry widgets at 1400×850 with "today" fixed to the demo's reference
date, and saves ``dashboard.png`` and ``month_entry.png``.  Runs offscreen unless
QT_QPA_PLATFORM says otherwise.
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


def wait_for(signal, app, timeout_ms: int = 20_000) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from cds_desktop.database import open_database
    from cds_desktop.services.demo_progress import DEMO_TODAY, create_demo_progress
    from cds_desktop.ui.app import create_application
    from cds_desktop.ui.dashboard.screen import DashboardWidget
    from cds_desktop.ui.month.entry import MonthEntryWidget

    with tempfile.TemporaryDirectory(prefix="cds-tracking-shot-") as tmp:
        db = open_database(Path(tmp) / "data")
        plan, _ = create_demo_progress(db)
        app = create_application()

        dashboard = DashboardWidget(db, today=lambda: DEMO_TODAY)
        dashboard.resize(1400, 850)
        dashboard.show()
        dashboard.set_plan(plan.uuid)
        wait_for(dashboard.refreshed, app)
        late = next(t for t in dashboard.tiles if t.tile is not None and t.tile.key == "late")
        dashboard.show_items(f"{late.tile.title}: {late.tile.value}", list(late.tile.uuids))
        app.processEvents()
        dashboard.grab().save(str(out / "dashboard.png"))
        print(f"wrote {out / 'dashboard.png'}")

        entry = MonthEntryWidget(db, today=lambda: DEMO_TODAY)
        entry.resize(1400, 850)
        entry.show()
        entry.set_plan(plan.uuid)
        wait_for(entry.refreshed, app)
        first_task = next(i for i, r in enumerate(entry.model.rows) if r.kind == "task")
        entry.table.scrollTo(entry.model.index(first_task + 6, 0))
        entry.focus_cell(first_task + 3, "figure")
        app.processEvents()
        entry.grab().save(str(out / "month_entry.png"))
        print(f"wrote {out / 'month_entry.png'}")
        dashboard.close()
        entry.close()
        db.close()


if __name__ == "__main__":
    main()
