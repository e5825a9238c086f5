"""Evidence links: several items, unlink, delete/restore, garbage collection,
tracking records as targets, finding evidence (filters, accent-insensitive search)."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from cds_desktop.models import TASK, Evidence, EvidenceLink, Item, Plan, Unit
from cds_desktop.models.tracking import ReportingPeriod, TaskProgress
from cds_desktop.services.common import ServiceError
from cds_desktop.services.evidence import (
    EvidenceFilter,
    EvidenceMetadata,
    attach_files,
    check_store,
    delete_evidence,
    evidence_for_target,
    evidence_rows,
    filter_choices,
    gc,
    link,
    restore_evidence,
    store_for,
    unlink,
    update_evidence,
)
from cds_desktop.services.evidence.attach import guess_kind


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def items(db, n=3, kind=None) -> list[str]:
    with db.session("test") as s:
        stmt = select(Item.uuid).where(Item.deleted_at.is_(None))
        if kind:
            stmt = stmt.where(Item.kind == kind)
        return list(s.scalars(stmt.order_by(Item.id).limit(n)))


def names(db, **filters) -> list[str]:
    with db.session("test") as s:
        return sorted(r.original_name for r in evidence_rows(s, EvidenceFilter(**filters)))


@pytest.fixture
def attached(demo_db, tmp_path):
    a, b, c = items(demo_db)
    result = attach_files(demo_db, [write(tmp_path, "bien ban.pdf", b"minutes")], [("item", a), ("item", b)])
    return demo_db, result.files[0].evidence_uuid, (a, b, c)


def test_link_to_one_more_item_and_unlink(attached):
    db, uuid, (a, b, c) = attached
    with db.session("test") as s:
        assert link(s, uuid, ("item", c)) is True
        assert link(s, uuid, ("item", c)) is False
    with db.session("test") as s:
        assert len(evidence_for_target(s, "item", c)) == 1
        assert unlink(s, uuid, ("item", a)) is False  # still proves b and c
    with db.session("test") as s:
        assert evidence_for_target(s, "item", a) == []
        assert [lk.target_uuid for lk in evidence_for_target(s, "item", b)[0].links] == [b, c]
        with pytest.raises(ServiceError, match="không gắn với mục"):
            unlink(s, uuid, ("item", a))
    with db.session("test") as s:  # re-linking restores the tombstoned link rather than adding one
        link(s, uuid, ("item", a))
    with db.session("test") as s:
        assert len(s.scalars(select(EvidenceLink)).all()) == 3


def test_unlinking_the_last_item_deletes_the_evidence_and_gc_removes_its_file(attached):
    db, uuid, (a, b, _c) = attached
    with db.session("test") as s:
        sha = s.scalar(select(Evidence.sha256))
        unlink(s, uuid, ("item", a))
        assert unlink(s, uuid, ("item", b)) is True
    store = store_for(db)
    assert store.has(sha)  # kept until collected: the deletion can be undone
    report = check_store(db)
    assert report.ok and len(report.collectable) == 1
    assert gc(db).kept_recent == 1  # younger than the grace period
    result = gc(db, grace_seconds=0)
    assert result.removed == [sha] and result.freed_bytes == len(b"minutes")
    assert not store.has(sha) and check_store(db).ok
    with db.session("test") as s:  # tombstones stay for exchange
        evidence = s.scalar(select(Evidence).execution_options(include_deleted=True))
        assert evidence.deleted_at is not None and all(lk.deleted_at for lk in evidence.links)
        with pytest.raises(ServiceError, match="đã được dọn"):
            restore_evidence(s, uuid, store)


def test_delete_and_restore_evidence(attached):
    db, uuid, (a, b, _c) = attached
    with db.session("test") as s:
        delete_evidence(s, uuid)
    assert names(db) == []
    with db.session("test") as s:
        restore_evidence(s, uuid, store_for(db))
    with db.session("test") as s:
        rows = evidence_for_target(s, "item", a)
        assert len(rows) == 1 and len(rows[0].links) == 2


def test_gc_keeps_every_file_a_live_evidence_uses(attached, tmp_path):
    db, _uuid, (a, _b, _c) = attached
    other = attach_files(db, [write(tmp_path, "ke hoach.docx", b"plan")], [("item", a)])
    with db.session("test") as s:
        delete_evidence(s, other.files[0].evidence_uuid)
    result = gc(db, grace_seconds=0)
    assert len(result.removed) == 1
    assert names(db) == ["bien ban.pdf"] and check_store(db).ok


def test_same_content_after_deletion_and_gc_is_stored_again(attached, tmp_path):
    db, uuid, (a, _b, _c) = attached
    with db.session("test") as s:
        delete_evidence(s, uuid)
    gc(db, grace_seconds=0)
    again = attach_files(db, [write(tmp_path / "again", "bien ban.pdf", b"minutes")], [("item", a)])
    assert again.files[0].new_file and again.files[0].new_evidence
    assert check_store(db).ok


def test_update_metadata(attached):
    db, uuid, _ = attached
    with db.session("test") as s:
        changed = update_evidence(s, uuid, kind="report", doc_number="05/BB-UBND", doc_date=date(2026, 5, 4),
                                  period="tháng 5/2026", original_name="Biên bản họp.pdf")
        assert set(changed) == {"kind", "doc_number", "doc_date", "period", "original_name"}
        with pytest.raises(ServiceError):
            update_evidence(s, uuid, kind="nope")
        with pytest.raises(ServiceError):
            update_evidence(s, uuid, sha256="0" * 64)
    assert names(db, search="bien ban hop") == ["Biên bản họp.pdf"]
    assert names(db, period="2026-Q2") == ["Biên bản họp.pdf"]
    assert names(db, period="2026") == ["Biên bản họp.pdf"]
    assert names(db, period="2026-Q3") == []


def test_accent_insensitive_search_and_filters(demo_db, tmp_path):
    a, b, _c = items(demo_db)
    with demo_db.session("test") as s:
        unit = s.scalar(select(Unit).where(Unit.name.like("%Văn hóa%")))
        unit_uuid = unit.uuid
    attach_files(demo_db, [write(tmp_path, "Ảnh tập huấn thôn Đông.jpg", b"jpg")], [("item", a)],
                 EvidenceMetadata(description="Lớp tập huấn kỹ năng số", period="2026-05", unit_uuid=unit_uuid))
    attach_files(demo_db, [write(tmp_path, "QĐ 12.pdf", b"pdf")], [("item", b)],
                 EvidenceMetadata(kind="decision", doc_number="12/QĐ-UBND", issuer="UBND xã Bát Tràng"))
    assert names(demo_db, search="anh tap huan thon dong") == ["Ảnh tập huấn thôn Đông.jpg"]
    assert names(demo_db, search="KY NANG SO") == ["Ảnh tập huấn thôn Đông.jpg"]
    assert names(demo_db, search="12/qd-ubnd") == ["QĐ 12.pdf"]
    assert names(demo_db, search="bat trang") == ["QĐ 12.pdf"]
    assert names(demo_db, search="van hoa") == ["Ảnh tập huấn thôn Đông.jpg"]  # through the unit
    assert names(demo_db, kind="image") == ["Ảnh tập huấn thôn Đông.jpg"]
    assert names(demo_db, kind="decision") == ["QĐ 12.pdf"]
    assert names(demo_db, unit_uuid=unit_uuid) == ["Ảnh tập huấn thôn Đông.jpg"]
    assert names(demo_db, item_uuid=b) == ["QĐ 12.pdf"]
    with demo_db.session("test") as s:
        plan_uuid = s.scalar(select(Plan.uuid))
    assert len(names(demo_db, plan_uuid=plan_uuid)) == 2
    with demo_db.session("test") as s:
        choices = filter_choices(s)
    assert [(c.value, c.label) for c in choices.periods] == [("2026-05", "Tháng 5/2026"), ("2026", "Năm 2026")]
    assert choices.kinds[0].label == "Quyết định" and len(choices.items) == 39


def test_evidence_of_a_task_progress_report_counts_for_its_item(demo_db, tmp_path):
    (task,) = items(demo_db, 1, kind=TASK)
    with demo_db.session("test") as s:
        item = s.scalar(select(Item).where(Item.uuid == task))
        unit = s.scalar(select(Unit).order_by(Unit.id))
        period = ReportingPeriod(plan_id=item.plan_id, code="2026-05", kind="month", start_date=date(2026, 5, 1),
                                 end_date=date(2026, 5, 31), due_date=date(2026, 5, 15))
        progress = TaskProgress(item=item, period=period, unit=unit, status="in_progress", result="Đã tổ chức")
        s.add_all([period, progress])
        s.flush()
        progress_uuid, unit_name = progress.uuid, unit.name
    attach_files(demo_db, [write(tmp_path, "bao cao thang 5.docx", b"docx")], [("task_progress", progress_uuid)])
    with demo_db.session("test") as s:
        (row,) = evidence_for_target(s, "item", task)
        assert row.period == "2026-05" and row.unit_name == unit_name  # inherited from the report
        assert row.links[0].item_uuid == task
        assert row.links[0].label.startswith(f"Báo cáo tiến độ nhiệm vụ — {unit_name} — Tháng 5/2026: Nhiệm vụ")
        assert evidence_for_target(s, "task_progress", progress_uuid)[0].uuid == row.uuid


def test_guess_kind_from_file_names():
    assert guess_kind("anh.JPG") == "image"
    assert guess_kind("12-QĐ-UBND.pdf") == "decision"
    assert guess_kind("Bien_ban_hop.docx") == "minutes"
    assert guess_kind("Báo cáo tháng 5.docx") == "report"
    assert guess_kind("KH 139.pdf") == "plan"
    assert guess_kind("CV_so_45.pdf") == "dispatch"
    assert guess_kind("data.zip") == "other"


def test_gc_spares_recent_orphans_and_removes_old_temp_files(demo_db):
    store = store_for(demo_db)
    orphan = store.path_for("ab" * 32)
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    store.tmp_dir.mkdir(parents=True)
    temp = store.tmp_dir / "in-crash.part"
    temp.write_bytes(b"half")
    assert gc(demo_db).removed == []
    old = time.time() - 3600
    for path in (orphan, temp):
        os.utime(path, (old, old))
    result = gc(demo_db)
    assert result.removed == ["ab" * 32] and result.temporary_removed == 1
    assert not orphan.exists() and not temp.exists() and check_store(demo_db).ok
