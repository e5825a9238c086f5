"""Catalogues: units (departments, agencies, villages, ...) with aliases, and people."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cds_desktop.models.base import Base, Synced

UNIT_KINDS: dict[str, str] = {
    "department": "Phòng, ban chuyên môn",
    "city_agency": "Cơ quan cấp Thành phố",
    "police": "Công an",
    "health": "Y tế",
    "service_center": "Trung tâm dịch vụ",
    "village": "Thôn / tổ dân phố",
    "school": "Trường học",
    "organisation": "Tổ chức, đoàn thể",
    "enterprise": "Doanh nghiệp",
    "bank": "Ngân hàng",
    "telecom": "Doanh nghiệp viễn thông",
    "collective": "Tập thể (nhiều đơn vị)",
    "other": "Khác",
}


class Unit(Synced, Base):
    """A unit that leads, coordinates or reports: department, city agency, village, school..."""

    __tablename__ = "units"

    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), default=None, index=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(30), default="other")
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    search_text: Mapped[str] = mapped_column(Text, default="")
    sort_key: Mapped[str] = mapped_column(Text, default="")

    aliases: Mapped[list[UnitAlias]] = relationship(back_populates="unit")
    people: Mapped[list[Person]] = relationship(back_populates="unit")

    def search_parts(self) -> list[str]:
        return [self.name, self.short_name] + [a.alias for a in self.aliases if a.deleted_at is None]

    def sort_parts(self) -> list[str]:
        return [self.name]

    @property
    def kind_label(self) -> str:
        return UNIT_KINDS.get(self.kind, self.kind)


class UnitAlias(Synced, Base):
    """Another way the documents write a unit's name ("Phòng VHXH", "VP HĐND – UBND")."""

    __tablename__ = "unit_aliases"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    search_text: Mapped[str] = mapped_column(String(300), default="", index=True)  # folded alias

    unit: Mapped[Unit] = relationship(back_populates="aliases")

    def search_parts(self) -> list[str]:
        return [self.alias]


class Person(Synced, Base):
    """A person: leader in charge, specialist, contact."""

    __tablename__ = "people"

    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300), default="")  # "Phó Chủ tịch UBND xã"
    phone: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None, index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    sort_key: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit | None] = relationship(back_populates="people")

    def search_parts(self) -> list[str]:
        return [self.name, self.title, self.phone, self.email]

    def sort_parts(self) -> list[str]:
        # Vietnamese names sort by given name (the last word), then the whole name.
        words = self.name.split()
        return [words[-1] if words else "", self.name]
