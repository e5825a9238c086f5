"""Render every report of the demo plan into out/reports/ (PDF, XLSX, and PNG pages
via ``pdftoppm``) so that a person can look at them.

    .venv/bin/python tools/render_reports.py [--dpi 60] [--out out/reports] [--bundled-font]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "out" / "reports"))
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--bundled-font", action="store_true", help="use Liberation Serif even if Times New Roman is installed")
    args = parser.parse_args()
    if args.bundled_font:
        os.environ["CDS_REPORT_FONT"] = "bundled"

    from cds_desktop.database import open_database
    from cds_desktop.reports import KINDS, render_all_units, render_report
    from cds_desktop.services.common import ServiceError
    from cds_desktop.services.demo_progress import DEMO_TODAY, create_demo_progress

    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "data")
        try:
            create_demo_progress(db)  # the demo plan with months of progress, as of DEMO_TODAY
            jobs = [(kind, None) for kind in KINDS] + [("progress", "2026-Q3"), ("reminders", "2026-Q3")]
            pdfs: list[Path] = []
            for kind, period in jobs:
                for fmt in ("pdf", "xlsx"):
                    target = out / f"{kind}{'-' + period if period else ''}.{fmt}"
                    started = time.perf_counter()
                    try:
                        render_report(db, kind, fmt, target, period=period, today=DEMO_TODAY,
                                      unit_uuid="Văn phòng HĐND-UBND" if kind == "unit-plan" else None)
                    except ServiceError as exc:
                        print(f"{kind:12} {fmt:4}  skipped: {exc}")
                        continue
                    print(f"{kind:12} {fmt:4}  {time.perf_counter() - started:6.3f} s  {target}")
                    if fmt == "pdf":
                        pdfs.append(target)
            for path in render_all_units(db, "pdf", out / "units"):
                pdfs.append(path)
            print(f"all units: {len(list((out / 'units').glob('*.pdf')))} PDF files in {out / 'units'}")
        finally:
            db.close()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: no PNG pages")
        return 0
    for pdf in pdfs:
        subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    print(f"{len(list(out.rglob('*.png')))} PNG pages in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
