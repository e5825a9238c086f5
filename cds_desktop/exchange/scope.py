"""Which records a package holds: everything, or a plan, a unit, a period (or their intersection).

A restricted scope is computed in three steps over integer ids, per table:

1. *down*: from the chosen plan / unit / period, the records they own, following
   ownership foreign keys downwards (a plan owns its groups, items, periods; an
   item its assignments and reports; a unit its aliases, reports and evidence);
   with several filters, the intersection of what each owns;
2. *evidence*: evidence links whose target is a chosen record, evidence of the
   period, and the audit entries of chosen records;
3. *up*: every record a chosen record points to (its item, plan, commune, unit,
   leader...), so that the receiver can place it, plus small companions (unit
   aliases, the commune's reporting calendar, item settings, period locks).

Tombstoned records are included: deletions travel.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from cds_desktop.exchange.errors import ExchangeError
from cds_desktop.exchange.records import TableSpec, spec_by_name, table_specs
from cds_desktop.services.common import NotFoundError

log = logging.getLogger(__name__)

NON_OWNING = {
    ("items", "leader_id"), ("items", "group_id"), ("groups", "parent_id"), ("plans", "commune_id"),
    ("units", "commune_id"), ("reporting_calendars", "commune_id"), ("assignments", "leader_id"),
    ("assignments", "specialist_id"), ("assignments", "co_specialist_id"),
}
COMPANIONS = {
    ("unit_aliases", "unit_id"), ("reporting_calendars", "commune_id"), ("item_tracking", "item_id"),
    ("period_locks", "period_id"),
}
_CHUNK = 500


@dataclass(frozen=True)
class Scope:
    """What to export; all None means the whole database."""

    plan_uuid: str | None = None
    unit_uuid: str | None = None
    period_code: str | None = None

    @property
    def kind(self) -> str:
        chosen = [k for k, v in (("plan", self.plan_uuid), ("unit", self.unit_uuid), ("period", self.period_code)) if v]
        if not chosen:
            return "all"
        return chosen[0] if len(chosen) == 1 else "+".join(chosen)

    @property
    def is_all(self) -> bool:
        return self.kind == "all"


Selection = dict[str, set[int]]


def _ids_where(conn: Connection, spec: TableSpec, column: str, values: Iterable[int]) -> set[int]:
    values = list(values)
    out: set[int] = set()
    col = spec.table.c[column]
    for start in range(0, len(values), _CHUNK):
        chunk = values[start:start + _CHUNK]
        out.update(conn.execute(select(spec.table.c.id).where(col.in_(chunk))).scalars())
    return out


def _down(conn: Connection, seeds: Selection) -> Selection:
    chosen: Selection = {name: set(ids) for name, ids in seeds.items()}
    for spec in table_specs():
        found = set(chosen.get(spec.name, set()))
        for column, target in spec.fks.items():
            if (spec.name, column) in NON_OWNING or target == spec.name:
                continue
            parents = chosen.get(target)
            if parents:
                found |= _ids_where(conn, spec, column, parents)
        if found:
            chosen[spec.name] = found
    return chosen


def _seed(conn: Connection, table: str, column: str, value: str) -> set[int]:
    spec = spec_by_name()[table]
    ids = set(conn.execute(select(spec.table.c.id).where(spec.table.c[column] == value)).scalars())
    if not ids:
        what = {"plans": "kế hoạch", "units": "đơn vị", "reporting_periods": "kỳ báo cáo"}[table]
        raise NotFoundError(f"Không tìm thấy {what} «{value}» để xuất dữ liệu.")
    return ids


def _uuids(conn: Connection, selection: Selection) -> set[str]:
    specs = spec_by_name()
    out: set[str] = set()
    for name, ids in selection.items():
        spec = specs[name]
        id_list = list(ids)
        for start in range(0, len(id_list), _CHUNK):
            chunk = id_list[start:start + _CHUNK]
            out.update(conn.execute(select(spec.table.c.uuid).where(spec.table.c.id.in_(chunk))).scalars())
    return out


def _by_uuid_column(conn: Connection, spec: TableSpec, column: str, uuids: set[str]) -> set[int]:
    values = list(uuids)
    out: set[int] = set()
    col = spec.table.c[column]
    for start in range(0, len(values), _CHUNK):
        out.update(conn.execute(select(spec.table.c.id).where(col.in_(values[start:start + _CHUNK]))).scalars())
    return out


def _up(conn: Connection, chosen: Selection) -> None:
    specs = table_specs()
    changed = True
    while changed:
        changed = False
        for spec in reversed(specs):
            ids = chosen.get(spec.name)
            if not ids:
                continue
            for column, target in spec.fks.items():
                id_list = list(ids)
                refs: set[int] = set()
                col = spec.table.c[column]
                for start in range(0, len(id_list), _CHUNK):
                    chunk = id_list[start:start + _CHUNK]
                    refs.update(v for v in conn.execute(
                        select(col).where(spec.table.c.id.in_(chunk), col.is_not(None))).scalars())
                new = refs - chosen.get(target, set())
                if new:
                    chosen.setdefault(target, set()).update(new)
                    changed = True


def select_records(conn: Connection, scope: Scope) -> Selection | None:
    """Ids per table of the records in *scope*; None for the whole database."""
    if scope.is_all:
        return None
    owned: list[Selection] = []
    if scope.plan_uuid:
        owned.append(_down(conn, {"plans": _seed(conn, "plans", "uuid", scope.plan_uuid)}))
    if scope.unit_uuid:
        owned.append(_down(conn, {"units": _seed(conn, "units", "uuid", scope.unit_uuid)}))
    if scope.period_code:
        periods = _seed(conn, "reporting_periods", "code", scope.period_code)
        selection = _down(conn, {"reporting_periods": periods})
        evidence = spec_by_name()["evidence"]
        period_evidence = set(conn.execute(
            select(evidence.table.c.id).where(evidence.table.c.period == scope.period_code)).scalars())
        if period_evidence:
            selection = _merge(selection, _down(conn, {"evidence": period_evidence}))
        owned.append(selection)
    chosen = owned[0]
    for other in owned[1:]:
        chosen = {name: ids & other.get(name, set()) for name, ids in chosen.items()}
        chosen = {name: ids for name, ids in chosen.items() if ids}
    if not any(chosen.values()):
        raise ExchangeError("Phạm vi đã chọn không có dữ liệu nào để xuất.")
    specs = spec_by_name()
    selected_uuids = _uuids(conn, chosen)
    links = _by_uuid_column(conn, specs["evidence_links"], "target_uuid", selected_uuids)
    if links:
        chosen.setdefault("evidence_links", set()).update(links)
    _up(conn, chosen)
    for table, column in COMPANIONS:
        parents = chosen.get(specs[table].fks[column])
        if parents:
            found = _ids_where(conn, specs[table], column, parents)
            if found:
                chosen.setdefault(table, set()).update(found)
    _up(conn, chosen)
    chosen.pop("audit_log", None)
    audit = _by_uuid_column(conn, specs["audit_log"], "entity_uuid", _uuids(conn, chosen))
    if audit:
        chosen["audit_log"] = audit
    chosen.pop("settings", None)  # settings belong to the whole database
    log.info("Scope %s: %s", scope, {k: len(v) for k, v in chosen.items()})
    return chosen


def _merge(a: Selection, b: Selection) -> Selection:
    out = {name: set(ids) for name, ids in a.items()}
    for name, ids in b.items():
        out.setdefault(name, set()).update(ids)
    return out
