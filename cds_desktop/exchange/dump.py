"""A logical dump of a database: every exchanged record (foreign keys as uuids) and
every evidence file hash.  Two copies that hold the same data have equal dumps;
used by the tests and the benchmark to prove a round trip."""

from __future__ import annotations

import hashlib
from typing import Any

from cds_desktop.database import Database
from cds_desktop.exchange.records import DERIVED, local_rows, referenced_tables, table_specs, uuid_maps


def logical_dump(db: Database, *, include_audit: bool = False, hash_files: bool = True) -> dict[str, Any]:
    """``{"tables": {name: [record, ...] sorted by uuid}, "evidence_files": {sha: sha-of-content}}``."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with db.engine.connect() as conn:
        maps = uuid_maps(conn, referenced_tables())
        for spec in table_specs():
            if spec.append_only and not include_audit:
                continue
            rows = [{k: v for k, v in record.items() if k not in DERIVED} for _id, record in local_rows(conn, spec, maps)]
            tables[spec.name] = sorted(rows, key=lambda r: r["uuid"])
    files: dict[str, str] = {}
    store = db.evidence_dir
    for record in tables.get("evidence", []):
        if record["deleted_at"] is not None:
            continue
        sha = record["sha256"]
        path = store / sha[:2] / sha[2:4] / sha
        if not path.is_file():
            files[sha] = "missing"
        elif hash_files:
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
            files[sha] = digest.hexdigest()
        else:
            files[sha] = str(path.stat().st_size)
    return {"tables": tables, "evidence_files": files}
