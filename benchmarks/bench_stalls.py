"""GUI stalls: how long the event loop stops answering while the officer imports a plan,
prints a report and exchanges data, in the real window.

    python benchmarks/bench_stalls.py [--items 300]

A 5 ms QTimer heartbeat runs on the GUI thread; a stall is the gap between two beats
minus the interval.  Each phase drives the screens the way their buttons do (the
background jobs of ui/common/jobs.py) and reports the longest stall and the 99th
percentile.  Target: no stall over 50 ms.  The figures are the truth on this machine,
including the phases that miss the target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SEED = ROOT / "tests" / "fixtures" / "seeds" / "004_c2f9f5085f71fe4f.txt"
BEAT_MS = 5
TARGET_MS = 50


class Heartbeat:
    """Records the gaps between beats of a precise timer on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self.last) * 1000 - BEAT_MS)
        self.last = now

    def start(self) -> None:
        self.gaps = []
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps


def wait_until(condition: Callable[[], bool], timeout_s: float = 300) -> None:
    """Run the event loop until *condition* holds (checked every 10 ms by a timer, so the
    heartbeat sees the loop exactly as the window does)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s

    def check() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(10)
    loop.exec()
    timer.stop()
    if not condition():
        raise SystemExit("timed out")


def measure(name: str, beat: Heartbeat, action: Callable[[], Callable[[], bool]]) -> tuple[str, float, float, float]:
    beat.start()
    started = time.perf_counter()
    done = action()
    wait_until(done)
    elapsed = time.perf_counter() - started
    gaps = sorted(beat.stop()) or [0.0]
    p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
    return name, max(gaps), p99, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=300)
    args = parser.parse_args()

    from benchmarks.synthetic import synthetic_draft
    from cds_desktop.database import open_database
    from cds_desktop.services.plan_draft import load_draft
    from cds_desktop.ui.app import create_application

    app = create_application()
    tmp = tempfile.TemporaryDirectory()
    data_dir = Path(tmp.name) / "data"
    db = open_database(data_dir)
    with db.session(source="benchmark") as session:
        load_draft(session, synthetic_draft(args.items, seed=7))

    from cds_desktop.ui.main_window import MainWindow

    window = MainWindow(db)
    window.resize(1366, 768)
    window.show()
    wait_until(lambda: window.isVisible())
    beat = Heartbeat()
    results = []

    # Import: the file read into the preview, then «Nhập» (Tệp → Nhập kế hoạch)
    def do_import():
        from cds_desktop.ui.plan.import_preview import ImportPreviewDialog

        dialog = ImportPreviewDialog(db, parent=window)
        state = {"loaded": False, "imported": False}
        dialog.loaded.connect(lambda: state.update(loaded=True))
        dialog.imported.connect(lambda _r: state.update(imported=True))
        dialog.show()
        dialog.load_file(SEED)
        wait_until(lambda: state["loaded"])
        dialog.start_import()
        return lambda: state["imported"]

    results.append(measure("import a plan (read, preview, write)", beat, do_import))

    # Printing: the 300-item appendix previewed, then printed to a PDF printer
    reports = window.workspace.show_screen("reports")
    window.select_plan(next(p.uuid for p in window.plans if "Bát Tràng" not in p.label))  # the synthetic plan
    reports.set_plan(window.current_plan().uuid)
    reports.set_kind("phu-luc-02")

    def do_preview():
        pages = []
        reports.previewReady.connect(pages.append)
        reports.preview()
        return lambda: bool(pages) and not reports.busy

    results.append(measure(f"preview Phụ lục 02 ({args.items}-item plan)", beat, do_preview))
    pages = len(reports.page_images)

    def do_print():
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(Path(tmp.name) / "printed.pdf"))
        reports.status_label.setText("")
        reports.print_to(printer)
        return lambda: not reports.busy and "máy in" in reports.status_label.text()

    results.append(measure(f"print the preview ({pages} pages)", beat, do_print))

    # Exchange: a package of everything, then checking it as the receiving machine would
    exchange = window.workspace.show_screen("exchange")
    package = Path(tmp.name) / "goi.cdspkg"

    def do_export():
        job = exchange.export_page.export_to(str(package))
        return lambda: job.done

    results.append(measure("export a data package", beat, do_export))

    def do_check():
        job = exchange.import_page.check_package(package)
        return lambda: job.done

    results.append(measure("check a received package", beat, do_check))

    window.close()
    db.close()
    print(f"GUI stalls (heartbeat {BEAT_MS} ms on the event loop; {args.items}-item plan; "
          f"QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']})")
    for name, worst, p99, elapsed in results:
        flag = "" if worst <= TARGET_MS else "  ← over target"
        print(f"  {name:42s} max {worst:7.0f} ms   p99 {p99:6.0f} ms   ({elapsed:5.1f} s){flag}")
    print(f"  target: no stall over {TARGET_MS} ms; worst overall "
          f"{max(r[1] for r in results):.0f} ms, median of maxima {statistics.median(r[1] for r in results):.0f} ms")
    app.quit()


if __name__ == "__main__":
    main()
