"""The one declarative base and the columns every exchanged record carries.

DESIGN.md §3: every record has a UUID, created/updated timestamps, the id of
the installation that last changed it, a version counter, and a tombstone
(``deleted_at``) instead of a hard delete, so that copies of the database can
exchange and merge data as files.  Integer primary keys stay local to one
database; exchange always goes by ``uuid``.
"""

from __future__ import annotations

import uuid as uuid_mod
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid_mod.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    SQLite has no time zone type, so values are stored naive in UTC and given
    back aware; PostgreSQL stores them as ``timestamp with time zone``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict: JSON, list: JSON}

    def __init__(self, **kwargs: object) -> None:
        # Column defaults are applied at construction, not only at INSERT, so that
        # services can validate and read a new object before it is flushed.
        for column in self.__table__.columns:
            key = column.key
            if key in kwargs or column.default is None or column.primary_key:
                continue
            default = column.default
            if default.is_callable:
                fn = default.arg
                try:
                    kwargs[key] = fn(None)
                except TypeError:
                    kwargs[key] = fn()
            elif default.is_scalar:
                kwargs[key] = default.arg
        cls = type(self)
        for key, value in kwargs.items():
            if not hasattr(cls, key):
                raise TypeError(f"{key!r} is an invalid keyword argument for {cls.__name__}")
            setattr(self, key, value)


class Synced:
    """Mixin: identity and change-tracking columns for exchange between copies.

    ``version``, ``updated_at`` and ``changed_by`` are maintained by the
    session hook in :mod:`cds_desktop.database.audit`, never by hand.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, index=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(36), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None, index=True)

    # Attributes that are bookkeeping, not user data: not audited field by field.
    __audit_skip__ = frozenset(
        {"id", "uuid", "created_at", "updated_at", "changed_by", "version", "deleted_at", "search_text", "sort_key"}
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # Optimistic locking: every UPDATE says ``WHERE version = <the version read>``, so a write
        # based on a record another process (or PC) changed meanwhile matches no row and is
        # refused (StaleDataError -> database.StaleWriteError) instead of overwriting that change.
        # The audit hook sets the new version itself (version_id_generator=False).
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
