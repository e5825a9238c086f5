"""The plan's structure: a blank plan, its header, its groups (two levels) and
which group each item belongs to.

Every function here is one user operation; run it inside
:func:`cds_desktop.services.changes.recording` to make it undoable (the
``*_change`` helpers do that).  The session hook audits every field.

Document order: groups are numbered (``position``) depth first, indicators'
appendix before tasks'; items follow the order of their groups, so a moved item
lands at the end of its new group and prints there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import (
    SECTION_INDICATORS,
    SECTION_OF_KIND,
    SECTION_TASKS,
    Assignment,
    Group,
    Item,
    Plan,
    Synced,
)
from cds_desktop.services import plans
from cds_desktop.services.changes import Change, recording
from cds_desktop.services.common import ServiceError, get, tombstone
from cds_desktop.text import nfc

SECTIONS = (SECTION_INDICATORS, SECTION_TASKS)
PILLARS = ("Chính quyền số", "Kinh tế số", "Xã hội số")
HEADER_FIELDS = ("number", "issue_date", "place", "kind", "title", "authority", "position", "signer", "year",
                 "status", "report_day", "tracking_start")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


# --------------------------------------------------------------------------
# Plans


def create_blank_plan(
    session: Session, commune_name: str, year: int, commune_kind: str = "xã", *, with_pillars: bool = False,
    **fields: Any,
) -> Plan:
    """A draft plan with no item: the officer types it in (or pastes tables later)."""
    commune = plans.get_or_create_commune(session, commune_name, commune_kind)
    fields.setdefault("title", f"Chuyển đổi số {commune.kind} {commune.name} năm {int(year)}")
    fields.setdefault("place", commune.name)
    fields.setdefault("status", "draft")
    plan = plans.create_plan(session, commune, int(year), **fields)
    if with_pillars:
        for label, title in zip(ROMAN, PILLARS, strict=False):
            add_group(session, plan.uuid, SECTION_INDICATORS, title, label)
    return plan


def edit_header(session: Session, plan_uuid: str, **fields: Any) -> list[str]:
    """Số, ngày, nơi ban hành, loại và trích yếu, người ký... of the plan document."""
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise ServiceError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}")
    if "issue_date" in fields and fields["issue_date"] is not None and not isinstance(fields["issue_date"], date):
        raise ServiceError("Ngày ban hành không hợp lệ.")
    if "tracking_start" in fields and fields["tracking_start"] is not None \
            and not isinstance(fields["tracking_start"], date):
        raise ServiceError("Ngày bắt đầu theo dõi không hợp lệ.")
    if "title" in fields and not nfc(str(fields["title"] or "")).strip():
        raise ServiceError("Trích yếu của kế hoạch không được để trống.")
    if "year" in fields and not 2000 <= int(fields["year"]) <= 2100:
        raise ServiceError(f"Năm kế hoạch không hợp lệ: {fields['year']}")
    return plans.update_plan(session, plan_uuid, **fields)


def header_values(session: Session, plan_uuid: str) -> dict[str, Any]:
    """The header fields of a plan as they are now (for the header dialog)."""
    plan = get(session, Plan, plan_uuid)
    return {key: getattr(plan, key) for key in HEADER_FIELDS}


def commune_of(session: Session, plan_uuid: str) -> tuple[str, str]:
    """(name, kind) of the plan's commune."""
    commune = get(session, Plan, plan_uuid).commune
    return commune.name, commune.kind


# --------------------------------------------------------------------------
# Groups


def _live_groups(session: Session, plan_id: int) -> list[Group]:
    return list(session.scalars(
        select(Group).where(Group.plan_id == plan_id).order_by(Group.position, Group.id)
    ))


def _children(groups: list[Group], section: str, parent_id: int | None) -> list[Group]:
    return [g for g in groups if g.section == section and g.parent_id == parent_id]


