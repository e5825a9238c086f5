"""Undo and redo of edits, recorded from what a session really flushed.

A service call runs inside :func:`recording`; every column the flushes change
(old and new value) and every record they create is kept in a :class:`Change`.
:func:`undo` puts the old values back (records created by the change become
tombstones); :func:`redo` puts the new values back.  Both go through the
normal session hooks, so they are audited like any other edit, and both refuse
when a record has been changed since (the officer's later work is never
overwritten silently).

Changes hold only uuids and plain values, never ORM objects, so the UI can keep
them on its undo stack across sessions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from cds_desktop.models import AuditEntry, Base, Synced, utcnow
from cds_desktop.services.common import ServiceError

# Bookkeeping columns the session hook maintains by itself.
SKIPPED = {"id", "uuid", "version", "created_at", "updated_at", "changed_by", "search_text", "sort_key"}


@dataclass
class RecordChange:
    table: str
    uuid: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


@dataclass
class Change:
    """What one user operation changed (see the module docstring)."""

    description: str
    records: list[RecordChange] = field(default_factory=list)
    created: list[tuple[str, str]] = field(default_factory=list)  # (table, uuid)
    result: Any = None  # what the operation returned (uuid of a new record, ...)

    @property
    def empty(self) -> bool:
        return not self.records and not self.created


def _model(table: str) -> type[Synced]:
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    raise ServiceError(f"Không rõ loại bản ghi: {table}")


class _Recorder:
    def __init__(self) -> None:
        self.records: dict[int, tuple[Synced, dict, dict]] = {}  # id(obj) -> (obj, before, after)
        self.created: dict[int, Synced] = {}

    def capture(self, session: Session, *_args: Any) -> None:
        for obj in session.new:
            if isinstance(obj, Synced) and not isinstance(obj, AuditEntry):
                self.created[id(obj)] = obj
        for obj in session.dirty:
            if not isinstance(obj, Synced) or isinstance(obj, AuditEntry) or id(obj) in self.created:
                continue
            state = inspect(obj)
            for attr in state.mapper.column_attrs:
                key = attr.key
                if key in SKIPPED:
                    continue
                hist = state.attrs[key].history
                if not hist.has_changes():
                    continue
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if old == new:
                    continue
                _obj, before, after = self.records.setdefault(id(obj), (obj, {}, {}))
                before.setdefault(key, old)
                after[key] = new

    def change(self, description: str) -> Change:
        records = []
        for obj, before, after in self.records.values():
            same = [k for k in after if _same(before.get(k), after[k])]
            for key in same:
                before.pop(key, None)
                after.pop(key)
            if after:
                records.append(RecordChange(obj.__tablename__, obj.uuid, before, after))
        created = [(obj.__tablename__, obj.uuid) for obj in self.created.values()]
        return Change(description, records, created)


@contextmanager
def recording(session: Session, description: str) -> Iterator[Change]:
    """Record what the block changes in *session*; the yielded Change is filled on exit."""
    recorder = _Recorder()
    change = Change(description)
    event.listen(session, "before_flush", recorder.capture)
    try:
        yield change
        session.flush()
    finally:
        event.remove(session, "before_flush", recorder.capture)
    done = recorder.change(description)
    change.records, change.created = done.records, done.created


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, datetime) or isinstance(b, datetime):  # tombstones: set or not
        return (a is None) == (b is None)
    return a == b


def _load(session: Session, table: str, uuid: str) -> Synced:
    model = _model(table)
    obj = session.scalar(select(model).where(model.uuid == uuid).execution_options(include_deleted=True))
    if obj is None:
        raise ServiceError("Bản ghi đã không còn trong cơ sở dữ liệu: không thể hoàn tác.")
    return obj


def _apply(session: Session, change: Change, forward: bool) -> None:
    verb = "làm lại" if forward else "hoàn tác"
    loaded = [(r, _load(session, r.table, r.uuid)) for r in change.records]
    created = [_load(session, table, uuid) for table, uuid in change.created]
    for record, obj in loaded:  # refuse when something changed since
        expected = record.before if forward else record.after
        for key, value in expected.items():
            if not _same(getattr(obj, key), value):
                raise ServiceError(
                    f"Dữ liệu đã được sửa sau thao tác «{change.description}»: không thể {verb} nữa."
                )
    for obj in created:
        if (obj.deleted_at is None) == forward:
            raise ServiceError(f"Dữ liệu đã được sửa sau thao tác «{change.description}»: không thể {verb} nữa.")
    for record, obj in loaded:
        values = record.after if forward else record.before
        for key, value in values.items():
            if key == "deleted_at" and value is not None:
                value = utcnow()
            setattr(obj, key, value)
    for obj in created:
        obj.deleted_at = None if forward else utcnow()
    session.flush()


def undo(session: Session, change: Change) -> None:
    """Put back what *change* replaced (audited like any edit)."""
    _apply(session, change, forward=False)


def redo(session: Session, change: Change) -> None:
    """Do *change* again after :func:`undo`."""
    _apply(session, change, forward=True)


__all__ = ["Change", "RecordChange", "recording", "redo", "undo"]
