"""Reading the plan's tree in document order and the units of a plan
(finding the plan and unit: ``services.lookup``).  Qt-free; every function takes an open session."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cds_desktop.models import (
    COORDINATING,
    LEAD,
    SECTION_OF_KIND,
    Assignment,
    Group,
    Item,
    Person,
    Plan,
    Unit,
)

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
# Unit kinds that never write a unit plan of their own: many units at once, or city agencies.
NO_UNIT_PLAN_KINDS = ("collective", "city_agency")


def no_progress(done: int, total: int, text: str) -> None:
    return None


def plan_units(session: Session, plan: Plan, *, all_kinds: bool = False) -> list[Unit]:
    """Units that lead or coordinate at least one live item of *plan*, in catalogue order.

    Collective entries ("Các phòng, ban chuyên môn") and city agencies write no
    unit plan of their own and are left out unless *all_kinds*.
    """
    stmt = (
        select(Unit)
        .join(Assignment, Assignment.unit_id == Unit.id)
        .join(Item, Item.id == Assignment.item_id)
        .where(Item.plan_id == plan.id)
        .distinct()
    )
    units = list(session.scalars(stmt))
    if not all_kinds:
        units = [u for u in units if u.kind not in NO_UNIT_PLAN_KINDS]
    return sorted(units, key=lambda u: (u.position or 10**6, u.sort_key, u.name))


@dataclass
class GroupNode:
    group: Group | None
    depth: int
    items: list[Item] = field(default_factory=list)
    children: list[GroupNode] = field(default_factory=list)

    def walk(self) -> Iterator[GroupNode]:
        yield self
        for child in self.children:
            yield from child.walk()

    def count(self) -> int:
        return len(self.items) + sum(c.count() for c in self.children)


@dataclass
class SectionTree:
    """One appendix of a plan: its group tree (document order) and items."""

    root: GroupNode  # group None: items outside any group come first
    items: list[Item]

    @property
    def top_groups(self) -> list[GroupNode]:
        return self.root.children

    @property
    def two_level(self) -> bool:
        """Running number and number within the group differ somewhere (Phù Đổng style)."""
        return any(i.local_number and i.number and i.local_number != i.number for i in self.items)


def section_tree(session: Session, plan: Plan, section: str) -> SectionTree:
    kind = next(k for k, s in SECTION_OF_KIND.items() if s == section)
    groups = list(
        session.scalars(
            select(Group)
            .where(Group.plan_id == plan.id, Group.section == section)
            .order_by(Group.position)
        )
    )
    items = list(
        session.scalars(
            select(Item)
            .where(Item.plan_id == plan.id, Item.kind == kind)
            .order_by(Item.position)
            .options(selectinload(Item.assignments).selectinload(Assignment.unit))
        )
    )
    root = GroupNode(None, -1)
    nodes: dict[int, GroupNode] = {}
    for g in groups:
        nodes[g.id] = GroupNode(g, 0)
    for g in groups:
        parent = nodes.get(g.parent_id) if g.parent_id is not None else None
        (parent or root).children.append(nodes[g.id])
    for node in root.walk():  # depths after the tree is complete
        for child in node.children:
            child.depth = node.depth + 1
    for item in items:
        node = nodes.get(item.group_id) if item.group_id is not None else None
        (node or root).items.append(item)  # items of a deleted group: outside any group
    return SectionTree(root=root, items=items)


def assigned_names(items: list[Item]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Unit names per item id, lead and coordinating, from live assignments."""
    lead: dict[int, list[str]] = {}
    coordinating: dict[int, list[str]] = {}
    for item in items:
        for a in item.assignments:
            if a.deleted_at is not None or a.unit is None or a.unit.deleted_at is not None:  # eager loads skip tombstones
                continue
            target = lead if a.role == LEAD else coordinating if a.role == COORDINATING else None
            if target is not None:
                target.setdefault(item.id, []).append(a.unit.name)
    return lead, coordinating


def leader_names(session: Session, items: list[Item]) -> dict[int, str]:
    ids = {i.leader_id for i in items if i.leader_id}
    if not ids:
        return {}
    return {p.id: p.name for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
