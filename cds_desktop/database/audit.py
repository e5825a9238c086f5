"""Session hook: bookkeeping columns and the audit log, in the same transaction.

Every flush of a session created by :class:`cds_desktop.database.Database`
passes through :func:`before_flush`:

- new records get ``changed_by`` and an audit entry ``create``;
- changed records get ``version + 1``, ``updated_at``, ``changed_by`` and one
  audit entry per changed field (``delete``/``restore`` when the tombstone
  ``deleted_at`` is set or cleared);
- every record with ``search_parts()`` gets its folded ``search_text`` (and
  ``sort_key`` from ``sort_parts()``) recomputed, so search in SQL ignores
  diacritics and case on any backend.

Services therefore never write audit entries by hand and cannot forget to.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from cds_desktop.models import AuditEntry, Synced, UnitAlias, utcnow
from cds_desktop.text import fold


def _to_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _refresh_search(obj: Any) -> None:
    parts = getattr(obj, "search_parts", None)
    if parts is not None:
        obj.search_text = fold(" ".join(p for p in parts() if p))
    sort_parts = getattr(obj, "sort_parts", None)
    if sort_parts is not None and hasattr(obj, "sort_key"):
        obj.sort_key = fold(" ".join(p for p in sort_parts() if p))


def _entry(session: Session, obj: Synced, action: str, field: str = "", old: Any = None, new: Any = None) -> None:
    session.add(
        AuditEntry(
            entity=obj.__tablename__,
            entity_uuid=obj.uuid,
            action=action,
            field=field,
            old_value=_to_text(old),
            new_value=_to_text(new),
            source=session.info.get("source", ""),
            installation=session.info.get("installation_id", ""),
            reason=session.info.get("reason", ""),
            changed_by=session.info.get("installation_id", ""),
        )
    )


def before_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    if session.info.get("audit_disabled"):
        return
    installation = session.info.get("installation_id", "")
    now = utcnow()
    touched_units = set()

    for obj in list(session.new):
        if not isinstance(obj, Synced) or isinstance(obj, AuditEntry):
            continue
        if obj.uuid is None:
            from cds_desktop.models import new_uuid

            obj.uuid = new_uuid()
        obj.changed_by = installation
        obj.created_at = obj.created_at or now
        obj.updated_at = now
        obj.version = obj.version or 1
        _refresh_search(obj)
        if isinstance(obj, UnitAlias) and obj.unit is not None:
            touched_units.add(obj.unit)
        if not session.info.get("audit_quiet_create"):
            _entry(session, obj, "create")

    for obj in list(session.dirty):
        if not isinstance(obj, Synced) or isinstance(obj, AuditEntry):
            continue
        state = inspect(obj)
        changes: list[tuple[str, Any, Any]] = []
        tombstone: tuple[Any, Any] | None = None
        for attr in state.mapper.column_attrs:
            key = attr.key
            hist = state.attrs[key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
            if key == "deleted_at":
                tombstone = (old, new)
            elif key not in obj.__audit_skip__:
                changes.append((key, old, new))
        if not changes and tombstone is None:
            continue
        bumped = session.info.setdefault("_bumped", set())
        if obj.uuid not in bumped:  # one version step per record per transaction
            bumped.add(obj.uuid)
            obj.version = (obj.version or 0) + 1
        obj.updated_at = now
        obj.changed_by = installation
        _refresh_search(obj)
        if isinstance(obj, UnitAlias) and obj.unit is not None:
            touched_units.add(obj.unit)
        for key, old, new in changes:
            _entry(session, obj, "update", key, old, new)
        if tombstone is not None:
            _entry(session, obj, "delete" if tombstone[1] is not None else "restore", "deleted_at", *tombstone)

    for obj in list(session.deleted):
        if isinstance(obj, Synced) and not isinstance(obj, AuditEntry):
            _entry(session, obj, "purge")

    for unit in touched_units:  # aliases feed the unit's search text
        before = unit.search_text
        _refresh_search(unit)
        if unit.search_text != before and unit not in session.new:
            unit.updated_at = now


def _transaction_ended(session: Session, *_args: Any) -> None:
    session.info.pop("_bumped", None)


def install(session_class: type[Session]) -> None:
    """Attach the hooks to a session class (idempotent)."""
    if not event.contains(session_class, "before_flush", before_flush):
        event.listen(session_class, "before_flush", before_flush)
        event.listen(session_class, "after_commit", _transaction_ended)
        event.listen(session_class, "after_rollback", _transaction_ended)
