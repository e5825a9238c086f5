"""Small read models shared by the status engine: items and units of one plan, by id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from cds_desktop.models import INDICATOR, Group, Item, Unit
from cds_desktop.services.targets import Target, display_target
from cds_desktop.text import fold


@dataclass(frozen=True)
class ItemInfo:
    id: int
    uuid: str
    kind: str
    number: str
    local_number: str
    group_id: int | None
    group_label: str  # the group's label with its parents' ("A.I"), as the plan numbers it
    pillar_id: int | None  # the top-level group
    content: str
    position: int
    deadline_text: str
    deadline_kind: str
    due_date: date | None
    start_date: date | None
    target_comparator: str
    target_value: float | None
    target_value_max: float | None
    target_unit: str
    target_understood: bool
    target_text: str  # the target column, else the content when the target was read from it
    leader_id: int | None
    shown_target: str | None = None  # display_target of the item (None: computed from the fields)
    ref_override: str | None = None  # set when two items would read the same

    @property
    def kind_label(self) -> str:
        return "Chỉ tiêu" if self.kind == INDICATOR else "Nhiệm vụ"

    @property
    def ref(self) -> str:
        """How the plan numbers it: ``II.3`` / ``A.I.3`` (group and number within it) or the running number."""
        if self.ref_override:
            return self.ref_override
        if self.group_label and self.local_number:
            parts = self.group_label.split(".")
            if self.local_number.startswith(parts[-1] + "."):  # "1.2" under group "1": the plan's own code
                return ".".join([*parts[:-1], self.local_number])
            return f"{self.group_label}.{self.local_number}"
        return self.number or self.local_number

    @property
    def title(self) -> str:
        """``Nhiệm vụ II.1 «Triển khai khung Chương trình…»``."""
        return f"{self.kind_label} {self.ref} «{short(self.content)}»".replace("  ", " ")

    @property
    def target(self) -> Target:
        return Target(self.target_text, self.target_comparator, self.target_value, self.target_value_max,
                      self.target_unit, self.target_understood)

    @property
    def target_display(self) -> str:
        """The target as it reads everywhere (``services.targets.display_target``)."""
        return display_target(self) if self.shown_target is None else self.shown_target


def short(text: str, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def group_paths(session: Session, plan_id: int) -> dict[int, str]:
    """Group id -> its label prefixed by its parents' labels: ``A.I`` for pillar I of part A,
    so that "I.1" of part A and "I.1" of part B stay apart.  A label that already starts
    with its parent's (``I.1`` under ``I``) is not prefixed twice."""
    rows = {gid: (label or "", parent) for gid, label, parent in session.execute(
        select(Group.id, Group.label, Group.parent_id).where(Group.plan_id == plan_id))}
    paths: dict[int, str] = {}

    def path(gid: int, depth: int = 0) -> str:
        if gid in paths:
            return paths[gid]
        label, parent = rows[gid]
        label = label.strip().rstrip(".")
        result = label
        if parent is not None and parent in rows and depth < 10:
            above = path(parent, depth + 1)
            parent_label = rows[parent][0].strip().rstrip(".")
            if not label:
                result = above
            elif parent_label and label.startswith(parent_label + "."):  # "I.1" under "I" (under "A")
                result = above[: len(above) - len(parent_label)] + label
            elif above:
                result = f"{above}.{label}"
        paths[gid] = result
        return result

    for gid in rows:
        path(gid)
    return paths


def item_infos(session: Session, plan_id: int, kind: str | None = None) -> dict[int, ItemInfo]:
    """The plan's live items (in document order), with their group label and pillar.

    Their ``ref`` is unique within each appendix, as printed: the group's full label and
    the number within it; two items that would still read the same get their running
    number added ("I.1 (STT 13)")."""
    parent = aliased(Group)
    stmt = (
        select(Item, Group.label, Group.parent_id, parent.parent_id)
        .outerjoin(Group, Group.id == Item.group_id)
        .outerjoin(parent, parent.id == Group.parent_id)
        .where(Item.plan_id == plan_id)
        .order_by(Item.kind, Item.position)
    )
    if kind:
        stmt = stmt.where(Item.kind == kind)
    infos: dict[int, ItemInfo] = {}
    paths = group_paths(session, plan_id)
    for item, _label, parent_id, grandparent_id in session.execute(stmt):
        group_label = paths.get(item.group_id, "") if item.group_id is not None else ""
        pillar = grandparent_id or parent_id or item.group_id
        target_text = item.target_text or (item.content if item.target_source == "content" else "")
        infos[item.id] = ItemInfo(
            id=item.id, uuid=item.uuid, kind=item.kind, number=item.number, local_number=item.local_number,
            group_id=item.group_id, group_label=group_label or "", pillar_id=pillar, content=item.content,
            position=item.position, deadline_text=item.deadline_text, deadline_kind=item.deadline_kind,
            due_date=item.due_date, start_date=item.start_date, target_comparator=item.target_comparator,
            target_value=item.target_value, target_value_max=item.target_value_max, target_unit=item.target_unit,
            target_understood=item.target_understood, target_text=target_text, leader_id=item.leader_id,
            shown_target=display_target(item),
        )
    return _unique_refs(_sub_item_refs(infos))


_SUB_ITEM = re.compile(r"^([a-zđ])[).]?$")


def _sub_item_refs(infos: dict[int, ItemInfo]) -> dict[int, ItemInfo]:
    """Sub-items «a)», «b)» under item 1 of group I read «I.1.a», «I.1.b» (not «I.a)»: a second item's
    «a)» would read the same); *infos* are in document order."""
    from dataclasses import replace

    last: dict[tuple[str, int | None], ItemInfo] = {}
    for item_id, info in infos.items():
        key = (info.kind, info.group_id)
        match = _SUB_ITEM.match((info.local_number or info.number or "").strip().lower())
        if match is None:
            last[key] = info
        elif key in last:
            infos[item_id] = replace(info, ref_override=f"{last[key].ref}.{match.group(1)}")
    return infos


def _unique_refs(infos: dict[int, ItemInfo]) -> dict[int, ItemInfo]:
    from dataclasses import replace

    seen: dict[tuple[str, str], list[int]] = {}
    for info in infos.values():
        seen.setdefault((info.kind, info.ref), []).append(info.id)
    for (_kind, ref), ids in seen.items():
        if len(ids) < 2:
            continue
        for item_id in ids:
            info = infos[item_id]
            extra = f"STT {info.number}" if info.number and info.number != ref else f"mục {info.position}"
            infos[item_id] = replace(info, ref_override=f"{ref} ({extra})")
    return infos


@dataclass(frozen=True)
class UnitInfo:
    id: int
    uuid: str
    name: str
    short_name: str
    kind: str
    position: int

    @property
    def display(self) -> str:
        return self.name


def unit_infos(session: Session, ids: set[int] | list[int]) -> dict[int, UnitInfo]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    stmt = select(Unit.id, Unit.uuid, Unit.name, Unit.short_name, Unit.kind, Unit.position).where(Unit.id.in_(ids))
    return {row.id: UnitInfo(row.id, row.uuid, row.name, row.short_name, row.kind, row.position or 0)
            for row in session.execute(stmt)}


def unit_order(unit: UnitInfo) -> tuple[int, int, str]:
    """Departments first, villages last, then catalogue position and name."""
    return (1 if unit.kind == "village" else 0, unit.position, fold(unit.name))
