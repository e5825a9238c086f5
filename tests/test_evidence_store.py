"""Evidence store and attach: content addressing, dedupe, bad input refused cleanly."""

from __future__ import annotations

import errno
import hashlib
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cds_desktop.models import AuditEntry, Evidence, EvidenceLink, Item
from cds_desktop.services.common import ServiceError
from cds_desktop.services.evidence import (
    EvidenceMetadata,
    StoreCancelled,
    attach_files,
    check_store,
    store_for,
)
from cds_desktop.services.evidence import store as store_mod
from cds_desktop.services.evidence.store import EvidenceStore, safe_filename


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def first_items(db, n: int = 3) -> list[str]:
    with db.session("test") as s:
        return list(s.scalars(select(Item.uuid).where(Item.deleted_at.is_(None)).order_by(Item.id).limit(n)))


def counts(db) -> tuple[int, int]:
    with db.session("test") as s:
        return s.scalar(select(func.count(Evidence.id))), s.scalar(select(func.count(EvidenceLink.id)))


def store_files(db) -> list[Path]:
    root = db.paths.evidence_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_clean(db) -> None:
    """No record, no file in the store, no temporary file."""
    assert counts(db) == (0, 0)
    assert store_files(db) == []


def test_store_layout_is_sharded_sha256_without_extension(demo_db, tmp_path):
    data = b"%PDF-1.4 quyet dinh"
    path = write(tmp_path / "in", "Quyết định 12-QĐ-UBND.pdf", data)
    item = first_items(demo_db, 1)[0]
    result = attach_files(demo_db, [path], [("item", item)], source="test")
    sha = hashlib.sha256(data).hexdigest()
    stored = demo_db.paths.evidence_dir / sha[:2] / sha[2:4] / sha
    assert stored.read_bytes() == data
    assert store_files(demo_db) == [stored]
    assert result.files[0].sha256 == sha and result.files[0].new_file
    with demo_db.session("test") as s:
        evidence = s.scalar(select(Evidence))
        assert evidence.original_name == "Quyết định 12-QĐ-UBND.pdf"
        assert evidence.extension == "pdf" and evidence.mime == "application/pdf"
        assert evidence.kind == "decision"  # guessed from "QĐ" in the name
        assert evidence.size == len(data)
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity == "evidence")) == 1


def test_original_name_is_never_a_path(demo_db, tmp_path):
    path = write(tmp_path / "in", "..%2f..%2fevil.txt", b"x" * 10)
    attach_files(demo_db, [path], [("item", first_items(demo_db, 1)[0])])
    (stored,) = store_files(demo_db)
    assert stored.parent.parent.parent == demo_db.paths.evidence_dir
    assert "evil" not in str(stored)


def test_same_content_is_stored_once_and_one_file_proves_several_items(demo_db, tmp_path):
    a, b, c = first_items(demo_db, 3)
    one = write(tmp_path / "x", "bien-ban.docx", b"same content")
    two = write(tmp_path / "y", "bản sao.docx", b"same content")
    first = attach_files(demo_db, [one], [("item", a), ("item", b)], EvidenceMetadata(kind="minutes"))
    second = attach_files(demo_db, [two], [("item", c)])
    assert len(store_files(demo_db)) == 1
    assert first.files[0].evidence_uuid == second.files[0].evidence_uuid
    assert second.files[0].new_file is False and second.files[0].new_evidence is False
    assert counts(demo_db) == (1, 3)
    from cds_desktop.services.evidence import evidence_for_target

    with demo_db.session("test") as s:
        for item in (a, b, c):
            rows = evidence_for_target(s, "item", item)
            assert [r.original_name for r in rows] == ["bien-ban.docx"]
            assert rows[0].kind_label == "Biên bản" and len(rows[0].links) == 3


def test_attaching_twice_to_the_same_item_adds_no_duplicate_link(demo_db, tmp_path):
    item = first_items(demo_db, 1)[0]
    path = write(tmp_path, "a.png", b"\x89PNG fake")
    attach_files(demo_db, [path], [("item", item)])
    again = attach_files(demo_db, [path, path], [("item", item)])
    assert again.files[0].new_links == 0
    assert counts(demo_db) == (1, 1)


