"""Tracking at city scale: dashboard + warnings, and opening the month-entry screen.

    python benchmarks/bench_tracking.py [--data-dir DIR] [--runs 7] [--plans 126] [--items 80]

Builds once (cached in DIR, default a folder in the temp directory) a database
with 126 communes' plans of ~80 items each (benchmarks/synthetic.py), the 12
monthly periods (and quarters, halves, year) of each, and a progress record per
item, lead unit and month — about 120,000 records, written with bulk inserts;
about 5% of the monthly reports are missing and 10% late.  Then it times, for a
commune in the middle of the database, "today" = 20/10/2026:

- the dashboard with its warnings (``build_dashboard``: SQL aggregates);
- opening the month-entry screen (``month_options`` + ``month_view`` for
  2026-10, and the whole ``MonthEntryWidget`` until its rows are shown).

Targets: dashboard + warnings ≤ 300 ms; month entry opens ≤ 500 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = date(2026, 10, 20)
STATUSES = ("not_started", "in_progress", "in_progress", "in_progress", "behind", "paused", "done")
DATA_VERSION = "tracking-1"


def build(data_dir: Path, n_plans: int, n_items: int) -> None:
    from sqlalchemy import insert, select

    from benchmarks.synthetic import synthetic_draft
    from cds_desktop.database import open_database
    from cds_desktop.models import (
        LEAD,
        Assignment,
        IndicatorValue,
        Item,
        Plan,
        ReportingPeriod,
        TaskProgress,
        new_uuid,
    )
    from cds_desktop.services.plan_draft import load_draft
    from cds_desktop.services.tracking.calendar import ensure_periods

    started = time.perf_counter()
    db = open_database(data_dir)
    for n in range(n_plans):
        with db.session(source="benchmark") as session:
            session.info["audit_quiet_create"] = True  # setup data: no per-record "create" audit entries
            plan = load_draft(session, synthetic_draft(n_items, seed=n, commune=f"Thử Nghiệm {n + 1:03d}")).plan
            ensure_periods(session, plan)
        if (n + 1) % 20 == 0:
            print(f"  {n + 1}/{n_plans} plans ({time.perf_counter() - started:.0f} s)", flush=True)
    rng = random.Random(42)
    now = datetime(2026, 10, 1)
    with db.session(source="benchmark") as session:
        months = {(p.plan_id, p.code): p for p in session.scalars(select(ReportingPeriod).where(
            ReportingPeriod.kind == "month"))}
        leads = session.execute(
            select(Item.id, Item.plan_id, Item.kind, Assignment.unit_id)
            .join(Assignment, Assignment.item_id == Item.id).where(Assignment.role == LEAD)
        ).all()
        tasks, values = [], []
        for item_id, plan_id, kind, unit_id in leads:
            percent = 0
            for month in range(1, 13):
                period = months[(plan_id, f"2026-{month:02d}")]
                if rng.random() < 0.05:
                    continue  # missing report
                late = rng.random() < 0.10
                received = period.due_date + timedelta(days=rng.randint(1, 6) if late else -rng.randint(0, 6))
                common = {"uuid": new_uuid(), "created_at": now, "updated_at": now, "changed_by": "bench",
                          "version": 1, "item_id": item_id, "period_id": period.id, "unit_id": unit_id,
                          "received_on": received, "source": "paper"}
                if kind == "task":
                    percent = min(100, percent + rng.randint(0, 15))
                    status = "done" if percent == 100 else rng.choice(STATUSES[:-1])
                    tasks.append({**common, "status": status, "percent": percent, "result": "Đang triển khai",
                                  "difficulties": "", "proposals": "", "note": ""})
                else:
                    den = rng.randint(200, 2000)
                    values.append({**common, "numerator": float(rng.randint(den // 2, den)), "denominator": float(den),
                                   "value": None, "achieved": None, "note": "", "data_source": ""})
        session.execute(insert(TaskProgress), tasks)
        session.execute(insert(IndicatorValue), values)
        plans = session.scalar(select(Plan.id).order_by(Plan.id.desc()).limit(1))
    db.close()
    (data_dir / "bench-version.txt").write_text(DATA_VERSION)
    print(f"  built {plans} plans, {len(tasks)} task reports + {len(values)} indicator values "
          f"= {len(tasks) + len(values)} records in {time.perf_counter() - started:.0f} s", flush=True)


def timed(fn, runs: int) -> tuple[float, list[float]]:
    fn()  # warm-up: caches, compiled statements
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "cds-bench-tracking")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--plans", type=int, default=126)
    parser.add_argument("--items", type=int, default=80)
    args = parser.parse_args()
    data_dir = args.data_dir
    version = data_dir / "bench-version.txt"
    if not version.exists() or version.read_text() != DATA_VERSION:
        if data_dir.exists() and any(data_dir.iterdir()):
            import shutil

            shutil.rmtree(data_dir)
        print(f"building the city-scale database in {data_dir} (once)…", flush=True)
        build(data_dir, args.plans, args.items)

    from sqlalchemy import func, select

    from cds_desktop.database import open_database
    from cds_desktop.models import IndicatorValue, Plan, TaskProgress
    from cds_desktop.services.tracking.dashboard import build_dashboard
    from cds_desktop.services.tracking.month_screen import month_options, month_view

    db = open_database(data_dir)
    with db.session(source="benchmark") as session:
        plan_ids = session.scalars(select(Plan.id).order_by(Plan.id)).all()
        records = session.scalar(select(func.count(TaskProgress.id))) + session.scalar(
            select(func.count(IndicatorValue.id)))
        middle = plan_ids[len(plan_ids) // 2]
        plan_uuid = session.get(Plan, middle).uuid
        items = len(session.get(Plan, middle).items)

    def dashboard():
        with db.session(source="benchmark") as session:
            result = build_dashboard(session, session.get(Plan, middle), TODAY)
            assert result.report.warnings and result.report.completeness.units

    def month():
        with db.session(source="benchmark") as session:
            plan = session.get(Plan, middle)
            month_options(session, plan, TODAY)
            assert month_view(session, plan, "2026-10").rows

    dash_ms, dash_runs = timed(dashboard, args.runs)
    month_ms, month_runs = timed(month, args.runs)
    widget_ms, widget_runs = timed(lambda: open_month_widget(db, plan_uuid), max(3, args.runs // 2))
    db.close()
    print(f"city scale: {len(plan_ids)} plans, {records} progress records; one commune ({items} items), "
          f"today {TODAY:%d/%m/%Y}; median of {args.runs} runs")
    print(f"  dashboard + warnings           : {dash_ms:6.0f} ms  (target ≤ 300)  runs: "
          + ", ".join(f"{t:.0f}" for t in dash_runs))
    print(f"  month entry rows (service)     : {month_ms:6.0f} ms  (target ≤ 500)  runs: "
          + ", ".join(f"{t:.0f}" for t in month_runs))
    print(f"  month entry screen (widget)    : {widget_ms:6.0f} ms  (target ≤ 500)  runs: "
          + ", ".join(f"{t:.0f}" for t in widget_runs))


def open_month_widget(db, plan_uuid: str) -> None:
    """Create the month-entry widget, show it, wait until its rows are on screen."""
    from PySide6.QtCore import QEventLoop, QTimer

    from cds_desktop.ui.app import create_application
    from cds_desktop.ui.month.entry import MonthEntryWidget

    app = create_application()
    widget = MonthEntryWidget(db, today=lambda: TODAY)
    widget.resize(1400, 850)
    loop = QEventLoop()
    widget.refreshed.connect(loop.quit)
    QTimer.singleShot(30_000, loop.quit)
    widget.show()
    widget.set_plan(plan_uuid)
    loop.exec()
    app.processEvents()
    assert widget.model.rowCount() > 0
    widget.close()
    widget.deleteLater()


if __name__ == "__main__":
    main()
