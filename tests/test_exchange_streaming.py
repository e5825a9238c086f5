"""A package is applied a chunk of records at a time (bounded memory): the result must not
depend on the chunk size, and the applied result keeps what its list shows."""

from __future__ import annotations

import sqlite3

import pytest
from support.exchange import clone_db

from cds_desktop.exchange import export_package, import_package, merge, packages
from cds_desktop.exchange.dump import logical_dump


@pytest.fixture
def source(tmp_path):
    db = clone_db(tmp_path / "source")
    yield db
    db.close()


def _clocks(db) -> list[tuple]:
    conn = sqlite3.connect(db.sqlite_path)
    try:
        return conn.execute("SELECT record_uuid, table_name, vector, version_at FROM exchange_clocks "
                            "ORDER BY record_uuid").fetchall()
    finally:
        conn.close()


@pytest.mark.sqlite_only(reason="reads the version clocks through sqlite3")
def test_small_chunks_give_the_same_database_as_one_chunk(source, tmp_path, new_db, monkeypatch):
    path = export_package(source, tmp_path / "p.cdspkg").path
    whole, chunked = new_db(tmp_path / "whole"), new_db(tmp_path / "chunked")
    monkeypatch.setattr(packages, "STREAM_CHUNK", 1 << 30)
    first = import_package(whole, path, trust_new=True)
    monkeypatch.setattr(packages, "STREAM_CHUNK", 7)  # groups' parents, items, periods: across chunks
    second = import_package(chunked, path, trust_new=True)
    assert first.counts == second.counts
    assert first.counts["created"] > 100
    assert logical_dump(chunked) == logical_dump(whole) == logical_dump(source)
    assert _clocks(chunked) == _clocks(whole)
    assert len(_clocks(whole)) == first.counts["created"]


def _listed(result, limit: int) -> list[str]:
    decisions = sorted(result.plan.decisions, key=lambda d: (d.action != "conflict", d.spec.name))
    return [d.uuid for d in decisions if d.action != "sync"][:limit]


def test_the_applied_result_keeps_the_decisions_its_list_shows(source, tmp_path, new_db, monkeypatch):
    path = export_package(source, tmp_path / "p.cdspkg").path
    target = new_db(tmp_path / "target")
    preview = import_package(target, path, dry_run=True, trust_new=True)
    monkeypatch.setattr(packages, "STREAM_CHUNK", 5)
    monkeypatch.setattr(merge, "PREVIEW_LIMIT", 12)
    applied = import_package(target, path, trust_new=True)
    assert applied.applied and not preview.applied
    assert len(applied.plan.decisions) == 12 < len(preview.plan.decisions)
    assert _listed(applied, 12) == _listed(preview, 12)
    assert applied.to_dict()["audit_entries"] == preview.to_dict()["audit_entries"] > 0


def test_the_second_reading_converts_like_the_checked_first(source, tmp_path):
    import json
    import zipfile

    from cds_desktop.exchange.records import convert_record, decode_record, spec_by_name

    path = export_package(source, tmp_path / "p.cdspkg").path
    specs = spec_by_name()
    compared = set()
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not name.startswith("records/"):
                continue
            spec = specs[name.removeprefix("records/").removesuffix(".jsonl")]
            raw = None
            for line in zf.read(name).splitlines():
                raw = json.loads(line)
                assert convert_record(spec, raw) == decode_record(spec, raw)
                compared.add(spec.name)
            optional = next((c for c in spec.columns if c in spec.fillers), None)
            if raw is not None and optional is not None:  # a package written before a column existed
                raw.pop(optional)
                assert convert_record(spec, raw) == decode_record(spec, raw)
                compared.add(f"{spec.name} without {optional}")
    assert {"items", "task_progress", "evidence", "audit_log", "groups"} <= compared
    assert any(" without " in name for name in compared)
