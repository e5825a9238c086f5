"""Exchange benchmark: exporting and importing a city-scale data package, against a
plain ``unzip`` plus ``sha256sum`` of the same package in the same run.

    python benchmarks/bench_exchange.py [--communes 126] [--evidence-mb 2048] [--files 10000]
                                        [--progress 120000] [--verify]

Builds, under a temporary folder: one database with *communes* plans (synthetic,
40 items each, their units, the reporting periods), about *progress* task
progress records spread over them, and *files* random evidence files totalling
*evidence-mb* MB (sizes log-uniform, written straight into the content-addressed
store, each linked to a progress record).  Then, timed:

- ``export_package`` of everything;
- the baseline: ``unzip -q`` of that package into a folder, then ``sha256sum`` of
  every extracted file;
- ``import_package`` of it into an empty database (verification, staging with
  hashes, merge, one transaction, evidence moved into the store).

Prints MB/s for each and the ratio of import (and export) throughput to the
baseline's (target: import ≥ 50 %), and the share of the export spent signing the
package (loading the office key, Ed25519 over the manifest; target ≤ 5 %).  ``--verify`` also compares logical dumps
of both databases.  Everything is removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MB = 1024 * 1024
TARGET = 0.50
SIGN_TARGET = 0.05  # package signing: at most 5 % of the export time


def build_city(data_dir: Path, communes: int, progress: int, seed: int = 2026):
    """The city-scale database (plans through the services, progress through Core inserts)."""
    from sqlalchemy import insert, select

    from benchmarks.synthetic import synthetic_draft
    from cds_desktop.database import open_database
    from cds_desktop.models import TASK, Item, ReportingPeriod, TaskProgress, Unit, new_uuid
    from cds_desktop.services.plan_draft import load_draft
    from cds_desktop.services.tracking.calendar import ensure_periods

    db = open_database(data_dir)
    rng = random.Random(seed)
    for number in range(communes):
        draft = synthetic_draft(40, seed=number, commune=f"Phường {number + 1:03d}")
        for unit in draft["units"]:
            if unit["kind"] != "city_agency":
                unit["name"] = f"{unit['name']} - P{number + 1:03d}"
                unit["aliases"] = []
        for item in draft["items"]:
            item["lead"] = [f"{u} - P{number + 1:03d}" for u in item["lead"]]
            item["coordinating"] = [f"{u} - P{number + 1:03d}" for u in item["coordinating"]]
        with db.session(source="bench") as session:
            plan = load_draft(session, draft).plan
            ensure_periods(session, plan)
    with db.session(source="bench") as session:
        tasks = [(i.id, i.plan_id) for i in session.scalars(select(Item).where(Item.kind == TASK))]
        months = {}
        for period in session.scalars(select(ReportingPeriod).where(ReportingPeriod.kind == "month")):
            months.setdefault(period.plan_id, []).append(period.id)
        units = [u.id for u in session.scalars(select(Unit))]
    now = datetime.now(UTC)
    rows, seen = [], set()
    statuses = ["not_started", "in_progress", "done", "behind"]
    while len(rows) < progress:
        item_id, plan_id = rng.choice(tasks)
        key = (item_id, rng.choice(months[plan_id]), rng.choice(units))
        if key in seen:
            continue
        seen.add(key)
        rows.append({"item_id": key[0], "period_id": key[1], "unit_id": key[2], "status": rng.choice(statuses),
                     "percent": rng.randrange(0, 101, 5), "result": "Đã triển khai theo kế hoạch, đạt yêu cầu.",
                     "difficulties": "", "proposals": "", "received_on": date(2026, 6, 10), "source": "paper",
                     "note": "", "uuid": new_uuid(), "created_at": now, "updated_at": now,
                     "changed_by": db.installation_id, "version": 1, "deleted_at": None})
    with db.engine.begin() as conn:
        for start in range(0, len(rows), 20_000):
            conn.execute(insert(TaskProgress.__table__), rows[start:start + 20_000])
    return db


def add_evidence(db, files: int, total_mb: int, seed: int = 7) -> int:
    """Random files written straight into the store (hashed while generated) and linked to progress rows."""
    from sqlalchemy import insert, select

    from cds_desktop.models import Evidence, EvidenceLink, TaskProgress, new_uuid
    from cds_desktop.services.evidence import store_for

    rng = random.Random(seed)
    store = store_for(db)
    weights = [math.exp(rng.uniform(0, math.log(200))) for _ in range(files)]  # log-uniform, 1:200
    scale = total_mb * MB / sum(weights)
    sizes = [max(1024, int(w * scale)) for w in weights]
    with db.session() as session:
        targets = list(session.scalars(select(TaskProgress.uuid).limit(files)))
    now = datetime.now(UTC)
    evidence, links, written = [], [], 0
    block = os.urandom(4 * MB)
    for number, size in enumerate(sizes):
        salt = number.to_bytes(8, "little") + os.urandom(24)
        data = bytearray()
        while len(data) < size:
            offset = rng.randrange(0, len(block) - 1)
            data += salt + block[offset:offset + min(size - len(data), 1 * MB)]
        data = bytes(data[:size])
        sha = hashlib.sha256(data).hexdigest()
        path = store.path_for(sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += size
        uuid = new_uuid()
        common = {"created_at": now, "updated_at": now, "changed_by": db.installation_id, "version": 1,
                  "deleted_at": None}
        evidence.append({"uuid": uuid, "sha256": sha, "size": size, "original_name": f"minh-chung-{number:05d}.pdf",
                         "extension": "pdf", "mime": "application/pdf", "kind": "report", "doc_number": "",
                         "doc_date": None, "issuer": "", "description": "", "period": "2026-05", "unit_id": None,
                         "search_text": f"minh chung {number}", **common})
        links.append({"uuid": new_uuid(), "target_type": "task_progress", "target_uuid": targets[number % len(targets)],
                      "note": "", "_evidence": uuid, **common})
    with db.engine.begin() as conn:
        conn.execute(insert(Evidence.__table__), evidence)
        ids = dict(conn.execute(select(Evidence.__table__.c.uuid, Evidence.__table__.c.id)).all())
        for link in links:
            link["evidence_id"] = ids[link.pop("_evidence")]
        conn.execute(insert(EvidenceLink.__table__), links)
    return written


def baseline(package: Path, work: Path) -> float:
    """Seconds for ``unzip -q`` of the package, then ``sha256sum`` of every extracted file."""
    out = work / "unzipped"
    started = time.perf_counter()
    subprocess.run(["unzip", "-q", str(package), "-d", str(out)], check=True)
    files = [str(p) for p in out.rglob("*") if p.is_file()]
    for start in range(0, len(files), 2000):
        subprocess.run(["sha256sum", *files[start:start + 2000]], check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    shutil.rmtree(out)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=126)
    parser.add_argument("--evidence-mb", type=int, default=2048)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--progress", type=int, default=120_000)
    parser.add_argument("--verify", action="store_true", help="compare logical dumps of both databases")
    parser.add_argument("--workdir", default=None, help="parent folder for the temporary data (default: system temp)")
    args = parser.parse_args(argv)

    from cds_desktop.database import open_database
    from cds_desktop.exchange import export_package, import_package

    work = Path(tempfile.mkdtemp(prefix="cds-bench-exchange-", dir=args.workdir))
    try:
        started = time.perf_counter()
        source = build_city(work / "city", args.communes, args.progress)
        print(f"Built {args.communes} plans and {args.progress:,} progress records in "
              f"{time.perf_counter() - started:.1f}s", flush=True)
        started = time.perf_counter()
        evidence_bytes = add_evidence(source, args.files, args.evidence_mb)
        print(f"Wrote {args.files:,} evidence files, {evidence_bytes / MB:,.0f} MB, in "
              f"{time.perf_counter() - started:.1f}s", flush=True)

        started = time.perf_counter()
        exported = export_package(source, work / "city.cdspkg")
        t_export = time.perf_counter() - started
        size = exported.size / MB
        print(f"export-package: {exported.records:,} records, {exported.evidence_files:,} files, {size:,.0f} MB "
              f"in {t_export:.1f}s ({size / t_export:,.0f} MB/s)", flush=True)
        share = exported.sign_seconds / t_export
        print(f"RESULT signing (office key + Ed25519 over the manifest): {exported.sign_seconds * 1000:.1f} ms = "
              f"{share:.3%} of the export; target ≤ {SIGN_TARGET:.0%}: {'OK' if share <= SIGN_TARGET else 'MISSED'}",
              flush=True)

        t_base = baseline(exported.path, work)
        print(f"baseline unzip + sha256sum: {t_base:.1f}s ({size / t_base:,.0f} MB/s)", flush=True)

        target = open_database(work / "empty")
        started = time.perf_counter()
        result = import_package(target, exported.path, trust_new=True)
        t_import = time.perf_counter() - started
        print(f"import-package: {result.counts} in {t_import:.1f}s ({size / t_import:,.0f} MB/s)", flush=True)
        again = baseline(exported.path, work)
        print(f"baseline again: {again:.1f}s", flush=True)
        t_base = min(t_base, again)
        ratio_import, ratio_export = t_base / t_import, t_base / t_export
        print(f"RESULT import {size / t_import:,.0f} MB/s = {ratio_import:.0%} of the baseline "
              f"({size / t_base:,.0f} MB/s); export {size / t_export:,.0f} MB/s = {ratio_export:.0%}; "
              f"target import ≥ {TARGET:.0%}: {'OK' if ratio_import >= TARGET else 'MISSED'}", flush=True)
        if args.verify:
            from cds_desktop.exchange.dump import logical_dump

            same = logical_dump(source, hash_files=False) == logical_dump(target, hash_files=False)
            print(f"logical dumps equal: {same}", flush=True)
        source.close()
        target.close()
        return 0 if ratio_import >= TARGET else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