def test_metadata_is_stored_and_period_normalised(demo_db, tmp_path):
    from datetime import date

    with demo_db.session("test") as s:
        from cds_desktop.models import Unit

        unit = s.scalar(select(Unit).where(Unit.deleted_at.is_(None)).order_by(Unit.id))
        unit_uuid, unit_name = unit.uuid, unit.name
    meta = EvidenceMetadata(
        kind="decision", doc_number="12/QĐ-UBND", doc_date=date(2026, 3, 5), issuer="UBND xã Bát Tràng",
        description="Quyết định thành lập Tổ công nghệ số cộng đồng", period="Quý II/2026", unit_uuid=unit_uuid,
    )
    attach_files(demo_db, [write(tmp_path, "qd.pdf", b"pdf")], [("item", first_items(demo_db, 1)[0])], meta)
    from cds_desktop.services.evidence import evidence_rows

    with demo_db.session("test") as s:
        (row,) = evidence_rows(s)
    assert (row.doc_number, row.doc_date_text, row.issuer) == ("12/QĐ-UBND", "05/03/2026", "UBND xã Bát Tràng")
    assert (row.period, row.period_label, row.unit_name) == ("2026-Q2", "Quý II/2026", unit_name)


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: write(d, "rong.txt", b""), "rỗng (0 byte)"),
        (lambda d: (d / "thư mục").mkdir(parents=True) or d / "thư mục", "là một thư mục"),
        (lambda d: d / "không có.pdf", "Không tìm thấy tệp «không có.pdf»"),
    ],
    ids=["empty", "folder", "missing"],
)
def test_bad_input_is_refused_with_a_message_and_leaves_nothing(demo_db, tmp_path, make, expected):
    good = write(tmp_path / "ok", "good.pdf", b"good content")
    bad = make(tmp_path / "bad")
    with pytest.raises(ServiceError) as info:
        attach_files(demo_db, [good, bad], [("item", first_items(demo_db, 1)[0])])
    assert expected in str(info.value)
    assert_clean(demo_db)


