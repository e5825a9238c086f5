"""Assignment of indicators and tasks to units (lead / coordinating) and people."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.models import COORDINATING, LEAD, ROLES, Assignment, Item, Person, Unit
from cds_desktop.services.common import ServiceError, apply_fields, get, restore, tombstone

ASSIGNMENT_FIELDS = {"role", "position", "solution", "schedule", "completion", "note"}


def live_assignments(item: Item, role: str | None = None) -> list[Assignment]:
    return [
        a for a in item.assignments
        if a.deleted_at is None and a.unit.deleted_at is None and (role is None or a.role == role)
    ]


def assign(session: Session, item: Item, unit: Unit, role: str = LEAD, **fields: Any) -> Assignment:
    """Give *unit* a role on *item* (idempotent: an existing live link is returned,
    a tombstoned one is restored)."""
    if role not in ROLES:
        raise ServiceError(f"Vai trò không hợp lệ: {role}")
    for existing in item.assignments:
        if existing.unit is unit and existing.role == role:
            if existing.deleted_at is not None:
                restore(existing)
            apply_fields(existing, fields, ASSIGNMENT_FIELDS)
            session.flush()
            return existing
    position = max((a.position for a in item.assignments), default=0) + 1
    assignment = Assignment(item=item, unit=unit, role=role, position=position)
    apply_fields(assignment, fields, ASSIGNMENT_FIELDS)
    session.add(assignment)  # flushed with the unit of work (uuid is already set)
    return assignment


def set_people(
    session: Session,
    assignment_uuid: str,
    *,
    leader_uuid: str | None = None,
    specialist_uuid: str | None = None,
    co_specialist_uuid: str | None = None,
) -> None:
    """Name the leader in charge, the lead specialist and the coordinating specialist ('' clears)."""
    assignment = get(session, Assignment, assignment_uuid)
    for attr, uuid in (
        ("leader", leader_uuid), ("specialist", specialist_uuid), ("co_specialist", co_specialist_uuid)
    ):
        if uuid is None:
            continue
        person = get(session, Person, uuid) if uuid else None
        if getattr(assignment, attr) is not person:
            setattr(assignment, attr, person)
    session.flush()


def update_assignment(session: Session, uuid: str, **fields: Any) -> list[str]:
    assignment = get(session, Assignment, uuid)
    if "role" in fields and fields["role"] not in ROLES:
        raise ServiceError(f"Vai trò không hợp lệ: {fields['role']}")
    changed = apply_fields(assignment, fields, ASSIGNMENT_FIELDS)
    session.flush()
    return changed


def unassign(session: Session, uuid: str) -> None:
    tombstone(get(session, Assignment, uuid))
    session.flush()


def set_item_units(session: Session, item: Item, lead: list[Unit], coordinating: list[Unit]) -> None:
    """Make the item's live assignments exactly *lead* + *coordinating* (others tombstoned)."""
    wanted = {(id(u), LEAD) for u in lead} | {(id(u), COORDINATING) for u in coordinating}
    for existing in item.assignments:
        if existing.deleted_at is None and (id(existing.unit), existing.role) not in wanted:
            tombstone(existing)
    for unit in lead:
        assign(session, item, unit, LEAD)
    for unit in coordinating:
        assign(session, item, unit, COORDINATING)
    session.flush()


def unit_items(session: Session, unit: Unit, plan_id: int | None = None) -> list[tuple[Item, Assignment]]:
    """Every live item a unit leads or coordinates, in document order."""
    stmt = (
        select(Item, Assignment)
        .join(Assignment, Assignment.item_id == Item.id)
        .where(Assignment.unit_id == unit.id)
        .order_by(Item.plan_id, Item.kind, Item.position)
    )
    if plan_id is not None:
        stmt = stmt.where(Item.plan_id == plan_id)
    return [(i, a) for i, a in session.execute(stmt).all()]
