"""Planning the merge of a verified package: what would be created, updated,
deleted, left alone, and where both sides changed (conflicts).  Read-only.

Records are matched by uuid, or — for tables with a natural key such as
(item, period, unit) of a progress report — by that key when two copies
created "the same" record independently.  Each match is decided with version
vectors (:mod:`.clocks`):

- theirs dominates mine → take theirs (an update, a deletion, a restore);
- mine dominates theirs, or they are equal → nothing (a stale package never
  brings a deleted record back: the deletion is a newer version);
- concurrent → a conflict, unless the contents are equal.  Delete versus edit
  is always a conflict, never silently resolved.

Two records matched by natural key end up with one identity on both sides:
the smaller uuid.  References inside the package to the other uuid are
translated (``aliases``).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from cds_desktop.exchange import clocks
from cds_desktop.exchange.decisions import Decision, ImportPlan, Lookup, decide, field_changes
from cds_desktop.exchange.errors import RejectedFile
from cds_desktop.exchange.package_read import VerifiedPackage
from cds_desktop.exchange.records import (
    LOCAL_SETTING_KEYS,
    TableSpec,
    describe,
    encode_value,
    local_rows,
    referenced_tables,
    table_specs,
    uuid_maps,
)

log = logging.getLogger(__name__)

_CHUNK = 500
SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def plan_import(conn: Connection, package: VerifiedPackage, installation: str, store_root: Path,
                resolutions: dict[str, str] | None = None) -> ImportPlan:
    """Decide every record of *package* against the database behind *conn* (no writes).

    *resolutions* (incoming uuid -> "mine" | "theirs" | "both") only matter for
    records matched by natural key: a resolved match takes one identity.
    """
    planner = Planner(conn, package, store_root, resolutions)
    for spec in table_specs():
        for records in package.table_records(spec.name, chunk=1 << 62):
            planner.table(spec, records)
    planner.check_evidence(planner.plan.decisions)
    log.info("Import plan for %s: %s, %d conflicts", package.display, planner.plan.counts,
             len(planner.plan.conflicts))
    return planner.plan


PREVIEW_LIMIT = 5000  # decisions a streamed import keeps for its result's list (besides every conflict)


class Planner:
    """Plans a package table by table, in parents-first order, a chunk of records at a time.

    :func:`plan_import` plans everything at once (a preview).  A streamed import plans a
    chunk, applies it and forgets it (``keep_all=False``): the plan then keeps every conflict
    and, for the result's list, the first decisions in the order the list shows them
    (by table name), ``PREVIEW_LIMIT`` at most.
    """

    def __init__(self, conn: Connection, package: VerifiedPackage, store_root: Path,
                 resolutions: dict[str, str] | None = None, *, keep_all: bool = True) -> None:
        self.conn = conn
        self.package = package
        self.store_root = store_root
        self.resolutions = resolutions or {}
        self.keep_all = keep_all
        self.plan = ImportPlan(package.package_uuid, package.display, package.source_installation,
                               package.source_commune, package.scope)
        self.referenced = referenced_tables()
        self.maps = uuid_maps(conn, self.referenced)
        self.known: dict[str, set[str]] = {name: set(ids.values()) for name, ids in self.maps.items()}
        self.lookup = Lookup(conn, package)
        self._state: _TableState | None = None
        self._shown: dict[str, list[Decision]] = {}  # streamed: per table, decisions kept for the list

    def table(self, spec: TableSpec, records: list[dict[str, Any]]) -> list[Decision]:
        """Plan *records* (all of table *spec*, or the next chunk of it); their decisions."""
        if spec.append_only:
            _plan_append_only(self.conn, spec, records, self.plan)
            return []
        if self._state is None or self._state.spec is not spec:
            self._state = _TableState(self.conn, spec, self.maps, self.plan.final)
        decisions = _plan_table(self.conn, spec, records, self.plan, self.maps, self.known, self.lookup,
                                self.resolutions, self.package.display, self._state, self.referenced)
        if self.keep_all:
            self.plan.decisions.extend(decisions)
        else:
            self._keep_for_list(spec, decisions)
        return decisions

    def _keep_for_list(self, spec: TableSpec, decisions: list[Decision]) -> None:
        shown = self._shown.setdefault(spec.name, [])
        for decision in decisions:
            if decision.action == "conflict":
                self.plan.decisions.append(decision)
            elif decision.action != "sync" and len(shown) < PREVIEW_LIMIT:
                shown.append(decision)
        total = 0
        for name in sorted(self._shown):  # the list shows tables by name: past the limit nothing is seen
            del self._shown[name][max(0, PREVIEW_LIMIT - total):]
            total += len(self._shown[name])

    def finish(self) -> ImportPlan:
        if not self.keep_all:
            self.plan.decisions += [d for name in sorted(self._shown) for d in self._shown[name]]
            self._shown.clear()
        return self.plan

    def check_evidence(self, decisions: list[Decision]) -> None:
        _check_evidence(self.conn, self.package, decisions, self.store_root)


class _TableState:
    """What planning one table needs across its chunks (read before any of it is written)."""

    def __init__(self, conn: Connection, spec: TableSpec, maps: dict[str, dict[int, str]],
                 final: dict[str, str]) -> None:
        self.spec = spec
        self.natural = _natural_index(conn, spec, maps, final)
        id_to_uuid = maps.get(spec.name) or {}
        if self.natural and not id_to_uuid:
            id_to_uuid = dict(conn.execute(select(spec.table.c.id, spec.table.c.uuid)).all())
        self.id_to_uuid = id_to_uuid
        self.pending: set[tuple] = set()  # natural keys of the package's records so far (each record comes once)


def _plan_append_only(conn: Connection, spec: TableSpec, records: list[dict[str, Any]], plan: ImportPlan) -> None:
    uuids = [r["uuid"] for r in records]
    existing: set[str] = set()
    for start in range(0, len(uuids), _CHUNK):
        chunk = uuids[start:start + _CHUNK]
        existing.update(conn.execute(select(spec.table.c.uuid).where(spec.table.c.uuid.in_(chunk))).scalars())
    plan.audit_new.extend(r for r in records if r["uuid"] not in existing)


def _local_by_uuid(conn: Connection, spec: TableSpec, uuids: list[str],
                   maps: dict[str, dict[int, str]]) -> dict[str, tuple[int, dict[str, Any]]]:
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for start in range(0, len(uuids), _CHUNK):
        chunk = uuids[start:start + _CHUNK]
        for row_id, record in local_rows(conn, spec, maps, where=spec.table.c.uuid.in_(chunk)):
            out[record["uuid"]] = (row_id, record)
    return out


def _natural_index(conn: Connection, spec: TableSpec, maps: dict[str, dict[int, str]],
                   final: dict[str, str]) -> dict[tuple, int]:
    """``{(key number, values...): local id}`` over every local row (tombstones included)."""
    if not spec.natural_keys:
        return {}
    index: dict[tuple, int] = {}
    columns = sorted({c for key in spec.natural_keys for c in key})
    table = spec.table
    for row in conn.execute(select(table.c.id, *[table.c[c] for c in columns])):
        values = dict(zip(["id", *columns], row, strict=True))
        for number, key in enumerate(spec.natural_keys):
            parts = []
            for column in key:
                value = values[column]
                if column in spec.fks and value is not None:
                    value = maps[spec.fks[column]].get(value)
                    value = final.get(value, value)
                parts.append(encode_value(value))
            index[(number, *parts)] = values["id"]
    return index


def _keys(spec: TableSpec, record: dict[str, Any]) -> list[tuple]:
    return [(number, *[encode_value(record.get(c)) for c in key]) for number, key in enumerate(spec.natural_keys)]


def translate(spec: TableSpec, record: dict[str, Any], final: dict[str, str]) -> dict[str, Any]:
    """*record* with its references (foreign keys, generic uuids) mapped to their identities after the import."""
    if not final or not (spec.fks or spec.generic):
        return record
    out = dict(record)
    for column in (*spec.fks, *spec.generic):
        value = out.get(column)
        if value in final:
            out[column] = final[value]
    return out


def _plan_table(conn: Connection, spec: TableSpec, records: list[dict[str, Any]], plan: ImportPlan,
                maps: dict[str, dict[int, str]], known: dict[str, set[str]], lookup: Lookup,
                resolutions: dict[str, str], display: str, state: _TableState,
                referenced: set[str]) -> list[Decision]:
    if spec.name == "settings":
        records = [r for r in records if r.get("key") not in LOCAL_SETTING_KEYS]
    local = _local_by_uuid(conn, spec, [r["uuid"] for r in records], maps)
    natural, id_to_uuid, pending = state.natural, state.id_to_uuid, state.pending
    stored = clocks.load_clocks(conn, [r["uuid"] for r in records])
    decisions: list[Decision] = []
    for raw in records:
        theirs = translate(spec, raw, plan.final)
        match = local.get(theirs["uuid"])
        is_natural = False
        clash = None
        for key in _keys(spec, theirs):
            if key in pending:  # another record of the package: uuids are unique (package_read)
                raise RejectedFile(display, f"hai bản ghi của bảng «{spec.label}» trùng khóa trong cùng một gói.")
            pending.add(key)
            local_id = natural.get(key)
            if local_id is None:
                continue
            if match is None:
                other_uuid = id_to_uuid.get(local_id)
                found = _local_by_uuid(conn, spec, [other_uuid], maps) if other_uuid else {}
                if other_uuid in found:
                    match, is_natural = found[other_uuid], True
                    stored.update(clocks.load_clocks(conn, [other_uuid]))
            elif local_id != match[0]:
                clash = local_id
        if match is not None:
            match = (match[0], translate(spec, match[1], plan.final))
        decision = decide(spec, theirs, match, is_natural, stored)
        if clash is not None and decision.action in ("update", "delete", "conflict"):
            decision.action, decision.kind, decision.choices = "conflict", "key_clash", ("mine",)
        if decision.action == "conflict":
            decision.label = describe(spec, decision.mine or theirs, lookup)
            decision.fields = field_changes(spec, decision.mine or {}, theirs, lookup)
        if decision.natural and decision.mine is not None:
            _merge_identity(plan, spec, decision, resolutions, known)
        if decision.action in ("create", "update", "delete", "conflict", "sync"):
            _check_refs(spec, theirs, known, display)
        if decision.action == "create":
            if spec.name in referenced:  # only references are checked against what is known
                known.setdefault(spec.name, set()).add(theirs["uuid"])
            decision.stale_clock = theirs["uuid"] in stored
        if decision.action != "unchanged":
            decisions.append(decision)
        _count(plan, decision)
    return decisions


def _merge_identity(plan: ImportPlan, spec: TableSpec, decision: Decision, resolutions: dict[str, str],
                    known: dict[str, set[str]]) -> None:
    """Two records matched by natural key: one identity (the smaller uuid) once the match is settled."""
    assert decision.mine is not None
    mine_uuid, theirs_uuid = decision.mine["uuid"], decision.theirs["uuid"]
    settled = decision.action != "conflict" or resolutions.get(theirs_uuid) in ("mine", "theirs")
    if not settled:
        plan.final[theirs_uuid] = mine_uuid
        return
    final = min(mine_uuid, theirs_uuid)
    plan.final[theirs_uuid] = plan.final[mine_uuid] = final
    if final != mine_uuid:
        plan.renames[mine_uuid] = final
    known.setdefault(spec.name, set()).add(final)


def _count(plan: ImportPlan, decision: Decision) -> None:
    action = decision.action
    if action in ("create", "update", "delete"):
        plan.counts[{"create": "created", "update": "updated", "delete": "deleted"}[action]] += 1
    elif action in ("unchanged", "sync"):
        plan.counts["unchanged"] += 1


def _check_refs(spec: TableSpec, record: dict[str, Any], known: dict[str, set[str]], display: str) -> None:
    for column, target in spec.fks.items():
        value = record.get(column)
        if value is not None and value not in known.get(target, set()):
            raise RejectedFile(display, f"bản ghi {record['uuid']} của bảng «{spec.label}» tham chiếu tới một "
                                        f"bản ghi không có trong gói lẫn trong dữ liệu ({column}).")


def _check_evidence(conn: Connection, package: VerifiedPackage, decisions: list[Decision], store_root: Path) -> None:
    """Every evidence that will be live after the import must have its file (in the package or the store)."""
    listed = package.evidence_listed  # (staged, or being staged: waited for before it is placed)
    for decision in decisions:
        if decision.spec.name != "evidence" or decision.action not in ("create", "update", "conflict"):
            continue
        record = decision.theirs
        sha = record["sha256"]
        if record["deleted_at"] is not None or sha in listed:
            continue
        if not isinstance(sha, str) or not SHA_RE.match(sha) or not (store_root / sha[:2] / sha[2:4] / sha).is_file():
            raise RejectedFile(package.display, f"thiếu tệp minh chứng «{record['original_name']}» "
                                                f"({str(sha)[:12]}…) trong gói.")
