"""Start-up benchmark: whole processes, from launch to what the officer waits for, on a
300-item plan, in paired runs against the floors (medians, ratios).

    xvfb-run -a python benchmarks/bench_startup.py [--runs 7] [--items 300]

Measured per run (the parent notes the time just before starting each child process):

- bare PySide6 window: first paint of a QMainWindow (the floor of any window);
- sqlite3-fed table: a QTableView showing the plan's rows read with ``sqlite3`` (the floor
  of a plan table);
- CĐS Desktop on the Kế hoạch screen (``CDS_STARTUP_SCREEN=plan``): first paint of the
  window, and first paint with the plan table filled;
- CĐS Desktop on its first screen (Tổng quan): first paint with the dashboard's figures (painted
  from the snapshot the last run kept, as on any normal start), and the same without a snapshot
  (the first start after an import, or after a change made outside the dashboard: the figures wait
  for the data layer);
- the longest stall of the app's event loop after its first paint, until the data layer
  has taken over (a 5 ms heartbeat timer, :mod:`cds_desktop.ui.startup_probe`).

Targets (issue #17): plan table ≤ 1.5× the bare window, dashboard figures ≤ 2×, no stall
over 50 ms after the first paint.  Run it under a real X server (``xvfb-run -a``); without
``DISPLAY`` it falls back to ``QT_QPA_PLATFORM=offscreen``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_WINDOW = r"""
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
class Probe(QLabel):
    done = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not Probe.done:
            Probe.done = True
            with open(sys.argv[1], "w") as fh:
                fh.write(repr(time.time()))
            QApplication.instance().quit()
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(Probe("CĐS Desktop"))
window.resize(1280, 800)
window.show()
app.exec()
"""

SQLITE_TABLE = r"""
import sqlite3, sys, time
from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
HEADERS = ("STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Kết quả cần đạt")
conn = sqlite3.connect(sys.argv[2])
rows = conn.execute(
    "SELECT number, content, lead_text, coordinating_text, deadline_text, expected_result FROM items "
    "WHERE deleted_at IS NULL AND kind = 'task' ORDER BY position").fetchall()
class Model(QAbstractTableModel):
    def rowCount(self, parent=None): return len(rows)
    def columnCount(self, parent=None): return len(HEADERS)
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return rows[index.row()][index.column()] if role == Qt.ItemDataRole.DisplayRole else None
    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
class View(QTableView):
    done = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not View.done and self.model().rowCount():
            View.done = True
            with open(sys.argv[1], "w") as fh:
                fh.write(repr(time.time()))
            QApplication.instance().quit()
