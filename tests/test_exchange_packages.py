"""Data packages: round trip, idempotence, two-way convergence, conflicts, tombstones,
natural-key merges, scopes, history."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from support.exchange import clone_db, file_state, today

from cds_desktop.database import open_database
from cds_desktop.exchange import Scope, export_package, import_package, packages
from cds_desktop.exchange.dump import logical_dump
from cds_desktop.exchange.history import history_rows
from cds_desktop.models import (
    AuditEntry,
    Evidence,
    EvidenceLink,
    Item,
    Plan,
    ReportingPeriod,
    TaskProgress,
    Unit,
)
from cds_desktop.services.tracking import entry


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def a(tmp_path):
    db = clone_db(tmp_path / "a")
    yield db
    db.close()


@pytest.fixture
def b(tmp_path, new_db):
    return new_db(tmp_path / "b")


def _send(src, dst, tmp_path, name="p", **kw):
    path = export_package(src, tmp_path / f"{name}.cdspkg").path
    return import_package(dst, path, **{"trust_new": True, **kw})


def _same(x, y) -> bool:
    return logical_dump(x) == logical_dump(y)


def _items(db):
    with db.session() as s:
        return [i.uuid for i in s.scalars(select(Item).order_by(Item.id))]


def _edit(db, uuid, **fields):
    with db.session() as s:
        item = s.scalar(select(Item).where(Item.uuid == uuid))
        for key, value in fields.items():
            setattr(item, key, value)


def test_round_trip_into_an_empty_database_is_identical(a, b, tmp_path):
    result = _send(a, b, tmp_path)
    assert result.applied and result.counts["created"] > 400 and not result.conflicts
    dump_a, dump_b = logical_dump(a), logical_dump(b)
    assert dump_a == dump_b
    assert len(dump_b["evidence_files"]) == 2 and "missing" not in dump_b["evidence_files"].values()
    # The audit log travels too (append-only); the import adds one entry per table it filled.
    audit_a = {r["uuid"] for r in logical_dump(a, include_audit=True, hash_files=False)["tables"]["audit_log"]}
    with b.session() as s:
        audit_b = set(s.scalars(select(AuditEntry.uuid)))
        imported = list(s.scalars(select(AuditEntry).where(AuditEntry.source == "import:p.cdspkg")))
    assert audit_a <= audit_b
    assert {e.entity for e in imported} >= {"items", "task_progress", "evidence"}
    assert sum(int(e.new_value.split()[0]) for e in imported) == result.counts["created"]
    assert all(e.entity_uuid == result.plan.package_uuid for e in imported)


def test_importing_twice_changes_nothing_and_is_remembered(a, b, tmp_path):
    path = export_package(a, tmp_path / "p.cdspkg").path
    import_package(b, path, trust_new=True)
    before = logical_dump(b, include_audit=True)
    again = import_package(b, path, trust_new=True)
    assert again.counts["created"] == again.counts["updated"] == again.counts["deleted"] == 0
    assert not again.conflicts and again.plan.already_imported
    assert logical_dump(b, include_audit=True) == before
    with b.session() as s:
        rows = history_rows(s)
    assert [r.direction for r in rows] == ["import_package", "import_package"]
    assert rows[0].peer_installation == a.installation_id and rows[0].file_name == "p.cdspkg"
    with a.session() as s:
        assert history_rows(s)[0].direction == "export_package"


def test_dry_run_writes_nothing(a, b, tmp_path):
    path = export_package(a, tmp_path / "p.cdspkg").path
    b.close()
    state = file_state(b.paths.db_file)
    db = open_database(b.paths.data_dir)
    preview = import_package(db, path, dry_run=True, trust_new=True)
    db.close()
    assert preview.counts["created"] > 400 and not preview.applied
    assert file_state(b.paths.db_file) == state
    assert not list((b.paths.data_dir / "exchange-staging").iterdir())
    assert preview.to_dict()["dry_run"] is True


def test_copies_edited_apart_converge_when_nothing_conflicts(a, b, tmp_path):
    _send(a, b, tmp_path, "first")
    items = _items(a)
    _edit(a, items[0], note="Sửa ở máy văn phòng")
    _edit(a, items[5], deleted_at=_now())
    _edit(b, items[1], content="Nội dung sửa ở máy xách tay")
    with b.session() as s:
        plan = s.scalar(select(Plan))
        period = s.scalar(select(ReportingPeriod).where(ReportingPeriod.code == "2026-10"))
        task = s.scalar(select(Item).where(Item.kind == "task", Item.plan_id == plan.id).order_by(Item.id))
        unit = s.scalar(select(Unit).where(Unit.kind == "village"))
        entry.record_progress(s, task, unit, period, today=today(), percent=40, result="Đã họp thôn")
    to_b = _send(a, b, tmp_path, "a1")
    to_a = _send(b, a, tmp_path, "b1")
    assert not to_b.conflicts and not to_a.conflicts
    assert to_b.counts["updated"] == 1 and to_b.counts["deleted"] == 1
    assert to_a.counts["created"] == 1 and to_a.counts["updated"] == 1
    assert _same(a, b)
    # and again both ways: nothing left to do
    assert _send(a, b, tmp_path, "a2").counts["updated"] == 0
    assert _send(b, a, tmp_path, "b2").counts["updated"] == 0
    assert _same(a, b)


def test_real_conflicts_are_reported_both_ways_never_resolved_silently(a, b, tmp_path):
    _send(a, b, tmp_path, "first")
    items = _items(a)
    _edit(a, items[2], content="Bản A")
    _edit(b, items[2], content="Bản B")
    _edit(a, items[3], deleted_at=_now())  # delete here ...
    _edit(b, items[3], note="… edited there")
    to_b = _send(a, b, tmp_path, "a1")
    to_a = _send(b, a, tmp_path, "b1")
    kinds_b = sorted(c.kind for c in to_b.conflicts)
    kinds_a = sorted(c.kind for c in to_a.conflicts)
    assert kinds_b == ["edit_delete", "edit_edit"] and kinds_a == ["delete_edit", "edit_edit"]
    edit = next(c for c in to_a.conflicts if c.kind == "edit_edit")
    assert ("content", "Bản A", "Bản B") in edit.fields and edit.choices == ("mine", "theirs", "both")
    data = to_a.to_dict()
    assert {"created", "updated", "unchanged", "deleted", "conflicts"} <= set(data)
    assert data["conflicts"][0]["label"] and data["conflicts"][0]["fields"]
    # unresolved: each side keeps its own
    with a.session() as s:
        assert s.scalar(select(Item.content).where(Item.uuid == items[2])) == "Bản A"
        assert s.scalar(select(Item.deleted_at).where(Item.uuid == items[3]).execution_options(include_deleted=True)) is not None
    with b.session() as s:
        assert s.scalar(select(Item.deleted_at).where(Item.uuid == items[3]).execution_options(include_deleted=True)) is None


@pytest.mark.parametrize("choice", ["mine", "theirs", "both"])
def test_resolved_conflicts_converge(a, b, tmp_path, choice):
    _send(a, b, tmp_path, "first")
    items = _items(a)
    _edit(a, items[2], content="Bản A")
    _edit(b, items[2], content="Bản B")
    pb = export_package(b, tmp_path / "b1.cdspkg").path
    preview = import_package(a, pb, dry_run=True, trust_new=True)
    result = import_package(a, pb, resolutions={c.uuid: choice for c in preview.conflicts}, trust_new=True)
    assert len(result.conflicts) == 1 and not result.unresolved
    back = _send(a, b, tmp_path, "a1")
    assert not back.conflicts, "the other side takes the resolution without a new conflict"
    assert _same(a, b)
    with a.session() as s:
        contents = set(s.scalars(select(Item.content).where(Item.content.in_(["Bản A", "Bản B"]))))
    assert contents == {"mine": {"Bản A"}, "theirs": {"Bản B"}, "both": {"Bản A", "Bản B"}}[choice]


def test_a_stale_package_never_brings_a_deleted_record_back(a, b, tmp_path):
    old = export_package(a, tmp_path / "old.cdspkg").path
    import_package(b, old, trust_new=True)
    item = _items(a)[4]
    _edit(a, item, deleted_at=_now())
    _send(a, b, tmp_path, "new")
    with b.session() as s:
        assert s.scalar(select(Item.deleted_at).where(Item.uuid == item).execution_options(include_deleted=True)) is not None
    stale = import_package(b, old, trust_new=True)
    assert not stale.conflicts and stale.counts["updated"] == 0
    with b.session() as s:
        assert s.scalar(select(Item.deleted_at).where(Item.uuid == item).execution_options(include_deleted=True)) is not None


def _progress(db, percent, result):
    with db.session() as s:
        period = s.scalar(select(ReportingPeriod).where(ReportingPeriod.code == "2026-11"))
        task = s.scalar(select(Item).where(Item.kind == "task").order_by(Item.id))
        unit = s.scalar(select(Unit).where(Unit.kind == "village").order_by(Unit.id))
        return entry.record_progress(s, task, unit, period, today=today(), percent=percent, result=result).uuid


def test_same_report_entered_on_both_copies_merges_into_one_identity(a, b, tmp_path):
    _send(a, b, tmp_path, "first")
    ua, ub = _progress(a, 60, "Đã triển khai"), _progress(b, 60, "Đã triển khai")
    assert ua != ub
    to_b = _send(a, b, tmp_path, "a1")
    to_a = _send(b, a, tmp_path, "b1")
    assert not to_b.conflicts and not to_a.conflicts
    assert _same(a, b)
    with a.session() as s:
        assert s.scalar(select(TaskProgress.uuid).where(TaskProgress.uuid.in_([ua, ub]))) == min(ua, ub)


def test_different_reports_for_the_same_unit_and_period_are_a_conflict(a, b, tmp_path):
    _send(a, b, tmp_path, "first")
    _progress(a, 60, "Theo báo cáo giấy")
    _progress(b, 80, "Theo điện thoại")
    to_a = import_package(a, export_package(b, tmp_path / "b1.cdspkg").path, trust_new=True)
    (conflict,) = to_a.conflicts
    assert conflict.kind == "both_created" and conflict.choices == ("mine", "theirs")
    fields = {f for f, _m, _t in conflict.fields}
    assert {"percent", "result"} <= fields
    import_package(a, tmp_path / "b1.cdspkg", resolutions={conflict.uuid: "theirs"}, trust_new=True)
    back = _send(a, b, tmp_path, "a1")
    assert not back.conflicts and _same(a, b)
    with b.session() as s:
        assert s.scalar(select(TaskProgress.result).where(TaskProgress.result.like("Theo%"))) == "Theo điện thoại"


def test_passing_through_a_third_copy_causes_no_false_conflict(a, b, tmp_path, new_db):
    c = new_db(tmp_path / "c")
    try:
        _send(a, b, tmp_path, "ab")
        _send(b, c, tmp_path, "bc")
        _edit(a, _items(a)[0], note="Sửa sau khi đã gửi")
        result = _send(a, c, tmp_path, "ac")
        assert not result.conflicts and result.counts["updated"] == 1
        assert _same(a, c)
    finally:
        c.close()


@pytest.mark.parametrize("kind", ["plan", "unit", "period"])
def test_scoped_packages_import_into_an_empty_database(a, b, tmp_path, kind):
    with a.session() as s:
        plan = s.scalar(select(Plan))
        unit = s.scalar(select(Unit).join(TaskProgress, TaskProgress.unit_id == Unit.id).order_by(Unit.id))
        scope = {"plan": Scope(plan_uuid=plan.uuid), "unit": Scope(unit_uuid=unit.uuid),
                 "period": Scope(period_code="2026-05")}[kind]
        items = s.scalar(select(func.count()).select_from(Item))
    exported = export_package(a, tmp_path / f"{kind}.cdspkg", scope)
    result = import_package(b, exported.path, trust_new=True)
    assert result.counts["created"] == exported.records - exported.tables.get("audit_log", 0)
    tables = logical_dump(b)["tables"]
    if kind == "plan":
        assert len(tables["items"]) == items and tables["task_progress"]
    if kind == "unit":
        assert {r["unit_id"] for r in tables["task_progress"]} == {unit.uuid}
        assert len(tables["items"]) < items
    if kind == "period":
        codes = {p["code"]: p["uuid"] for p in tables["reporting_periods"]}
        assert {r["period_id"] for r in tables["task_progress"]} == {codes["2026-05"]}
    # importing the same scope again, or the whole database later, is consistent
    assert import_package(b, exported.path, trust_new=True).counts["created"] == 0
    _send(a, b, tmp_path, "all")
    assert _same(a, b)


def test_evidence_files_and_links_travel(a, b, tmp_path):
    _send(a, b, tmp_path)
    with b.session() as s:
        shas = set(s.scalars(select(Evidence.sha256)))
        links = s.scalar(select(func.count()).select_from(EvidenceLink))
    assert len(shas) == 2 and links == 2
    for sha in shas:
        assert (b.paths.evidence_dir / sha[:2] / sha[2:4] / sha).is_file()
    assert not list((b.paths.data_dir / "exchange-staging").iterdir())


def test_evidence_files_are_staged_while_the_records_are_written_and_a_bad_one_undoes_it_all(
        a, b, tmp_path, monkeypatch):
    """The import plans and writes the records while the evidence files are still being copied out of
    the package and checked; one that proves damaged then (after the records were written, before the
    commit) leaves the database as it was, no staging folder and no stored file."""
    from cds_desktop.exchange import RejectedFile, package_read

    writing = threading.Event()
    original_write, original_stage = packages._plan_and_write, package_read._stage_one

    def plan_and_write(*args, **kwargs):
        writing.set()
        return original_write(*args, **kwargs)

    def stage_one(checked, package, info, *args, **kwargs):
        if info.filename.startswith("evidence/"):
            assert writing.wait(30), "the records were not written while the evidence was staged"
            raise RejectedFile(package.display, f"tệp «{info.filename}» trong gói bị hỏng (thử).")
        return original_stage(checked, package, info, *args, **kwargs)

    monkeypatch.setattr(packages, "_plan_and_write", plan_and_write)
    monkeypatch.setattr(package_read, "_stage_one", stage_one)
    path = export_package(a, tmp_path / "p.cdspkg").path
    b.close()
    state = file_state(b.paths.db_file)
    db = open_database(b.paths.data_dir)
    try:
        with pytest.raises(RejectedFile, match="bị hỏng"):
            import_package(db, path, trust_new=True)
    finally:
        db.close()
    assert writing.is_set() and file_state(b.paths.db_file) == state
    assert not list((b.paths.data_dir / "exchange-staging").iterdir())
    assert not (b.paths.evidence_dir).exists() or not any(p.is_file() for p in b.paths.evidence_dir.rglob("*"))
    monkeypatch.undo()
    db = open_database(b.paths.data_dir)
    try:  # the same package, undamaged, then imports whole
        assert import_package(db, path, trust_new=True).counts["created"] > 10
        with db.session() as s:
            assert len(set(s.scalars(select(Evidence.sha256)))) == 2
    finally:
        db.close()


def test_a_package_of_an_older_schema_lacking_a_column_takes_its_default(a, b, tmp_path):
    from support.exchange import rewrite_package

    source = export_package(a, tmp_path / "p.cdspkg").path

    def drop_note(records, _manifest):
        for row in records["items"]:
            row.pop("note")
    result = import_package(b, rewrite_package(source, tmp_path / "old.cdspkg", drop_note), allow_unsigned=True)
    assert result.counts["created"] > 400
    with b.session() as s:
        assert set(s.scalars(select(Item.note))) == {""}


@pytest.mark.parametrize("crafted", ["unknown_column", "dangling_reference", "duplicate_uuid", "bad_type"])
def test_well_sealed_but_inconsistent_packages_are_rejected(a, b, tmp_path, crafted):
    from support.exchange import rewrite_package, stranger_key

    from cds_desktop.exchange import RejectedFile

    source = export_package(a, tmp_path / "p.cdspkg").path

    def edit(records, _manifest):
        row = records["task_progress"][0]
        if crafted == "unknown_column":
            row["drop_table"] = "x"
        elif crafted == "dangling_reference":
            row["item_id"] = "00000000-0000-4000-8000-000000000000"
        elif crafted == "duplicate_uuid":
            records["task_progress"][1]["uuid"] = row["uuid"]
        else:
            row["percent"] = "một trăm"
    path = rewrite_package(source, tmp_path / f"{crafted}.cdspkg", edit, key=stranger_key(tmp_path))
    b.close()
    state = file_state(b.paths.db_file)
    db = open_database(b.paths.data_dir)
    try:
        with pytest.raises(RejectedFile) as info:
            import_package(db, path, trust_new=True)
    finally:
        db.close()
    expected = {"unknown_column": "cột lạ: drop_table", "dangling_reference": "tham chiếu tới một bản ghi không có",
                "duplicate_uuid": "xuất hiện hai lần", "bad_type": "«percent» phải là số nguyên"}[crafted]
    assert f"«{crafted}.cdspkg»" in str(info.value) and expected in str(info.value), str(info.value)
    assert file_state(b.paths.db_file) == state


def test_the_installation_id_never_travels(a, b, tmp_path):
    from support.exchange import rewrite_package, stranger_key

    source = export_package(a, tmp_path / "p.cdspkg").path

    def smuggle(records, manifest):
        records["settings"] = [{"key": "installation_id", "value": "evil", "uuid": "11111111-1111-4111-8111-111111111111",
                                "created_at": "2026-01-01T00:00:00+00:00", "updated_at": "2026-01-01T00:00:00+00:00",
                                "changed_by": "x", "version": 9, "deleted_at": None}]
    import_package(b, rewrite_package(source, tmp_path / "s.cdspkg", smuggle, key=stranger_key(tmp_path)),
                   trust_new=True)
    b.close()
    db = open_database(b.paths.data_dir)
    try:
        assert db.installation_id != "evil"
    finally:
        db.close()
