"""Receiving-mode benchmark (issue 16): a city's 126 communes' packages received into one
data folder, against ``unzip`` + ``openssl sha256`` of the same files in the same run.

    python benchmarks/bench_rollup.py [--communes 126] [--evidence-mb 1024] [--files 20]

Builds, under a temporary folder, one database per commune (its own installation, a plan
from ``benchmarks.synthetic.rollup_draft`` with shared city indicators, figures and
progress through the services, *files* evidence files per commune totalling
*evidence-mb* MB over the city), each exported as a ``.cdspkg``.  Then, timed:

- the baseline: for each package, ``unzip -q`` into a folder, then ``openssl sha256`` of
  every extracted file;
- ``rollup.importing.import_packages`` of the folder into an empty data folder
  (verification, merge, one transaction per package, evidence into the store, the
  figures snapshot of every commune);
- the overview (``rollup.overview.build_overview``: default, sorted by overdue tasks,
  filtered), median of 5;
- the summary reports (``rollup.summary.render_rollup``), PDF and XLSX.

Targets: import ≥ 50 % of the baseline's throughput, overview < 300 ms, a report < 2 s.

``python3 dev.py bench`` (``benchmarks/run_all.py``, measure ``rollup``) times the import as a
whole process (``cds-desktop rollup import``) against ``unzip`` + ``openssl sha256`` in paired
runs, with the packages from ``--build-only`` and the overview and reports from ``--views``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MB = 1024 * 1024
IMPORT_TARGET = 0.50
OVERVIEW_TARGET = 0.300
REPORT_TARGET = 2.0


def build_packages(work: Path, communes: int, evidence_mb: int, files: int) -> Path:
    from benchmarks.rollup_data import commune_package, empty_template

    template = empty_template(work / "empty")
    out = work / "packages"
    per_file = max(1024, evidence_mb * MB // max(1, communes * files)) if files else 0
    for index in range(communes):
        evidence = []
        if files:
            folder = work / "files" / f"{index:03d}"
            folder.mkdir(parents=True)
            for n in range(files):
                path = folder / f"minh-chung-{n:02d}.pdf"
                path.write_bytes(b"%PDF-1.4\n" + os.urandom(per_file))
                evidence.append(path)
        commune_package(template, work / "communes", index, out, evidence=evidence)
        shutil.rmtree(work / "communes" / f"commune-{index:03d}", ignore_errors=True)
        shutil.rmtree(work / "files" / f"{index:03d}", ignore_errors=True)
        if (index + 1) % 10 == 0:
            print(f"  built {index + 1}/{communes} packages", flush=True)
    return out


def baseline(packages: list[Path], work: Path) -> float:
    """Seconds for ``unzip -q`` of every package, then ``openssl sha256`` of every extracted file."""
    out = work / "unzipped"
    started = time.perf_counter()
    for number, package in enumerate(packages):
        target = out / str(number)
        target.mkdir(parents=True)
        subprocess.run(["unzip", "-q", str(package), "-d", str(target)], check=True)
        extracted = [str(p) for p in target.rglob("*") if p.is_file()]
        for start in range(0, len(extracted), 2000):
            subprocess.run(["openssl", "sha256", *extracted[start:start + 2000]], check=True,
                           stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    shutil.rmtree(out)
    return elapsed


def _timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def views(db) -> tuple[int, float, dict[str, float]]:
    """(communes, the overview's slowest variant (median of 5), seconds per summary report) of an
    imported data folder."""
    from benchmarks.rollup_data import TODAY
    from cds_desktop.rollup.overview import build_overview
    from cds_desktop.rollup.summary import render_rollup

    def overview(**options):
        with db.session() as session:
            return build_overview(session, **options)

    rows = len(overview().rows)
    t_overview = max(_timed(overview), _timed(lambda: overview(sort="overdue", descending=True)),
                     _timed(lambda: overview(text="nghiem 01", status="alerts")))
    t_reports = {}
    with tempfile.TemporaryDirectory(prefix="cds-bench-rollup-reports-") as out:
        for kind in ("tong-hop", "chi-tieu-chung", "xep-hang", "chua-gui"):
            for fmt in ("pdf", "xlsx"):
                started = time.perf_counter()
                render_rollup(db, kind, Path(out) / f"{kind}.{fmt}", today=TODAY, period="2026-11")
                t_reports[f"{kind}.{fmt}"] = time.perf_counter() - started
    return rows, t_overview, t_reports


def print_views(rows: int, t_overview: float, t_reports: dict[str, float]) -> None:
    print(f"overview: {rows} communes in {t_overview * 1000:.0f} ms (median of 5, slowest variant)", flush=True)
    print("reports: " + ", ".join(f"{k} {v:.2f}s" for k, v in t_reports.items()), flush=True)
    worst = max(t_reports, key=t_reports.__getitem__)
    print(f"slowest report: {worst} {t_reports[worst]:.2f}s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=126)
    parser.add_argument("--evidence-mb", type=int, default=1024, help="evidence over the whole city (MB)")
    parser.add_argument("--files", type=int, default=20, help="evidence files per commune")
    parser.add_argument("--workdir", default=None, help="parent folder for the temporary data")
    parser.add_argument("--packages-dir", default=None,
                        help="keep the built packages here (and reuse them when it already has some)")
    parser.add_argument("--build-only", action="store_true",
                        help="only build the packages into --packages-dir (for run_all.py)")
    parser.add_argument("--views", default=None, metavar="DATA_DIR",
                        help="only time the overview and the reports of an imported data folder")
    args = parser.parse_args(argv)

    from benchmarks.rollup_data import TODAY
    from cds_desktop.database import open_database
    from cds_desktop.rollup.importing import import_packages

    if args.views:
        db = open_database(Path(args.views))
        try:
            print_views(*views(db))
        finally:
            db.close()
        return 0
    if args.build_only:
        if not args.packages_dir:
            parser.error("--build-only needs --packages-dir")
        with tempfile.TemporaryDirectory(prefix="cds-bench-rollup-", dir=args.workdir) as work:
            folder = build_packages(Path(work), args.communes, args.evidence_mb, args.files)
            shutil.copytree(folder, args.packages_dir, dirs_exist_ok=True)
        return 0

    work = Path(tempfile.mkdtemp(prefix="cds-bench-rollup-", dir=args.workdir))
    try:
        started = time.perf_counter()
        kept = Path(args.packages_dir) if args.packages_dir else None
        if kept is not None and any(kept.glob("*.cdspkg")):
            folder = kept
        else:
            folder = build_packages(work, args.communes, args.evidence_mb, args.files)
            if kept is not None:
                shutil.copytree(folder, kept, dirs_exist_ok=True)
        packages = sorted(folder.glob("*.cdspkg"))
        size = sum(p.stat().st_size for p in packages) / MB
        print(f"Built {len(packages)} packages, {size:,.0f} MB, in {time.perf_counter() - started:.1f}s", flush=True)

        t_base = baseline(packages, work)
        print(f"baseline unzip + openssl sha256: {t_base:.2f}s ({size / t_base:,.1f} MB/s)", flush=True)
        db = open_database(work / "city")
        started = time.perf_counter()
        batch = import_packages(db, folder, today=TODAY, trust_new=True)  # each commune's key, once
        t_import = time.perf_counter() - started
        print(f"rollup import: {batch.summary()} in {t_import:.2f}s ({size / t_import:,.1f} MB/s)", flush=True)
        again = baseline(packages, work)
        print(f"baseline again: {again:.2f}s", flush=True)
        t_base = min(t_base, again)
        ratio = t_base / t_import

        rows, t_overview, t_reports = views(db)
        print_views(rows, t_overview, t_reports)
        worst = max(t_reports.values())
        ok = ratio >= IMPORT_TARGET and t_overview < OVERVIEW_TARGET and worst < REPORT_TARGET
        print(f"RESULT import {size / t_import:,.1f} MB/s = {ratio:.0%} of the baseline ({size / t_base:,.1f} MB/s), "
              f"target ≥ {IMPORT_TARGET:.0%}: {'OK' if ratio >= IMPORT_TARGET else 'MISSED'}; "
              f"overview {t_overview * 1000:.0f} ms (< {OVERVIEW_TARGET * 1000:.0f}): "
              f"{'OK' if t_overview < OVERVIEW_TARGET else 'MISSED'}; slowest report {worst:.2f}s (< {REPORT_TARGET:.0f}): "
              f"{'OK' if worst < REPORT_TARGET else 'MISSED'}", flush=True)
        db.close()
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
