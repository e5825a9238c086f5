"""Receiving mode (issue 16): ten communes' packages imported into one data folder, the
overview per commune and pillar, shared indicators with the city-level ratio, read-only
data, newer packages replacing older ones, matches confirmed or corrected.

The communes' figures are those of ``benchmarks.rollup_data.fill_commune`` (commune k):
hồ sơ đúng hạn (≥ 98%) (50 + 10k − (9 − k)) / (50 + 10k); danh tính điện tử (> 90%) in
communes 0–6, (85 + k) / 100; hóa đơn điện tử (100%) in communes 3–9, 100 when k % 3 == 0
else 95; per pillar three tasks: "Quý I" done (even k) or 60% (odd k, so overdue), "Quý IV"
at 50%, "Tháng 6" done for k < 5 and not reported otherwise (so overdue).
"""

from __future__ import annotations

import shutil
import zipfile

import pytest
from sqlalchemy import select
from support import postgres
from support.rollup import COMMUNES, TODAY, commune_sources, open_commune, packages_dir, received_copy

from cds_desktop.database.readonly import ReadOnlyData
from cds_desktop.models import Item, Plan, ReportingPeriod, RollupSource, Unit
from cds_desktop.rollup import matching
from cds_desktop.rollup.importing import import_packages
from cds_desktop.rollup.mode import is_receiving, set_receiving
from cds_desktop.rollup.overview import build_overview
from cds_desktop.rollup.summary import communes_without_data
from cds_desktop.services.tracking.entry import record_indicator_value, record_progress
from cds_desktop.services.tracking.status import build_status

HO_SO = "ty le ho so xu ly truoc han dung han|ge:98-%"
DANH_TINH = "ty le nguoi dan truong thanh co danh tinh dien tu muc 2|gt:90-%"
HOA_DON = "ty le ho kinh doanh su dung hoa don dien tu|eq:100-%"


def _name(k: int) -> str:
    return f"xã Thử Nghiệm {k + 1:03d}"


@pytest.fixture
def received(tmp_path):
    db = received_copy(tmp_path / "received")
    yield db, None
    db.close()


def test_ten_communes_imported_one_bad_file_reported_and_the_rest_goes_on(db, tmp_path):
    folder = tmp_path / "nhan"
    shutil.copytree(packages_dir(), folder)
    (folder / "hong.cdspkg").write_bytes(b"PK\x03\x04 not a package")
    batch = import_packages(db, folder, today=TODAY, trust_new=True)
    assert [f.file for f in batch.failed] == ["hong.cdspkg"]
    assert "bị từ chối" in batch.failed[0].message
    assert sum(f.ok for f in batch.files) == COMMUNES
    assert sorted(batch.communes) == [_name(k) for k in range(COMMUNES)]
    with db.session() as session:
        assert is_receiving(session)
        assert session.scalar(select(RollupSource).where(RollupSource.commune_name == _name(3))).packages == 1


def test_overview_numbers_by_hand(received):
    db, _ = received
    with db.session() as session:
        overview = build_overview(session)
    assert overview.year == 2026 and overview.communes == COMMUNES
    rows = {r.name: r for r in overview.rows}
    assert list(rows) == [_name(k) for k in range(COMMUNES)]
    for k in range(COMMUNES):
        row = rows[_name(k)]
        ho_so_met = (9 - k) * 100 <= 2 * (50 + 10 * k)  # (9 − k) / (50 + 10k) ≤ 2 %: k ≥ 7
        danh_tinh = k <= 6
        hoa_don = k >= 3
        cqs, kts, xhs = row.pillars["cqs"], row.pillars["kts"], row.pillars["xhs"]
        # one local indicator per pillar (no figure: never met) plus the shared ones of the pillar
        assert (cqs.indicators_met, cqs.indicators_total) == (int(ho_so_met), 2), k
        assert (kts.indicators_met, kts.indicators_total) == (int(hoa_don and k % 3 == 0), 1 + hoa_don), k
        assert (xhs.indicators_met, xhs.indicators_total) == (int(danh_tinh and 85 + k > 90), 1 + danh_tinh), k
        done = (k % 2 == 0) + (k < 5)
        overdue = (k % 2 == 1) + (k >= 5)
        for figures in (cqs, kts, xhs):
            assert (figures.tasks_done, figures.tasks_total, figures.tasks_overdue) == (done, 3, overdue), k
        assert row.total.tasks_done == 3 * done and row.total.tasks_overdue == 3 * overdue
        assert row.package_text == TODAY.strftime("%d/%m/%Y") or row.last_package is not None
    # reports missing: what each commune's own status engine says, on its own data
    for k in (0, 5, 9):
        source = open_commune(commune_sources() / f"commune-{k:03d}")
        try:
            with source.session() as session:
                report = build_status(session, session.scalars(select(Plan)).one(), TODAY)
                missing = sum(w.kind == "missing_report" for w in report.warnings)
        finally:
            source.close()
        assert rows[_name(k)].total.reports_missing == missing > 0


