"""The plan's structure: blank plan, header, groups at two levels, items between groups;
every operation audited and undoable (services.structure, services.changes)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cds_desktop.models import SECTION_INDICATORS, SECTION_TASKS, AuditEntry, Group, Item, Plan
from cds_desktop.services import structure
from cds_desktop.services.changes import redo, undo
from cds_desktop.services.common import ServiceError, get
from cds_desktop.services.plan_view import group_tree, item_rows


def _plan_uuid(db) -> str:
    with db.session("test") as s:
        return s.scalar(select(Plan.uuid).where(Plan.deleted_at.is_(None)))


def _tree(db, plan_uuid: str, section: str = SECTION_TASKS) -> list[tuple[str, list[str]]]:
    with db.session("test") as s:
        roots = group_tree(s, get(s, Plan, plan_uuid).id)
    root = next(r for r in roots if r.section == section)
    return [(n.display, [c.display for c in n.children]) for n in root.children]


def _undo(db, change) -> None:
    with db.session("test") as s:
        undo(s, change)


def _redo(db, change) -> None:
    with db.session("test") as s:
        redo(s, change)


def test_blank_plan_is_a_draft_and_undo_removes_it(db):
    change = structure.run_change(
        db, "Tạo kế hoạch trống",
        lambda s: structure.create_blank_plan(s, "Phù Đổng", 2026, with_pillars=True))
    uuid = change.result
    with db.session("test") as s:
        plan = get(s, Plan, uuid)
        assert (plan.status, plan.title, plan.place, plan.number) == (
            "draft", "Chuyển đổi số xã Phù Đổng năm 2026", "Phù Đổng", "")
        assert [g.display for g in plan.groups] == ["I. Chính quyền số", "II. Kinh tế số", "III. Xã hội số"]
    _undo(db, change)
    with db.session("test") as s:
        assert s.scalar(select(Plan).where(Plan.uuid == uuid).execution_options(include_deleted=True)).deleted_at is not None
    _redo(db, change)
    with db.session("test") as s:
        assert get(s, Plan, uuid).groups[0].deleted_at is None


def test_header_edit_is_audited_and_undone(demo_db):
    uuid = _plan_uuid(demo_db)
    change = structure.run_change(demo_db, "Sửa thông tin kế hoạch", lambda s: structure.edit_header(
        s, uuid, number="200/KH-UBND", issue_date=date(2026, 5, 2), signer="Nguyễn Văn A",
        title="Chuyển đổi số năm 2026 (sửa)"))
    assert set(change.result) == {"number", "issue_date", "title", "signer"}
    with demo_db.session("test") as s:
        fields = set(s.scalars(select(AuditEntry.field).where(
            AuditEntry.entity_uuid == uuid, AuditEntry.action == "update")))
        assert {"number", "issue_date", "signer", "title"} <= fields
    _undo(demo_db, change)
    with demo_db.session("test") as s:
        plan = get(s, Plan, uuid)
        assert (plan.number, plan.issue_date, plan.signer) == ("139/KH-UBND", date(2026, 4, 3), "Hoàng Tiến Dũng")
    with demo_db.session("test") as s, pytest.raises(ServiceError, match="Trích yếu"):
        structure.edit_header(s, uuid, title="  ")


def test_groups_at_two_levels_add_rename_reorder_delete(demo_db):
    uuid = _plan_uuid(demo_db)
    before = _tree(demo_db, uuid)
    top = structure.run_change(demo_db, "Thêm nhóm", lambda s: structure.add_group(
        s, uuid, SECTION_TASKS, "Nhóm mới"))
    with demo_db.session("test") as s:
        label = get(s, Group, top.result).label
    assert label in structure.ROMAN and not any(display.startswith(f"{label}. ") for display, _ in before)
    sub = structure.run_change(demo_db, "Thêm nhóm con", lambda s: structure.add_group(
        s, uuid, SECTION_TASKS, "Nhóm con", parent_uuid=top.result))
    tree = _tree(demo_db, uuid)
    assert tree[-1] == (f"{label}. Nhóm mới", [f"{label}.1. Nhóm con"])
    with demo_db.session("test") as s, pytest.raises(ServiceError, match="hai cấp"):
        structure.add_group(s, uuid, SECTION_TASKS, "Cấp ba", parent_uuid=sub.result)
    structure.run_change(demo_db, "Đổi tên", lambda s: structure.rename_group(s, top.result, "Nhóm đã đổi tên"))
    up = structure.run_change(demo_db, "Lên", lambda s: structure.move_group(s, top.result, -1))
    tree = _tree(demo_db, uuid)
    assert tree[-2][0] == f"{label}. Nhóm đã đổi tên" and tree[-1] == before[-1]
    _undo(demo_db, up)
    assert _tree(demo_db, uuid)[-1][0] == f"{label}. Nhóm đã đổi tên"
    # A group with something in it is deleted only with its contents.
    with demo_db.session("test") as s, pytest.raises(ServiceError, match="nhóm con"):
        structure.delete_group(s, top.result)
    gone = structure.run_change(demo_db, "Xóa nhóm", lambda s: structure.delete_group(
        s, top.result, with_contents=True))
    assert _tree(demo_db, uuid) == before
    _undo(demo_db, gone)
    assert _tree(demo_db, uuid)[-1] == (f"{label}. Nhóm đã đổi tên", [f"{label}.1. Nhóm con"])


def test_group_moves_under_another_and_back_with_its_items(demo_db):
    uuid = _plan_uuid(demo_db)
    tree = _tree(demo_db, uuid)
    with demo_db.session("test") as s:
        plan = get(s, Plan, uuid)
        tops = [g for g in plan.groups if g.section == SECTION_TASKS and g.parent_id is None
                and g.deleted_at is None]
        first, last = tops[0].uuid, tops[-1].uuid
        last_items = [i.uuid for i in s.scalars(select(Item).where(Item.group_id == tops[-1].id))]
    assert last_items
    change = structure.run_change(demo_db, "Chuyển nhóm", lambda s: structure.reparent_group(s, last, first))
    moved = _tree(demo_db, uuid)
    assert moved[0][1][-1] == tree[-1][0] and len(moved) == len(tree) - 1
    with demo_db.session("test") as s:  # its items now come right after the first group's items
        rows = [r.uuid for r in item_rows(s, get(s, Plan, uuid).id, "task")]
        first_group = get(s, Group, first)
        ids = [first_group.id, *[g.id for g in s.scalars(select(Group).where(Group.parent_id == first_group.id))]]
        first_items = list(s.scalars(select(Item.uuid).where(Item.group_id.in_(ids), Item.deleted_at.is_(None))))
    assert set(rows[: len(first_items)]) == set(first_items)
    assert rows[len(first_items) - len(last_items): len(first_items)] == last_items
    with demo_db.session("test") as s, pytest.raises(ServiceError, match="chính nó"):
        structure.reparent_group(s, first, first)
    _undo(demo_db, change)
    assert _tree(demo_db, uuid) == tree


def test_items_move_between_groups_and_undo_puts_them_back(demo_db):
    uuid = _plan_uuid(demo_db)
    with demo_db.session("test") as s:
        plan = get(s, Plan, uuid)
        tasks = [g for g in plan.groups if g.section == SECTION_TASKS and g.deleted_at is None]
        source, target = tasks[1], tasks[0]
        items = list(s.scalars(select(Item).where(Item.group_id == source.id).order_by(Item.position)))[:2]
        moving = [i.uuid for i in items]
        before = {i.uuid: (i.group_id, i.position, i.local_number) for i in items}
        target_count = s.scalar(select(Item.id).where(Item.group_id == target.id).order_by(Item.id.desc()).limit(1))
        target_uuid, target_id = target.uuid, target.id
        indicator_group = next(g for g in plan.groups if g.section == SECTION_INDICATORS).uuid
    assert len(moving) == 2 and target_count
    change = structure.run_change(demo_db, "Chuyển sang nhóm",
                                  lambda s: structure.move_items_to_group(s, moving, target_uuid))
    assert change.result == 2
    with demo_db.session("test") as s:
        in_target = list(s.scalars(select(Item).where(Item.group_id == target_id, Item.deleted_at.is_(None))
                                   .order_by(Item.position)))
        assert [i.uuid for i in in_target[-2:]] == moving  # at the end of the new group
        numbers = [i.local_number for i in in_target]
        assert len(set(numbers)) == len(numbers)  # no "I.1" twice
    with demo_db.session("test") as s, pytest.raises(ServiceError, match="phụ lục khác"):
        structure.move_items_to_group(s, moving, indicator_group)
    _undo(demo_db, change)
    with demo_db.session("test") as s:
        for item_uuid, (group_id, position, local) in before.items():
            item = get(s, Item, item_uuid)
            assert (item.group_id, item.position, item.local_number) == (group_id, position, local)
    _redo(demo_db, change)
    with demo_db.session("test") as s:
        assert {get(s, Item, u).group_id for u in moving} == {target_id}


def test_undo_refuses_after_a_later_edit(demo_db):
    uuid = _plan_uuid(demo_db)
    change = structure.run_change(demo_db, "Sửa số", lambda s: structure.edit_header(s, uuid, number="1/KH"))
    with demo_db.session("test") as s:
        structure.edit_header(s, uuid, number="2/KH")
    with demo_db.session("test") as s, pytest.raises(ServiceError, match="không thể hoàn tác"):
        undo(s, change)
    with demo_db.session("test") as s:
        assert get(s, Plan, uuid).number == "2/KH"
