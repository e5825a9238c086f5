"""Reading the plan's tree in document order and the units of a plan
(finding the plan and unit: ``services.lookup``).  Qt-free; every function takes an open session."""

from __future__ import annotations

import logging

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
from cds_desktop.reports.tree import GroupNode, Progress, SectionTree, build_tree, no_progress

__all__ = ["GroupNode", "Progress", "SectionTree", "assigned_names", "leader_names", "no_progress", "plan_units",
           "section_tree"]

log = logging.getLogger(__name__)

# Unit kinds that never write a unit plan of their own: many units at once, or city agencies.
NO_UNIT_PLAN_KINDS = ("collective", "city_agency")


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
    return build_tree(groups, items)


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
