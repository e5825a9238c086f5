"""City scale on PostgreSQL against SQLite: the dashboard and ``status`` of one commune.

    python benchmarks/bench_postgres.py --pg-url postgresql+psycopg://user@127.0.0.1:5432/postgres [--runs 7]

(or ``CDS_BENCH_PG_URL``; the password from ``PGPASSWORD``/``.pgpass`` or in the URL).  Builds once, on
each database, the city-scale data of ``bench_tracking.py`` (126 communes' plans of ~80 items, a
progress record per item, lead unit and month: ~120,000 records), the PostgreSQL one in a database of
its own (``cds_bench_city``, made if missing).  Then times for the commune in the middle, "today" =
20/10/2026, on both:

- the dashboard with its warnings (``build_dashboard``), as the window shows it;
- ``status`` (``build_status``: warnings, completeness, indicator evaluations), as the CLI prints it,
  and its JSON.

Target (issue 13): PostgreSQL within 1.5x of SQLite for both.  The runs are paired (one on each
database, alternating which goes first) so that load on a shared machine hits both sides alike; printed:
the medians, the median of the per-pair ratios, every run and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_tracking import DATA_VERSION, TODAY, build  # noqa: E402

PG_DATABASE = "cds_bench_city"


def _prepare(data_dir: Path, url: str | None, plans: int, items: int) -> None:
    version = data_dir / "bench-version.txt"
    if version.exists() and version.read_text() == DATA_VERSION:
        return
    if data_dir.exists():
        import shutil

        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    if url is not None:
        (data_dir / "settings.json").write_text(json.dumps({"database_url": url}), encoding="utf-8")
    print(f"building the city-scale database ({'PostgreSQL' if url else 'SQLite'}) in {data_dir} (once)…",
          flush=True)
    build(data_dir, plans, items)


def _pg_database(server_url: str) -> str:
    """The URL of the benchmark's own database on the server (emptied when it is rebuilt)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_DATABASE}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
    finally:
        engine.dispose()
    return make_url(server_url).set(database=PG_DATABASE).render_as_string(hide_password=False)


def _workloads(db) -> dict:
    """The two timed operations on one database (the commune in the middle)."""
    from sqlalchemy import select

    from cds_desktop.commands.registry import json_default
    from cds_desktop.models import Plan
    from cds_desktop.services.tracking import build_status
    from cds_desktop.services.tracking.dashboard import build_dashboard

    with db.session(source="benchmark") as session:
        plan_ids = session.scalars(select(Plan.id).order_by(Plan.id)).all()
    middle = plan_ids[len(plan_ids) // 2]

    def dashboard():
        with db.session(source="benchmark") as session:
            result = build_dashboard(session, session.get(Plan, middle), TODAY)
            assert result.report.warnings and result.report.completeness.units

    def status():
        with db.session(source="benchmark") as session:
            report = build_status(session, session.get(Plan, middle), TODAY, None)
        assert json.dumps(report.to_dict(), ensure_ascii=False, default=json_default)

    return {"dashboard": dashboard, "status": status, "plans": len(plan_ids)}


def _paired(lite, pg, runs: int) -> tuple[list[float], list[float]]:
    """*runs* timings of each, interleaved (SQLite then PostgreSQL, then the other way round), so
    that a burst of load on this machine falls on both sides of a pair; one warm-up run each."""
    lite(), pg()
    lite_ms, pg_ms = [], []
    for run in range(runs):
        order = ((lite, lite_ms), (pg, pg_ms)) if run % 2 == 0 else ((pg, pg_ms), (lite, lite_ms))
        for fn, times in order:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
    return lite_ms, pg_ms


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg-url", default=os.environ.get("CDS_BENCH_PG_URL") or os.environ.get("CDS_TEST_DB_URL"),
                        help="a PostgreSQL server (maintenance database URL)")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "cds-bench-postgres")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--plans", type=int, default=126)
    parser.add_argument("--items", type=int, default=80)
    args = parser.parse_args()
    if not args.pg_url:
        print("bench_postgres: no PostgreSQL server given (--pg-url or CDS_BENCH_PG_URL); skipped.")
        return 0
    from sqlalchemy.engine import make_url

    from cds_desktop.database.engine import display_url

    sqlite_dir, pg_dir = args.data_dir / "sqlite", args.data_dir / "postgres"
    started = time.perf_counter()
    _prepare(sqlite_dir, None, args.plans, args.items)
    pg_url = _pg_database(args.pg_url)
    _prepare(pg_dir, pg_url, args.plans, args.items)
    print(f"  (data ready in {time.perf_counter() - started:.0f} s)")
    from cds_desktop.database import open_database

    lite_db, pg_db = open_database(sqlite_dir), open_database(pg_dir)
    try:
        lite, pg = _workloads(lite_db), _workloads(pg_db)
        results = {what: _paired(lite[what], pg[what], args.runs) for what in ("dashboard", "status")}
    finally:
        lite_db.close()
        pg_db.close()
    server = make_url(pg_url)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"city scale: {lite['plans']} communes' plans; one commune, today {TODAY:%d/%m/%Y}; {args.runs} paired "
          f"runs; PostgreSQL at {display_url(server.render_as_string(hide_password=False))}; load average {load}")
    worst = 0.0
    for what, label in (("dashboard", "dashboard + warnings"), ("status", "status (report + JSON)")):
        lite_ms, pg_ms = results[what]
        ratio = statistics.median(p / q for p, q in zip(pg_ms, lite_ms, strict=True))
        worst = max(worst, ratio)
        print(f"  {label:24}: SQLite {statistics.median(lite_ms):6.0f} ms, PostgreSQL {statistics.median(pg_ms):6.0f} ms "
              f"(medians), paired ratio {ratio:4.2f} (median of PostgreSQL/SQLite per pair; target ≤ 1.50)")
        print(f"    runs SQLite: {', '.join(f'{t:.0f}' for t in lite_ms)}; "
              f"PostgreSQL: {', '.join(f'{t:.0f}' for t in pg_ms)}")
    print(f"  worst ratio {worst:.2f}: {'within' if worst <= 1.5 else 'OVER'} the 1.5x target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
