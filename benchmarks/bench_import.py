"""Benchmark: importing each seed plan (targets: reading at most 0.15 s, reading + writing at most 0.3 s).

    .venv/bin/python benchmarks/bench_import.py [N]

For each seed, N times: parse only (read + analyse, text caches emptied first so that every run reads
the document as new), and parse + write into a fresh temporary database (database creation and
migration are not counted).  Prints the median wall time per seed, and the same for every document of
the plan corpus (tests/fixtures/plans).
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
CORPUS = sorted(p for p in (ROOT / "tests" / "fixtures" / "plans").glob("*.*")
                if p.suffix in (".txt", ".docx", ".xlsx", ".pdf"))
TARGET = 0.3
PARSE_TARGET = 0.15


def _cold() -> None:
    """Empty the caches an import fills, so that a run costs what reading a new document costs."""
    from cds_desktop import text
    from cds_desktop.importers import headers, run, units

    for cached in (text._clean_cached, text._fold_cached, headers.score_header, headers._fold_cell,
                   units.match_key, units.known_unit, units.unit_kind, run._target_reading):
        cached.cache_clear()


def bench(seed: Path, runs: int) -> tuple[float, float]:
    parse_times: list[float] = []
    total_times: list[float] = []
    for _ in range(runs):
        _cold()
        start = time.perf_counter()
        analysis = analyse_path(seed)
        parse_times.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory(prefix="cds-bench-") as tmp:
            db = open_database(tmp)
            try:
                _cold()
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
    worst = worst_parse = 0.0
    print(f"Import of a seed plan, median of {runs} runs (target: read ≤ {PARSE_TARGET:.2f} s, "
          f"read + write ≤ {TARGET:.1f} s)")
    for seed in SEEDS:
        parse, total = bench(seed, runs)
        worst, worst_parse = max(worst, total), max(worst_parse, parse)
        print(f"  {seed.name}: parse {parse * 1000:6.1f} ms   parse + write {total * 1000:6.1f} ms")
    print("Plan corpus (read only, median of 3 runs):")
    for document in CORPUS:
        times = []
        for _ in range(3):
            _cold()
            start = time.perf_counter()
            analyse_path(document)
            times.append(time.perf_counter() - start)
        print(f"  {document.name}: parse {statistics.median(times) * 1000:6.1f} ms")
    ok = worst <= TARGET and worst_parse <= PARSE_TARGET
    print("OK" if ok else f"TOO SLOW: read {worst_parse:.3f} s (≤ {PARSE_TARGET}), read + write {worst:.3f} s (≤ {TARGET})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
