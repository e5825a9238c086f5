"""Backups and restore (issue #14 item 9): backup → restore gives the same data and evidence;
a damaged backup is refused with nothing changed; automatic backups kept 7 daily + 4 weekly."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from cds_desktop.cli import main as cli_main
from cds_desktop.database import open_database
from cds_desktop.exchange.dump import logical_dump
from cds_desktop.models import Item
from cds_desktop.paths import app_paths
from cds_desktop.services.backup import (
    BackupError,
    auto_backup,
    create_backup,
    prune,
    restore_backup,
    set_second_folder,
    verify_backup,
)
from cds_desktop.services.evidence.attach import attach_files

pytestmark = pytest.mark.sqlite_only(reason="a backup file holds the SQLite database; PostgreSQL is backed up "
                                            "with the server's pg_dump")


def _with_evidence(db, tmp_path: Path) -> list[str]:
    """Two evidence files linked to the first item; their hashes."""
    folder = tmp_path / "in"
    folder.mkdir()
    contents = [b"%PDF-1.4 quyet dinh " * 1000, "Biên bản họp thôn".encode() * 500]
    paths = []
    for number, data in enumerate(contents):
        path = folder / f"minh-chung-{number}.pdf"
        path.write_bytes(data)
        paths.append(path)
    with db.session("test") as s:
        item = s.scalar(select(Item.uuid).order_by(Item.id))
    attach_files(db, paths, [("item", item)], source="test")
    return [hashlib.sha256(c).hexdigest() for c in contents]


def _store_hashes(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file() and len(p.name) == 64}


def _backup(db, out: Path):
    return create_backup(db.paths.db_file, db.paths.evidence_dir, out, app_version="test")


def test_backup_then_restore_gives_the_same_data_and_evidence(progress_db, tmp_path):
    hashes = _with_evidence(progress_db, tmp_path)
    before = logical_dump(progress_db)
    info = _backup(progress_db, tmp_path / "sao-luu.cdsbak")
    assert info.evidence_count == 2 and info.plans and info.schema
    progress_db.close()

    target = app_paths(tmp_path / "may-moi")
    result = restore_backup(target, info.path)
    assert result.kept is None  # nothing was there
    restored = open_database(target.data_dir)
    try:
        assert logical_dump(restored) == before
        assert _store_hashes(target.evidence_dir) == {h: h for h in hashes}
    finally:
        restored.close()


def test_restore_over_existing_data_keeps_it_as_a_backup(demo_db, tmp_path):
    info = _backup(demo_db, tmp_path / "a.cdsbak")
    original = logical_dump(demo_db)
    with demo_db.session("test") as s:  # a change made after the backup
        s.scalar(select(Item).order_by(Item.id)).note = "sửa sau khi sao lưu"
    changed = logical_dump(demo_db)
    result = restore_backup(demo_db.paths, info.path, db=demo_db)
    assert logical_dump(demo_db) == original  # the open Database reads the restored file
    assert result.kept is not None and result.kept.parent == demo_db.paths.backup_dir
    verify_backup(result.kept)
    restore_backup(demo_db.paths, result.kept, db=demo_db)
    assert logical_dump(demo_db) == changed
    assert not list(demo_db.paths.data_dir.glob("restore-staging-*"))


def _rewrite(src: Path, dst: Path, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info, data)


def _flip(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


DAMAGES = {
    "evidence member changed": lambda name, data: _flip(data) if name.startswith("evidence/") else data,
    "database changed": lambda name, data: _flip(data) if name == "cds.sqlite" else data,
    "member missing": lambda name, data: None if name.startswith("evidence/") else data,
    "manifest missing": lambda name, data: None if name == "manifest.json" else data,
    "manifest edited": lambda name, data: data.replace(b'"cds-desktop-backup"', b'"other"')
    if name == "manifest.json" else data,
}


@pytest.mark.parametrize("damage", [*DAMAGES, "truncated", "byte flipped in the file", "not a zip"])
def test_a_damaged_backup_is_refused_and_nothing_changes(demo_db, tmp_path, damage):
    _with_evidence(demo_db, tmp_path)
    good = _backup(demo_db, tmp_path / "good.cdsbak").path
    bad = tmp_path / "bad.cdsbak"
    raw = good.read_bytes()
    if damage in DAMAGES:
        _rewrite(good, bad, DAMAGES[damage])
    elif damage == "truncated":
        bad.write_bytes(raw[: len(raw) // 2])
    elif damage == "byte flipped in the file":
        with zipfile.ZipFile(good) as zf:  # inside an evidence member's data, past its local header
            member = next(i for i in zf.infolist() if i.filename.startswith("evidence/"))
            offset = member.header_offset + 30 + len(member.filename) + len(member.extra) + member.file_size // 2
        bad.write_bytes(raw[:offset] + bytes([raw[offset] ^ 0x01]) + raw[offset + 1:])
    else:
        bad.write_text("không phải bản sao lưu", encoding="utf-8")
    db_before = demo_db.paths.db_file.read_bytes()
    store_before = _store_hashes(demo_db.paths.evidence_dir)
    dump_before = logical_dump(demo_db)
    with pytest.raises(BackupError) as refused:
        restore_backup(demo_db.paths, bad, db=demo_db)
    message = str(refused.value)
    assert str(bad) in message and "Traceback" not in message
    assert any(word in message for word in ("hỏng", "không phải", "cắt cụt")), message
    assert demo_db.paths.db_file.read_bytes() == db_before
    assert _store_hashes(demo_db.paths.evidence_dir) == store_before
    assert logical_dump(demo_db) == dump_before
    assert not list(demo_db.paths.backup_dir.glob("before-restore-*"))  # refused before anything
    assert not list(demo_db.paths.data_dir.glob("restore-staging-*"))


def test_a_backup_never_overwrites_a_file_and_a_cancelled_one_leaves_nothing(demo_db, tmp_path):
    out = tmp_path / "x.cdsbak"
    out.write_bytes(b"tep cua nguoi dung")
    with pytest.raises(BackupError, match="đã có"):
        _backup(demo_db, out)
    assert out.read_bytes() == b"tep cua nguoi dung"
    other = tmp_path / "y.cdsbak"
    with pytest.raises(BackupError, match="hủy"):
        create_backup(demo_db.paths.db_file, demo_db.paths.evidence_dir, other, cancel=lambda: True)
    assert list(tmp_path.glob("y.cdsbak*")) == []


def test_retention_keeps_seven_daily_and_four_weekly(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    start = date(2026, 9, 1)
    days = [start + timedelta(days=n) for n in range(60)]
    for day in days:
        (folder / f"auto-{day.isoformat()}.cdsbak").write_bytes(b"x")
    (folder / "cua-toi.cdsbak").write_bytes(b"x")  # the officer's own: never removed
    prune(folder)
    kept = sorted(p.name for p in folder.glob("auto-*.cdsbak"))
    last = days[-1]
    daily = {f"auto-{(last - timedelta(days=n)).isoformat()}.cdsbak" for n in range(7)}
    assert daily <= set(kept)
    weekly = set(kept) - daily
    weeks = {date.fromisoformat(name[5:15]).isocalendar()[:2] for name in kept}
    assert len(weeks) == 4 and len(kept) == 7 + len(weekly) and len(weekly) <= 3
    assert (folder / "cua-toi.cdsbak").exists()


def test_automatic_backup_once_a_day_with_a_second_copy(demo_db, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    set_second_folder(demo_db.paths, usb)
    info, note = auto_backup(demo_db.paths, date(2026, 11, 26), app_version="test")
    assert info is not None and info.path.name == "auto-2026-11-26.cdsbak" and str(usb) in note
    assert (usb / "auto-2026-11-26.cdsbak").read_bytes() == info.path.read_bytes()
    assert auto_backup(demo_db.paths, date(2026, 11, 26)) == (None, "")  # once a day
    usb.rename(tmp_path / "usb-rut-ra")
    info, note = auto_backup(demo_db.paths, date(2026, 11, 27))
    assert info is not None and "Không thấy thư mục sao lưu thứ hai" in note
    settings = json.loads(demo_db.paths.settings_file.read_text(encoding="utf-8"))
    assert settings["second_backup_folder"] == str(usb)


def test_backup_and_restore_on_the_command_line(demo_db, tmp_path, capsys):
    data = str(demo_db.paths.data_dir)
    out = tmp_path / "sao-luu"
    assert cli_main(["--data-dir", data, "backup", "--out", str(out), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["file"].endswith("sao-luu.cdsbak") and made["plans"]
    assert cli_main(["--data-dir", data, "backup", "--out", made["file"]]) != 0  # exists: refused
    capsys.readouterr()
    assert cli_main(["--data-dir", data, "restore", made["file"], "--check"]) == 0
    assert "nguyên vẹn" in capsys.readouterr().out
    fresh = tmp_path / "may-khac"
    assert cli_main(["--data-dir", str(fresh), "restore", made["file"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["kept"] is None
    restored = open_database(fresh)
    try:
        assert logical_dump(restored) == logical_dump(demo_db)
    finally:
        restored.close()
