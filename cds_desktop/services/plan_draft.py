"""Write a plan draft (the ``cds-plan-draft/1`` structure) into the database: the one
create-or-merge path, used by the demo and the benchmarks (:func:`load_draft`) and by
every import (``importers.apply``).

A draft is what the demo data file holds and what the importers produce: the
commune, the plan's metadata, units with aliases, people, the group tree and
the items with their unit names.  Writing runs inside the caller's session, so
it is one transaction.

A plan that is not there yet is created.  When the same plan is already there
(an explicitly chosen plan, or the same commune + year + number — or, without
a number, the same title) the draft is *merged*: groups are matched by section
and label path, items by kind + group + number (fallback: the folded content);
changed fields go through :func:`services.items.update_item` (so the audit log
records them), what is new is created, nothing is duplicated and nothing is
deleted.

New units, groups and items are built by the services' own constructors
(:class:`catalog.UnitCatalogue`, ``plans.create_group(flush=False)``,
:func:`items.create_item` with a position) in batch mode: no flush and no query
per row, one flush at the end, so a whole plan is written well under a second.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from cds_desktop.models import (
    COORDINATING,
    LEAD,
    SECTION_OF_KIND,
    Assignment,
    Commune,
    Group,
    Item,
    Person,
    Plan,
    Unit,
)
from cds_desktop.services import assignments, catalog, items, plans
from cds_desktop.services.columns import ITEM_TEXT_FIELDS, fields_of_columns
from cds_desktop.services.common import ServiceError, get
from cds_desktop.text import fold, nfc

log = logging.getLogger(__name__)

DRAFT_FORMAT = "cds-plan-draft/1"


@dataclass
class DraftResult:
    plan: Plan
    plan_created: bool
    plan_updated: list[str] = field(default_factory=list)
    groups: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    items: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    items_not_in_file: int = 0
    units: list[dict[str, Any]] = field(default_factory=list)  # [{"name", "created"}] of the units items name
    people: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)


def find_plan(session: Session, draft: dict[str, Any], plan_uuid: str | None = None,
              stated: set[str] | None = None) -> Plan | None:
    """The plan *draft* describes, if the database already has it: the same commune, year and number;
    without a number, the same title; a document stating neither number nor title (an appendix printed
    on its own) belongs to the commune's only plan of that year."""
    if plan_uuid:
        return get(session, Plan, plan_uuid)
    commune = draft.get("commune") or {}
    meta = draft.get("plan") or {}
    candidates = [
        plan for plan in session.scalars(
            select(Plan).join(Commune).where(Plan.year == meta.get("year")))
        if fold(plan.commune.name) == fold(commune.get("name")) and plan.commune.kind == commune.get("kind", "xã")
    ]
    for plan in candidates:
        if meta.get("number"):
            if plan.number == meta["number"]:
                return plan
        elif fold(plan.title) == fold(meta.get("title")):
            return plan
    if stated is not None and not {"number", "title"} & stated and not meta.get("number") and len(candidates) == 1:
        return candidates[0]
    return None


def catalogue_matches(session: Session, draft: dict[str, Any]) -> dict[str, str | None]:
    """For each unit of *draft*, the catalogue unit it will be matched to (None: to be created)."""
    catalogue = catalog.UnitCatalogue(session)
    out: dict[str, str | None] = {}
    for spec in draft.get("units") or []:
        unit = catalogue.find(spec["name"], *spec.get("aliases", []))
        out[spec["name"]] = unit.name if unit is not None else None
    return out


def load_draft(session: Session, draft: dict[str, Any]) -> DraftResult:
    """Create (or merge, when the database has it) the plan of a ``cds-plan-draft/1`` *draft*."""
    if draft.get("format") != DRAFT_FORMAT:
        raise ServiceError(f"Dữ liệu kế hoạch không đúng định dạng (cần {DRAFT_FORMAT}).")
    return write_draft(session, draft)


