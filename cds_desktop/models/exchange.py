"""Local bookkeeping of data exchange: merge clocks and the exchange history.

These two tables are *local*: they are never exported, never audited and
carry no ``Synced`` columns on purpose (a clock row changes with every
exchange; auditing or exchanging it would only echo the exchange itself).

- :class:`ExchangeClock` keeps, for a record that came from (or went through)
  another copy of the database, the *version vector* it had when this copy last
  merged it: ``{installation id: version}``.  With it the merge can decide
  whether "mine" and "theirs" changed since they last met (see
  :mod:`cds_desktop.exchange.clocks`).  Records never merged have no row.
- :class:`ExchangeHistory` is what was sent to whom and received from whom,
  when, with the counts; it also remembers the uuids of imported packages and
  workbooks.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cds_desktop.models.base import Base, new_uuid, utcnow

# Directions of ExchangeHistory rows.
EXPORT_PACKAGE = "export_package"
IMPORT_PACKAGE = "import_package"
EXPORT_WORKBOOK = "export_workbook"
IMPORT_WORKBOOK = "import_workbook"
DIRECTIONS: dict[str, str] = {
    EXPORT_PACKAGE: "Gửi gói dữ liệu",
    IMPORT_PACKAGE: "Nhận gói dữ liệu",
    EXPORT_WORKBOOK: "Gửi phiếu báo cáo",
    IMPORT_WORKBOOK: "Nhận phiếu báo cáo",
}


class ExchangeClock(Base):
    """The version vector of one exchanged record as of its local ``version_at``."""

    __tablename__ = "exchange_clocks"

    record_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(50))
    vector: Mapped[dict] = mapped_column(JSON, default=dict)  # {installation id: version}
    version_at: Mapped[int] = mapped_column(Integer, default=0)  # the record's version the vector belongs to


class ExchangeHistory(Base):
    """One package or workbook sent or received (dry runs are not recorded)."""

    __tablename__ = "exchange_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    direction: Mapped[str] = mapped_column(String(20), index=True)  # DIRECTIONS
    package_uuid: Mapped[str] = mapped_column(String(36), default="", index=True)  # package or workbook uuid
    peer_installation: Mapped[str] = mapped_column(String(36), default="")
    peer_name: Mapped[str] = mapped_column(Text, default="")  # commune / unit it came from or went to
    file_name: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[dict] = mapped_column(JSON, default=dict)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)  # created/updated/unchanged/deleted/conflicts...
    note: Mapped[str] = mapped_column(Text, default="")

    @property
    def direction_label(self) -> str:
        return DIRECTIONS.get(self.direction, self.direction)
