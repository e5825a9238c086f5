"""The benchmark runner (``dev.py bench``) runs to its table; figures are not judged here."""

from __future__ import annotations

import subprocess
import sys

from support.paths import ROOT


def test_bench_quick_info_prints_its_table(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick", "--only", "info",
                           "--runs", "1"], capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert lines[1].startswith("| measure") and "floor" in lines[1] and "ratio" in lines[1]
    assert any("`info`" in line and "python -c pass" in line for line in lines[3:])


def test_window_rows_are_read_from_either_form_of_bench_startup():
    sys.path.insert(0, str(ROOT))
    from benchmarks.run_all import startup_rows

    table = ("| measure | median | ratio | target | runs (ms)\n|---|---|---|---|---\n"
             "| bare PySide6 window (floor) |     800 ms | | | 800\n"
             "| QTableView fed by sqlite3 (floor) | 1000 ms | 1.25× bare | | 1000\n"
             "| CĐS Desktop: plan table painted | 1400 ms | 1.75× bare | ≤ 1.5× | 1400\n"
             "|  |  | 1.40× sqlite3 table |\n"
             "| longest stall after first paint (Kế hoạch) | 60 ms | | ≤ 50 ms | 60\n")
    rows = startup_rows(table)
    assert [(r.measure, r.ratio, r.ok) for r in rows] == [("plan table painted", "1.40", True),
                                                          ("longest stall after first paint (Kế hoạch)", "", False)]
    lines = "  bare PySide6 window : 200 ms\n  CĐS Desktop, window painted : 300 ms (runs: 300)\n"
    assert [(r.measure, r.ratio, r.ok) for r in startup_rows(lines)] == [("window painted", "1.50", True)]
