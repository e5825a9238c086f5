"""Summaries of the database's plans (``cds-desktop info --json``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cds_desktop.models import INDICATOR, TASK, Assignment, Group, Item, Plan, Unit
from cds_desktop.services.plans import list_plans


def plan_summary(session: Session, plan: Plan) -> dict[str, Any]:
    """One plan as ``info --json`` prints it; other commands reuse this shape."""
    counts = dict(
        session.execute(
            select(Item.kind, func.count(Item.id))
            .where(Item.plan_id == plan.id)
            .group_by(Item.kind)
        ).all()
    )
    per_group: dict[tuple[int | None, str], int] = {
        (gid, kind): n
        for gid, kind, n in session.execute(
            select(Item.group_id, Item.kind, func.count(Item.id))
            .where(Item.plan_id == plan.id)
            .group_by(Item.group_id, Item.kind)
        ).all()
    }
    unit_count = session.scalar(
        select(func.count(func.distinct(Assignment.unit_id)))
        .join(Item, Item.id == Assignment.item_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Item.plan_id == plan.id)
    )
    groups = list(
        session.scalars(
            select(Group).where(Group.plan_id == plan.id).order_by(Group.position)
        )
    )
    by_id = {g.id: g for g in groups}
    return {
        "uuid": plan.uuid,
        "title": plan.title,
        "kind": plan.kind,
        "year": plan.year,
        "number": plan.number,
        "issue_date": plan.issue_date.isoformat() if plan.issue_date else None,
        "tracking_start": plan.tracking_start.isoformat() if plan.tracking_start else None,
        "status": plan.status,
        "commune": plan.commune.name,
        "commune_kind": plan.commune.kind,
        "signer": plan.signer,
        "indicator_count": counts.get(INDICATOR, 0),
        "task_count": counts.get(TASK, 0),
        "unit_count": unit_count or 0,
        "groups": [
            {
                "label": g.label,
                "title": g.title,
                "section": g.section,
                "parent_label": by_id[g.parent_id].label if g.parent_id in by_id else None,
                "indicator_count": per_group.get((g.id, INDICATOR), 0),
                "task_count": per_group.get((g.id, TASK), 0),
            }
            for g in groups
        ],
    }


def database_info(session: Session) -> dict[str, Any]:
    return {"plans": [plan_summary(session, plan) for plan in list_plans(session)]}