def write_draft(session: Session, draft: dict[str, Any], *, plan_uuid: str | None = None,
                stated: set[str] | None = None) -> DraftResult:
    """Create or merge the plan of *draft* in *session*; returns what was created, updated or unchanged.

    When merging, only the plan fields in *stated* (those the document states; default: the non-empty
    ones) are updated, appendices are merged per section and an issued plan never goes back to draft."""
    existing = find_plan(session, draft, plan_uuid, stated)
    if existing is None:
        spec = draft.get("commune") or {}
        commune = plans.get_or_create_commune(session, spec.get("name", ""), spec.get("kind", "xã"),
                                              spec.get("city", "Hà Nội"))
        meta = _plan_fields(draft, keep_empty=True)
        year = (draft.get("plan") or {}).get("year")
        if not year:
            raise ServiceError("Dữ liệu kế hoạch thiếu năm.")
        plan = plans.create_plan(session, commune, int(year), **meta)
        result = DraftResult(plan=plan, plan_created=True)
    else:
        result = DraftResult(plan=existing, plan_created=False)
        fields = _plan_fields(draft, keep_empty=False)
        if stated is not None:
            fields = {k: v for k, v in fields.items() if k in stated}
        if fields.get("status") == "draft" and existing.status == "issued":
            fields.pop("status")
        if "appendices" in fields:  # per section, what the document states replaces what was there
            merged = {k: dict(v) for k, v in (existing.appendices or {}).items()}
            for section, spec in fields["appendices"].items():
                kept = merged.setdefault(section, {})
                kept.update({k: v for k, v in spec.items()
                             if v not in (None, "", []) and not _same_as_printed(kept.get(k), v)})
            fields["appendices"] = merged
        result.plan_updated = plans.update_plan(session, existing.uuid, **fields)
    plan = result.plan
    catalogue = catalog.UnitCatalogue(session)
    units: dict[str, Unit] = {}
    for position, spec in enumerate(draft.get("units") or [], start=1):
        units[spec["name"]] = _ensure_unit(catalogue, spec, plan.commune, position)
    session.flush()  # new units get their ids (people and items refer to them)
    people = _people(session, draft, units, result)
    groups = _merge_groups(session, plan, draft, result)
    _merge_items(session, plan, draft, groups, people, units, catalogue, result)
    named = list(dict.fromkeys(n for i in draft.get("items") or [] for r in ("lead", "coordinating") for n in i[r]))
    result.units_created = list(catalogue.created)
    result.units = [{"name": units[n].name if n in units else n, "created": (units[n].name if n in units else n)
                     in catalogue.created} for n in named]
    result.people = [{"name": p["name"], "title": p.get("title", ""), "phone": p.get("phone", ""),
                      "created": p["name"] in result.people_created} for p in draft.get("people") or []]
    result.warnings += [{"table": None, "row": None, "message": m} for m in catalogue.warnings]
    session.flush()
    return result


def _same_as_printed(old: Any, new: Any) -> bool:
    """True when *new* is *old* as our own print shows it: titles in capitals, a two-level
    "STT/chi tiết" header drawn over both numbering columns (an appendix read back changes nothing)."""
    if isinstance(old, str) and isinstance(new, str):
        return fold(old) == fold(new)
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        def key(col: Any) -> tuple:
            if not isinstance(col, dict):
                return (col,)
            return (col.get("key"), "" if col.get("key") == "local_number" else fold(str(col.get("header") or "")))
        return [key(c) for c in old] == [key(c) for c in new]
    return False


def _ensure_unit(catalogue: catalog.UnitCatalogue, spec: dict[str, Any], commune: Commune, position: int) -> Unit:
    unit = catalogue.ensure(spec["name"], aliases=spec.get("aliases", []), short_name=spec.get("short_name", ""),
                            kind=spec.get("kind", "other"), note=spec.get("note", ""))
    if unit.commune_id is None and unit.kind != "city_agency":
        unit.commune_id = commune.id
    unit.position = unit.position or position
    return unit


