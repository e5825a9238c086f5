"""What the officer is told when a write meets another process's change.

Optimistic locking (``Synced.__mapper_args__``): an UPDATE based on a version that is no longer
the stored one matches no row and SQLAlchemy raises ``StaleDataError``.  ``stale_write_error``
turns it into a :class:`StaleWriteError` whose message names the record, who changed it (the
program part and the computer, from the audit log) and when.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import event, select

from cds_desktop.database.errors import StaleWriteError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cds_desktop.database.engine import Database

_SOURCES = {"ui": "cửa sổ chương trình", "cli": "dòng lệnh", "demo": "dữ liệu mẫu", "system": "chương trình"}


WRITING = "_conflicts_writing"


def _remember_writes(session: Session, _context: Any, _instances: Any) -> None:
    """Before each flush: which records it updates (named if the update turns out stale)."""
    from cds_desktop.models import AuditEntry, Synced

    # Read now: a failed flush rolls back and expires the objects.
    session.info[WRITING] = [_describe(obj) for obj in session.dirty
                             if isinstance(obj, Synced) and not isinstance(obj, AuditEntry)]


def install(session_class: type[Session]) -> None:
    if not event.contains(session_class, "before_flush", _remember_writes):
        event.listen(session_class, "before_flush", _remember_writes)


def _describe(obj: Any) -> tuple[str, str, str]:
    label = ""
    for attr in ("content", "title", "name", "key"):
        value = obj.__dict__.get(attr)
        if isinstance(value, str) and value:
            label = value if len(value) <= 60 else value[:57] + "…"
            break
    return obj.__tablename__, obj.__dict__.get("uuid") or "", label


def modified_records(session: Session) -> list[tuple[str, str, str]]:
    """(table, uuid, label) of the records the session's last flush was writing."""
    return list(session.info.get(WRITING, []))


def describe_source(source: str) -> str:
    if source.startswith("import:"):
        return f"nhập tệp «{source.removeprefix('import:')}»"
    return _SOURCES.get(source, source or "không rõ")


def stale_write_error(db: Database, records: list[tuple[str, str, str]], cause: Any) -> StaleWriteError:
    from cds_desktop.models import AuditEntry

    uuids = [uuid for _table, uuid, _label in records if uuid]
    entry = None
    if uuids:
        try:
            with db.session(source="system") as s:
                entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_uuid.in_(uuids))
                                  .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1)).first()
        except Exception:  # the message without the audit details rather than a second error
            entry = None
    label = next((f"«{label}»" for _t, _u, label in records if label), "bản ghi này")
    return StaleWriteError(_message(label, entry))


def _message(label: str, entry: Any) -> str:
    if entry is not None:
        at = entry.at.astimezone().strftime("%H:%M:%S ngày %d/%m/%Y")
        who = f"{describe_source(entry.source)}, máy {entry.installation[:8] or 'không rõ'}"
        if entry.reason:
            who += f", {entry.reason}"
        changed = f"vừa được sửa ở nơi khác ({who}, lúc {at})"
    else:
        changed = "vừa được sửa ở nơi khác"
    return (f"Không lưu được: {label} {changed} sau khi anh/chị mở ra. "
            "Thay đổi của anh/chị chưa được ghi; hãy tải lại rồi sửa lại.")


def check_seen_version(session: Session, obj: Any, seen: int | None) -> None:
    """A window's edit carries the version of the record it showed (*seen*): when the record has
    changed since (another process, another PC), the edit is refused with :class:`StaleWriteError`
    naming who changed it and when, before anything is written.  ``None``: nothing was shown."""
    from cds_desktop.models import AuditEntry

    if seen is None or obj.version == seen:
        return
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_uuid == obj.uuid)
                            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1)).first()
    _table, _uuid, label = _describe(obj)
    raise StaleWriteError(_message(f"«{label}»" if label else "bản ghi này", entry))
