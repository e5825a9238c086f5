"""Report benchmark: Phụ lục 01 and 02 of a 300-item plan as PDF and as XLSX.

    python benchmarks/bench_reports.py [--items 300] [--runs 5]

Each figure is the median of the runs of building both appendices from the
database and rendering them; targets: 1 s for PDF, 0.5 s for XLSX.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"pdf": 1.0, "xlsx": 0.5}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from benchmarks.synthetic import synthetic_draft
    from cds_desktop.database import open_database
    from cds_desktop.reports import render_report
    from cds_desktop.reports.fonts import report_fonts
    from cds_desktop.services.plan_draft import load_draft

    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "data")
        try:
            with db.session(source="benchmark") as session:
                load_draft(session, synthetic_draft(args.items, seed=7))
            fonts = report_fonts()  # font registration is a one-off per process, not part of a render
            print(f"Phụ lục 01 + 02 of a {args.items}-item plan, median of {args.runs} runs "
                  f"(font: {fonts.family})")
            for fmt in ("pdf", "xlsx"):
                render_report(db, "phu-luc-01", fmt, Path(tmp) / f"warm.{fmt}")  # warm caches
                times = []
                for run in range(args.runs):
                    started = time.perf_counter()
                    for kind in ("phu-luc-01", "phu-luc-02"):
                        render_report(db, kind, fmt, Path(tmp) / f"{kind}-{run}.{fmt}")
                    times.append(time.perf_counter() - started)
                median = statistics.median(times)
                ok = median <= TARGETS[fmt]
                failures += not ok
                pages = ""
                if fmt == "pdf":
                    from pypdf import PdfReader

                    pages = " ({} + {} pages)".format(
                        *(len(PdfReader(str(Path(tmp) / f"{k}-0.pdf")).pages) for k in ("phu-luc-01", "phu-luc-02"))
                    )
                print(f"  {fmt.upper():4} {median * 1000:7.0f} ms   target ≤ {TARGETS[fmt] * 1000:.0f} ms   "
                      f"{'ok' if ok else 'TOO SLOW'}{pages}   runs: {', '.join(f'{t * 1000:.0f}' for t in times)}")
        finally:
            db.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