def _plan_fields(draft: dict[str, Any], *, keep_empty: bool) -> dict[str, Any]:
    """The plan's fields from the draft; when merging, what the document leaves empty is not cleared."""
    meta = dict(draft.get("plan") or {})
    for key in ("issue_date", "tracking_start"):
        issued = meta.get(key)
        try:
            meta[key] = date.fromisoformat(issued) if isinstance(issued, str) and issued else issued or None
        except ValueError as exc:
            raise ServiceError(f"Ngày không hợp lệ trong dữ liệu kế hoạch: {issued}") from exc
    out = {}
    for key, value in meta.items():
        if key not in plans.PLAN_FIELDS or key == "year":
            continue
        if value in (None, "", [], {}) and not (keep_empty and (value is not None or key in ("issue_date", "report_day"))):
            continue
        out[key] = value
    return out


def _people(session: Session, draft: dict, units: dict[str, Unit], result: DraftResult) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for spec in draft.get("people") or []:
        person = catalog.find_person(session, spec["name"])
        if person is None:
            unit = units.get(spec.get("unit") or "")
            person = catalog.create_person(session, spec["name"], title=spec.get("title", ""),
                                           phone=spec.get("phone", ""), unit_id=unit.id if unit else None)
            result.people_created.append(person.name)
        people[spec["name"]] = person
    return people


def _group_path(group: Group, by_id: dict[int, Group]) -> tuple[str, ...]:
    path: list[str] = []
    node: Group | None = group
    while node is not None:
        path.insert(0, plans.path_label(node.label, node.title))
        node = by_id.get(node.parent_id) if node.parent_id else None
    return (group.section, *path)


def _merge_groups(session: Session, plan: Plan, draft: dict, result: DraftResult) -> dict[str, Group]:
    live = plans.live_groups(session, plan)
    by_id = {g.id: g for g in live}
    by_path = {_group_path(g, by_id): g for g in live}
    position = max((g.position for g in live), default=0)
    keyed: dict[str, Group] = {}
    paths: dict[str, tuple[str, ...]] = {}
    for spec in draft.get("groups") or []:
        parent = keyed.get(spec.get("parent") or "")
        step = plans.path_label(spec.get("label", ""), spec.get("title", ""))
        path = (*(paths[spec["parent"]] if parent is not None else (spec["section"],)), step)
        paths[spec["key"]] = path
        group = by_path.get(path)
        wanted = {"title": spec.get("title", ""), "note": spec.get("note", ""),
                  "declared_count": spec.get("declared_count")}
        if group is None:
            position += 1
            group = plans.create_group(session, plan, spec["section"], spec.get("label", ""), wanted.pop("title"),
                                       parent, flush=False, position=position, **wanted)
            result.groups["created"] += 1
        else:  # what the document does not say is kept
            wanted = {k: v for k, v in wanted.items() if v not in (None, "")}
            if wanted and any(getattr(group, k) != (nfc(v).strip() if isinstance(v, str) else v)
                              for k, v in wanted.items()):
                plans.update_group(session, group.uuid, **wanted)
                result.groups["updated"] += 1
            else:
                result.groups["unchanged"] += 1
        keyed[spec["key"]] = group
    return keyed


