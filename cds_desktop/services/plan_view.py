"""What the plan screen shows, as plain dataclasses built inside one session:
plans to choose, the group tree, item rows and details, assignments, history.

Widgets never keep ORM objects across operations; they keep these rows
(uuid + the values they display) and ask again after every change.  This
module is Qt-free so that everything here can be tested and scripted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import (
    COORDINATING,
    INDICATOR,
    LEAD,
    SECTION_INDICATORS,
    SECTION_TASKS,
    TASK,
    Assignment,
    Group,
    Item,
    Plan,
    Unit,
)
from cds_desktop.services import items
from cds_desktop.services.common import ServiceError, get
from cds_desktop.services.measure_units import measure_unit, with_measure_unit
from cds_desktop.services.targets import display_target
from cds_desktop.services.view_rows import (  # the rows are shared with the light first-paint reader
    SECTION_TITLES,  # noqa: F401 (re-exported)
    GroupNode,
    ItemRow,
    PlanChoice,
    fmt_date,  # noqa: F401 (re-exported)
    nest_groups,
    new_roots,
)

FROM_CONTENT = " (đọc từ nội dung)"
# Extra sort keys for table columns that items.SORTABLE does not know (still sorted in SQL).
EXTRA_SORTABLE = {
    "coordinating_text": Item.coordinating_text,
    "basis": Item.basis,
    "note": Item.note,
    "expected_result": Item.expected_result,
    "output_product": Item.output_product,
}


# --------------------------------------------------------------------------
# Plans


def plan_choices(session: Session) -> list[PlanChoice]:
    stmt = select(Plan).order_by(Plan.year.desc(), Plan.created_at)
    return [PlanChoice(p.uuid, p.id, p.number, p.title, p.year) for p in session.scalars(stmt)]


@dataclass(frozen=True)
class PlanOverview:
    uuid: str
    id: int
    title: str
    year: int
    indicator_count: int
    task_count: int
    unit_count: int

    @property
    def summary(self) -> str:
        return f"{self.indicator_count} chỉ tiêu · {self.task_count} nhiệm vụ · {self.unit_count} đơn vị"


def plan_overview(session: Session, plan_uuid: str) -> PlanOverview:
    plan = get(session, Plan, plan_uuid)
    counts = dict(
        session.execute(
            select(Item.kind, func.count(Item.id))
            .where(Item.plan_id == plan.id)
            .group_by(Item.kind)
        ).all()
    )
    units = session.scalar(
        select(func.count(func.distinct(Assignment.unit_id)))
        .join(Item, Item.id == Assignment.item_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Item.plan_id == plan.id)
    )
    return PlanOverview(
        plan.uuid, plan.id, plan.title, plan.year, counts.get(INDICATOR, 0), counts.get(TASK, 0), units or 0
    )


# --------------------------------------------------------------------------
# Group tree


def group_tree(session: Session, plan_id: int) -> list[GroupNode]:
    """Two roots (indicators, tasks) with the plan's live groups nested by parent."""
    roots = new_roots()
    counts = dict(
        session.execute(
            select(Item.group_id, func.count(Item.id))
            .where(Item.plan_id == plan_id)
            .group_by(Item.group_id)
        ).all()
    )
    ungrouped = dict(
        session.execute(
            select(Item.kind, func.count(Item.id))
            .where(Item.plan_id == plan_id, Item.group_id.is_(None))
            .group_by(Item.kind)
        ).all()
    )
    roots[SECTION_INDICATORS].own_count = ungrouped.get(INDICATOR, 0)
    roots[SECTION_TASKS].own_count = ungrouped.get(TASK, 0)
    groups = list(
        session.scalars(
            select(Group).where(Group.plan_id == plan_id).order_by(Group.position)
        )
    )
    return nest_groups(roots, [
        (GroupNode(g.uuid, g.id, g.section, g.label, g.title, counts.get(g.id, 0)), g.parent_id) for g in groups
    ])


# --------------------------------------------------------------------------
# Items