def _renumber_groups(session: Session, plan_id: int, order: dict[tuple[str, int | None], list[Group]]) -> None:
    """Positions 1..n depth first; *order* overrides the sibling order under some parents."""
    groups = _live_groups(session, plan_id)
    position = 0

    def walk(section: str, parent_id: int | None) -> None:
        nonlocal position
        for group in order.get((section, parent_id)) or _children(groups, section, parent_id):
            position += 1
            if group.position != position:
                group.position = position
            walk(section, group.id)

    for section in SECTIONS:
        walk(section, None)


def suggest_label(session: Session, plan_uuid: str, section: str, parent_uuid: str | None = None) -> str:
    """The next label: I, II, III... at the top; "I.1", "I.2"... under a group labelled I."""
    plan = get(session, Plan, plan_uuid)
    groups = _live_groups(session, plan.id)
    parent = get(session, Group, parent_uuid) if parent_uuid else None
    siblings = _children(groups, section, parent.id if parent else None)
    if parent is None:
        labels = [g.label for g in siblings]
        if labels and all(len(x) == 1 and x.isalpha() and x.isupper() and x not in "IVX" for x in labels):
            return chr(ord(max(labels)) + 1)  # parts A, B, C
        used = {x for x in labels}
        return next((r for r in ROMAN if r not in used), str(len(siblings) + 1))
    numbers = [int(m.group(1)) for g in siblings if (m := re.search(r"(\d+)$", g.label))]
    nxt = max(numbers, default=0) + 1
    return f"{parent.label}.{nxt}" if parent.label else str(nxt)


def add_group(
    session: Session, plan_uuid: str, section: str, title: str, label: str | None = None,
    parent_uuid: str | None = None,
) -> Group:
    """A new group at the end of its parent (or of the appendix); two levels at most."""
    plan = get(session, Plan, plan_uuid)
    if section not in SECTIONS:
        raise ServiceError(f"Phụ lục không hợp lệ: {section}")
    title = nfc(title or "").strip()
    if not title:
        raise ServiceError("Tên nhóm không được để trống.")
    parent = get(session, Group, parent_uuid) if parent_uuid else None
    if parent is not None:
        if parent.plan_id != plan.id or parent.section != section:
            raise ServiceError("Nhóm cha phải thuộc cùng kế hoạch và cùng phụ lục.")
        if parent.parent_id is not None:
            raise ServiceError("Kế hoạch chỉ có hai cấp nhóm: không thể thêm nhóm con vào một nhóm con.")
    if label is None:
        label = suggest_label(session, plan_uuid, section, parent_uuid)
    position = (session.scalar(select(func.max(Group.position)).where(Group.plan_id == plan.id)
            .execution_options(include_deleted=True)) or 0) + 1
    group = Group(plan_id=plan.id, section=section, parent_id=parent.id if parent else None,
                  label=nfc(label).strip(), title=title, position=position)
    session.add(group)
    session.flush()
    _renumber_groups(session, plan.id, {})
    session.flush()
    return group


def rename_group(session: Session, uuid: str, title: str, label: str | None = None) -> list[str]:
    title = nfc(title or "").strip()
    if not title:
        raise ServiceError("Tên nhóm không được để trống.")
    fields: dict[str, Any] = {"title": title}
    if label is not None:
        fields["label"] = label
    return plans.update_group(session, uuid, **fields)


def move_group(session: Session, uuid: str, offset: int) -> bool:
    """Up (-1) or down (+1) among its siblings, with its subgroups and items."""
    group = get(session, Group, uuid)
    siblings = _children(_live_groups(session, group.plan_id), group.section, group.parent_id)
    index = siblings.index(group)
    if not 0 <= index + offset < len(siblings):
        return False
    siblings.insert(index + offset, siblings.pop(index))
    _renumber_groups(session, group.plan_id, {(group.section, group.parent_id): siblings})
    _renumber_items(session, group.plan_id)
    session.flush()
    return True


