"""One create-or-merge path for plan drafts: the demo loader and the importer write the same plan,
and one table of columns serves the importer and the reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from support.paths import BAT_TRANG_SEED, PHU_DONG_SEED

from cds_desktop.models import Assignment, Group, Item, Plan, Unit


def _open(path: Path):
    from cds_desktop.database import open_database

    return open_database(path)


def _plan_picture(db) -> dict:
    """Everything a plan is, without ids, uuids or timestamps."""
    with db.session() as s:
        plans = list(s.scalars(select(Plan).where(Plan.deleted_at.is_(None))))
        groups = [(g.section, g.label, g.title, g.note, g.position, g.declared_count,
                   g.parent.label if g.parent else None)
                  for g in s.scalars(select(Group).where(Group.deleted_at.is_(None)).order_by(Group.position))]
        item_rows = []
        for i in s.scalars(select(Item).where(Item.deleted_at.is_(None)).order_by(Item.position)):
            units = sorted((a.role, a.position, a.unit.name) for a in i.assignments if a.deleted_at is None)
            item_rows.append((i.kind, i.position, i.group.label if i.group else None, i.number, i.local_number,
                              i.content, i.target_text, i.target_comparator, i.target_value, i.deadline_text,
                              i.due_date, i.lead_text, i.coordinating_text, i.leader_text,
                              i.leader_id is not None, i.basis, i.note, i.expected_result,
                              i.output_product, dict(i.extra or {}), tuple(units)))
        units = sorted((u.name, u.short_name, u.kind, u.position, sorted(a.alias for a in u.aliases))
                       for u in s.scalars(select(Unit).where(Unit.deleted_at.is_(None))))
        return {
            "plans": [(p.commune.name, p.year, p.number, p.issue_date, p.title, p.signer, p.status, p.appendices)
                      for p in plans],
            "groups": groups, "items": item_rows, "units": units,
            "assignments": s.scalar(select(Assignment.id).order_by(Assignment.id.desc()).limit(1)),
        }


def _without_counts(picture: dict) -> dict:
    return {k: v for k, v in picture.items() if k != "assignments"}


def _load(db, draft: dict):
    from cds_desktop.services.plan_draft import load_draft

    with db.session(source="test") as s:
        return load_draft(s, draft)


def _apply(db, draft: dict, **kwargs):
    from cds_desktop.importers.apply import apply_draft

    with db.session(source="test") as s:
        return apply_draft(s, draft, **kwargs)


def test_demo_draft_written_by_the_loader_and_by_the_importer_is_the_same_plan(tmp_path):
    from cds_desktop.services.demo import load_demo_draft

    draft = load_demo_draft()
    loaded, imported = _open(tmp_path / "a"), _open(tmp_path / "b")
    try:
        first = _load(loaded, draft)
        second = _apply(imported, draft)
        assert first.plan_created and second.plan_created
        assert first.items["created"] == second.items["created"] == 39
        a, b = _plan_picture(loaded), _plan_picture(imported)
        assert len(a["items"]) == 39 and len(a["groups"]) == 10
        assert any(row[-1] for row in a["items"])  # items carry their units
        assert a == b
    finally:
        loaded.close()
        imported.close()


@pytest.mark.parametrize("seed", [BAT_TRANG_SEED, PHU_DONG_SEED], ids=["bat-trang", "phu-dong"])
def test_an_imported_draft_loaded_by_the_loader_is_the_imported_plan(tmp_path, seed):
    from cds_desktop.importers.run import analyse_path, import_analysis

    analysis = analyse_path(seed)
    loaded, imported = _open(tmp_path / "a"), _open(tmp_path / "b")
    try:
        import_analysis(imported, analysis)
        _load(loaded, analysis.draft)
        a, b = _plan_picture(loaded), _plan_picture(imported)
        assert len(a["items"]) >= 39
        assert _without_counts(a) == _without_counts(b)
    finally:
        loaded.close()
        imported.close()


def test_loading_a_draft_again_merges_instead_of_duplicating(tmp_path):
    from cds_desktop.services.demo import load_demo_draft

    db = _open(tmp_path / "a")
    try:
        draft = load_demo_draft()
        _load(db, draft)
        before = _plan_picture(db)
        again = _load(db, draft)
        assert not again.plan_created
        assert again.items == {"created": 0, "updated": 0, "unchanged": 39}
        assert again.groups == {"created": 0, "updated": 0, "unchanged": 10}
        assert again.units_created == []
        assert _plan_picture(db) == before
        changed = load_demo_draft()
        changed["items"][0]["deadline_text"] = "Quý III/2026"  # Phụ lục 1 has no deadline column: kept
        changed["items"][0]["basis"] = "Kế hoạch số 1/KH-UBND"
        changed["items"].append({**changed["items"][0], "number": "99", "local_number": "99",
                                 "content": "Chỉ tiêu mới thêm khi nạp lại"})
        third = _apply(db, changed)
        assert third.items == {"created": 1, "updated": 1, "unchanged": 38}
        picture = _plan_picture(db)
        assert len(picture["items"]) == 40
        assert picture["items"][0][9] == "" and picture["items"][0][15] == "Kế hoạch số 1/KH-UBND"
    finally:
        db.close()


def test_a_unit_spelled_two_ways_in_one_draft_is_one_unit(tmp_path):
    from cds_desktop.services.demo import load_demo_draft

    draft = load_demo_draft()
    draft["items"][0]["lead"] = ["VP HĐND – UBND"]  # an alias of "Văn phòng HĐND-UBND" in the same draft
    db = _open(tmp_path / "a")
    try:
        result = _load(db, draft)
        assert result.units_created.count("Văn phòng HĐND-UBND") == 1
        assert "VP HĐND – UBND" not in result.units_created
        picture = _plan_picture(db)
        assert [u[0] for u in picture["units"]].count("Văn phòng HĐND-UBND") == 1
        assert picture["items"][0][-1] == (("coordinating", 2, "Các phòng, ban chuyên môn"),
                                           ("lead", 1, "Văn phòng HĐND-UBND"))
        again = load_demo_draft()
        economy = next(u for u in again["units"] if u["name"] == "Phòng Kinh tế")
        economy["aliases"] = [*economy.get("aliases", []), "Văn phòng HĐND và UBND"]  # another unit's spelling
        second = _load(db, again)
        assert any("Văn phòng HĐND và UBND" in w["message"] for w in second.warnings)
        assert second.units_created == []
    finally:
        db.close()


def test_one_table_of_columns_for_the_importer_and_the_reports():
    from types import SimpleNamespace

    from cds_desktop.reports.columns import COLUMN_KINDS, STANDARD_HEADERS, CellContext, read_cell
    from cds_desktop.services.columns import COLUMNS, ITEM_TEXT_FIELDS, column_fields, fields_of_columns

    assert list(COLUMN_KINDS) == list(COLUMNS)  # every column has a layout, and nothing else does
    assert set(ITEM_TEXT_FIELDS) == {f for c in COLUMNS.values() for f in c.fields}
    assert STANDARD_HEADERS["tasks"]["deadline"] == "Thời hạn hoàn thành"
    assert STANDARD_HEADERS["indicators"]["deadline"] == "Thời gian thực hiện"
    # What an import fills from a column is what the report prints in it.
    item = SimpleNamespace(id=1, leader_id=None, extra={"Kinh phí": "50 triệu"}, target_comparator="none",
                           target_value=None, **{f: f"«{f}»" for f in ITEM_TEXT_FIELDS})
    for key in COLUMNS:
        assert read_cell(key, item, CellContext()) == f"«{column_fields(key)[0]}»", key
    assert read_cell("extra:Kinh phí", item, CellContext()) == "50 triệu"
    assert column_fields("extra:Kinh phí") == ("extra",)
    assert fields_of_columns(["lead", "deadline"]) == {"number", "local_number", "content", "lead_text",
                                                      "deadline_text"}