app = QApplication(sys.argv[:1])
window = QMainWindow()
view = View()
view.setModel(Model())
view.setWordWrap(True)
window.setCentralWidget(view)
window.resize(1280, 800)
window.show()
app.exec()
"""


def prepare(data_dir: Path, n_items: int) -> None:
    from benchmarks.synthetic import synthetic_draft
    from cds_desktop.database import open_database
    from cds_desktop.services.plan_draft import load_draft

    db = open_database(data_dir)
    with db.session(source="benchmark") as session:
        load_draft(session, synthetic_draft(n_items, seed=7))
    db.close()


def run_floor(script: str, args: list[str], env: dict[str, str], probe: Path) -> float:
    probe.unlink(missing_ok=True)
    start = time.time()
    proc = subprocess.run([sys.executable, "-c", script, str(probe), *args], env=env, timeout=120,
                          capture_output=True, text=True)
    if not probe.exists():
        raise SystemExit(f"no paint recorded (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return float(probe.read_text()) - start


def run_app(data_dir: Path, screen: str, env: dict[str, str], probe: Path) -> dict[str, float]:
    """(first paint, ready, stall) of one app process: seconds from start, stall in ms."""
    files = [probe, probe.with_name(probe.name + ".ready"), probe.with_name(probe.name + ".done")]
    for file in files:
        file.unlink(missing_ok=True)
    env = {**env, "CDS_STARTUP_PROBE": str(probe), "CDS_STARTUP_SCREEN": screen}
    start = time.time()
    proc = subprocess.run([sys.executable, "-m", "cds_desktop", "--data-dir", str(data_dir)], env=env,
                          timeout=180, capture_output=True, text=True)
    if not all(f.exists() for f in files):
        raise SystemExit(f"the app did not finish its probe (exit {proc.returncode}): {proc.stderr[-2000:]}")
    done = json.loads(files[2].read_text())
    return {"first": float(files[0].read_text()) - start, "ready": float(files[1].read_text()) - start,
            "stall": done["stall_ms"] / 1000}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--items", type=int, default=300)
    args = parser.parse_args()
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: dict[str, list[float]] = {k: [] for k in (
        "bare", "table", "app_first", "plan", "plan_stall", "dash_first", "dashboard", "dash_stall",
        "dash_cold")}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        prepare(data_dir, args.items)
        db_file = str(data_dir / "cds.sqlite")
        probe = Path(tmp) / "probe.txt"
        run_floor(BARE_WINDOW, [], env, probe)  # warm the OS file cache for all
        run_floor(SQLITE_TABLE, [db_file], env, probe)
        run_app(data_dir, "plan", env, probe)
        run_app(data_dir, "", env, probe)  # the dashboard keeps its snapshot (the first one made the periods)
        for _ in range(args.runs):  # interleaved, so all see the same machine load
            results["bare"].append(run_floor(BARE_WINDOW, [], env, probe))
            results["table"].append(run_floor(SQLITE_TABLE, [db_file], env, probe))
            plan = run_app(data_dir, "plan", env, probe)
            results["app_first"].append(plan["first"])
            results["plan"].append(plan["ready"])
            results["plan_stall"].append(plan["stall"])
            dash = run_app(data_dir, "", env, probe)
            results["dash_first"].append(dash["first"])
            results["dashboard"].append(dash["ready"])
            results["dash_stall"].append(dash["stall"])
            snapshot = data_dir / "dashboard_snapshot.json"
            kept = snapshot.read_bytes()
            snapshot.unlink()
            results["dash_cold"].append(run_app(data_dir, "", env, probe)["ready"])
            snapshot.write_bytes(kept)  # (the same data: still valid)
    med = {k: statistics.median(v) for k, v in results.items()}
    bare, table = med["bare"], med["table"]

    def row(label: str, key: str, floor: float | None, floor_name: str = "", target: str = "") -> None:
        ratio = f"{med[key] / floor:5.2f}× {floor_name}" if floor else ""
        runs = ", ".join(f"{x * 1000:.0f}" for x in results[key])
        print(f"| {label:<44} | {med[key] * 1000:7.0f} ms | {ratio:<22} | {target:<8} | {runs}")

    print(f"start-up, whole processes ({args.items}-item plan, {args.runs} paired runs, medians; "
          f"QT_QPA_PLATFORM={env.get('QT_QPA_PLATFORM', 'xcb')}, DISPLAY={env.get('DISPLAY', '')})")
    print(f"| {'measure':<44} | {'median':>10} | {'ratio':<22} | {'target':<8} | runs (ms)")
    print(f"|{'-' * 46}|{'-' * 12}|{'-' * 24}|{'-' * 10}|----------")
    row("bare PySide6 window (floor)", "bare", None)
    row("QTableView fed by sqlite3 (floor)", "table", bare, "bare")
    row("CĐS Desktop: first painted window", "app_first", bare, "bare", "≤ 2×")
    row("CĐS Desktop: plan table painted", "plan", bare, "bare", "≤ 1.5×")
    print(f"| {'':<44} | {'':>10} | {med['plan'] / table:5.2f}× sqlite3 table{'':<3} |")
    row("CĐS Desktop: dashboard figures painted", "dashboard", bare, "bare", "≤ 2×")
    row("  … without a snapshot (first after import)", "dash_cold", bare, "bare")
    row("longest stall after first paint (Kế hoạch)", "plan_stall", None, "", "≤ 50 ms")
    row("longest stall after first paint (Tổng quan)", "dash_stall", None, "", "≤ 50 ms")


if __name__ == "__main__":
    main()
