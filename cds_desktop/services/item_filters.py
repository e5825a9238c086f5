"""Filters of the plan's item tables (Kế hoạch screen): unit, leader, status,
warning kind, deadline range, pillar, or exactly the items behind a dashboard
figure; and the officer's saved filters for this table.

:func:`filter_clause` turns a filter into SQL conditions on ``items`` that
:func:`cds_desktop.services.items.items_query` adds to its statement.  Status
and warnings are computed by the status engine (statuses in SQL, warnings
from the same rules as the dashboard); the matching item ids go into the
statement, so paging and sorting still happen in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from cds_desktop.models import INDICATOR, TASK, Assignment, Group, Item, Person, Plan, SavedFilter, Unit
from cds_desktop.services.common import ServiceError, get, tombstone
from cds_desktop.services.tracking import codes
from cds_desktop.text import nfc

SCREEN = "plan"  # saved filters of this table carry {"screen": "plan"}; the month screen's carry none
SAVED_KEYS = ("unit_uuid", "leader_uuid", "status", "warning_kind", "due_from", "due_to", "pillar_uuid")
STATUS_CHOICES = {**codes.ITEM_STATUS_LABELS, **codes.EVALUATION_LABELS}


@dataclass(frozen=True)
class ItemFilter:
    unit_uuid: str | None = None  # assigned to the unit (leading or coordinating)
    leader_uuid: str | None = None  # the leader in charge (item or assignment)
    status: str | None = None  # a task status, "no_report", or an indicator evaluation code
    warning_kind: str | None = None  # codes.WARNING_KINDS
    due_from: date | None = None
    due_to: date | None = None
    pillar_uuid: str | None = None  # a group: its items and its subgroups' items
    uuids: tuple[str, ...] | None = None  # exactly these items (a dashboard figure)
    caption: str = ""  # what the exact list is ("Chậm, quá hạn: 5")
    today: date | None = None  # "today" of status and warnings (None: the computer's date); not saved

    @property
    def empty(self) -> bool:
        return self.uuids is None and not any(getattr(self, k) for k in SAVED_KEYS)

    def to_dict(self) -> dict:
        data = {k: getattr(self, k) for k in SAVED_KEYS if getattr(self, k)}
        for key in ("due_from", "due_to"):
            if key in data:
                data[key] = data[key].isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict | None) -> ItemFilter:
        values = {k: v for k, v in (data or {}).items() if k in SAVED_KEYS and v}
        for key in ("due_from", "due_to"):
            if key in values:
                values[key] = date.fromisoformat(values[key])
        return cls(**values)

    def describe(self, session: Session) -> str:
        """A short Vietnamese description ("Đơn vị: Công an xã · Hạn đến 30/06/2026")."""
        if self.uuids is not None:
            return self.caption or f"{len(self.uuids)} mục được chọn"
        parts = []
        if self.unit_uuid:
            parts.append(f"Đơn vị: {get(session, Unit, self.unit_uuid).name}")
        if self.leader_uuid:
            parts.append(f"Lãnh đạo: {get(session, Person, self.leader_uuid).name}")
        if self.status:
            parts.append(f"Tình trạng: {STATUS_CHOICES.get(self.status, self.status)}")
        if self.warning_kind:
            parts.append(f"Cảnh báo: {codes.WARNING_LABELS.get(self.warning_kind, self.warning_kind)}")
        if self.due_from:
            parts.append(f"Hạn từ {self.due_from:%d/%m/%Y}")
        if self.due_to:
            parts.append(f"Hạn đến {self.due_to:%d/%m/%Y}")
        if self.pillar_uuid:
            parts.append(f"Nhóm: {get(session, Group, self.pillar_uuid).display}")
        return " · ".join(parts)


def exact(uuids: list[str], caption: str = "") -> ItemFilter:
    """The filter of a dashboard figure: exactly these items."""
    return ItemFilter(uuids=tuple(dict.fromkeys(u for u in uuids if u)), caption=caption)


def filter_clause(session: Session, plan_id: int, f: ItemFilter | None, today: date | None = None
                  ) -> ColumnElement | None:
    """SQL conditions on ``items`` for *f* (None when it filters nothing)."""
    if f is None or f.empty:
        return None
    conditions: list[ColumnElement] = []
    if f.uuids is not None:
        conditions.append(Item.uuid.in_(f.uuids) if f.uuids else false())
    if f.unit_uuid:
        unit = get(session, Unit, f.unit_uuid, include_deleted=True)
        conditions.append(select(Assignment.id).where(
            Assignment.item_id == Item.id, Assignment.unit_id == unit.id).exists())
    if f.leader_uuid:
        person = get(session, Person, f.leader_uuid, include_deleted=True)
        conditions.append(or_(Item.leader_id == person.id, select(Assignment.id).where(
            Assignment.item_id == Item.id, Assignment.leader_id == person.id).exists()))
    if f.due_from:
        conditions.append(and_(Item.due_date.is_not(None), Item.due_date >= f.due_from))
    if f.due_to:
        conditions.append(and_(Item.due_date.is_not(None), Item.due_date <= f.due_to))
    if f.pillar_uuid:
        group = get(session, Group, f.pillar_uuid)
        ids = [group.id, *session.scalars(select(Group.id).where(Group.parent_id == group.id))]
        conditions.append(Item.group_id.in_(ids))
    today = today or f.today or date.today()
    if f.status:
        conditions.append(Item.id.in_(_status_ids(session, plan_id, f.status, today)))
    if f.warning_kind:
        conditions.append(Item.id.in_(_warning_ids(session, plan_id, f.warning_kind, today)))
    return and_(*conditions)


def _as_of(session: Session, plan: Plan, today: date) -> date:
    from cds_desktop.services.tracking.calendar import period_for_day

    period = period_for_day(session, plan, today)
    return period.end_date if period is not None else today


def _status_ids(session: Session, plan_id: int, status: str, today: date) -> list[int]:
    from cds_desktop.services.tracking.queries import item_status_select

    plan = session.get(Plan, plan_id)
    as_of = _as_of(session, plan, today)
    if status in codes.EVALUATION_LABELS:  # indicators: their evaluation against the target
        from cds_desktop.services.tracking.refs import item_infos
        from cds_desktop.services.tracking.status import indicator_results

        results = indicator_results(session, plan, as_of, item_infos(session, plan_id, INDICATOR))
        return [r.info.id for r in results if r.evaluation.code == status]
    if status not in codes.ITEM_STATUS_LABELS:
        raise ServiceError(f"Tình trạng không hợp lệ: {status}")
    rows = item_status_select(plan_id, as_of).subquery()
    if status == codes.NO_REPORT:
        return list(session.scalars(select(rows.c.id).where(rows.c.rank.is_(None))))
    return list(session.scalars(select(rows.c.id).where(rows.c.rank == codes.STATUS_RANK[status])))


def _warning_ids(session: Session, plan_id: int, kind: str, today: date) -> list[int]:
    from cds_desktop.services.tracking.status import build_status

    if kind not in codes.WARNING_LABELS:
        raise ServiceError(f"Loại cảnh báo không hợp lệ: {kind}")
    plan = session.get(Plan, plan_id)
    try:
        report = build_status(session, plan, today)
    except ServiceError:  # no reporting period yet: no warning either
        return []
    uuids = {w.item_uuid for w in report.warnings if w.kind == kind}
    return [i.id for i in report.infos.values() if i.uuid in uuids]


# --------------------------------------------------------------------------
# Choices of the filter bar


@dataclass(frozen=True)
class FilterChoices:
    units: tuple[tuple[str, str], ...]  # (uuid, name)
    leaders: tuple[tuple[str, str], ...]
    pillars: tuple[tuple[str, str], ...]  # (uuid, "Chỉ tiêu I. Chính quyền số")
    statuses: tuple[tuple[str, str], ...]
    warning_kinds: tuple[tuple[str, str], ...]


def filter_choices(session: Session, plan_uuid: str) -> FilterChoices:
    from cds_desktop.services.tracking.month_screen import month_options

    plan = get(session, Plan, plan_uuid)
    options = month_options(session, plan, date.today())
    # IN (subquery), not DISTINCT: PostgreSQL refuses DISTINCT with an ORDER BY on an expression.
    assigned_ids = (select(Assignment.unit_id).join(Item, Item.id == Assignment.item_id)
                    .where(Item.plan_id == plan.id))
    assigned = session.scalars(
        select(Unit).where(Unit.id.in_(assigned_ids)).order_by(Unit.kind == "village", Unit.position, Unit.name)
    ).all()
    statuses = [(k, v) for k, v in codes.ITEM_STATUS_LABELS.items()]
    statuses += [(k, f"Chỉ tiêu: {v}") for k, v in codes.EVALUATION_LABELS.items()]
    return FilterChoices(
        units=tuple((u.uuid, u.name) for u in assigned),
        leaders=tuple((c.key, c.label) for c in options.leaders),
        pillars=tuple((c.key, ("    " * c.depth) + c.label) for c in options.groups),
        statuses=tuple(statuses),
        warning_kinds=tuple((k, codes.WARNING_LABELS[k]) for k in codes.WARNING_KINDS),
    )


# --------------------------------------------------------------------------
# Saved filters (stored in the database, per plan)


@dataclass(frozen=True)
class SavedItemFilter:
    uuid: str
    name: str
    filter: ItemFilter


def save_item_filter(session: Session, plan_uuid: str, name: str, f: ItemFilter) -> str:
    name = nfc(name or "").strip()
    if not name:
        raise ServiceError("Tên bộ lọc không được để trống.")
    if f.uuids is not None:
        raise ServiceError("Danh sách mục từ trang Tổng quan không lưu thành bộ lọc được.")
    if f.empty:
        raise ServiceError("Chưa chọn điều kiện lọc nào để lưu.")
    plan = get(session, Plan, plan_uuid)
    criteria = {"screen": SCREEN, **f.to_dict()}
    existing = next((s for s in session.scalars(select(SavedFilter).where(
        SavedFilter.plan_id == plan.id, SavedFilter.name == name).execution_options(include_deleted=True))
        if (s.criteria or {}).get("screen") == SCREEN),
        None)
    if existing is None:
        existing = SavedFilter(plan_id=plan.id, name=name, criteria=criteria)
        session.add(existing)
    else:
        existing.deleted_at = None
        if existing.criteria != criteria:
            existing.criteria = criteria
    session.flush()
    return existing.uuid


def saved_item_filters(session: Session, plan_uuid: str) -> list[SavedItemFilter]:
    plan = get(session, Plan, plan_uuid)
    rows = session.scalars(select(SavedFilter).where(SavedFilter.plan_id == plan.id))
    found = [SavedItemFilter(s.uuid, s.name, ItemFilter.from_dict(s.criteria)) for s in rows
             if (s.criteria or {}).get("screen") == SCREEN]
    return sorted(found, key=lambda s: s.name.casefold())


def delete_item_filter(session: Session, uuid: str) -> None:
    tombstone(get(session, SavedFilter, uuid))
    session.flush()


# --------------------------------------------------------------------------
# For the filter bar: one unit of work per action


def load_filter_bar(db, plan_uuid: str) -> tuple[FilterChoices, list[SavedItemFilter]]:
    """The choices of the bar and the plan's saved filters."""
    with db.session(source="ui") as session:
        return filter_choices(session, plan_uuid), saved_item_filters(session, plan_uuid)


