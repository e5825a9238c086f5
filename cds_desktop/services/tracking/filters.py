"""Filters of the tracking screens (unit, village, leader, status, pillar/group, period, kind)
and the officer's saved filters."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.models import Group, Person, Plan, SavedFilter
from cds_desktop.services.common import ServiceError, get, tombstone
from cds_desktop.text import nfc

SAVED_KEYS = ("unit_uuid", "village_uuid", "leader_uuid", "status", "group_uuid", "period_code", "kind")


@dataclass(frozen=True)
class Criteria:
    unit_uuid: str | None = None
    village_uuid: str | None = None
    leader_uuid: str | None = None
    status: str | None = None  # a status code, or "no_report" (no report received yet)
    group_uuid: str | None = None  # a pillar or a group: its items and its subgroups' items
    period_code: str | None = None
    kind: str | None = None  # "indicator" | "task"
    # Resolved from the uuids by resolved(); not saved.
    group_id: int | None = None
    leader_id: int | None = None

    @property
    def empty(self) -> bool:
        return not any(getattr(self, key) for key in SAVED_KEYS)

    def resolved(self, session: Session) -> Criteria:
        group_id = get(session, Group, self.group_uuid).id if self.group_uuid else None
        leader_id = get(session, Person, self.leader_uuid).id if self.leader_uuid else None
        return replace(self, group_id=group_id, leader_id=leader_id)

    def to_dict(self) -> dict[str, str]:
        data = asdict(self)
        return {key: data[key] for key in SAVED_KEYS if data[key]}

    @classmethod
    def from_dict(cls, data: dict | None) -> Criteria:
        known = {f.name for f in fields(cls)} & set(SAVED_KEYS)
        return cls(**{k: v for k, v in (data or {}).items() if k in known and v})


@dataclass(frozen=True)
class SavedFilterInfo:
    uuid: str
    name: str
    criteria: Criteria


def save_filter(session: Session, plan: Plan | None, name: str, criteria: Criteria) -> SavedFilter:
    """Save (or overwrite, by name) a filter for *plan* (None: for every plan)."""
    name = nfc(name).strip()
    if not name:
        raise ServiceError("Tên bộ lọc không được để trống.")
    plan_id = plan.id if plan is not None else None
    existing = next((f for f in session.scalars(
        select(SavedFilter).where(SavedFilter.name == name, SavedFilter.plan_id.is_(plan_id)
                                  if plan_id is None else SavedFilter.plan_id == plan_id)
        .execution_options(include_deleted=True)
    ) if not (f.criteria or {}).get("screen")), None)
    if existing is None:
        existing = SavedFilter(name=name, plan_id=plan_id, criteria=criteria.to_dict())
        session.add(existing)
    else:
        existing.deleted_at = None
        if existing.criteria != criteria.to_dict():
            existing.criteria = criteria.to_dict()
    session.flush()
    return existing


def list_filters(session: Session, plan: Plan | None) -> list[SavedFilterInfo]:
    """The plan's saved filters and those saved for every plan, by name."""
    stmt = select(SavedFilter)
    if plan is not None:
        stmt = stmt.where((SavedFilter.plan_id == plan.id) | SavedFilter.plan_id.is_(None))
    # Filters saved for another screen (the plan table's carry {"screen": ...}) are not these.
    rows = sorted((f for f in session.scalars(stmt) if not (f.criteria or {}).get("screen")),
                  key=lambda f: f.name.casefold())
    return [SavedFilterInfo(f.uuid, f.name, Criteria.from_dict(f.criteria)) for f in rows]


def delete_filter(session: Session, uuid: str) -> None:
    tombstone(get(session, SavedFilter, uuid))
    session.flush()
