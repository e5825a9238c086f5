"""Audit log and local settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cds_desktop.models.base import Base, Synced, utcnow

AUDIT_ACTIONS = {
    "create": "Tạo mới",
    "update": "Sửa",
    "delete": "Xóa",
    "restore": "Khôi phục",
    "purge": "Xóa hẳn",
}


class AuditEntry(Synced, Base):
    """One change: what (table + uuid), which field, old → new, when, from which source."""

    __tablename__ = "audit_log"

    entity: Mapped[str] = mapped_column(String(50), index=True)  # table name
    entity_uuid: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(50), default="")
    old_value: Mapped[str | None] = mapped_column(Text, default=None)
    new_value: Mapped[str | None] = mapped_column(Text, default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    source: Mapped[str] = mapped_column(String(200), default="")  # "ui", "cli", "demo", "import:<file>"
    installation: Mapped[str] = mapped_column(String(36), default="")
    reason: Mapped[str] = mapped_column(Text, default="")


class Setting(Synced, Base):
    """A key/value setting stored with the data (installation id, report calendar...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[object | None] = mapped_column(JSON, default=None)
