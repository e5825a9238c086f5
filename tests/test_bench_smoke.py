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