def test_overview_sorted_and_filtered_in_sql(received):
    db, _ = received
    with db.session() as session:
        by_overdue = build_overview(session, sort="overdue", descending=True)
        assert [r.total.tasks_overdue for r in by_overdue.rows] == sorted(
            (r.total.tasks_overdue for r in by_overdue.rows), reverse=True)
        assert by_overdue.rows[0].total.tasks_overdue == 6  # odd k ≥ 5: both tasks overdue, three pillars
        clean = build_overview(session, status="overdue")
        assert {r.name for r in clean.rows} == {_name(k) for k in range(COMMUNES) if k % 2 or k >= 5}
        assert [r.name for r in build_overview(session, text="nghiem 007").rows] == [_name(6)]
        assert [r.name for r in build_overview(session, text="NGHIỆM 007").rows] == [_name(6)]
        ranked = build_overview(session, sort="cqs_indicators", descending=True)
        assert {r.name for r in ranked.rows[:3]} == {_name(7), _name(8), _name(9)}


def test_shared_indicators_and_the_city_ratio_by_hand(received):
    db, _ = received
    with db.session() as session:
        shared = {s.key: s for s in matching.shared_indicators(session)}
    assert set(shared) == {HO_SO, DANH_TINH, HOA_DON}  # local indicators (one commune each) are not shared
    ho_so = shared[HO_SO]
    assert len(ho_so.members) == 10  # target in the text (even communes) or in its own column (odd ones)
    assert {m.content for m in ho_so.members} == {"Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn đạt ≥ 98%",
                                                  "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn"}
    # Σ numerators = Σ (41 + 11k) = 905, Σ denominators = Σ (50 + 10k) = 950
    assert (ho_so.numerator, ho_so.denominator) == (905, 950)
    assert ho_so.city_value == pytest.approx(100 * 905 / 950)  # 95,26 %, not the mean of the percents
    mean = sum(100 * (41 + 11 * k) / (50 + 10 * k) for k in range(10)) / 10
    assert abs(ho_so.city_value - mean) > 0.5
    assert ho_so.city_met is False and ho_so.met_count == 3
    assert ho_so.pillar == "cqs"
    danh_tinh = shared[DANH_TINH]
    assert [m.commune for m in danh_tinh.members] == [_name(k) for k in range(7)]
    assert (danh_tinh.numerator, danh_tinh.denominator) == (616, 700)  # Σ (85 + k), k = 0..6
    assert danh_tinh.city_value == pytest.approx(88.0) and danh_tinh.city_met is False
    hoa_don = shared[HOA_DON]
    assert len(hoa_don.members) == 7 and not hoa_don.is_ratio and hoa_don.city_value is None
    assert hoa_don.met_count == 3  # k = 3, 6, 9


def test_communes_without_data_for_the_period(received):
    db, _ = received
    with db.session() as session:
        assert [name for _, name, _ in communes_without_data(session, "2026-11")] == [_name(8), _name(9)]
        assert [name for _, name, _ in communes_without_data(session, "2026-10")] == [
            _name(k) for k in range(8)]


def test_received_data_is_read_only_in_receiving_mode(received, tmp_path):
    from cds_desktop.services.evidence import attach_files

    db, _ = received
    with db.session() as session:
        plan = session.scalar(select(Plan).where(Plan.number == "101/KH-UBND"))
        plan_uuid = plan.uuid
    with pytest.raises(ReadOnlyData, match="chỉ được xem"), db.session() as session:
        session.scalar(select(Item).join(Plan).where(Plan.uuid == plan_uuid, Item.kind == "task")).content = "Sửa"
    with pytest.raises(ReadOnlyData), db.session() as session:
        item = session.scalar(select(Item).join(Plan).where(Plan.uuid == plan_uuid, Item.kind == "task"))
        period = session.scalar(select(ReportingPeriod).where(ReportingPeriod.plan_id == item.plan_id,
                                                              ReportingPeriod.code == "2026-11"))
        unit = session.scalar(select(Unit).where(Unit.commune_id == item.plan.commune_id)) or \
            session.scalars(select(Unit)).first()
        record_progress(session, item, unit, period, today=TODAY, percent=10)
    with pytest.raises(ReadOnlyData), db.session() as session:
        session.add(Item(plan_id=session.scalar(select(Plan.id).where(Plan.uuid == plan_uuid)), kind="task",
                         content="Nhiệm vụ mới"))
    with db.session() as session:
        task_uuid = session.scalar(select(Item.uuid).join(Plan).where(Plan.uuid == plan_uuid, Item.kind == "task"))
    proof = tmp_path / "bien-ban.pdf"
    proof.write_bytes(b"%PDF-1.4 minh chung cua xa")
    with pytest.raises(ReadOnlyData, match="chỉ được xem"):  # evidence attached to it is an edit too
        attach_files(db, [proof], [("item", task_uuid)], source="test")
    assert not [p for p in db.evidence_dir.rglob("*") if p.is_file()]  # the copy it made is removed
    with db.session() as session:
        assert session.scalar(select(Item).join(Plan).where(Plan.uuid == plan_uuid, Item.kind == "task")
                              ).content != "Sửa"
        set_receiving(session, False)
    with db.session() as session:  # out of receiving mode, it is ordinary data again
        session.scalar(select(Item).join(Plan).where(Plan.uuid == plan_uuid, Item.kind == "task")).content = "Sửa"


