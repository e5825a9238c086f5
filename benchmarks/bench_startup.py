"""Start-up benchmark: process start → first painted main window, on a 300-item plan,
measured in the same run as a bare PySide6 window (the floor).

    python benchmarks/bench_startup.py [--runs 5] [--items 300]

Both are measured the same way: the parent notes the time just before starting the
child process; the child writes ``time.time()`` from its first paint event to a probe
file (the app does so when ``CDS_STARTUP_PROBE`` is set) and quits.  Target: the app
paints within 2× the bare-window floor.
"""

from __future__ import annotations

import argparse
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


def prepare(data_dir: Path, n_items: int) -> None:
    from benchmarks.synthetic import synthetic_draft
    from cds_desktop.database import open_database
    from cds_desktop.services.plan_draft import load_draft

    db = open_database(data_dir)
    with db.session(source="benchmark") as session:
        load_draft(session, synthetic_draft(n_items, seed=7))
    db.close()


def run_once(cmd: list[str], env: dict[str, str], probe: Path) -> tuple[float, float]:
    """(first paint of the window, first paint with the plan loaded) in seconds from start."""
    ready = probe.with_name(probe.name + ".ready")
    probe.unlink(missing_ok=True)
    ready.unlink(missing_ok=True)
    env = {**env, "CDS_STARTUP_PROBE": str(probe)}
    start = time.time()
    proc = subprocess.run(cmd + ([str(probe)] if "-c" in cmd else []), env=env, timeout=120,
                          capture_output=True, text=True)
    if not probe.exists():
        raise SystemExit(f"no paint recorded (exit {proc.returncode}): {proc.stderr[-2000:]}")
    first = float(probe.read_text()) - start
    loaded = float(ready.read_text()) - start if ready.exists() else first
    return first, loaded


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--items", type=int, default=300)
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        prepare(data_dir, args.items)
        probe = Path(tmp) / "probe.txt"
        bare_cmd = [sys.executable, "-c", BARE_WINDOW]
        app_cmd = [sys.executable, "-m", "cds_desktop", "--data-dir", str(data_dir)]
        run_once(bare_cmd, env, probe)  # warm the OS file cache for both
        run_once(app_cmd, env, probe)
        bare, shell, loaded = [], [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            bare.append(run_once(bare_cmd, env, probe)[0])
            first, ready = run_once(app_cmd, env, probe)
            shell.append(first)
            loaded.append(ready)
    b, s, a = statistics.median(bare), statistics.median(shell), statistics.median(loaded)

    def runs(values: list[float]) -> str:
        return ", ".join(f"{x * 1000:.0f}" for x in values)

    print(f"start-up to first paint ({args.items}-item plan, {args.runs} runs, median; "
          f"QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']})")
    print(f"  bare PySide6 window           : {b * 1000:6.0f} ms   (runs: {runs(bare)})")
    print(f"  CĐS Desktop, window painted   : {s * 1000:6.0f} ms   (runs: {runs(shell)})  ratio {s / b:.2f}×")
    print(f"  CĐS Desktop, plan painted     : {a * 1000:6.0f} ms   (runs: {runs(loaded)})  ratio {a / b:.2f}×")
    print("  target: first painted main window within 2.00× the bare window")


if __name__ == "__main__":
    main()