def _merge_items(session: Session, plan: Plan, draft: dict, groups: dict[str, Group], people: dict[str, Person],
                 units: dict[str, Unit], catalogue: catalog.UnitCatalogue, result: DraftResult) -> None:
    # tombstones: assignments asked for (restored, not duplicated), items kept live
    live = list(session.scalars(select(Item).where(Item.plan_id == plan.id, Item.deleted_at.is_(None))
                                .options(selectinload(Item.assignments)).order_by(Item.position)
                                .execution_options(include_deleted=True)))
    by_number: dict[tuple, Item] = {}
    by_content: dict[tuple, Item] = {}
    for item in live:
        if item.number or item.local_number:
            by_number.setdefault((item.kind, item.group_id, item.number, item.local_number), item)
        by_content.setdefault((item.kind, fold(item.content)), item)
    position = session.scalar(select(func.max(Item.position)).where(Item.plan_id == plan.id)
            .execution_options(include_deleted=True)) or 0
    used: set[int] = set()
    present: dict[str, set[str] | None] = {}  # per section, the item fields the document has columns for
    for section, appendix in ((draft.get("plan") or {}).get("appendices") or {}).items():
        keys = {c.get("key") for c in appendix.get("columns") or []}
        present[section] = fields_of_columns(keys) if keys else None

    def unit_of(name: str) -> Unit:
        unit = units.get(name) or catalogue.find(name)
        if unit is None:
            unit = _ensure_unit(catalogue, {"name": name}, plan.commune, 0)
            units[name] = unit
        return unit

    for spec in draft.get("items") or []:
        kind = spec["kind"]
        group = groups.get(spec.get("group") or "")
        if group is not None and group.section != SECTION_OF_KIND.get(kind):
            raise ServiceError(f"Mục {spec.get('number')} nằm sai phụ lục.")
        fields = {k: spec.get(k, "") for k in ITEM_TEXT_FIELDS}
        fields["leader_text"] = spec.get("leader_text") or spec.get("leader", "")
        fields["extra"] = spec.get("extra") or {}
        lead = list(dict.fromkeys(unit_of(n) for n in spec.get("lead") or []))
        coordinating = list(dict.fromkeys(unit_of(n) for n in spec.get("coordinating") or []))
        leader = people.get(spec.get("leader") or "")
        numbered = (fields["number"] or fields["local_number"]) and (group is None or group.id is not None)
        match = by_number.get((kind, group.id if group else None, fields["number"], fields["local_number"])) \
            if numbered else None
        if match is None or match.id in used:
            match = by_content.get((kind, fold(fields["content"])))
        if match is not None and match.id in used:
            match = None
        if match is None:
            position += 1
            item = items.create_item(session, plan, kind, group, position=position, **fields)
            item.leader_id = leader.id if leader else None
            slots = [(u, LEAD) for u in lead] + [(u, COORDINATING) for u in coordinating]
            for number, (unit, role) in enumerate(slots, start=1):
                session.add(Assignment(item=item, unit=unit, role=role, position=number))
            result.items["created"] += 1
            continue
        used.add(match.id)
        known = present.get(SECTION_OF_KIND.get(kind, ""))
        if known is not None:
            fields = {k: v for k, v in fields.items() if k in known}
            lead = lead if "lead_text" in known else None
            coordinating = coordinating if "coordinating_text" in known else None
        result.items["updated" if _update(session, match, group, fields, leader, lead, coordinating)
                     else "unchanged"] += 1
    result.items_not_in_file = sum(1 for item in live if item.id not in used)


def _update(session: Session, item: Item, group: Group | None, fields: dict, leader: Person | None,
            lead: list[Unit] | None, coordinating: list[Unit] | None) -> bool:
    """Bring an existing item in line with the document; True when anything changed.
    ``None`` for *lead* / *coordinating*: the document has no such column, keep the assignments."""
    changes = {k: v for k, v in fields.items()
               if getattr(item, k) != (nfc(v).strip() if isinstance(v, str) else v)}
    if (item.group_id or None) != (group.id if group else None):
        changes["group_uuid"] = group.uuid if group else None
    changed = bool(items.update_item(session, item.uuid, **changes)) or "group_uuid" in changes if changes else False
    if leader is not None and item.leader_id != leader.id:
        item.leader_id = leader.id
        changed = True
    live = assignments.live_assignments(item)
    if lead is None:
        lead = [a.unit for a in live if a.role == LEAD]
    if coordinating is None:
        coordinating = [a.unit for a in live if a.role == COORDINATING]
    before = {(a.unit_id, a.role) for a in live}
    wanted = {(u.id, LEAD) for u in lead} | {(u.id, COORDINATING) for u in coordinating}
    if before != wanted:
        session.flush()
        assignments.set_item_units(session, item, lead, coordinating)
        changed = True
    return changed
