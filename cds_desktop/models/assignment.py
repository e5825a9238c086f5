"""Assignment of an indicator or task to a unit, with the people in charge."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cds_desktop.models.base import Base, Synced
from cds_desktop.models.catalog import Person, Unit
from cds_desktop.models.plan import Item
from cds_desktop.vocabulary import COORDINATING, LEAD

ROLES = {LEAD: "Chủ trì", COORDINATING: "Phối hợp"}


class Assignment(Synced, Base):
    """One unit's role on one item, and what the unit's own plan says about it."""

    __tablename__ = "assignments"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=LEAD)
    position: Mapped[int] = mapped_column(Integer, default=0)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)  # lãnh đạo phụ trách
    specialist_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)  # chuyên viên chủ trì
    co_specialist_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)  # chuyên viên phối hợp
    solution: Mapped[str] = mapped_column(Text, default="")  # giải pháp thực hiện
    schedule: Mapped[str] = mapped_column(Text, default="")  # tiến độ thực hiện
    completion: Mapped[str] = mapped_column(Text, default="")  # tiến độ hoàn thành
    note: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[Item] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()
    leader: Mapped[Person | None] = relationship(foreign_keys=[leader_id])
    specialist: Mapped[Person | None] = relationship(foreign_keys=[specialist_id])
    co_specialist: Mapped[Person | None] = relationship(foreign_keys=[co_specialist_id])

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)
