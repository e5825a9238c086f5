"""Search across the plan and catalogues, ignoring diacritics and case."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.models import Group, Item, Person, Unit
from cds_desktop.services.catalog import people_query, units_query
from cds_desktop.services.common import like_pattern
from cds_desktop.services.items import item_search_clause


@dataclass
class SearchResults:
    items: list[Item]
    groups: list[Group]
    units: list[Unit]
    people: list[Person]

    @property
    def total(self) -> int:
        return len(self.items) + len(self.groups) + len(self.units) + len(self.people)


def search(session: Session, text: str, plan_id: int | None = None, limit: int = 200) -> SearchResults:
    """"thon" finds "thôn"; "vhxh" finds "Phòng Văn hóa - Xã hội" (through its alias)
    and every item that unit leads or coordinates."""
    if not text or not text.strip():
        return SearchResults([], [], [], [])
    item_stmt = select(Item).where(item_search_clause(text))
    group_stmt = select(Group).where(
        Group.search_text.like(like_pattern(text), escape="\\")
    )
    if plan_id is not None:
        item_stmt = item_stmt.where(Item.plan_id == plan_id)
        group_stmt = group_stmt.where(Group.plan_id == plan_id)
    return SearchResults(
        items=list(session.scalars(item_stmt.order_by(Item.plan_id, Item.position).limit(limit))),
        groups=list(session.scalars(group_stmt.order_by(Group.position).limit(limit))),
        units=list(session.scalars(units_query(text).limit(limit))),
        people=list(session.scalars(people_query(text).limit(limit))),
    )