def reparent_group(session: Session, uuid: str, parent_uuid: str | None, index: int | None = None) -> None:
    """Put a group under another top-level group of its appendix (or at the top level), at *index*
    among its new siblings (default: last)."""
    group = get(session, Group, uuid)
    parent = get(session, Group, parent_uuid) if parent_uuid else None
    if parent is not None:
        if parent.id == group.id:
            raise ServiceError("Không thể đặt một nhóm vào chính nó.")
        if parent.plan_id != group.plan_id or parent.section != group.section:
            raise ServiceError("Chỉ chuyển được nhóm trong cùng một phụ lục.")
        if parent.parent_id is not None:
            raise ServiceError("Kế hoạch chỉ có hai cấp nhóm: không thể đặt nhóm vào một nhóm con.")
        has_children = session.scalar(
            select(func.count(Group.id)).where(Group.parent_id == group.id))
        if has_children:
            raise ServiceError(f"Nhóm «{group.display}» có nhóm con: chỉ đặt được ở cấp trên cùng.")
    new_parent_id = parent.id if parent else None
    groups = _live_groups(session, group.plan_id)
    siblings = [g for g in _children(groups, group.section, new_parent_id) if g.id != group.id]
    siblings.insert(len(siblings) if index is None else max(0, min(index, len(siblings))), group)
    if group.parent_id != new_parent_id:
        group.parent_id = new_parent_id
    session.flush()
    _renumber_groups(session, group.plan_id, {(group.section, new_parent_id): siblings})
    _renumber_items(session, group.plan_id)
    session.flush()


def group_contents(session: Session, uuid: str) -> tuple[int, int]:
    """(live items, live subgroups) of a group, subgroups' items included."""
    group = get(session, Group, uuid)
    ids = [group.id, *session.scalars(
        select(Group.id).where(Group.parent_id == group.id))]
    items = session.scalar(select(func.count(Item.id)).where(Item.group_id.in_(ids)))
    return items or 0, len(ids) - 1


def delete_group(session: Session, uuid: str, with_contents: bool = False) -> None:
    """Tombstone a group; with *with_contents* its subgroups and items (and their assignments) too.
    Without it, a group that still holds something is refused."""
    group = get(session, Group, uuid)
    items, subgroups = group_contents(session, uuid)
    if (items or subgroups) and not with_contents:
        raise ServiceError(
            f"Nhóm «{group.display}» còn {items} mục và {subgroups} nhóm con: hãy chuyển hoặc xóa chúng trước.")
    groups = [group, *session.scalars(
        select(Group).where(Group.parent_id == group.id))]
    for item in session.scalars(
        select(Item).where(Item.group_id.in_([g.id for g in groups]))
    ):
        tombstone(item)
        for assignment in session.scalars(
            select(Assignment).where(Assignment.item_id == item.id)
        ):
            tombstone(assignment)
    for g in groups:
        tombstone(g)
    session.flush()
    _renumber_groups(session, group.plan_id, {})
    session.flush()


# --------------------------------------------------------------------------
# Items between groups


def _renumber_items(session: Session, plan_id: int, last: set[int] | None = None) -> None:
    """Item positions 1..n in document order: appendix, group tree depth first, position.
    Items in *last* go to the end of their group."""
    groups = _live_groups(session, plan_id)
    rank: dict[int | None, int] = {}
    counter = 0

    def walk(section: str, parent_id: int | None) -> None:
        nonlocal counter
        for g in _children(groups, section, parent_id):
            counter += 1
            rank[g.id] = counter
            walk(section, g.id)

    for section in SECTIONS:
        walk(section, None)
    last = last or set()
    live_items = list(session.scalars(
        select(Item).where(Item.plan_id == plan_id).order_by(Item.position, Item.id)))
    kind_rank = {kind: n for n, kind in enumerate(SECTION_OF_KIND)}
    live_items.sort(key=lambda i: (kind_rank.get(i.kind, 9), rank.get(i.group_id, 0), i.id in last, i.position))
    for n, item in enumerate(live_items, start=1):
        if item.position != n:
            item.position = n


