"""Backup of a data folder with 1 GiB of evidence (issue #14): ``cds-desktop backup`` as a whole
process, against ``tar`` of the same files + ``sha256sum`` of them (the issue's floor), and
against ``tar`` + ``openssl sha256`` (the fastest hashing here).  Medians of paired runs.

    python benchmarks/bench_backup.py [--mb 1024] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.procs import PYTHON, Step, app_env, paired  # noqa: E402

MB = 1024 * 1024


def prepare(data: Path, total_mb: int) -> int:
    """A demo database and *total_mb* of evidence (8 MiB files of random bytes) in the store."""
    import subprocess

    subprocess.run([PYTHON, "-m", "cds_desktop", "--data-dir", str(data), "demo"], env=app_env(), check=True,
                   capture_output=True)
    store = data / "evidence"
    count, left = 0, total_mb * MB
    while left > 0:
        size = min(8 * MB, left)
        blob = os.urandom(size)
        sha = hashlib.sha256(blob).hexdigest()
        folder = store / sha[:2] / sha[2:4]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / sha).write_bytes(blob)
        left -= size
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cds-bench-backup-"))
    try:
        data = work / "data"
        files = prepare(data, args.mb)
        out = work / "out.cdsbak"
        tar = work / "out.tar"
        measured = [Step([PYTHON, "-m", "cds_desktop", "--data-dir", str(data), "backup", "--out", str(out),
                          "--force"], env=app_env())]
        tar_step = Step(["tar", "cf", str(tar), "-C", str(data), "cds.sqlite", "evidence"])
        find = f"find '{data}/evidence' '{data}/cds.sqlite' -type f -print0 | xargs -0"
        coreutils = paired(measured, [tar_step, Step(["sh", "-c", f"{find} sha256sum > /dev/null"])], args.runs)
        openssl = paired(measured, [tar_step, Step(["sh", "-c", f"{find} openssl sha256 > /dev/null"])], args.runs)
        size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file() and "logs" not in p.parts) / MB
        print(f"backup of {size:,.0f} MiB ({files} evidence files + the demo database), medians of {args.runs} "
              "paired runs, whole processes")
        for name, result in (("tar + sha256sum", coreutils), ("tar + openssl sha256", openssl)):
            speed = result.floor_seconds / result.now
            print(f"  cds-desktop backup {result.now:6.2f} s | floor {name:<22} {result.floor_seconds:6.2f} s | "
                  f"speed {100 * speed:5.1f}% of the floor (target >= 80% of tar + sha256sum) | "
                  f"peak {result.now_peak:.0f} MiB | runs {result.runs()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