def test_unreadable_file_is_refused(demo_db, tmp_path, monkeypatch):
    path = write(tmp_path, "khoa.pdf", b"secret")
    real_open = open

    def fake_open(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(store_mod, "open", fake_open, raising=False)
    with pytest.raises(ServiceError) as info:
        attach_files(demo_db, [path], [("item", first_items(demo_db, 1)[0])])
    assert "Không đọc được tệp «khoa.pdf»" in str(info.value)
    assert_clean(demo_db)


def _big(tmp_path: Path, name: str = "video.mp4", size: int = 3 * store_mod.CHUNK_SIZE + 17) -> Path:
    return write(tmp_path, name, os.urandom(size))


@pytest.mark.parametrize("change", ["append", "rewrite", "delete"])
def test_file_changing_or_disappearing_while_copied_is_refused(demo_db, tmp_path, change):
    path = _big(tmp_path)
    calls = []

    def meddle(done, total, text):
        calls.append(done)
        if len(calls) == 2:  # after the first chunk
            if change == "append":
                with open(path, "ab") as fh:
                    fh.write(b"more")
            elif change == "rewrite":
                os.utime(path, ns=(0, 0))
            else:
                path.unlink()

    with pytest.raises(ServiceError) as info:
        attach_files(demo_db, [path], [("item", first_items(demo_db, 1)[0])], progress=meddle)
    assert "«video.mp4» đã thay đổi trong khi sao chép" in str(info.value)
    assert_clean(demo_db)


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_full_disk_gives_a_clear_message_and_no_stray_file(demo_db, tmp_path, monkeypatch, where):
    good = write(tmp_path, "truoc.pdf", b"stored before the disk is full")
    path = _big(tmp_path, "anh-tap-huan.jpg")

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "fsync":
        monkeypatch.setattr(store_mod.os, "fsync", no_space)
    else:  # both ways of copying: in the kernel, and the plain loop
        from cds_desktop.services.evidence import streams

        monkeypatch.setattr(streams, "_copy_range", no_space)
        monkeypatch.setattr(streams, "_write", no_space)
    with pytest.raises(ServiceError) as info:
        attach_files(demo_db, [good, path], [("item", first_items(demo_db, 1)[0])])
    message = str(info.value)
    assert "Ổ đĩa đầy" in message and "«" in message
    monkeypatch.undo()
    assert_clean(demo_db)


def test_cancel_stops_and_leaves_nothing(demo_db, tmp_path):
    paths = [_big(tmp_path, f"f{i}.bin") for i in range(3)]
    stop = threading.Event()

    def progress(done, total, text):
        if done > store_mod.CHUNK_SIZE * 4:
            stop.set()

    with pytest.raises(StoreCancelled):
        attach_files(demo_db, paths, [("item", first_items(demo_db, 1)[0])], progress=progress, cancel=stop)
    assert_clean(demo_db)


def test_progress_reports_bytes_of_the_whole_batch(demo_db, tmp_path):
    paths = [_big(tmp_path, "a.bin", 2_500_000), write(tmp_path, "b.txt", b"b" * 1000)]
    seen = []
    result = attach_files(demo_db, paths, [("item", first_items(demo_db, 1)[0])],
                          progress=lambda d, t, x: seen.append((d, t, x)))
    assert seen[-1][0] == seen[-1][1] == 2_501_000 == result.bytes
    assert [d for d, _t, _x in seen] == sorted(d for d, _t, _x in seen)
    assert any("«b.txt» (2/2)" in text for _d, _t, text in seen)


def test_targets_are_checked_before_anything_is_copied(demo_db, tmp_path):
    path = write(tmp_path, "a.pdf", b"a")
    with pytest.raises(ServiceError, match="Chưa chọn mục"):
        attach_files(demo_db, [path], [])
    with pytest.raises(ServiceError, match="Không tìm thấy chỉ tiêu"):
        attach_files(demo_db, [path], [("item", "00000000-0000-0000-0000-000000000000")])
    with pytest.raises(ServiceError, match="loại bản ghi"):
        attach_files(demo_db, [path], [("no_such_type", first_items(demo_db, 1)[0])])
    with pytest.raises(ServiceError, match="Loại minh chứng"):
        attach_files(demo_db, [path], [("item", first_items(demo_db, 1)[0])], EvidenceMetadata(kind="xyz"))
    with pytest.raises(ServiceError, match="Kỳ «abc»"):
        attach_files(demo_db, [path], [("item", first_items(demo_db, 1)[0])], EvidenceMetadata(period="abc"))
    assert_clean(demo_db)


def test_a_damaged_store_file_is_replaced_by_a_good_copy(demo_db, tmp_path):
    item = first_items(demo_db, 1)[0]
    path = write(tmp_path, "a.pdf", b"original content")
    result = attach_files(demo_db, [path], [("item", item)])
    stored = store_for(demo_db).path_for(result.files[0].sha256)
    stored.write_bytes(b"short")
    assert not check_store(demo_db).ok
    attach_files(demo_db, [path], [("item", item)])
    assert stored.read_bytes() == b"original content"
    assert check_store(demo_db).ok


def test_copy_out_uses_a_safe_copy_of_the_original_name(tmp_path):
    store = EvidenceStore(tmp_path / "store")
    source = write(tmp_path, 'Biên bản: họp "thôn".pdf', b"data")
    stored = store.ingest(source)
    store_mod.release(stored.sha256)
    copy = store.copy_out(stored.sha256, 'Biên bản: họp "thôn".pdf', tmp_path / "out")
    assert copy.name == "Biên bản_ họp _thôn_.pdf" and copy.read_bytes() == b"data"
    assert stored.path.exists()  # the store file is never moved
    assert safe_filename("CON.txt").startswith("minh-chung_") and safe_filename("") == "minh-chung"
