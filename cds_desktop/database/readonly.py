"""Receiving mode: the data of communes received through packages is read-only.

A data folder in receiving mode (the setting ``receiving_mode``, see
:mod:`cds_desktop.rollup.mode`) holds the plans of the communes whose packages
it received (listed in ``rollup_sources``).  Every ORM flush passes through
:func:`before_flush`: a new, changed or deleted record that belongs to such a
commune (the commune itself, its units and calendar, its plans and everything
under them: groups, items, assignments, periods, locks, progress, figures,
checklists) is refused with :class:`ReadOnlyData`, and the transaction rolls
back.  Services therefore cannot forget the rule.

Package imports write through Core statements on the connection (the exchange
layer), which this hook does not see: newer packages keep replacing older ones
by the exchange's rules.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, true
from sqlalchemy.orm import Session

from cds_desktop.database.errors import DatabaseError
from cds_desktop.models import (
    RECEIVING_MODE_KEY,
    Base,
    Commune,
    Item,
    Plan,
    ReportingPeriod,
    RollupSource,
    Setting,
    Unit,
)

_CACHE = "_readonly_communes"

# table -> how a record reaches its commune: ("commune", fk) | ("plan", fk) | ("item", fk) | ("period", fk) |
# ("unit", fk); the relationship of the same name (without "_id") is used for records not flushed yet.
_OWNER: dict[str, tuple[str, str]] = {
    "plans": ("commune", "commune_id"),
    "units": ("commune", "commune_id"),
    "reporting_calendars": ("commune", "commune_id"),
    "groups": ("plan", "plan_id"),
    "items": ("plan", "plan_id"),
    "reporting_periods": ("plan", "plan_id"),
    "saved_filters": ("plan", "plan_id"),
    "assignments": ("item", "item_id"),
    "item_tracking": ("item", "item_id"),
    "report_requirements": ("item", "item_id"),
    "task_progress": ("item", "item_id"),
    "indicator_values": ("item", "item_id"),
    "village_checks": ("item", "item_id"),
    "period_locks": ("period", "period_id"),
    "unit_aliases": ("unit", "unit_id"),
}
# parent kind -> (its table, the kind above it, the foreign key to it)
_PARENT: dict[str, tuple[Any, str, str]] = {
    "plan": (Plan.__table__, "commune", "commune_id"),
    "item": (Item.__table__, "plan", "plan_id"),
    "period": (ReportingPeriod.__table__, "plan", "plan_id"),
    "unit": (Unit.__table__, "commune", "commune_id"),
}

class ReadOnlyData(DatabaseError):
    """An edit of a received commune's data in receiving mode."""


def readonly_communes(session: Session) -> dict[int, str]:
    """{commune id: name} of the communes that are read-only here (empty unless in receiving mode)."""
    cached = session.info.get(_CACHE)
    if cached is not None:
        return cached
    conn = session.connection()
    setting = Setting.__table__
    value = conn.execute(select(setting.c.value).where(setting.c.key == RECEIVING_MODE_KEY)).scalar()
    found: dict[int, str] = {}
    if value is True or value in (1, "1", "true"):
        communes, sources = Commune.__table__, RollupSource.__table__
        rows = conn.execute(select(communes.c.id, communes.c.kind, communes.c.name)
                            .join(sources, sources.c.commune_uuid == communes.c.uuid).where(true()))
        found = {row.id: f"{row.kind} {row.name}".strip() for row in rows}
    session.info[_CACHE] = found
    return found


def plan_received_from(session: Session, plan_id: int | None) -> str:
    """The commune («xã …») whose received data the plan is, when it is read-only here; else ''."""
    communes = readonly_communes(session) if plan_id is not None else {}
    if not communes:
        return ""
    plans = Plan.__table__
    commune = session.connection().execute(select(plans.c.commune_id).where(plans.c.id == plan_id)).scalar()
    return communes.get(commune, "")


def read_only_note(commune: str) -> str:
    """What a screen says of a received commune's plan (empty for the officer's own plans)."""
    return f"Chỉ xem: dữ liệu của {commune} nhận từ gói dữ liệu gửi lên (chế độ tổng hợp)" if commune else ""


def _parent_commune(session: Session, kind: str, parent_id: int | None, parent: Any, depth: int) -> int | None:
    """The commune above a parent given by id (or, not flushed yet, by object)."""
    if parent_id is None:
        if parent is None or depth > 4:
            return None
        return _commune_of(session, parent, depth + 1) if kind != "commune" else parent.id
    if kind == "commune":
        return parent_id
    table, up_kind, up_fk = _PARENT[kind]
    up = session.connection().execute(select(table.c[up_fk]).where(table.c.id == parent_id)).scalar()
    return _parent_commune(session, up_kind, up, None, depth + 1)


def _commune_of(session: Session, obj: Any, depth: int = 0) -> int | None:
    table = getattr(obj, "__tablename__", "")
    if table == "communes":
        return obj.id
    owner = _OWNER.get(table)
    if owner is None:
        return None
    kind, fk = owner
    return _parent_commune(session, kind, getattr(obj, fk, None), obj.__dict__.get(fk.removesuffix("_id")), depth)


# An evidence link names what it proves by uuid: the table of each kind, and how that row reaches its commune.
_LINK_TARGETS: dict[str, tuple[str, str, str]] = {
    "item": ("items", "plan", "plan_id"),
    "task_progress": ("task_progress", "item", "item_id"),
    "indicator_value": ("indicator_values", "item", "item_id"),
}


def _link_commune(session: Session, link: Any) -> int | None:
    """The commune of what an evidence link proves (None: a kind or a row not known here)."""
    target = _LINK_TARGETS.get(getattr(link, "target_type", ""))
    table = Base.metadata.tables.get(target[0]) if target else None
    if table is None:
        return None
    owner = session.connection().execute(select(table.c[target[2]]).where(table.c.uuid == link.target_uuid)).scalar()
    return _parent_commune(session, target[1], owner, None, 0) if owner is not None else None


def before_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    links = [o for o in (*session.new, *session.dirty, *session.deleted)
             if getattr(o, "__tablename__", "") == "evidence_links"]
    touched = [o for o in session.new if getattr(o, "__tablename__", "") in _OWNER]
    touched += [o for o in session.dirty if getattr(o, "__tablename__", "") in (*_OWNER, "communes")
                and session.is_modified(o)]
    touched += [o for o in session.deleted if getattr(o, "__tablename__", "") in (*_OWNER, "communes")]
    if not touched and not links:
        return
    communes = readonly_communes(session)
    if not communes:
        return
    for obj in [*touched, *links]:  # an evidence file attached to a received item is an edit of it too
        commune = _link_commune(session, obj) if obj in links else _commune_of(session, obj)
        if commune in communes:
            raise ReadOnlyData(f"Dữ liệu của {communes[commune]} được nhận từ gói dữ liệu gửi lên (chế độ tổng "
                               "hợp): chỉ được xem, không sửa được trên máy này. Muốn thay đổi, xã/phường gửi "
                               "gói mới.")


def _transaction_ended(session: Session, *_args: Any) -> None:
    session.info.pop(_CACHE, None)


def install(session_class: type[Session]) -> None:
    """Attach the guard to a session class (idempotent)."""
    if not event.contains(session_class, "before_flush", before_flush):
        event.listen(session_class, "before_flush", before_flush)
        event.listen(session_class, "after_commit", _transaction_ended)
        event.listen(session_class, "after_rollback", _transaction_ended)
