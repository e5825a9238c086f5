"""Evidence (minh chứng): files kept in the content-addressed store, and their links.

An :class:`Evidence` row describes one stored content (by SHA-256) and what the
officer knows about it (kind, number, date, issuer, period, unit).  The file
itself lives in ``<data_dir>/evidence/ab/cd/<sha256>``; the original file name
is metadata only, never a path.  :class:`EvidenceLink` ties one evidence to one
record it proves.  Links are generic (``target_type`` + ``target_uuid``) so that
this table does not depend on the tables of other features; the service layer
resolves a target through its model when that model exists.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cds_desktop.models.base import Base, Synced
from cds_desktop.models.catalog import Unit

# Evidence kinds, stable codes (stored) -> Vietnamese labels (shown), live in cds_desktop.vocabulary.
from cds_desktop.vocabulary import DEFAULT_EVIDENCE_KIND as DEFAULT_KIND
from cds_desktop.vocabulary import EVIDENCE_KINDS

# What an evidence can prove.  Other features may add types; unknown types are kept as is.
TARGET_ITEM = "item"
TARGET_TASK_PROGRESS = "task_progress"
TARGET_INDICATOR_VALUE = "indicator_value"
TARGET_TYPES: dict[str, str] = {
    TARGET_ITEM: "Chỉ tiêu / nhiệm vụ",
    TARGET_TASK_PROGRESS: "Báo cáo tiến độ nhiệm vụ",
    TARGET_INDICATOR_VALUE: "Kết quả thực hiện chỉ tiêu",
}


class Evidence(Synced, Base):
    """One evidence file (by content) and its metadata."""

    __tablename__ = "evidence"

    sha256: Mapped[str] = mapped_column(String(64), index=True)  # name of the file in the store
    size: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(String(500))  # as the officer had it; metadata only
    extension: Mapped[str] = mapped_column(String(20), default="")  # lower case, no dot
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    kind: Mapped[str] = mapped_column(String(30), default=DEFAULT_KIND, index=True)
    doc_number: Mapped[str] = mapped_column(String(100), default="")  # "12/QĐ-UBND"
    doc_date: Mapped[date | None] = mapped_column(Date, default=None)
    issuer: Mapped[str] = mapped_column(String(300), default="")  # cơ quan ban hành
    description: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[str] = mapped_column(String(20), default="", index=True)  # "2026-05", "2026-Q2", "2026"
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None, index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit | None] = relationship()
    links: Mapped[list[EvidenceLink]] = relationship(back_populates="evidence", order_by="EvidenceLink.id")

    def search_parts(self) -> list[str]:
        return [
            self.original_name, self.kind_label, self.doc_number, self.issuer, self.description,
            self.period, self.doc_date.strftime("%d/%m/%Y") if self.doc_date else "",
        ]

    @property
    def kind_label(self) -> str:
        return EVIDENCE_KINDS.get(self.kind, self.kind)

    @property
    def live_links(self) -> list[EvidenceLink]:
        return [link for link in self.links if link.deleted_at is None]


class EvidenceLink(Synced, Base):
    """"This evidence proves that record": an item, a progress report, an indicator value..."""

    __tablename__ = "evidence_links"
    __table_args__ = (Index("ix_evidence_links_target", "target_type", "target_uuid"),)

    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    target_type: Mapped[str] = mapped_column(String(30))
    target_uuid: Mapped[str] = mapped_column(String(36))
    note: Mapped[str] = mapped_column(Text, default="")

    evidence: Mapped[Evidence] = relationship(back_populates="links")

    @property
    def target_label(self) -> str:
        return TARGET_TYPES.get(self.target_type, self.target_type)
