"""Write a plan draft (the ``cds-plan-draft/1`` structure) into the database.

A draft is what the demo data file holds and what the importers produce: the
commune, the plan's metadata, units with aliases, people, the group tree and
the items with their unit names.  Loading runs inside the caller's session,
so it is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from cds_desktop.models import COORDINATING, LEAD, SECTION_OF_KIND, Group, Plan, Unit
from cds_desktop.services import assignments, catalog, items, plans
from cds_desktop.services.common import ServiceError

DRAFT_FORMAT = "cds-plan-draft/1"


@dataclass
class LoadResult:
    plan: Plan
    units_created: list[str] = field(default_factory=list)
    units_matched: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)
    resolved: dict[str, Unit] = field(default_factory=dict, repr=False)  # unit name → unit, this load


def _parse_date(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ServiceError(f"Ngày không hợp lệ trong dữ liệu kế hoạch: {value}") from exc


def resolve_unit(session: Session, name: str, result: LoadResult, spec: dict | None = None) -> Unit:
    cached = result.resolved.get(name)
    if cached is not None:
        return cached
    unit = _resolve_unit(session, name, result, spec)
    result.resolved[name] = unit
    return unit


def _resolve_unit(session: Session, name: str, result: LoadResult, spec: dict | None) -> Unit:
    unit = catalog.find_unit(session, name)
    if unit is not None:
        if unit.name not in result.units_matched and unit.name not in result.units_created:
            result.units_matched.append(unit.name)
        return unit
    spec = spec or {}
    unit = catalog.create_unit(
        session, name, short_name=spec.get("short_name", ""), kind=spec.get("kind", "other"),
        aliases=spec.get("aliases", []), note=spec.get("note", ""),
    )
    result.units_created.append(unit.name)
    return unit


def load_draft(session: Session, draft: dict[str, Any]) -> LoadResult:
    """Create a new plan from *draft*; returns the plan and what was matched or created."""
    if draft.get("format") != DRAFT_FORMAT:
        raise ServiceError(f"Dữ liệu kế hoạch không đúng định dạng (cần {DRAFT_FORMAT}).")
    commune_spec = draft.get("commune") or {}
    commune = plans.get_or_create_commune(
        session, commune_spec.get("name", ""), commune_spec.get("kind", "xã"), commune_spec.get("city", "Hà Nội")
    )
    meta = dict(draft.get("plan") or {})
    year = meta.pop("year", None)
    if not year:
        raise ServiceError("Dữ liệu kế hoạch thiếu năm.")
    meta["issue_date"] = _parse_date(meta.get("issue_date"))
    plan_fields = {k: v for k, v in meta.items() if k in plans.PLAN_FIELDS}
    plan = plans.create_plan(session, commune, int(year), **plan_fields)
    result = LoadResult(plan=plan)

    unit_specs = {}
    for position, spec in enumerate(draft.get("units") or [], start=1):
        unit_specs[spec["name"]] = spec
        unit = resolve_unit(session, spec["name"], result, spec)
        for alias in spec.get("aliases", []):
            catalog.add_alias(session, unit, alias)
        if unit.commune_id is None and spec.get("kind") not in ("city_agency",):
            unit.commune_id = commune.id
        unit.position = unit.position or position

    people = {}
    for spec in draft.get("people") or []:
        person = catalog.find_person(session, spec["name"])
        if person is None:
            unit = resolve_unit(session, spec["unit"], result) if spec.get("unit") else None
            person = catalog.create_person(
                session, spec["name"], title=spec.get("title", ""), phone=spec.get("phone", ""),
                unit_id=unit.id if unit else None,
            )
            result.people_created.append(person.name)
        people[spec["name"]] = person

    groups: dict[str, Group] = {}
    for spec in draft.get("groups") or []:
        parent = groups.get(spec["parent"]) if spec.get("parent") else None
        groups[spec["key"]] = plans.create_group(
            session, plan, spec["section"], spec.get("label", ""), spec.get("title", ""), parent,
            note=spec.get("note", ""), declared_count=spec.get("declared_count"),
        )

    for position, spec in enumerate(draft.get("items") or [], start=1):
        kind = spec["kind"]
        group = groups.get(spec.get("group") or "")
        if group is not None and group.section != SECTION_OF_KIND[kind]:
            raise ServiceError(f"Mục {spec.get('number')} nằm sai phụ lục.")
        fields = {k: spec.get(k, "") for k in (
            "number", "local_number", "content", "target_text", "guiding_agency", "lead_text",
            "coordinating_text", "leader_text", "deadline_text", "basis", "note", "expected_result",
            "output_product",
        )}
        fields["leader_text"] = spec.get("leader_text") or spec.get("leader", "")
        fields["extra"] = spec.get("extra") or {}
        fields["position"] = position
        item = items.create_item(session, plan, kind, group, **fields)
        if spec.get("leader") and spec["leader"] in people:
            item.leader_id = people[spec["leader"]].id
        for role, key in ((LEAD, "lead"), (COORDINATING, "coordinating")):
            for name in spec.get(key) or []:
                unit = resolve_unit(session, name, result, unit_specs.get(name))
                assignments.assign(session, item, unit, role)
    session.flush()
    return result