def format_target_fields(
    comparator: str, value: float | None, value_max: float | None, unit: str, text: str = ""
) -> str:
    """Structured target fields as text ("≥ 95%"); '' when there is nothing to show."""
    if comparator in ("none", "") or (value is None and comparator != "qualitative"):
        return ""
    from cds_desktop.services.targets import Target, format_target

    if comparator == "qualitative":
        return ""
    return format_target(Target(text, comparator, value, value_max, unit, True))


def _row(item: Item, names: dict[tuple[int, str], list[str]] | None = None) -> ItemRow:
    """The item as its table shows it; lead and coordinating units as printed: the plan's
    text, or the assigned units when the plan wrote none."""
    names = names or {}
    lead = item.lead_text or "; ".join(names.get((item.id, LEAD), []))
    coordinating = item.coordinating_text or "; ".join(names.get((item.id, COORDINATING), []))
    return ItemRow(
        item.uuid, item.kind, item.number, item.content, display_target(item), item.target_understood,
        lead, coordinating, item.basis, item.note, item.deadline_text, item.due_date,
        item.deadline_understood, item.expected_result, item.output_product,
    )


def _assigned_names(session: Session, item_ids: list[int]) -> dict[tuple[int, str], list[str]]:
    """(item id, role) -> unit names of the live assignments, in assignment order."""
    names: dict[tuple[int, str], list[str]] = {}
    if not item_ids:
        return names
    rows = session.execute(
        select(Assignment.item_id, Assignment.role, Unit.name)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.item_id.in_(item_ids), Assignment.role.in_((LEAD, COORDINATING)))
        .order_by(Assignment.id)
    )
    for item_id, role, name in rows:
        names.setdefault((item_id, role), []).append(name)
    return names


def item_rows(
    session: Session,
    plan_id: int,
    kind: str | None = None,
    group_ids: list[int] | None = None,
    search: str | None = None,
    order: str = "position",
    descending: bool = False,
    item_filter=None,
) -> list[ItemRow]:
    """Rows of an item table, filtered and sorted in SQL by :func:`items.items_query`
    (*item_filter*: an :class:`cds_desktop.services.item_filters.ItemFilter`)."""
    where = None
    if item_filter is not None:
        from cds_desktop.services.item_filters import filter_clause

        where = filter_clause(session, plan_id, item_filter)
    if order in EXTRA_SORTABLE:
        column = EXTRA_SORTABLE[order]
        stmt = items.items_query(plan_id, kind, group_ids, search, where=where).order_by(None).order_by(
            column.desc() if descending else column.asc(), Item.position
        )
    else:
        stmt = items.items_query(plan_id, kind, group_ids, search, order, descending, where=where)
    found = list(session.scalars(stmt))
    names = _assigned_names(session, [item.id for item in found])
    return [_row(item, names) for item in found]


def deleted_item_rows(session: Session, plan_id: int) -> list[ItemRow]:
    stmt = (
        select(Item)
        .where(Item.plan_id == plan_id, Item.deleted_at.is_not(None))
        .order_by(Item.deleted_at.desc())
        .execution_options(include_deleted=True)
    )
    return [_row(item) for item in session.scalars(stmt)]


EDITABLE_ITEM_FIELDS = (
    "number", "content", "target_text", "deadline_text", "guiding_agency", "lead_text", "coordinating_text",
    "leader_text", "basis", "note", "expected_result", "output_product",
)


@dataclass(frozen=True)
class ItemDetail:
    uuid: str
    kind: str
    plan_year: int
    group_uuid: str
    values: dict[str, str]
    target_reading: str
    deadline_reading: str
    measure_unit: str = ""  # the plan's own "Đơn vị tính" for this item ("%"), completing a typed target
    version: int = 0  # the version shown: an edit from the panel carries it (database.conflicts.check_seen_version)


