"""Crash safety of storing evidence: a failure at each step of storing, in process
(an exception) and as a real crash (the process dies on the spot), leaves no
record without its file and no file that ``check`` would not report."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cds_desktop.database import open_database
from cds_desktop.models import Evidence, EvidenceLink, Item
from cds_desktop.services.evidence import attach_files, check_store, gc, store_for
from cds_desktop.services.evidence import store as store_mod

STEPS = ["after_temp_write", "after_rename", "before_commit"]
ROOT = Path(__file__).resolve().parent.parent


class Boom(RuntimeError):
    pass


def _files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    paths = []
    for i, size in enumerate((10, 2 * store_mod.CHUNK_SIZE + 5, 1234)):
        path = folder / f"minh chứng {i}.bin"
        path.write_bytes(bytes([i + 1]) * size)
        paths.append(path)
    return paths


def _item(db) -> str:
    with db.session("test") as s:
        return s.scalar(select(Item.uuid).order_by(Item.id).limit(1))


def assert_consistent(db) -> None:
    """Every live record has its file; every other file is reported by check."""
    store = store_for(db)
    with db.session("test") as s:
        for evidence in s.scalars(select(Evidence).where(Evidence.deleted_at.is_(None))):
            assert store.has(evidence.sha256), f"record without its file: {evidence.original_name}"
        referenced = set(s.scalars(select(Evidence.sha256)))
    report = check_store(db)
    reported = {Path(f.path) for f in report.orphans + report.temporary + report.stray + report.collectable}
    for sha, path in store.entries():
        if sha not in referenced:
            assert path in reported, f"unreported stray file {path}"
    for path in store.temp_files():
        assert path in reported, f"unreported temporary file {path}"
    assert not report.missing and not report.mismatches


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("nth", [1, 2], ids=["first-file", "second-file"])
def test_exception_at_each_step_leaves_nothing_behind(demo_db, tmp_path, monkeypatch, step, nth):
    item = _item(demo_db)
    calls = {"n": 0}

    def fault(where: str) -> None:
        if where == step:
            calls["n"] += 1
            if calls["n"] == nth or where == "before_commit":
                raise Boom(where)

    monkeypatch.setattr(store_mod, "_fault", fault)
    with pytest.raises(Boom):
        attach_files(demo_db, _files(tmp_path), [("item", item)])
    with demo_db.session("test") as s:
        assert s.scalar(select(func.count(Evidence.id))) == 0
        assert s.scalar(select(func.count(EvidenceLink.id))) == 0
    assert list(store_for(demo_db).entries()) == []  # files of the failed attach were removed
    assert store_for(demo_db).temp_files() == []
    assert store_mod.held() == set() and store_mod.active_temps() == set()
    assert_consistent(demo_db)
    assert check_store(demo_db).ok


@pytest.mark.parametrize("step", STEPS)
def test_failed_attach_never_removes_content_another_record_uses(demo_db, tmp_path, monkeypatch, step):
    item = _item(demo_db)
    paths = _files(tmp_path)
    attach_files(demo_db, paths[:1], [("item", item)])

    def fault(where: str) -> None:
        if where == step:
            raise Boom(where)

    monkeypatch.setattr(store_mod, "_fault", fault)
    with pytest.raises(Boom):
        attach_files(demo_db, paths, [("item", item)])
    monkeypatch.undo()
    with demo_db.session("test") as s:
        assert s.scalar(select(func.count(Evidence.id))) == 1
    assert len(list(store_for(demo_db).entries())) == 1
    assert check_store(demo_db).ok


CRASHER = textwrap.dedent(
    """
    import os, sys
    from cds_desktop.database import open_database
    from cds_desktop.services.evidence import attach_files
    from cds_desktop.services.evidence import store as store_mod

    data_dir, step, item, *paths = sys.argv[1:]

    def fault(where):
        if where == step:
            os._exit(17)  # dies on the spot: no cleanup, no rollback, no finally

    store_mod._fault = fault
    db = open_database(data_dir)
    attach_files(db, paths, [("item", item)], source="crash-test")
    sys.exit(0)
    """
)


@pytest.mark.parametrize("step", STEPS)
def test_real_crash_at_each_step_is_detected_and_collected(demo_db, tmp_path, step):
    item = _item(demo_db)
    paths = _files(tmp_path)
    attach_files(demo_db, paths[2:], [("item", item)])  # some evidence that must survive
    data_dir = demo_db.paths.data_dir
    demo_db.close()
    proc = subprocess.run(
        [sys.executable, "-c", CRASHER, str(data_dir), step, item, *map(str, paths)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 17, proc.stderr
    db = open_database(data_dir)
    try:
        with db.session("test") as s:
            assert s.scalar(select(func.count(Evidence.id))) == 1  # nothing of the crashed attach
        assert_consistent(db)
        report = check_store(db)
        if step == "after_temp_write":
            assert len(report.temporary) >= 1 and not report.orphans  # the next copies may be under way
        else:
            assert len(report.orphans) >= 1  # (and temporary files of the copies under way)
        assert not report.ok
        gc(db, grace_seconds=0)
        assert check_store(db).ok
        assert len(list(store_for(db).entries())) == 1
        again = attach_files(db, paths, [("item", item)])  # and the officer can simply try again
        assert len(again.files) == 3 and check_store(db).ok
    finally:
        db.close()