def load_saved_filters(db, plan_uuid: str) -> list[SavedItemFilter]:
    with db.session(source="ui") as session:
        return saved_item_filters(session, plan_uuid)


def describe_filter(db, f: ItemFilter) -> str:
    with db.session(source="ui") as session:
        return f.describe(session)


def store_filter(db, plan_uuid: str, name: str, f: ItemFilter) -> str:
    with db.session(source="ui") as session:
        return save_item_filter(session, plan_uuid, name, f)


def remove_filter(db, uuid: str) -> None:
    with db.session(source="ui") as session:
        delete_item_filter(session, uuid)


def kinds_of(f: ItemFilter) -> set[str]:
    """Which tables a filter can match: indicator evaluations only indicators, task statuses only tasks."""
    if f.status in codes.EVALUATION_LABELS:
        return {INDICATOR}
    if f.status:
        return {TASK}
    return {INDICATOR, TASK}


__all__ = [
    "SAVED_KEYS", "STATUS_CHOICES", "FilterChoices", "ItemFilter", "SavedItemFilter", "delete_item_filter",
    "describe_filter", "exact", "filter_choices", "filter_clause", "kinds_of", "load_filter_bar",
    "load_saved_filters", "remove_filter", "save_item_filter", "saved_item_filters", "store_filter",
]
