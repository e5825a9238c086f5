"""The commune, its plans, the group tree and the plan items (indicators, tasks)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cds_desktop.models.base import Base, Synced

# Item kinds; group sections: the indicator appendix (Phụ lục 01) and the task appendix (Phụ lục 02)
from cds_desktop.vocabulary import (  # noqa: F401 - re-exported
    INDICATOR,
    SECTION_INDICATORS,
    SECTION_OF_KIND,
    SECTION_TASKS,
    TASK,
)

ITEM_KINDS = (INDICATOR, TASK)
PLAN_STATUSES = ("draft", "issued")


class Commune(Synced, Base):
    """A commune (xã) or ward (phường) and the city above it."""

    __tablename__ = "communes"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="xã")  # "xã" | "phường"
    city: Mapped[str] = mapped_column(String(200), default="Hà Nội")
    search_text: Mapped[str] = mapped_column(Text, default="")

    plans: Mapped[list[Plan]] = relationship(back_populates="commune")

    def search_parts(self) -> list[str]:
        return [self.kind, self.name, self.city]

    @property
    def display_name(self) -> str:
        return f"{self.kind} {self.name}".strip()


class Plan(Synced, Base):
    """A plan as issued (or drafted): metadata of the document and its appendices."""

    __tablename__ = "plans"

    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(200), default="Kế hoạch chuyển đổi số")
    number: Mapped[str] = mapped_column(String(100), default="")  # "139/KH-UBND" or "" (blank)
    issue_date: Mapped[date | None] = mapped_column(Date, default=None)
    place: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    authority: Mapped[str] = mapped_column(String(200), default="TM. ỦY BAN NHÂN DÂN")
    position: Mapped[str] = mapped_column(String(200), default="CHỦ TỊCH")
    signer: Mapped[str] = mapped_column(String(200), default="")
    recipients: Mapped[list] = mapped_column(default=list)  # lines of "Nơi nhận"
    status: Mapped[str] = mapped_column(String(20), default="draft")
    contacts: Mapped[list] = mapped_column(default=list)  # [{"name","title","phone","unit"}]
    report_day: Mapped[int | None] = mapped_column(Integer, default=None)  # monthly report due day
    # the day tracking starts (periods and deadlines before it raise no alarm); None: the issue date
    tracking_start: Mapped[date | None] = mapped_column(Date, default=None)
    # Per appendix: {"indicators": {"label","title","declared_total","columns":[{"key","header"}]}, "tasks": {...}}
    appendices: Mapped[dict] = mapped_column(default=dict)
    search_text: Mapped[str] = mapped_column(Text, default="")

    commune: Mapped[Commune] = relationship(back_populates="plans")
    groups: Mapped[list[Group]] = relationship(back_populates="plan", order_by="Group.position")
    items: Mapped[list[Item]] = relationship(back_populates="plan", order_by="Item.position")

    def search_parts(self) -> list[str]:
        return [self.number, self.title, self.signer, str(self.year)]


class Group(Synced, Base):
    """A node of the plan's group tree: part (A/B), pillar (I/II/III) or theme ("I.1")."""

    __tablename__ = "groups"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), default=None, index=True)
    section: Mapped[str] = mapped_column(String(20))  # SECTION_INDICATORS | SECTION_TASKS
    label: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)  # document order within the plan
    declared_count: Mapped[int | None] = mapped_column(Integer, default=None)
    search_text: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="groups")
    parent: Mapped[Group | None] = relationship(remote_side="Group.id")

    def search_parts(self) -> list[str]:
        return [self.label, self.title, self.note]

    @property
    def display(self) -> str:
        return f"{self.label}. {self.title}" if self.label else self.title


class Item(Synced, Base):
    """An indicator (chỉ tiêu) or task (nhiệm vụ) of a plan, every column kept as written."""

    __tablename__ = "items"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), default=None, index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # INDICATOR | TASK
    position: Mapped[int] = mapped_column(Integer, default=0)  # document order within the plan
    number: Mapped[str] = mapped_column(String(20), default="")  # running number ("STT")
    local_number: Mapped[str] = mapped_column(String(20), default="")  # number within group ("chi tiết")
    content: Mapped[str] = mapped_column(Text, default="")

    # Target: as written, where it was found, and its structured reading.
    target_text: Mapped[str] = mapped_column(Text, default="")
    target_source: Mapped[str] = mapped_column(String(20), default="")  # "column" | "content" | ""
    target_comparator: Mapped[str] = mapped_column(String(20), default="none")
    target_value: Mapped[float | None] = mapped_column(Float, default=None)
    target_value_max: Mapped[float | None] = mapped_column(Float, default=None)
    target_unit: Mapped[str] = mapped_column(String(20), default="")
    target_understood: Mapped[bool] = mapped_column(Boolean, default=True)

    guiding_agency: Mapped[str] = mapped_column(Text, default="")  # "Sở, ngành TP hướng dẫn"
    lead_text: Mapped[str] = mapped_column(Text, default="")  # lead unit cell as written
    coordinating_text: Mapped[str] = mapped_column(Text, default="")
    leader_text: Mapped[str] = mapped_column(Text, default="")  # "Lãnh đạo chỉ đạo" as written
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)

    # Deadline / timeframe: as written and what it means.
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    deadline_kind: Mapped[str] = mapped_column(String(20), default="none")  # date|recurring|event|none|unparsed
    due_date: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    recurrence: Mapped[str | None] = mapped_column(String(20), default=None)
    deadline_understood: Mapped[bool] = mapped_column(Boolean, default=True)

    basis: Mapped[str] = mapped_column(Text, default="")  # "Căn cứ"
    note: Mapped[str] = mapped_column(Text, default="")
    expected_result: Mapped[str] = mapped_column(Text, default="")  # "Kết quả cần đạt"
    output_product: Mapped[str] = mapped_column(Text, default="")  # "Sản phẩm đầu ra"
    extra: Mapped[dict] = mapped_column(default=dict)  # columns the model has no place for: {header: value}

    search_text: Mapped[str] = mapped_column(Text, default="")
    sort_key: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="items")
    group: Mapped[Group | None] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(  # noqa: F821
        back_populates="item", order_by="Assignment.position"
    )

    def search_parts(self) -> list[str]:
        return [
            self.number, self.content, self.target_text, self.guiding_agency, self.lead_text,
            self.coordinating_text, self.leader_text, self.deadline_text, self.basis, self.note,
            self.expected_result, self.output_product,
        ]

    def sort_parts(self) -> list[str]:
        return [self.content]

    @property
    def kind_label(self) -> str:
        return "Chỉ tiêu" if self.kind == INDICATOR else "Nhiệm vụ"
