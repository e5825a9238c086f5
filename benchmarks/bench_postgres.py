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

Target (issue 13): PostgreSQL within 1.5x of SQLite for both.  Printed: medians, the ratio, every run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_tracking import DATA_VERSION, TODAY, build, timed  # noqa: E402

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


def _measure(data_dir: Path, runs: int) -> dict[str, tuple[float, list[float]]]:
    from sqlalchemy import select

    from cds_desktop.commands.registry import json_default
    from cds_desktop.database import open_database
    from cds_desktop.models import Plan
    from cds_desktop.services.tracking import build_status
    from cds_desktop.services.tracking.dashboard import build_dashboard

    db = open_database(data_dir)
    try:
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

        return {"dashboard": timed(dashboard, runs), "status": timed(status, runs), "plans": (len(plan_ids), [])}
    finally:
        db.close()


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
    results = {"SQLite": _measure(sqlite_dir, args.runs), "PostgreSQL": _measure(pg_dir, args.runs)}
    server = make_url(pg_url)
    print(f"city scale: {results['SQLite']['plans'][0]} communes' plans; one commune, today {TODAY:%d/%m/%Y}; "
          f"median of {args.runs} runs; PostgreSQL at {display_url(server.render_as_string(hide_password=False))}")
    worst = 0.0
    for what, label in (("dashboard", "dashboard + warnings"), ("status", "status (report + JSON)")):
        lite, pg = results["SQLite"][what], results["PostgreSQL"][what]
        ratio = pg[0] / lite[0] if lite[0] else float("inf")
        worst = max(worst, ratio)
        print(f"  {label:24}: SQLite {lite[0]:6.0f} ms, PostgreSQL {pg[0]:6.0f} ms, ratio {ratio:4.2f} "
              f"(target ≤ 1.50)  runs SQLite: {', '.join(f'{t:.0f}' for t in lite[1])}; "
              f"PostgreSQL: {', '.join(f'{t:.0f}' for t in pg[1])}")
    print(f"  worst ratio {worst:.2f}: {'within' if worst <= 1.5 else 'OVER'} the 1.5x target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
