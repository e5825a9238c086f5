"""Benchmark: importing each seed plan (target: at most 0.3 s per document).

    .venv/bin/python benchmarks/bench_import.py [N]

For each seed, N times: parse only (read + analyse), and parse + write into a
fresh temporary database (database creation and migration are not counted).
Prints the median wall time per seed.
"""

from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cds_desktop.database import open_database  # noqa: E402
from cds_desktop.importers.run import analyse_path, import_analysis  # noqa: E402

SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
TARGET = 0.3


def bench(seed: Path, runs: int) -> tuple[float, float]:
    parse_times: list[float] = []
    total_times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        analysis = analyse_path(seed)
        parse_times.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory(prefix="cds-bench-") as tmp:
            db = open_database(tmp)
            try:
                start = time.perf_counter()
                analysis = analyse_path(seed)
                import_analysis(db, analysis)
                total_times.append(time.perf_counter() - start)
            finally:
                db.close()
    return statistics.median(parse_times), statistics.median(total_times)


def main(argv: list[str]) -> int:
    logging.disable(logging.INFO)
    runs = int(argv[0]) if argv else 10
    analyse_path(SEEDS[0])  # warm up imports
    worst = 0.0
    print(f"Import of a seed plan, median of {runs} runs (target ≤ {TARGET:.1f} s)")
    for seed in SEEDS:
        parse, total = bench(seed, runs)
        worst = max(worst, total)
        print(f"  {seed.name}: parse {parse * 1000:6.1f} ms   parse + write {total * 1000:6.1f} ms")
    ok = worst <= TARGET
    print("OK" if ok else f"TOO SLOW: {worst:.3f} s > {TARGET} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
