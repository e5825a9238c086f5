"""Communes' data packages for the receiving mode (roll-up): each commune its own
database (a copy of one empty database under a new installation id), its plan from
:func:`benchmarks.synthetic.rollup_draft`, figures and progress entered through the
tracking services, exported with :func:`cds_desktop.exchange.export_package`.

    template = empty_template(work / "empty")
    path = commune_package(template, work, 3, shared=[0, 1], out_dir=work / "packages")

The figures are deterministic (commune number *i*, see :func:`fill_commune`), so a
test can compute the expected roll-up by hand.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 26)


def open_commune(folder: Path):
    """A commune's own database: always a SQLite file in *folder* (each commune has its own PC),
    whatever the receiving side runs on."""
    from cds_desktop.database import open_database
    from cds_desktop.paths import DB_FILENAME

    folder.mkdir(parents=True, exist_ok=True)
    return open_database(folder, f"sqlite:///{(folder / DB_FILENAME).as_posix()}")


def empty_template(folder: Path) -> Path:
    """A migrated, empty data directory (closed) to copy for each commune."""
    if not any(folder.glob("*.sqlite*")):
        open_commune(folder).close()
    return folder


def fresh_copy(template: Path, dest: Path) -> Path:
    """*template* copied to *dest* under a new installation id."""
    from cds_desktop.models import new_uuid

    shutil.copytree(template, dest, ignore=shutil.ignore_patterns("logs"))
    db_file = next(p for p in dest.iterdir() if p.suffix in (".sqlite3", ".sqlite", ".db"))
    new = new_uuid()
    with closing(sqlite3.connect(db_file)) as conn, conn:
        row = conn.execute("SELECT value FROM settings WHERE key = 'installation_id'").fetchone()
        old = json.loads(row[0]) if row else None
        if old:
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
                for column in columns & {"changed_by", "installation"}:
                    conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?', (new, old))
        conn.execute("UPDATE settings SET value = ? WHERE key = 'installation_id'", (json.dumps(new),))
    return dest


def period_of(index: int) -> str:
    """Communes 8 and 9 (of each ten) sent only October's data; the others November's."""
    return "2026-10" if index % 10 >= 8 else "2026-11"


def fill_commune(db, index: int, today: date = TODAY) -> None:
    """Commune *i*'s figures (all commune-wide, in :func:`period_of`):

    - hồ sơ đúng hạn (≥ 98%): numerator = denominator − (9 − i mod 10), denominator = 50 + 10·(i mod 10);
    - danh tính điện tử (trên 90%): 85 + i mod 10 out of 100;
    - hóa đơn điện tử (100%): 100 when i mod 3 = 0, else 95;
    - tasks of each pillar: the "Quý I" one done (even i) or at 60% (odd i); the "Quý IV" one at 50%;
      the "Tháng 6" one done for i mod 10 < 5, not reported otherwise; the others not reported.
    """
    from sqlalchemy import select

    from cds_desktop.models import Assignment, Item, Plan, ReportingPeriod, Unit
    from cds_desktop.services.tracking.entry import record_indicator_value, record_progress

    k = index % 10
    with db.session(source="bench") as session:
        plan = session.scalars(select(Plan)).one()
        period = session.scalar(select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id,
                                                              ReportingPeriod.code == period_of(index)))
        items = list(session.scalars(select(Item).where(Item.plan_id == plan.id).order_by(Item.position)))
        for item in items:
            if item.kind != "indicator":
                continue
            text = item.content
            if "nội dung riêng" in text:
                continue
            if text.startswith("Tỷ lệ hồ sơ xử lý"):
                den = 50 + 10 * k
                record_indicator_value(session, item, None, period, today=today, numerator=den - (9 - k),
                                       denominator=den)
            elif text.startswith("Tỷ lệ người dân trưởng thành có danh tính"):
                record_indicator_value(session, item, None, period, today=today, numerator=85 + k, denominator=100)
            elif text.startswith("Tỷ lệ hộ kinh doanh"):
                record_indicator_value(session, item, None, period, today=today, value=100 if k % 3 == 0 else 95)
        for item in items:
            if item.kind != "task":
                continue
            lead = session.scalar(select(Unit).join(Assignment, Assignment.unit_id == Unit.id)
                                  .where(Assignment.item_id == item.id, Assignment.role == "lead"))
            if item.deadline_text.startswith("Quý I/"):
                record_progress(session, item, lead, period, today=today, percent=100 if k % 2 == 0 else 60)
            elif item.deadline_text.startswith("Quý IV/"):
                record_progress(session, item, lead, period, today=today, percent=50)
            elif item.deadline_text.startswith("Tháng 6/") and k < 5:
                record_progress(session, item, lead, period, today=today, percent=100)


def shared_of(index: int) -> list[int]:
    """Which shared indicators commune *i* has: the first one everywhere, the second in communes
    0–6 of each ten, the third in communes 3–9."""
    k = index % 10
    return [0] + ([1] if k <= 6 else []) + ([2] if k >= 3 else [])


def commune_package(template: Path, work: Path, index: int, out_dir: Path, *, evidence: list[Path] | None = None,
                    **draft_options) -> Path:
    """Build commune *index*'s database under *work* and export everything it has into *out_dir*."""
    from benchmarks.synthetic import rollup_draft
    from cds_desktop.exchange import export_package
    from cds_desktop.services.plan_draft import load_draft
    from cds_desktop.services.tracking.calendar import ensure_periods

    data = fresh_copy(template, work / f"commune-{index:03d}")
    db = open_commune(data)
    try:
        with db.session(source="bench") as session:
            plan = load_draft(session, rollup_draft(index, shared_of(index), **draft_options)).plan
            ensure_periods(session, plan)
        fill_commune(db, index)
        if evidence:
            _attach(db, evidence)
        out_dir.mkdir(parents=True, exist_ok=True)
        return export_package(db, out_dir / f"xa-{index + 1:03d}.cdspkg").path
    finally:
        db.close()


def _attach(db, files: list[Path]) -> None:
    from sqlalchemy import select

    from cds_desktop.models import TaskProgress
    from cds_desktop.services.evidence import attach_files

    with db.session() as session:
        targets = list(session.scalars(select(TaskProgress.uuid).order_by(TaskProgress.id)))
    for number, path in enumerate(files):
        attach_files(db, [path], [("task_progress", targets[number % len(targets)])], source="bench")
