"""Indicators and tasks: create, edit, reorder, delete (tombstone) and restore.

Targets and deadlines are kept as written and read by the parsers; what the
parsers cannot understand is flagged (``target_understood`` /
``deadline_understood`` false), never guessed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from cds_desktop.models import (
    ITEM_KINDS,
    SECTION_OF_KIND,
    Assignment,
    Group,
    Item,
    Plan,
    Unit,
    UnitAlias,
)
from cds_desktop.services.common import ServiceError, apply_fields, get, like_pattern, restore, tombstone
from cds_desktop.services.deadlines import parse_deadline
from cds_desktop.services.measure_units import measure_unit, with_measure_unit
from cds_desktop.services.targets import extract_target, parse_target

ITEM_FIELDS = {
    "number", "local_number", "content", "target_text", "guiding_agency", "lead_text", "coordinating_text",
    "leader_text", "deadline_text", "basis", "note", "expected_result", "output_product", "extra", "position",
}
# Columns a table view may sort by, mapped to SQL expressions (sorting happens in SQL).
SORTABLE = {
    "position": Item.position,
    "number": Item.position,
    "content": Item.sort_key,
    "due_date": Item.due_date,
    "deadline_text": Item.deadline_text,
    "lead_text": Item.lead_text,
    "target_text": Item.target_value,
}


def apply_parsers(item: Item, plan_year: int | None) -> None:
    """Fill the structured target and deadline from the text as written."""
    if item.target_text:  # with the unit of the plan's own "Đơn vị tính" column when the cell has none
        target, source = parse_target(with_measure_unit(item.target_text, measure_unit(item.extra))), "column"
    else:
        target = extract_target(item.content)
        source = "content" if target.comparator != "none" else ""
    item.target_source = source
    item.target_comparator = target.comparator
    item.target_value = target.value
    item.target_value_max = target.value_max
    item.target_unit = target.unit
    item.target_understood = target.understood

    deadline = parse_deadline(item.deadline_text, plan_year)
    item.deadline_kind = deadline.kind
    item.due_date = deadline.due_date
    item.start_date = deadline.start_date
    item.recurrence = deadline.recurrence
    item.deadline_understood = deadline.understood


def _next_position(session: Session, plan: Plan) -> int:
    return (session.scalar(select(func.max(Item.position)).where(Item.plan_id == plan.id)
            .execution_options(include_deleted=True)) or 0) + 1


def _next_numbers(session: Session, plan: Plan, kind: str, group: Group | None) -> dict[str, str]:
    """Numbers of an item added by hand, so that it reads like its neighbours ("I.3"): the next
    number within its group, and the next running number of its appendix when the plan has one."""
    def next_of(values) -> str:
        numbers = [int(v) for v in values if (v or "").strip().isdigit()]
        return str(max(numbers) + 1) if numbers else ""

    live = select(Item).where(Item.plan_id == plan.id, Item.kind == kind)
    running = next_of(session.scalars(live.with_only_columns(Item.number)))
    local = ""
    if group is not None:
        local = next_of(session.scalars(live.where(Item.group_id == group.id).with_only_columns(Item.local_number)))
        local = local or "1"
    return {"number": running, "local_number": local}


def create_item(session: Session, plan: Plan, kind: str, group: Group | None = None, **fields: Any) -> Item:
    if kind not in ITEM_KINDS:
        raise ServiceError(f"Loại mục không hợp lệ: {kind}")
    if group is not None and group.section != SECTION_OF_KIND[kind]:
        raise ServiceError("Nhóm này thuộc phụ lục khác: không thể đặt mục vào đây.")
    if "position" not in fields:
        fields["position"] = _next_position(session, plan)
    if "number" not in fields and "local_number" not in fields:
        fields.update(_next_numbers(session, plan, kind, group))
    item = Item(plan=plan, kind=kind, group=group, extra={})
    apply_fields(item, fields, ITEM_FIELDS)
    if not item.content:
        raise ServiceError("Nội dung của chỉ tiêu/nhiệm vụ không được để trống.")
    apply_parsers(item, plan.year)
    session.add(item)  # flushed with the unit of work (uuid is already set)
    return item


def update_item(session: Session, uuid: str, **fields: Any) -> list[str]:
    """Edit an item; returns the names of the fields that changed."""
    item = get(session, Item, uuid)
    if "group_uuid" in fields:
        group_uuid = fields.pop("group_uuid")
        group = get(session, Group, group_uuid) if group_uuid else None
        if group is not None and group.section != SECTION_OF_KIND[item.kind]:
            raise ServiceError("Nhóm này thuộc phụ lục khác: không thể chuyển mục vào đây.")
        if item.group is not group:
            item.group = group
    changed = apply_fields(item, fields, ITEM_FIELDS)
    if "content" in changed and not item.content:
        raise ServiceError("Nội dung của chỉ tiêu/nhiệm vụ không được để trống.")
    if {"target_text", "content", "deadline_text", "extra"} & set(changed):
        apply_parsers(item, item.plan.year)
    session.flush()
    return changed


def delete_item(session: Session, uuid: str) -> None:
    item = get(session, Item, uuid)
    tombstone(item)
    for assignment in item.assignments:
        tombstone(assignment)
    session.flush()


def restore_item(session: Session, uuid: str) -> None:
    item = get(session, Item, uuid, include_deleted=True)
    restore(item)
    for assignment in item.assignments:
        restore(assignment)
    session.flush()


def move_item(session: Session, uuid: str, offset: int) -> bool:
    """Move an item up (-1) or down (+1) among the live items of its group and kind."""
    item = get(session, Item, uuid)
    siblings = list(
        session.scalars(
            select(Item)
            .where(Item.plan_id == item.plan_id, Item.kind == item.kind, Item.group_id == item.group_id)
            .order_by(Item.position)
        )
    )
    index = siblings.index(item)
    target = index + offset
    if not 0 <= target < len(siblings):
        return False
    other = siblings[target]
    item.position, other.position = other.position, item.position
    session.flush()
    return True


def items_query(
    plan_id: int,
    kind: str | None = None,
    group_ids: list[int] | None = None,
    search: str | None = None,
    order: str = "position",
    descending: bool = False,
    where=None,
) -> Select:
    """The live items of a plan, filtered and sorted in SQL (for large tables); *where* is one more
    SQL condition (see :func:`cds_desktop.services.item_filters.filter_clause`)."""
    stmt = select(Item).where(Item.plan_id == plan_id)
    if where is not None:
        stmt = stmt.where(where)
    if kind:
        stmt = stmt.where(Item.kind == kind)
    if group_ids is not None:
        stmt = stmt.where(Item.group_id.in_(group_ids))
    if search and search.strip():
        stmt = stmt.where(item_search_clause(search))
    column = SORTABLE.get(order, Item.position)
    stmt = stmt.order_by(column.desc() if descending else column.asc(), Item.position)
    return stmt


def item_search_clause(search: str):
    """Items whose text, or whose assigned units' names or aliases, contain *search*
    ignoring diacritics and case."""
    pattern = like_pattern(search)
    via_unit = (
        select(Assignment.id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.item_id == Item.id)
        .where(
            or_(
                Unit.search_text.like(pattern, escape="\\"),
                select(UnitAlias.id)
                .where(UnitAlias.unit_id == Unit.id, UnitAlias.search_text.like(pattern, escape="\\"))
                .exists(),
            )
        )
        .exists()
    )
    return or_(Item.search_text.like(pattern, escape="\\"), via_unit)
