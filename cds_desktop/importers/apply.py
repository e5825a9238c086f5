"""Write a plan draft into the database, in the caller's session (one transaction).

A plan that is not there yet is created with :func:`load_draft`.  When the
same plan is already there (an explicitly chosen plan, or the same commune +
year + number — or, without a number, the same title) the draft is *merged*:
groups are matched by section and label path, items by kind + group +
number (fallback: the folded content); changed fields go through the services
(so the audit log records them), what is new is created, nothing is
duplicated and nothing is deleted.  Units are matched through the catalogue
(names and aliases); spellings the catalogue does not know yet are added as
aliases of the unit they were matched to.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.importers.build import path_label
from cds_desktop.models import COORDINATING, LEAD, SECTION_OF_KIND, Commune, Group, Item, Plan, Unit
from cds_desktop.services import assignments, catalog, items, plans
from cds_desktop.services.common import ServiceError, get
from cds_desktop.services.plan_draft import LoadResult, load_draft, resolve_unit
from cds_desktop.text import fold

log = logging.getLogger(__name__)

ITEM_TEXT_FIELDS = (
    "number", "local_number", "content", "target_text", "guiding_agency", "lead_text", "coordinating_text",
    "leader_text", "deadline_text", "basis", "note", "expected_result", "output_product",
)


@dataclass
class ApplyResult:
    plan: Plan
    plan_created: bool
    plan_updated: list[str] = field(default_factory=list)
    groups: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    items: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    items_not_in_file: int = 0
    units: list[dict[str, Any]] = field(default_factory=list)  # [{"name", "created"}]
    people: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


def find_plan(session: Session, draft: dict[str, Any], plan_uuid: str | None = None) -> Plan | None:
    """The plan *draft* describes, if the database already has it."""
    if plan_uuid:
        return get(session, Plan, plan_uuid)
    commune = draft.get("commune") or {}
    meta = draft.get("plan") or {}
    candidates = session.scalars(
        select(Plan).join(Commune).where(Plan.deleted_at.is_(None), Plan.year == meta.get("year"))
    )
    for plan in candidates:
        if fold(plan.commune.name) != fold(commune.get("name")) or plan.commune.kind != commune.get("kind", "xã"):
            continue
        if meta.get("number"):
            if plan.number == meta["number"]:
                return plan
        elif fold(plan.title) == fold(meta.get("title")):
            return plan
    return None


def _reconcile_units(session: Session, draft: dict[str, Any], warnings: list[dict]) -> dict[str, Any]:
    """Rename the draft's units to the catalogue's names where the catalogue knows them,
    and drop aliases that the catalogue gives to another unit."""
    draft = copy.deepcopy(draft)
    renamed: dict[str, str] = {}
    specs: dict[str, dict] = {}
    for spec in draft.get("units") or []:
        existing: Unit | None = None
        for spelling in [spec["name"], *spec.get("aliases", [])]:
            existing = catalog.find_unit(session, spelling)
            if existing is not None:
                break
        name = existing.name if existing is not None else spec["name"]
        renamed[spec["name"]] = name
        aliases = []
        for alias in [spec["name"], *spec.get("aliases", [])]:
            owner = catalog.find_unit(session, alias)
            if owner is not None and existing is not None and owner.id != existing.id:
                warnings.append({"table": None, "row": None, "message": (
                    f"Tên gọi «{alias}» đã thuộc đơn vị «{owner.name}» trong danh mục: không thêm cho «{name}».")})
                continue
            if fold(alias) != fold(name):
                aliases.append(alias)
        merged = specs.setdefault(name, {**spec, "name": name, "aliases": []})
        merged["aliases"] = list(dict.fromkeys(merged["aliases"] + aliases))
    draft["units"] = list(specs.values())
    for item in draft.get("items") or []:
        for role in ("lead", "coordinating"):
            item[role] = list(dict.fromkeys(renamed.get(n, n) for n in item.get(role) or []))
    for person in draft.get("people") or []:
        if person.get("unit"):
            person["unit"] = renamed.get(person["unit"], person["unit"])
    return draft


def apply_draft(session: Session, draft: dict[str, Any], *, plan_uuid: str | None = None) -> ApplyResult:
    """Create or merge the plan of *draft* in *session*; returns what was created, updated or unchanged."""
    warnings: list[dict] = []
    draft = _reconcile_units(session, draft, warnings)
    existing = find_plan(session, draft, plan_uuid)
    if existing is None:
        loaded = load_draft(session, draft)
        result = ApplyResult(plan=loaded.plan, plan_created=True, warnings=warnings)
        result.groups["created"] = len(draft.get("groups") or [])
        result.items["created"] = len(draft.get("items") or [])
    else:
        result = ApplyResult(plan=existing, plan_created=False, warnings=warnings)
        loaded = LoadResult(plan=existing)
        _merge(session, existing, draft, result, loaded)
    created = set(loaded.units_created)
    named = list(dict.fromkeys(n for i in draft.get("items") or [] for r in ("lead", "coordinating") for n in i[r]))
    result.units = [{"name": n, "created": n in created} for n in named]
    result.people = [{"name": p["name"], "title": p.get("title", ""), "phone": p.get("phone", ""),
                      "created": p["name"] in loaded.people_created} for p in draft.get("people") or []]
    session.flush()
    return result


def _merge(session: Session, plan: Plan, draft: dict[str, Any], result: ApplyResult, loaded: LoadResult) -> None:
    meta = dict(draft.get("plan") or {})
    meta.pop("year", None)
    issued = meta.get("issue_date")
    meta["issue_date"] = date.fromisoformat(issued) if isinstance(issued, str) and issued else issued or None
    fields = {k: v for k, v in meta.items() if k in plans.PLAN_FIELDS and v not in (None, "", [], {})}
    result.plan_updated = plans.update_plan(session, plan.uuid, **fields)

    unit_specs = {spec["name"]: spec for spec in draft.get("units") or []}
    for spec in unit_specs.values():
        unit = resolve_unit(session, spec["name"], loaded, spec)
        for alias in spec.get("aliases", []):
            try:
                catalog.add_alias(session, unit, alias)
            except ServiceError as exc:
                result.warnings.append({"table": None, "row": None, "message": str(exc)})
    people = {}
    for spec in draft.get("people") or []:
        person = catalog.find_person(session, spec["name"])
        if person is None:
            unit = catalog.find_unit(session, spec["unit"]) if spec.get("unit") else None
            person = catalog.create_person(session, spec["name"], title=spec.get("title", ""),
                                           phone=spec.get("phone", ""), unit_id=unit.id if unit else None)
            loaded.people_created.append(person.name)
        people[spec["name"]] = person

    groups = _merge_groups(session, plan, draft, result)
    _merge_items(session, plan, draft, groups, people, unit_specs, loaded, result)


def _group_path(group: Group, by_id: dict[int, Group]) -> tuple[str, ...]:
    path: list[str] = []
    node: Group | None = group
    while node is not None:
        path.insert(0, path_label(node.label, node.title))
        node = by_id.get(node.parent_id) if node.parent_id else None
    return (group.section, *path)


def _merge_groups(session: Session, plan: Plan, draft: dict, result: ApplyResult) -> dict[str, Group]:
    live = plans.live_groups(session, plan)
    by_id = {g.id: g for g in live}
    by_path = {_group_path(g, by_id): g for g in live}
    keyed: dict[str, Group] = {}
    paths: dict[str, tuple[str, ...]] = {}
    for spec in draft.get("groups") or []:
        parent = keyed.get(spec.get("parent") or "")
        step = path_label(spec.get("label", ""), spec.get("title", ""))
        path = (*(paths[spec["parent"]] if parent is not None else (spec["section"],)), step)
        paths[spec["key"]] = path
        group = by_path.get(path)
        if group is None:
            group = plans.create_group(session, plan, spec["section"], spec.get("label", ""), spec.get("title", ""),
                                       parent, note=spec.get("note", ""), declared_count=spec.get("declared_count"))
            result.groups["created"] += 1
        else:
            changed = plans.update_group(session, group.uuid, title=spec.get("title", ""), note=spec.get("note", ""),
                                         declared_count=spec.get("declared_count"))
            result.groups["updated" if changed else "unchanged"] += 1
        keyed[spec["key"]] = group
    return keyed


def _merge_items(session: Session, plan: Plan, draft: dict, groups: dict[str, Group], people: dict,
                 unit_specs: dict, loaded: LoadResult, result: ApplyResult) -> None:
    live = list(session.scalars(select(Item).where(Item.plan_id == plan.id, Item.deleted_at.is_(None))
                                .order_by(Item.position)))
    by_number: dict[tuple, Item] = {}
    by_content: dict[tuple, Item] = {}
    for item in live:
        if item.number or item.local_number:
            by_number.setdefault((item.kind, item.group_id, item.number, item.local_number), item)
        by_content.setdefault((item.kind, fold(item.content)), item)
    used: set[int] = set()
    for spec in draft.get("items") or []:
        kind = spec["kind"]
        group = groups.get(spec.get("group") or "")
        if group is not None and group.section != SECTION_OF_KIND[kind]:
            raise ServiceError(f"Mục {spec.get('number')} nằm sai phụ lục.")
        fields = {k: spec.get(k, "") for k in ITEM_TEXT_FIELDS}
        fields["leader_text"] = spec.get("leader_text") or spec.get("leader", "")
        fields["extra"] = spec.get("extra") or {}
        key = (kind, group.id if group else None, fields["number"], fields["local_number"])
        match = by_number.get(key) if (fields["number"] or fields["local_number"]) else None
        if match is None or match.id in used:
            match = by_content.get((kind, fold(fields["content"])))
        if match is not None and match.id in used:
            match = None
        lead = [resolve_unit(session, n, loaded, unit_specs.get(n)) for n in spec.get("lead") or []]
        coordinating = [resolve_unit(session, n, loaded, unit_specs.get(n)) for n in spec.get("coordinating") or []]
        leader = people.get(spec.get("leader") or "")
        if match is None:
            item = items.create_item(session, plan, kind, group, **fields)
            item.leader_id = leader.id if leader else None
            for unit in lead:
                assignments.assign(session, item, unit, LEAD)
            for unit in coordinating:
                assignments.assign(session, item, unit, COORDINATING)
            result.items["created"] += 1
            continue
        used.add(match.id)
        if (match.group_id or None) != (group.id if group else None):
            fields["group_uuid"] = group.uuid if group else None
        changed = items.update_item(session, match.uuid, **fields)
        if leader is not None and match.leader_id != leader.id:
            match.leader_id = leader.id
            changed.append("leader_id")
        before = {(a.unit_id, a.role) for a in assignments.live_assignments(match)}
        wanted = {(u.id, LEAD) for u in lead} | {(u.id, COORDINATING) for u in coordinating}
        if before != wanted:
            assignments.set_item_units(session, match, lead, coordinating)
            changed.append("assignments")
        result.items["updated" if changed else "unchanged"] += 1
    result.items_not_in_file = sum(1 for item in live if item.id not in used)
