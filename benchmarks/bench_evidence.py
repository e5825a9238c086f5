"""Evidence attach benchmark: storing ~1 GB of mixed files (10 KB–50 MB) in the
evidence store, against a plain ``cp`` of the same files plus ``sha256sum`` of
the copies, measured in the same run.

    python benchmarks/bench_evidence.py [--size-mb 1024] [--rounds 2] [--no-gui]

Each round copies with ``cp`` + ``sha256sum`` (the baseline; no fsync) and
attaches the same files with ``attach_files`` into a fresh database and store
(one pass that copies and hashes, fsync per file, atomic rename, one commit).
The best round of each is compared; target: attach ≥ 70 % of the baseline.
Unless ``--no-gui``, one more attach runs as a background job of an offscreen
window with its progress dialog, while a 10 ms timer measures how long the
event loop ever waited (the window stays responsive when that stays small).
Everything is written under a temporary folder that is removed at the end.
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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
KB, MB = 1024, 1024 * 1024
TARGET = 0.70


def make_files(folder: Path, total_mb: int, seed: int = 2026) -> list[Path]:
    """Evidence of every kind an officer attaches (see benchmarks.evidence_files)."""
    from benchmarks.evidence_files import make_files as make

    return make(folder, total_mb, seed, exts=("pdf", "docx", "xlsx", "jpg", "png", "mp4", "zip"))


def baseline(paths: list[Path], dest: Path, sync: bool = False) -> float:
    """Seconds for ``cp`` of every file then ``sha256sum`` of every copy (optionally ``sync``)."""
    dest.mkdir(parents=True)
    started = time.perf_counter()
    subprocess.run(["cp", *map(str, paths), str(dest)], check=True)
    copies = [str(dest / p.name) for p in paths]
    subprocess.run(["sha256sum", *copies], check=True, stdout=subprocess.DEVNULL)
    if sync:
        subprocess.run(["sync", "-f", str(dest)], check=True)
    elapsed = time.perf_counter() - started
    shutil.rmtree(dest)
    return elapsed


def _fresh_db(data_dir: Path):
    from sqlalchemy import select

    from cds_desktop.database import open_database
    from cds_desktop.models import Item
    from cds_desktop.services.demo import create_demo

    db = open_database(data_dir)
    create_demo(db)
    with db.session() as s:
        item = s.scalar(select(Item.uuid).order_by(Item.id).limit(1))
    return db, item


def attach(paths: list[Path], data_dir: Path) -> float:
    from cds_desktop.services.evidence import attach_files

    db, item = _fresh_db(data_dir)
    try:
        started = time.perf_counter()
        attach_files(db, paths, [("item", item)], source="bench")
        return time.perf_counter() - started
    finally:
        db.close()
        shutil.rmtree(data_dir)


def attach_in_window(paths: list[Path], data_dir: Path) -> tuple[float, float, int]:
    """Attach as a background job of a shown window; returns (seconds, longest event-loop wait, progress updates)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QLabel, QMainWindow

    from cds_desktop.services.evidence import EvidenceMetadata
    from cds_desktop.ui.app import create_application
    from cds_desktop.ui.evidence.models import run_attach

    app = create_application()
    db, item = _fresh_db(data_dir)
    window = QMainWindow()
    window.setCentralWidget(QLabel("CĐS Desktop — đang lưu minh chứng"))
    window.resize(800, 500)
    window.show()
    app.processEvents()
    longest = 0.0
    clock = QElapsedTimer()
    ticks = QTimer()
    ticks.setInterval(10)

    def tick() -> None:
        nonlocal longest
        longest = max(longest, clock.restart() / 1000)

    ticks.timeout.connect(tick)
    updates = 0
    try:
        started = time.perf_counter()
        job = run_attach(db, paths, [("item", item)], EvidenceMetadata(), window)
        counter = {"n": 0}
        job.progressed.connect(lambda *_: counter.__setitem__("n", counter["n"] + 1))
        loop = QEventLoop()
        job.finished.connect(loop.quit)
        clock.start()
        ticks.start()
        if not job.done:
            loop.exec()
        elapsed = time.perf_counter() - started
        ticks.stop()
        updates = counter["n"]
        if job.state != "ok":
            raise RuntimeError(f"attach job ended with {job.state}: {job.error}")
        return elapsed, longest, updates
    finally:
        from cds_desktop.ui.common.jobs import wait_for_jobs

        ticks.stop()
        window.close()
        wait_for_jobs()
        for obj in (ticks, window):
            obj.deleteLater()
        app.processEvents()
        db.close()
        shutil.rmtree(data_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="total size of the files (default 1024)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-gui", action="store_true", help="skip the run inside a window")
    parser.add_argument("--dir", default=None, help="where to write (default: the system temp folder)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="cds-bench-evidence-", dir=args.dir))
    try:
        paths = make_files(work / "src", args.size_mb)
        total = sum(p.stat().st_size for p in paths)
        print(f"{len(paths)} files, {total / MB:.0f} MiB (from {min(p.stat().st_size for p in paths) / KB:.0f} KiB "
              f"to {max(p.stat().st_size for p in paths) / MB:.1f} MiB), in {work}")
        base_times, ours, synced = [], [], []
        for round_no in range(1, args.rounds + 1):
            base_times.append(baseline(paths, work / "cp"))
            ours.append(attach(paths, work / "data"))
            print(f"round {round_no}: cp + sha256sum {total / MB / base_times[-1]:7.1f} MiB/s   "
                  f"attach_files {total / MB / ours[-1]:7.1f} MiB/s")
        synced.append(baseline(paths, work / "cp", sync=True))
        best_base, best_ours = total / MB / min(base_times), total / MB / min(ours)
        ratio = best_ours / best_base
        print(f"baseline (cp + sha256sum, best):        {best_base:7.1f} MiB/s")
        print(f"baseline with sync (information):       {total / MB / synced[0]:7.1f} MiB/s")
        print(f"attach_files (copy+hash, fsync, best):  {best_ours:7.1f} MiB/s")
        print(f"ratio: {ratio:.0%} (target ≥ {TARGET:.0%}) -> {'OK' if ratio >= TARGET else 'BELOW TARGET'}")
        if not args.no_gui:
            seconds, longest, updates = attach_in_window(paths, work / "data")
            print(f"in a window (background job, progress dialog): {total / MB / seconds:7.1f} MiB/s, "
                  f"{updates} progress updates, longest event-loop wait {longest * 1000:.0f} ms")
            from PySide6.QtWidgets import QApplication

            app = QApplication.instance()
            if app is not None and hasattr(app, "shutdown"):
                app.shutdown()  # orderly Qt teardown before the interpreter's own
        return 0 if ratio >= TARGET else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
