"""All benchmarks in one table, against honest floors: ``python3 dev.py bench``.

    python benchmarks/run_all.py [--quick] [--only startup,info,report,evidence,import,rollup]
                                 [--runs N] [--cache DIR] [--details]

Every figure is a whole process, what the officer waits for (start to exit, through
the command line or the window), the median of paired runs: each run of the app is
followed by a run of the floor, so both see the same load of the machine.  The
floors are the fastest ordinary tools here: ``python -c pass``; ``cp`` + ``openssl
sha256`` (OpenSSL uses the CPU's SHA instructions, coreutils ``sha256sum`` does
not) + ``sync`` of the copies (fsync); ``unzip`` + ``openssl sha256`` + ``json`` +
``sqlite3`` executemany of the same records into the app's own tables (same indexes;
the floor before 26/11/2026 used bare tables and is printed too); for the roll-up's ``rollup import`` of a
city's packages, ``unzip`` + ``openssl sha256`` of each package; for the window, a bare PySide6 window
(``bench_startup.py``, under Xvfb when it is installed).  ``--quick`` uses small
sizes (seconds instead of minutes).  The detailed per-area scripts
(``benchmarks/bench_*.py``) run on their own, or by name: ``dev.py bench tracking``.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.evidence_files import make_files  # noqa: E402
from benchmarks.procs import PYTHON, Paired, Step, app_env, paired  # noqa: E402

MB = 1024 * 1024
MEASURES = ("startup", "info", "report", "evidence", "import", "rollup")


@dataclass
class Row:
    measure: str
    now: str
    floor: str
    ratio: str
    target: str
    ok: bool | None = None


@dataclass
class Sizes:
    runs: int
    startup_runs: int
    evidence_mb: int
    communes: int
    progress: int
    package_mb: int
    package_files: int
    rollup_communes: int = 126
    rollup_mb: int = 1024


FULL = Sizes(runs=7, startup_runs=11, evidence_mb=512, communes=126, progress=120_000, package_mb=1024,
             package_files=10_000)
QUICK = Sizes(runs=3, startup_runs=2, evidence_mb=48, communes=6, progress=6_000, package_mb=32, package_files=300,
              rollup_communes=6, rollup_mb=48)


def app(*args: str | Path) -> list[str]:
    return [PYTHON, "-m", "cds_desktop", *map(str, args)]


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


class Bench:
    def __init__(self, sizes: Sizes, work: Path, cache: Path | None, details: bool, app_root: Path) -> None:
        self.sizes = sizes
        self.work = work
        self.cache = cache
        self.details = details
        self.env = app_env(app_root)
        self._demo: Path | None = None
        self._empty: Path | None = None

    def say(self, text: str) -> None:
        print(f"  … {text}", file=sys.stderr, flush=True)

    def detail(self, name: str, result: Paired) -> None:
        if self.details:
            print(f"  {name}: runs (app | floor): {result.runs()}; app's CPU time: {result.cpu_runs()}; "
                  f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)

    # -- shared data ------------------------------------------------------------
    def demo_dir(self) -> Path:
        """A data folder with the demo plan (a template: copy it)."""
        if self._demo is None:
            self._demo = self.work / "demo-template"
            subprocess.run(app("--data-dir", self._demo, "demo"), env=self.env, cwd=self.work, check=True,
                           stdout=subprocess.DEVNULL)
        return self._demo

    def empty_dir(self) -> Path:
        if self._empty is None:
            self._empty = self.work / "empty-template"
            subprocess.run(app("--data-dir", self._empty, "--create", "check"), env=self.env, cwd=self.work,
                           check=True,
                           stdout=subprocess.DEVNULL)
        return self._empty

    def fresh(self, template: Path, name: str) -> Path:
        target = self.work / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(template, target, ignore=shutil.ignore_patterns("logs", "backups"))
        return target

    # -- measures -----------------------------------------------------------------
    def startup(self) -> list[Row]:
        """The window rows, as ``bench_startup.py`` prints them (its own paired runs)."""
        cmd = [PYTHON, str(HERE / "bench_startup.py"), "--runs", str(self.sizes.startup_runs)]
        env = dict(self.env)
        if shutil.which("xvfb-run") and os.name == "posix":
            cmd = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", *cmd]
            env["QT_QPA_PLATFORM"] = "xcb"
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            return [Row("window start-up (bench_startup.py)", "failed", "", "", "",
                        False)] if not proc.stderr else [Row(f"window start-up: {proc.stderr.strip()[-150:]}",
                                                             "failed", "", "", "", False)]
        if self.details:
            print(proc.stdout, file=sys.stderr)
        return startup_rows(proc.stdout)

    def info(self) -> list[Row]:
        data = self.fresh(self.demo_dir(), "info")
        result = paired([Step(app("--data-dir", data, "info"), env=self.env, cwd=self.work)],
                        [Step([PYTHON, "-c", "pass"])], self.sizes.runs)
        self.detail("info", result)
        return [Row("any CLI command's fixed cost (`info`)", _s(result.now),
                    f"`python -c pass` {_s(result.floor_seconds)}", f"{result.ratio:.1f}", "≤ 0.35 s",
                    result.now <= 0.35)]

    def report(self) -> list[Row]:
        data = self.fresh(self.demo_dir(), "report")
        out = self.work / "report.pdf"
        result = paired([Step(app("--data-dir", data, "report", "phu-luc-01", "--out", out, "--force"), env=self.env,
                              cwd=self.work)],
                        [Step([PYTHON, "-c", "pass"])], self.sizes.runs)
        self.detail("report", result)
        # the database named by its address: the ordinary (SQLAlchemy) path, as on PostgreSQL
        orm = paired([Step(app("--data-dir", data, "--db-url", f"sqlite:///{data / 'cds.sqlite'}", "report",
                               "phu-luc-01", "--out", out, "--force"), env=self.env, cwd=self.work)],
                     [Step([PYTHON, "-c", "pass"])], self.sizes.runs)
        self.detail("report through SQLAlchemy", orm)
        return [Row("report phu-luc-01 (PDF, demo plan)", _s(result.now),
                    f"`python -c pass` {_s(result.floor_seconds)}", f"{result.ratio:.1f}",
                    f"≤ {REPORT_TARGET:.2f} s (½ of {REPORT_BEFORE:.2f} s)", result.now <= REPORT_TARGET),
                Row("the same through SQLAlchemy (--db-url)", _s(orm.now),
                    f"`python -c pass` {_s(orm.floor_seconds)}", f"{orm.ratio:.1f}", "", None)]

    def evidence(self) -> list[Row]:
        files = make_files(self.work / "evidence-src", self.sizes.evidence_mb)
        total = sum(p.stat().st_size for p in files)
        item = first_item(self.demo_dir())
        copies = self.work / "evidence-cp"

        def prepare() -> None:
            self.fresh(self.demo_dir(), "evidence")
            shutil.rmtree(copies, ignore_errors=True)
            copies.mkdir()

        names = [str(copies / p.name) for p in files]
        floor = [Step(["cp", *map(str, files), str(copies)]), Step(["openssl", "sha256", *names]),
                 Step(["sync", *names])]
        measured = [Step(app("--data-dir", self.work / "evidence", "evidence", "attach", "--item", item,
                             *files), env=self.env, cwd=self.work)]
        result = paired(measured, floor, self.sizes.runs, prepare=prepare)
        self.detail("evidence", result)
        speed = 1 / result.ratio
        return [Row(f"evidence attach, {len(files)} files, {total / MB:,.0f} MiB", _s(result.now),
                    f"`cp` + `openssl sha256` + fsync {_s(result.floor_seconds)}", f"{result.ratio:.2f}",
                    "≥ 80 % of the floor's speed (ratio ≤ 1.25)", speed >= 0.80)]

    def package(self) -> tuple[Path, int]:
        """The city-scale package (built once; kept in ``--cache`` when given)."""
        s = self.sizes
        name = f"city-{s.communes}-{s.progress}-{s.package_mb}-{s.package_files}.cdspkg"
        folder = self.cache or self.work
        path = folder / name
        if not path.exists():
            self.say(f"building the package ({s.communes} communes, {s.progress:,} progress records, "
                     f"{s.package_files:,} evidence files, {s.package_mb} MiB)")
            folder.mkdir(parents=True, exist_ok=True)
            subprocess.run([PYTHON, str(HERE / "build_package.py"), str(path), str(s.communes), str(s.progress),
                            str(s.package_mb), str(s.package_files)], env=self.env, cwd=self.work, check=True,
                           stdout=subprocess.DEVNULL)
        records = int(path.with_suffix(".records").read_text())
        return path, records

    def import_package(self) -> list[Row]:
        package, records = self.package()
        size = package.stat().st_size
        unzipped, floor_db = self.work / "unzipped", self.work / "floor.sqlite"

        def prepare() -> None:
            self.fresh(self.empty_dir(), "import")
            shutil.rmtree(unzipped, ignore_errors=True)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{floor_db}{suffix}").unlink(missing_ok=True)

        schema = self.empty_dir() / "cds.sqlite"
        insert_schema = Step([PYTHON, str(HERE / "floor_insert.py"), str(unzipped), str(floor_db), str(schema)])
        insert_bare = Step([PYTHON, str(HERE / "floor_insert.py"), str(unzipped), str(floor_db)])

        def floor() -> list[Step]:  # the records go into the app's own tables, with the same indexes
            return [Step(["unzip", "-q", str(package), "-d", str(unzipped)]), *hash_steps(unzipped), insert_schema]

        measured = [Step(app("--data-dir", self.work / "import", "import-package", "--trust", package),
                         env=self.env, cwd=self.work)]
        result = paired(measured, floor, max(2, self.sizes.runs // 2), prepare=prepare)
        self.detail("import", result)
        # The floor before 26/11/2026 inserted into bare tables (no index to maintain): the same
        # floor with that insert instead, from the paired difference of the two inserts.
        def clear_floor_db() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{floor_db}{suffix}").unlink(missing_ok=True)

        inserts = paired([insert_schema], [insert_bare], max(2, self.sizes.runs // 2), prepare=clear_floor_db)
        self.detail("import floor inserts (app's tables | bare tables)", inserts)
        old_floor = result.floor_seconds - inserts.now + inserts.floor_seconds
        speed = 1 / result.ratio
        what = f"import-package, {size / MB:,.0f} MiB, {records:,} records"
        return [Row(what, _s(result.now), f"`unzip` + `openssl sha256` + json + sqlite3 inserts into the app's "
                                          f"tables (same indexes) {_s(result.floor_seconds)}", f"{result.ratio:.2f}",
                    "≥ 70 % of the floor's speed (ratio ≤ 1.43)", speed >= 0.70),
                Row("  the same, against the floor before (inserts into bare tables, no index)", _s(result.now),
                    f"{_s(old_floor)} (inserts {_s(inserts.floor_seconds)} vs {_s(inserts.now)})",
                    f"{result.now / old_floor:.2f}", "(for comparison)", None),
                Row("import-package peak memory", f"{result.now_peak:,.0f} MiB",
                    f"same floor {result.floor_peak:,.0f} MiB", f"{result.now_peak / result.floor_peak:.1f}",
                    "≤ 200 MiB", result.now_peak <= 200)]

    def rollup(self) -> list[Row]:
        """Receiving a city's packages (issue 16), see :mod:`benchmarks.rollup_measure`."""
        from benchmarks.rollup_measure import measure

        s = self.sizes
        m = measure(self, s.rollup_communes, s.rollup_mb, max(2, s.runs // 2))
        rows = [Row(f"rollup import, {m.packages} communes' packages, {m.mib:,.0f} MiB", _s(m.result.now),
                    f"`unzip` + `openssl sha256` of each {_s(m.result.floor_seconds)}", f"{m.result.ratio:.2f}",
                    "≥ 50 % of the floor's speed (ratio ≤ 2.00)", 1 / m.result.ratio >= 0.50)]
        if m.overview_ms is not None:
            rows.append(Row(f"rollup overview, {m.communes} communes (slowest sort/filter)", f"{m.overview_ms} ms",
                            "", "", "< 300 ms", m.overview_ms < 300))
        if m.report_s is not None:
            rows.append(Row(f"rollup summary report, slowest ({m.report})", _s(m.report_s), "", "", "< 2 s",
                            m.report_s < 2))
        return rows


# Before the lean start (26/11/2026, this 2-core machine, 7 paired runs): the report's whole process.
REPORT_BEFORE = 1.30
REPORT_TARGET = REPORT_BEFORE / 2

_LINE = re.compile(r"^\s*(?P<label>[^:]+?)\s*:\s*(?P<ms>\d+(?:\.\d+)?)\s*ms\b")
_TARGETS = {"plan": 1.5, "dashboard": 2.0, "figures": 2.0, "window": 2.0}


def startup_rows(text: str) -> list[Row]:
    """Rows from ``bench_startup.py``'s figures, either its table (``| label | N ms | ... | target |``)
    or lines ``label : N ms``.  A label naming a floor, a bare window or a sqlite3-fed table is a
    floor; a stall is judged by its own target; every other figure is measured against the closest
    floor (a plan table against the sqlite3-fed table when there is one, else the bare window)."""
    found: list[tuple[str, float, str]] = []  # (label, seconds, target as printed)
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            number = re.match(r"(\d+(?:\.\d+)?)\s*ms$", cells[1]) if len(cells) > 1 else None
            if cells[0] and number:
                found.append((cells[0], float(number[1]) / 1000, cells[3] if len(cells) > 3 else ""))
            continue
        match = _LINE.match(line)
        if match:
            found.append((match["label"], float(match["ms"]) / 1000, ""))
    floors = [(label, v) for label, v, _t in found if re.search(r"bare|floor|sqlite3|QTableView", label, re.I)]
    bare = next(((label, v) for label, v in floors if re.search("bare", label, re.I)), floors[0] if floors else None)
    table = next(((label, v) for label, v in floors if re.search("sqlite3|QTableView", label, re.I)), None)
    rows = []
    for label, value, printed in found:
        shown = re.sub(r"^CĐS Desktop[:,]\s*", "", label)
        if (label, value) in floors:
            continue
        if re.search("stall", label, re.I):
            limit = re.search(r"(\d+)\s*ms", printed)
            target = float(limit[1]) / 1000 if limit else 0.05
            rows.append(Row(shown, _ms(value), "", "", f"≤ {target * 1000:.0f} ms", value <= target))
            continue
        if bare is None:
            continue
        floor = table if table and re.search("table|plan", label, re.I) else bare
        times = re.search(r"(\d+(?:\.\d+)?)\s*×", printed)
        target = float(times[1]) if times else next((t for k, t in _TARGETS.items() if k in label.lower()), 2.0)
        ratio = value / floor[1]
        rows.append(Row(shown, _ms(value), f"{floor[0]} {_ms(floor[1])}", f"{ratio:.2f}",
                        f"≤ {target:g}× the floor", ratio <= target))
    if not rows:
        rows.append(Row("window start-up: bench_startup.py printed no figures", "", "", "", "", False))
    return rows


def hash_steps(folder: Path) -> list[Step]:
    """``openssl sha256`` of every file in *folder*, listed when the step runs: the floor's steps are
    made before ``unzip`` fills the folder (a list made then was empty, and the floor hashed nothing
    until 26/11/2026)."""
    quoted = shlex.quote(str(folder))
    return [Step(["sh", "-c", f"find {quoted} -type f -print0 | xargs -0 -r openssl sha256 > /dev/null"])]


def first_item(data_dir: Path) -> str:
    conn = sqlite3.connect(data_dir / "cds.sqlite")
    try:
        return conn.execute("SELECT uuid FROM items ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        conn.close()


def print_table(rows: list[Row]) -> None:
    header = ["measure", "now", "floor", "ratio", "target"]
    cells = [[r.measure, r.now, r.floor, r.ratio,
              r.target + ("" if r.ok is None else (" ✓" if r.ok else " ✗"))] for r in rows]
    widths = [max(len(header[i]), *(len(c[i]) for c in cells)) for i in range(5)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for c in cells:
        print("| " + " | ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)) + " |")


def run_scripts(wanted: str) -> int:
    """The detailed benchmarks whose file name contains *wanted*, each printing its own figures."""
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        if wanted in script.stem:
            print(f"=== {script.stem}", flush=True)
            failures += subprocess.call([PYTHON, str(script)], cwd=ROOT) != 0
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few runs (about a minute)")
    parser.add_argument("--only", default="", help=f"comma-separated, among: {', '.join(MEASURES)}")
    parser.add_argument("--runs", type=int, default=None, help="paired runs per measure")
    parser.add_argument("--cache", default=None, help="keep the built package here between runs")
    parser.add_argument("--details", action="store_true", help="also print every run's figures")
    parser.add_argument("--app-root", default=str(ROOT), help="measure the app of another checkout (before/after)")
    parser.add_argument("name", nargs="?", default="",
                        help="a measure, or part of a detailed script's name (bench_tracking.py: tracking)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.runs:
        sizes = Sizes(**{**sizes.__dict__, "runs": args.runs, "startup_runs": args.runs})
    if args.name and args.name not in MEASURES:  # a detailed script's name: run the matching bench_*.py
        return run_scripts(args.name)
    wanted = [m.strip() for m in (args.only or args.name).split(",") if m.strip()] or list(MEASURES)
    unknown = [m for m in wanted if m not in MEASURES]
    if unknown:
        parser.error(f"unknown measure {unknown[0]!r} (choose among {', '.join(MEASURES)})")
    # As installed: the app's modules precompiled (this environment may forbid writing bytecode on import).
    app_root = Path(args.app_root).resolve()
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(app_root / "cds_desktop")], check=True,
                   stdout=subprocess.DEVNULL)
    work = Path(tempfile.mkdtemp(prefix="cds-bench-"))
    bench = Bench(sizes, work, Path(args.cache) if args.cache else None, args.details, app_root)
    steps: dict[str, Callable[[], list[Row]]] = {
        "startup": bench.startup, "info": bench.info, "report": bench.report, "evidence": bench.evidence,
        "import": bench.import_package, "rollup": bench.rollup,
    }
    rows: list[Row] = []
    try:
        for name in MEASURES:
            if name in wanted:
                bench.say(f"measuring {name}")
                try:
                    rows += steps[name]()
                except Exception as exc:  # one broken measure must not hide the others
                    rows.append(Row(f"{name}: {exc}"[:200], "failed", "", "", "", False))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    mode = "quick sizes" if args.quick else "full sizes"
    print(f"CĐS Desktop benchmarks ({mode}; whole processes, medians of {sizes.runs} paired runs; "
          f"{os.cpu_count()} CPUs; app from {app_root})")
    print_table(rows)
    return 1 if any(r.now == "failed" for r in rows) else 0  # a missed target is a figure, not a failure


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
