"""Plans, the commune, and the group tree: create, edit, reorder, delete, restore."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cds_desktop.models import SECTION_INDICATORS, SECTION_TASKS, Commune, Group, Item, Plan
from cds_desktop.models.plan import PLAN_STATUSES
from cds_desktop.services.common import ServiceError, apply_fields, get, restore, tombstone
from cds_desktop.services.items import apply_parsers
from cds_desktop.text import fold, nfc

PLAN_FIELDS = {
    "year", "kind", "number", "issue_date", "place", "title", "authority", "position", "signer",
    "recipients", "status", "contacts", "report_day", "appendices", "tracking_start",
}
GROUP_FIELDS = {"label", "title", "note", "position", "declared_count"}
COMMUNE_KINDS = ("xã", "phường")


def get_or_create_commune(session: Session, name: str, kind: str = "xã", city: str = "Hà Nội") -> Commune:
    name = nfc(name).strip()
    if not name:
        raise ServiceError("Tên xã/phường không được để trống.")
    if kind not in COMMUNE_KINDS:
        raise ServiceError(f"Loại đơn vị hành chính không hợp lệ: {kind} (chỉ «xã» hoặc «phường»).")
    for commune in session.scalars(select(Commune)):
        if fold(commune.name) == fold(name) and commune.kind == kind:
            return commune
    commune = Commune(name=name, kind=kind, city=nfc(city).strip() or "Hà Nội")
    session.add(commune)
    session.flush()
    return commune


def list_plans(session: Session, include_deleted: bool = False) -> list[Plan]:
    stmt = select(Plan).order_by(Plan.year.desc(), Plan.created_at)
    if include_deleted:
        stmt = stmt.execution_options(include_deleted=True)
    return list(session.scalars(stmt))


def create_plan(session: Session, commune: Commune, year: int, **fields: Any) -> Plan:
    if not 2000 <= int(year) <= 2100:
        raise ServiceError(f"Năm kế hoạch không hợp lệ: {year}")
    plan = Plan(commune=commune, year=int(year), recipients=[], contacts=[], appendices={})
    apply_fields(plan, fields, PLAN_FIELDS)
    _check_plan(plan)
    session.add(plan)
    session.flush()
    return plan


def _check_plan(plan: Plan) -> None:
    if plan.status not in PLAN_STATUSES:
        raise ServiceError(f"Trạng thái kế hoạch không hợp lệ: {plan.status}")
    if plan.report_day is not None and not 1 <= int(plan.report_day) <= 31:
        raise ServiceError(f"Ngày báo cáo hằng tháng không hợp lệ: {plan.report_day}")


def update_plan(session: Session, uuid: str, **fields: Any) -> list[str]:
    plan = get(session, Plan, uuid)
    changed = apply_fields(plan, fields, PLAN_FIELDS)
    _check_plan(plan)
    if "year" in changed:  # deadlines such as "Hàng năm" depend on the plan's year
        for item in plan.items:
            apply_parsers(item, plan.year)
    session.flush()
    return changed


def delete_plan(session: Session, uuid: str) -> None:
    tombstone(get(session, Plan, uuid))
    session.flush()


def restore_plan(session: Session, uuid: str) -> None:
    restore(get(session, Plan, uuid, include_deleted=True))
    session.flush()


def live_groups(session: Session, plan: Plan, section: str | None = None) -> list[Group]:
    stmt = select(Group).where(Group.plan_id == plan.id).order_by(Group.position)
    if section:
        stmt = stmt.where(Group.section == section)
    return list(session.scalars(stmt))


def create_group(
    session: Session, plan: Plan, section: str, label: str, title: str, parent: Group | None = None,
    *, flush: bool = True, **fields: Any
) -> Group:
    """A new group of *plan*; with ``flush=False`` (writing a whole plan at once) the caller
    gives the position and flushes."""
    if section not in (SECTION_INDICATORS, SECTION_TASKS):
        raise ServiceError(f"Phụ lục không hợp lệ: {section}")
    if parent is not None and (parent.plan is not plan or parent.section != section):
        raise ServiceError("Nhóm cha phải thuộc cùng kế hoạch và cùng phụ lục.")
    if "position" not in fields:
        fields["position"] = (
            session.scalar(select(func.max(Group.position)).where(Group.plan_id == plan.id)
                    .execution_options(include_deleted=True)) or 0
        ) + 1
    group = Group(plan=plan, section=section, parent=parent)
    apply_fields(group, {"label": label, "title": title, **fields}, GROUP_FIELDS)
    session.add(group)
    if flush:
        session.flush()
    return group


def path_label(label: str, title: str) -> str:
    """A group's step in its key path: its label, or its folded title when it has none."""
    return label or "~" + fold(title)[:40]


def update_group(session: Session, uuid: str, **fields: Any) -> list[str]:
    group = get(session, Group, uuid)
    changed = apply_fields(group, fields, GROUP_FIELDS)
    session.flush()
    return changed


def move_group(session: Session, uuid: str, offset: int) -> bool:
    """Swap a group with its previous (-1) or next (+1) sibling in document order."""
    group = get(session, Group, uuid)
    siblings = [
        g for g in live_groups(session, group.plan, group.section) if g.parent_id == group.parent_id
    ]
    index = siblings.index(group)
    if not 0 <= index + offset < len(siblings):
        return False
    other = siblings[index + offset]
    group.position, other.position = other.position, group.position
    session.flush()
    return True


def delete_group(session: Session, uuid: str) -> None:
    """Tombstone a group; refused while it still holds live items or subgroups."""
    group = get(session, Group, uuid)
    has_items = session.scalar(
        select(func.count(Item.id)).where(Item.group_id == group.id)
    )
    has_children = session.scalar(
        select(func.count(Group.id)).where(Group.parent_id == group.id)
    )
    if has_items or has_children:
        raise ServiceError(
            f"Nhóm «{group.display}» còn {has_items} mục và {has_children} nhóm con: hãy chuyển hoặc xóa chúng trước."
        )
    tombstone(group)
    session.flush()


def restore_group(session: Session, uuid: str) -> None:
    restore(get(session, Group, uuid, include_deleted=True))
    session.flush()
