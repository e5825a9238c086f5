"""Damaged packages: every truncation (100 points) and 1,000 random single-byte flips of a
small package are rejected before any database write; the database file is unchanged."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select
from support.exchange import clone_db, file_state

from cds_desktop.database import open_database
from cds_desktop.exchange import RejectedFile, Scope, export_package, import_package
from cds_desktop.models import TaskProgress, Unit


@pytest.fixture(scope="module")
def small_package(tmp_path_factory):
    """A unit's package with its evidence file: a few tens of KB."""
    root = tmp_path_factory.mktemp("damage")
    db = clone_db(root / "source")
    try:
        with db.session() as s:
            unit = s.scalar(select(Unit).join(TaskProgress, TaskProgress.unit_id == Unit.id)
                            .where(TaskProgress.uuid.is_not(None)).order_by(TaskProgress.id))
        path = export_package(db, root / "unit.cdspkg", Scope(unit_uuid=unit.uuid)).path
    finally:
        db.close()
    data = path.read_bytes()
    assert 2_000 < len(data) < 150_000
    return data


@pytest.fixture
def target(tmp_path, new_db):
    """An empty database, closed: (data dir, state of its file)."""
    db = new_db(tmp_path / "target")
    data_dir, db_file = db.paths.data_dir, db.paths.db_file
    db.close()
    return data_dir, db_file


def _reject_all(data_dir, blobs, tmp_path) -> list[str]:
    db = open_database(data_dir)
    reasons = []
    try:
        path = tmp_path / "damaged.cdspkg"
        for blob in blobs:
            path.write_bytes(blob)
            with pytest.raises(RejectedFile) as info:
                import_package(db, path, trust_new=True)
            assert "damaged.cdspkg" in str(info.value)
            reasons.append(info.value.reason)
    finally:
        db.close()
    return reasons


def _assert_untouched(data_dir, db_file, state):
    assert file_state(db_file) == state
    wal = db_file.with_name(db_file.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    staging = data_dir / "exchange-staging"
    assert not staging.exists() or not list(staging.iterdir())
    assert not (data_dir / "evidence").exists() or not any(
        p.is_file() for p in (data_dir / "evidence").rglob("*"))


def test_the_intact_package_is_accepted(small_package, tmp_path, target):
    data_dir, _db_file = target
    path = tmp_path / "ok.cdspkg"
    path.write_bytes(small_package)
    db = open_database(data_dir)
    try:
        assert import_package(db, path, dry_run=True, trust_new=True).counts["created"] > 10
    finally:
        db.close()


def test_every_truncation_is_rejected_before_any_write(small_package, tmp_path, target):
    data_dir, db_file = target
    state = file_state(db_file)
    size = len(small_package)
    points = sorted({round(i * size / 100) for i in range(100)} | {size - 1})
    reasons = _reject_all(data_dir, [small_package[:n] for n in points], tmp_path)
    assert len(reasons) == len(points)
    _assert_untouched(data_dir, db_file, state)


def test_a_thousand_random_byte_flips_are_rejected_before_any_write(small_package, tmp_path, target):
    data_dir, db_file = target
    state = file_state(db_file)
    rng = random.Random(2026)
    blobs = []
    for _ in range(1000):
        blob = bytearray(small_package)
        at = rng.randrange(len(blob))
        blob[at] ^= rng.randrange(1, 256)
        blobs.append(bytes(blob))
    reasons = _reject_all(data_dir, blobs, tmp_path)
    assert len(reasons) == 1000
    # the reasons are specific, in Vietnamese
    assert any("niêm phong" in r for r in reasons) and any("hỏng" in r for r in reasons)
    _assert_untouched(data_dir, db_file, state)