def _next_local_number(session: Session, group_id: int | None, exclude: set[int]) -> int:
    numbers = [
        int(m.group(0)) for number in session.scalars(
            select(Item.local_number).where(Item.group_id == group_id, Item.id.not_in(exclude) if exclude else true()))
        if (m := re.fullmatch(r"\d+", number or ""))
    ]
    return max(numbers, default=0) + 1


def move_items_to_group(session: Session, item_uuids: list[str], group_uuid: str | None) -> int:
    """Move items to the end of another group of their appendix (``None``: out of any group).
    They take the next numbers within it.  Returns how many moved."""
    if not item_uuids:
        return 0
    items = [get(session, Item, uuid) for uuid in item_uuids]
    group = get(session, Group, group_uuid) if group_uuid else None
    plan_id = items[0].plan_id
    for item in items:
        if item.plan_id != plan_id:
            raise ServiceError("Các mục phải thuộc cùng một kế hoạch.")
        if group is not None and (group.plan_id != plan_id or group.section != SECTION_OF_KIND[item.kind]):
            raise ServiceError("Nhóm này thuộc phụ lục khác: không thể chuyển mục vào đây.")
    moving = [i for i in items if i.group_id != (group.id if group else None)]
    if not moving:
        return 0
    ids = {i.id for i in moving}
    number = _next_local_number(session, group.id if group else None, ids)
    for item in sorted(moving, key=lambda i: i.position):
        item.group_id = group.id if group else None
        if item.local_number:
            item.local_number = str(number)
            number += 1
    session.flush()
    _renumber_items(session, plan_id, ids)
    session.flush()
    return len(moving)


# --------------------------------------------------------------------------
# Undoable operations for the UI (one session, one Change each)


def run_change(db: Database, description: str, operation: Callable[[Session], Any]) -> Change:
    """Run *operation* in one session and return what it changed (its result in ``change.result``);
    tried again if another process kept the database locked (``Database.transaction``)."""

    def unit(session: Session) -> Change:
        with recording(session, description) as change:
            result = operation(session)
            if isinstance(result, Synced):
                result = result.uuid
        change.result = result
        return change

    return db.transaction(unit, source="ui")


def replay_change(db: Database, change: Change, forward: bool) -> None:
    """Undo (*forward* false) or redo a recorded change, in one unit of work."""
    from cds_desktop.services.changes import redo, undo

    db.transaction(lambda session: (redo if forward else undo)(session, change), source="ui")


def load_header(db: Database, plan_uuid: str) -> dict[str, Any]:
    with db.session(source="ui") as session:
        return header_values(session, plan_uuid)


def load_commune(db: Database, plan_uuid: str) -> tuple[str, str]:
    with db.session(source="ui") as session:
        return commune_of(session, plan_uuid)


def load_label_suggestion(db: Database, plan_uuid: str, section: str, parent_uuid: str | None = None) -> str:
    with db.session(source="ui") as session:
        return suggest_label(session, plan_uuid, section, parent_uuid)


def load_group_contents(db: Database, group_uuid: str) -> tuple[int, int]:
    with db.session(source="ui") as session:
        return group_contents(session, group_uuid)


__all__ = [
    "HEADER_FIELDS", "PILLARS", "add_group", "commune_of", "create_blank_plan", "delete_group", "edit_header",
    "group_contents", "header_values", "move_group", "move_items_to_group", "rename_group", "reparent_group",
    "load_commune", "load_group_contents", "load_header", "load_label_suggestion", "replay_change", "run_change",
    "suggest_label",
]


def suggested_tracking_start(issue_date: date | None, year: int | None, today: date) -> date | None:
    """The start of tracking to propose for a plan imported now: the first day of this month
    when the plan was issued more than a month ago this year (the officer starts using the app
    late, and the months before would all be "missing"); None (from the issue date) otherwise."""
    if issue_date is None or year != today.year:
        return None
    first = today.replace(day=1)
    return first if (today - issue_date).days > 31 and first > issue_date else None
