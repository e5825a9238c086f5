"""Build a city-scale data package for the import benchmark (``run_all.py``).

    python benchmarks/build_package.py OUT.cdspkg COMMUNES PROGRESS EVIDENCE_MB FILES

The database is the one of ``bench_exchange.py`` (synthetic plans, progress records,
random evidence files); the number of records exported is written to ``OUT.records``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(out: str, communes: str, progress: str, evidence_mb: str, files: str) -> int:
    from benchmarks.bench_exchange import add_evidence, build_city
    from cds_desktop.exchange import export_package

    target = Path(out)
    work = Path(tempfile.mkdtemp(prefix="cds-bench-city-"))
    try:
        db = build_city(work / "city", int(communes), int(progress))
        add_evidence(db, int(files), int(evidence_mb))
        exported = export_package(db, work / "city.cdspkg")
        db.close()
        shutil.move(exported.path, target)
        target.with_suffix(".records").write_text(str(exported.records))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
