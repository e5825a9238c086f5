"""The fast attach: the copy is hashed on a helper thread step by step, and the command line
copies while the database opens.  Same bytes and hash as a plain copy; a refusal or a failure
half-way leaves nothing in the store and nothing in the database."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cds_desktop.cli import main
from cds_desktop.models import Evidence, EvidenceLink, Item
from cds_desktop.services.errors import ServiceError
from cds_desktop.services.evidence import attach_files, store_for, streams
from cds_desktop.services.evidence import early as early_mod
from cds_desktop.services.evidence import store as store_mod

STEP = 64 * 1024  # small steps: a few hundred KiB make many of them


@pytest.fixture(autouse=True)
def _small_steps(monkeypatch):
    monkeypatch.setattr(streams, "STEP", STEP)


def _files(folder: Path, sizes: list[int]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, size in enumerate(sizes):
        path = folder / f"minh-chứng-{number}.pdf"
        path.write_bytes(os.urandom(size))
        paths.append(path)
    return paths


def _first_item(db) -> str:
    with db.session("test") as s:
        return s.scalar(select(Item.uuid).where(Item.deleted_at.is_(None)).order_by(Item.id).limit(1))


def _rows(db) -> tuple[int, int]:
    with db.session("test") as s:
        return s.scalar(select(func.count(Evidence.id))), s.scalar(select(func.count(EvidenceLink.id)))


def _store_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _spy_early(monkeypatch) -> list:
    started = []
    real = early_mod.start_early_copy

    def spy(*args, **kwargs):
        copy = real(*args, **kwargs)
        started.append(copy)
        return copy

    monkeypatch.setattr(early_mod, "start_early_copy", spy)
    return started


def test_copy_hashed_on_the_helper_thread_matches_the_bytes(demo_db, tmp_path):
    sizes = [STEP * 5 + 123, STEP, 1, STEP * 2 - 1]  # many steps, exactly one, a single byte
    paths = _files(tmp_path / "in", sizes)
    result = attach_files(demo_db, paths, [("item", _first_item(demo_db))])
    store = store_for(demo_db)
    assert [f.size for f in result.files] == sizes
    for path, attached in zip(paths, result.files, strict=True):
        data = path.read_bytes()
        assert attached.sha256 == hashlib.sha256(data).hexdigest()
        assert store.path_for(attached.sha256).read_bytes() == data


def test_a_read_failure_half_way_through_leaves_nothing(demo_db, tmp_path, monkeypatch):
    paths = _files(tmp_path / "in", [STEP * 2, STEP * 6])
    real, calls = os.preadv, []

    def failing(fd, buffers, offset):
        calls.append(offset)
        if offset >= STEP * 3:
            raise OSError(5, "Input/output error")
        return real(fd, buffers, offset)

    monkeypatch.setattr(streams.os, "preadv", failing)
    before = _rows(demo_db)
    with pytest.raises(ServiceError, match="minh-chứng-1.pdf"):
        attach_files(demo_db, paths, [("item", _first_item(demo_db))])
    assert max(calls) >= STEP * 3  # it did fail in the middle of the second file
    assert _rows(demo_db) == before
    assert _store_files(store_for(demo_db).root) == []
    assert store_mod.held() == set() and store_mod.active_temps() == set()


@pytest.mark.sqlite_only(reason="the early copy reads a SQLite file's store setting with sqlite3 (a server database waits)")
def test_cli_copies_while_the_database_opens(demo_db, tmp_path, monkeypatch, capsys):
    item = _first_item(demo_db)
    data_dir = str(demo_db.paths.data_dir)
    store_root = store_for(demo_db).root
    demo_db.close()
    paths = _files(tmp_path / "in", [STEP * 3 + 7, 4096])
    started = _spy_early(monkeypatch)
    assert main(["evidence", "attach", "--data-dir", data_dir, "--item", item, *map(str, paths)]) == 0
    assert "Đã gắn 2 tệp minh chứng" in capsys.readouterr().out
    assert len(started) == 1 and started[0] is not None and started[0].root == store_root
    stored = {p.name: p.read_bytes() for p in _store_files(store_root) if p.parent.name != store_mod.TMP_DIR_NAME}
    assert stored == {hashlib.sha256(p.read_bytes()).hexdigest(): p.read_bytes() for p in paths}
    assert store_mod.held() == set()


@pytest.mark.sqlite_only(reason="the early copy reads a SQLite file's store setting with sqlite3 (a server database waits)")
def test_cli_refused_target_removes_what_the_early_copy_added(demo_db, tmp_path, monkeypatch, capsys):
    data_dir = str(demo_db.paths.data_dir)
    store_root = store_for(demo_db).root
    before = _rows(demo_db)
    demo_db.close()
    paths = _files(tmp_path / "in", [STEP * 4, 100])
    started = _spy_early(monkeypatch)
    missing = "00000000-0000-0000-0000-000000000000"
    assert main(["evidence", "attach", "--data-dir", data_dir, "--item", missing, *map(str, paths)]) != 0
    assert "Không tìm thấy" in capsys.readouterr().err
    assert len(started) == 1 and started[0] is not None  # the copy had started
    assert _store_files(store_root) == []  # neither store files nor temporary files
    assert store_mod.held() == set() and store_mod.active_temps() == set()
    from cds_desktop.database import open_database

    db = open_database(data_dir)
    try:
        assert _rows(db) == before
    finally:
        db.close()


def test_early_copy_into_another_folder_is_redone_in_the_store(demo_db, tmp_path):
    paths = _files(tmp_path / "in", [STEP * 2 + 5])
    wrong = tmp_path / "other-store"
    early = early_mod.EarlyCopy(wrong, early_mod.inspect_sources(paths))
    result = attach_files(demo_db, paths, [("item", _first_item(demo_db))], early=early)
    (attached,) = result.files
    assert store_for(demo_db).path_for(attached.sha256).read_bytes() == paths[0].read_bytes()
    assert _store_files(wrong) == []
    assert store_mod.held() == set()