def item_detail(session: Session, uuid: str) -> ItemDetail:
    item = get(session, Item, uuid)
    values = {name: getattr(item, name) or "" for name in EDITABLE_ITEM_FIELDS}
    if not item.target_understood:
        target_line = "⚠ Chưa hiểu được chỉ tiêu — hãy ghi lại rõ hơn (ví dụ: ≥ 95%)."
    elif item.target_comparator == "qualitative":
        target_line = "Hiểu là: chỉ tiêu định tính"
    elif item.target_comparator in ("none", "") or item.target_value is None:
        target_line = "Không có chỉ tiêu định lượng"
    else:
        reading = format_target_fields(
            item.target_comparator, item.target_value, item.target_value_max, item.target_unit
        )
        target_line = f"Hiểu là: {reading}" + (FROM_CONTENT if item.target_source == "content" else "")
    return ItemDetail(
        item.uuid, item.kind, item.plan.year, item.group.uuid if item.group else "", values, target_line,
        _deadline_line(item.deadline_text, item.deadline_kind, item.due_date, item.start_date, item.recurrence,
                       item.deadline_understood),
        measure_unit(item.extra),
        item.version,
    )


def _deadline_line(
    text: str, kind: str, due: date | None, start: date | None, recurrence: str | None, understood: bool
) -> str:
    from cds_desktop.services.deadlines import Deadline, describe_deadline

    if not text:
        return "Chưa ghi thời hạn"
    line = describe_deadline(Deadline(text, kind, due, start, recurrence, (), understood))
    return line if understood else f"⚠ {line}"


def preview_target(target_text: str, content: str, unit: str = "") -> str:
    """What the parser reads in a target being typed (before saving); *unit*: the plan's "Đơn vị tính"."""
    from cds_desktop.services.targets import extract_target, format_target, parse_target

    target = parse_target(with_measure_unit(target_text, unit)) if target_text.strip() else extract_target(content)
    if not target.understood:
        return "⚠ Chưa hiểu được chỉ tiêu — hãy ghi lại rõ hơn (ví dụ: ≥ 95%)."
    if target.comparator == "qualitative":
        return "Hiểu là: chỉ tiêu định tính"
    if target.comparator == "none":
        return "Không có chỉ tiêu định lượng"
    return f"Hiểu là: {format_target(target)}" + ("" if target_text.strip() else FROM_CONTENT)


def preview_deadline(deadline_text: str, plan_year: int | None) -> str:
    """What the parser reads in a deadline being typed (before saving)."""
    from cds_desktop.services.deadlines import parse_deadline

    d = parse_deadline(deadline_text, plan_year)
    return _deadline_line(deadline_text.strip(), d.kind, d.due_date, d.start_date, d.recurrence, d.understood)


# --------------------------------------------------------------------------
# Assignments and history


def group_for_new_item(session: Session, group_uuid: str, kind: str) -> Group | None:
    """The group a new item goes into (None = no group); checks the appendix."""
    if not group_uuid:
        return None
    group = get(session, Group, group_uuid)
    if group.section != {INDICATOR: SECTION_INDICATORS, TASK: SECTION_TASKS}[kind]:
        raise ServiceError("Nhóm này thuộc phụ lục khác: không thể đặt mục vào đây.")
    return group


@dataclass(frozen=True)
class GroupPlace:
    """Where a new item can go: a group of the right appendix, indented by depth."""

    uuid: str
    label: str
    depth: int


def places_for_new_item(session: Session, plan_uuid: str, kind: str) -> list[GroupPlace]:
    """The groups of *kind*'s appendix a new item can go into, in document order.

    Items live in the innermost groups: a group with sub-groups is offered only
    when it has none (so a new task never prints as a stray row above group I)."""
    from cds_desktop.services.plans import live_groups

    plan = get(session, Plan, plan_uuid)
    section = {INDICATOR: SECTION_INDICATORS, TASK: SECTION_TASKS}[kind]
    groups = live_groups(session, plan, section)
    parents = {g.parent_id for g in groups if g.parent_id is not None}
    by_id = {g.id: g for g in groups}

    def depth(group: Group) -> int:
        return 0 if group.parent_id is None or group.parent_id not in by_id else 1 + depth(by_id[group.parent_id])

    return [GroupPlace(g.uuid, g.display, depth(g)) for g in groups if g.id not in parents]


def load_plan_choices(db: Database) -> list[PlanChoice]:
    """The plans the window's selector offers (one read)."""
    with db.session(source="ui") as session:
        return plan_choices(session)


def plan_summary(db: Database, plan_uuid: str) -> str:
    """The one-line summary under the plan selector."""
    with db.session(source="ui") as session:
        return plan_overview(session, plan_uuid).summary
