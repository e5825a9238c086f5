"""Who may see and change what on a shared database: one row per login (local, never exchanged).

No row at all: everyone is the local officer (the single-user SQLite file).  Once a role is
configured, a login without a row sees nothing.  See ``database.access``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cds_desktop.models.base import Base, utcnow

ROLE_ADMIN = "admin"  # sees and changes everything, manages the roles
ROLE_READER = "reader"  # district / city: reads every commune, changes nothing
ROLE_COMMUNE = "commune"  # a commune officer: sees and changes only their commune's data
ROLE_LABELS: dict[str, str] = {
    ROLE_ADMIN: "quản trị (xem, sửa mọi dữ liệu, cấp quyền)",
    ROLE_READER: "cấp huyện/thành phố (xem mọi xã/phường, không sửa)",
    ROLE_COMMUNE: "cán bộ xã/phường (chỉ xem, sửa dữ liệu xã/phường của mình)",
}


class UserRole(Base):
    """The role of one login: the database login role on PostgreSQL, the user name on SQLite."""

    __tablename__ = "user_roles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