def test_the_month_view_says_a_received_plan_is_read_only(received, demo_db):
    from cds_desktop.rollup.mode import received_plan_note
    from cds_desktop.services.tracking.filters import Criteria
    from cds_desktop.services.tracking.month_screen import load_month_screen

    db, _ = received
    with db.session() as session:
        plan_uuid = session.scalar(select(Plan.uuid).where(Plan.number == "101/KH-UBND"))
    _, view, _ = load_month_screen(db, plan_uuid, TODAY, Criteria(period_code="2026-11"))
    assert view.read_only == received_plan_note(db, plan_uuid)
    assert view.read_only.startswith("Chỉ xem: dữ liệu của xã Thử Nghiệm") and "(chế độ tổng hợp)" in view.read_only
    with db.session() as session:
        set_receiving(session, False)
    assert received_plan_note(db, plan_uuid) == ""
    with demo_db.session() as session:  # the officer's own plan
        own = session.scalar(select(Plan.uuid))
    assert load_month_screen(demo_db, own, TODAY, Criteria(period_code="2026-11"))[1].read_only == ""


def test_a_newer_package_replaces_an_older_one(db, tmp_path):
    source_dir = tmp_path / "xa"
    shutil.copytree(commune_sources() / "commune-000", source_dir)  # the same installation, later on
    postgres.copy_database(source_dir)  # on a server: a database of its own (the source's is shared)
    older = packages_dir() / "xa-001.cdspkg"
    source = open_commune(source_dir)
    try:
        with source.session() as session:
            item = session.scalar(select(Item).where(Item.content.startswith("Tỷ lệ hồ sơ")))
            period = session.scalar(select(ReportingPeriod).where(ReportingPeriod.code == "2026-11"))
            record_indicator_value(session, item, None, period, today=TODAY, numerator=49, denominator=50)
        from cds_desktop.exchange import export_package

        newer = export_package(source, tmp_path / "moi" / "xa-001.cdspkg").path
    finally:
        source.close()
    first = import_packages(db, newer.parent, today=TODAY, trust_new=True)
    assert not first.failed
    second = import_packages(db, older, today=TODAY, trust_new=True)  # the older one, afterwards: changes nothing
    assert not second.failed and second.files[0].counts["updated"] == 0
    with db.session() as session:
        (ho_so,) = [s for s in matching.shared_indicators(session, min_communes=1) if s.key == HO_SO]
        assert (ho_so.members[0].numerator, ho_so.members[0].denominator) == (49, 50)
        assert ho_so.members[0].evaluation == "achieved"
        row = session.get(RollupSource, ho_so.members[0].commune_uuid)
        assert row.packages == 2 and row.file_name == "xa-001.cdspkg"
        assert build_overview(session).rows[0].pillars["cqs"].indicators_met == 1


def test_a_zip_of_packages(db, tmp_path):
    archive = tmp_path / "goi.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for k in (0, 1, 2):
            zf.write(packages_dir() / f"xa-{k + 1:03d}.cdspkg", f"thang-11/xa-{k + 1:03d}.cdspkg")
        zf.writestr("doc-truoc.txt", "Ghi chú")
    batch = import_packages(db, archive, today=TODAY, trust_new=True)
    assert [f.file for f in batch.files] == ["xa-001.cdspkg", "xa-002.cdspkg", "xa-003.cdspkg"]
    assert not batch.failed
    with db.session() as session:
        assert [r.name for r in build_overview(session).rows] == [_name(0), _name(1), _name(2)]
    assert not list((db.paths.data_dir / "rollup-staging").iterdir())


def test_matches_confirmed_and_corrected_are_kept(received):
    db, _ = received
    with db.session() as session:
        assert matching.confirm_shared(session, HO_SO) == 10
        danh_tinh = next(s for s in matching.shared_indicators(session) if s.key == DANH_TINH)
        moved = danh_tinh.members[0].item_uuid
        matching.move_indicator(session, moved, "")  # not the same indicator after all
        local = matching.unmatched_indicators(session, 2026, "nghiem 001")
        assert local and all(m.commune == _name(0) for m in local)
        matching.move_indicator(session, local[0].item_uuid, HOA_DON)  # it is, in fact
    import_packages(db, packages_dir() / "xa-001.cdspkg", today=TODAY)  # a package again: the words stay
    with db.session() as session:
        shared = {s.key: s for s in matching.shared_indicators(session)}
        assert shared[HO_SO].confirmed and not shared[DANH_TINH].confirmed
        assert moved not in {m.item_uuid for m in shared[DANH_TINH].members}
        assert len(shared[DANH_TINH].members) == 6
        assert shared[HOA_DON].members[0].commune == _name(0) and shared[HOA_DON].members[0].corrected
