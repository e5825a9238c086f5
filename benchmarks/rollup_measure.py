"""The roll-up's row of ``python3 dev.py bench`` (measure ``rollup``, issue 16).

A city's packages (built once by ``bench_rollup.py --build-only``, kept in ``--cache``) received
by ``cds-desktop rollup import DIR --trust`` as a whole process, against the floor ``unzip`` of
each package then ``openssl sha256`` of every file it held, in paired runs; then, in the folder
imported once more, the overview's slowest sort/filter and the slowest summary report
(``bench_rollup.py --views``, in-process figures as the targets are stated).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.procs import PYTHON, Paired, Step, paired

HERE = Path(__file__).resolve().parent
MB = 1024 * 1024
TODAY = "2026-11-26"  # benchmarks.rollup_data.TODAY: the day the packages' figures are built for


@dataclass
class RollupFigures:
    result: Paired
    packages: int
    mib: float
    communes: int = 0
    overview_ms: int | None = None
    report: str = ""
    report_s: float | None = None


def measure(bench: Any, communes: int, evidence_mb: int, runs: int) -> RollupFigures:
    """*bench*: ``run_all.Bench`` (work folder, cache, app environment, empty data folder)."""
    folder = (bench.cache or bench.work) / f"rollup-{communes}-{evidence_mb}"
    if not any(folder.glob("*.cdspkg")):
        bench.say(f"building {communes} communes' packages ({evidence_mb} MiB of evidence)")
        subprocess.run([PYTHON, str(HERE / "bench_rollup.py"), "--build-only", "--packages-dir", str(folder),
                        "--communes", str(communes), "--evidence-mb", str(evidence_mb), "--workdir", str(bench.work)],
                       env=bench.env, cwd=bench.work, check=True, stdout=subprocess.DEVNULL)
    packages = sorted(folder.glob("*.cdspkg"))
    size = sum(p.stat().st_size for p in packages)
    unzipped, data = bench.work / "rollup-unzipped", bench.work / "rollup"

    def prepare() -> None:
        bench.fresh(bench.empty_dir(), "rollup")
        shutil.rmtree(unzipped, ignore_errors=True)
        unzipped.mkdir()

    # each package unzipped, then every file it held hashed (listed after the unzip)
    floor = [Step(["sh", "-c", 'unzip -q "$1" -d "$2" && find "$2" -type f -exec openssl sha256 {} + >/dev/null',
                   "floor", str(p), str(unzipped / p.stem)]) for p in packages]
    argv = [PYTHON, "-m", "cds_desktop", "--data-dir", str(data), "rollup", "import", str(folder), "--trust",
            "--today", TODAY]
    result = paired([Step(argv, env=bench.env, cwd=bench.work)], floor, runs, prepare=prepare)
    bench.detail("rollup", result)
    figures = RollupFigures(result, len(packages), size / MB)
    prepare()
    subprocess.run(argv, env=bench.env, cwd=bench.work, check=True, capture_output=True)
    shutil.rmtree(unzipped, ignore_errors=True)
    proc = subprocess.run([PYTHON, str(HERE / "bench_rollup.py"), "--views", str(data)], env=bench.env,
                          cwd=bench.work, capture_output=True, text=True, check=True)
    overview = re.search(r"overview: (\d+) communes in (\d+) ms", proc.stdout)
    report = re.search(r"slowest report: (\S+) (\d+(?:\.\d+)?)s", proc.stdout)
    if overview:
        figures.communes, figures.overview_ms = int(overview[1]), int(overview[2])
    if report:
        figures.report, figures.report_s = report[1], float(report[2])
    return figures
