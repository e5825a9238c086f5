"""Applying an import plan in one transaction.

Records are written with Core statements that keep the *source's* bookkeeping
(``version``, ``changed_by``, ``updated_at``) so that two copies converge; the
session's audit hook does not see these writes, so the audit entries are
written here, with source ``import:<file name>``: one per changed field of an
updated, deleted or restored record, one per conflict resolution, and one per
table for the records received new (their own history — the sender's audit
entries — travels in the package and is added to the log).  A conflict is
applied only when the officer chose: keep mine, take theirs, or keep both; the
record then gets ``max(mine, theirs) + 1`` and a vector that dominates both,
so the other copy takes the result without a new conflict.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, timezone
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from cds_desktop.exchange import clocks
from cds_desktop.exchange.decisions import CHOICE_LABELS, Decision, ImportPlan
from cds_desktop.exchange.records import (
    BOOKKEEPING,
    TableSpec,
    encode_value,
    referenced_tables,
    spec_by_name,
    table_specs,
)
from cds_desktop.models import AuditEntry, EvidenceLink, new_uuid, utcnow
from cds_desktop.models.base import UTCDateTime
from cds_desktop.models.exchange import ExchangeClock

log = logging.getLogger(__name__)

_CHUNK = 500
_BATCH = 5000


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def insert_rows(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """``INSERT`` many rows (all with the same keys) in batches (see :func:`insert_tuples`)."""
    if not rows:
        return
    columns = list(rows[0])
    getter = itemgetter(*columns)
    if len(columns) == 1:
        insert_tuples(conn, table, columns, [(getter(r),) for r in rows])
        return
    for start in range(0, len(rows), _BATCH):
        insert_tuples(conn, table, columns, [getter(r) for r in rows[start:start + _BATCH]])


def insert_tuples(conn: Connection, table: Any, columns: list[str], rows: list[tuple]) -> None:
    """``INSERT`` many rows given as tuples of *columns*' values, in batches.

    On DB-API drivers with positional ``?`` parameters (SQLite) the rows go straight
    to ``executemany`` through each column's own bind processor: the same values
    SQLAlchemy would send, at a fraction of the per-row cost.  Elsewhere: Core.
    """
    if not rows:
        return
    dialect = conn.dialect
    try:
        processors = [_bind_processor(table.c[c].type, dialect) for c in columns]
    except AttributeError:  # a SQLAlchemy without the cache: the ordinary path
        processors = None
    if dialect.paramstyle != "qmark" or processors is None:
        for start in range(0, len(rows), _BATCH):
            conn.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in rows[start:start + _BATCH]])
        return
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    convert = [(i, p) for i, p in enumerate(processors) if p is not None]
    for start in range(0, len(rows), _BATCH):
        batch = rows[start:start + _BATCH]
        if convert:
            converted = []
            for row in batch:
                values = list(row)
                for i, process in convert:
                    values[i] = process(values[i])
                converted.append(tuple(values))
            batch = converted
        conn.exec_driver_sql(sql, batch)


def _bind_processor(kind: Any, dialect: Any) -> Any:
    """The column type's bind processor; for the app's UTC timestamps on SQLite, an equivalent
    that formats an aware UTC value in one call (several per record of a city package), used
    only when it gives the very text SQLAlchemy's own processor gives for a few probes."""
    process = kind._cached_bind_processor(dialect)
    if process is None or dialect.name != "sqlite" or not isinstance(kind, UTCDateTime):
        return process
    key = (type(kind), id(process))
    fast = _FAST.get(key)
    if fast is None:
        probes = [None, datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC),
                  datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), datetime(2026, 6, 30, 23, 0),
                  datetime(2026, 6, 30, 23, 0, 0, 10, tzinfo=timezone(timedelta(hours=7)))]

        def utc_text(value: Any) -> Any:
            if value is not None and value.tzinfo is UTC:
                return value.isoformat(" ", "microseconds")[:26]  # YYYY-MM-DD HH:MM:SS.ffffff
            return process(value)

        fast = _FAST[key] = utc_text if all(utc_text(p) == process(p) for p in probes) else process
    return fast


_FAST: dict[tuple[type, int], Any] = {}


class Executor:
    """Writes one plan; ``run()`` is called inside the import's transaction."""

    def __init__(self, conn: Connection, plan: ImportPlan, installation: str, resolutions: dict[str, str],
                 source: str, reason: str) -> None:
        self.conn = conn
        self.plan = plan
        self.me = installation
        self.resolutions = resolutions
        self.source = source
        self.reason = reason
        self.now = utcnow()
        self.ids: dict[str, dict[str, int]] = {}
        specs = spec_by_name()
        for name in referenced_tables():
            table = specs[name].table
            self.ids[name] = {u: i for i, u in conn.execute(select(table.c.id, table.c.uuid))}
        self.audit: list[dict[str, Any]] = []
        self.clock_rows: dict[str, tuple[str, clocks.Vector, int] | None] = {}
        self.new_clocks: list[tuple[str, str, clocks.Vector, int]] = []  # of records received new: written per chunk
        self.received: dict[str, int] = {}  # table -> records received new (the summary entry)
        self.self_refs: dict[str, list[tuple[str, dict[str, str | None]]]] = {}  # set at end_table
        self.applied: dict[str, int] = dict.fromkeys(("created", "updated", "deleted", "resolved", "skipped"), 0)

    # -- helpers ----------------------------------------------------------------
    def _audit(self, spec: TableSpec, uuid: str, action: str, field: str = "", old: Any = None,
               new: Any = None, reason: str = "") -> None:
        self.audit.append({
            "uuid": new_uuid(), "created_at": self.now, "updated_at": self.now, "changed_by": self.me, "version": 1,
            "deleted_at": None, "entity": spec.name, "entity_uuid": uuid, "action": action, "field": field,
            "old_value": _text(old), "new_value": _text(new), "at": self.now, "source": self.source[:200],
            "installation": self.me, "reason": reason or self.reason,
        })
        if len(self.audit) >= _BATCH:
            self._flush_audit()

    def _flush_audit(self) -> None:
        if self.audit:
            insert_rows(self.conn, AuditEntry.__table__, self.audit)
            self.audit = []

    def _clock(self, spec: TableSpec, uuid: str, vector: clocks.Vector, version: int) -> None:
        self.clock_rows[uuid] = (spec.name, vector, version) if clocks.needs_row(vector, version, self.me) else None

    def _clock_created(self, spec: TableSpec, decision: Decision) -> None:
        """The clock row of a record received new, when its vector needs one: written with the chunk
        (no row of that uuid can exist), or at the end in place of an old row of the same uuid (a
        record purged here, ``stale_clock``), which is deleted even when no new row is needed."""
        uuid, version = decision.theirs["uuid"], decision.theirs["version"]
        needed = clocks.needs_row(decision.vector_theirs, version, self.me)
        if decision.stale_clock:
            self.clock_rows[uuid] = (spec.name, decision.vector_theirs, version) if needed else None
        elif needed:
            self.new_clocks.append((uuid, spec.name, decision.vector_theirs, version))

    def _flush_new_clocks(self) -> None:
        if self.new_clocks:
            insert_tuples(self.conn, ExchangeClock.__table__, ["record_uuid", "table_name", "vector", "version_at"],
                          self.new_clocks)
            self.new_clocks = []

    def _register(self, spec: TableSpec, uuid: str, row_id: int) -> None:
        if spec.name in self.ids:
            self.ids[spec.name][uuid] = row_id

    # -- per table ----------------------------------------------------------------
    def run(self) -> dict[str, int]:
        by_table: dict[str, list[Decision]] = defaultdict(list)
        for decision in self.plan.decisions:
            by_table[decision.spec.name].append(decision)
        for spec in table_specs():
            if spec.append_only:
                continue
            decisions = by_table.get(spec.name)
            if decisions:
                self.table(spec, decisions)
                self.end_table(spec)
        return self.finish()

    def finish(self) -> dict[str, int]:
        """After the last table: generic references, the package's audit entries, clocks."""
        self._rewrite_generic()
        if self.plan.audit_new:
            self.add_audit_entries(self.plan.audit_new)
        self._flush_audit()
        self._write_clocks()
        return self.applied

    def add_audit_entries(self, records: list[dict[str, Any]]) -> None:
        """The sender's audit entries this database does not have yet (appended as they are)."""
        table = AuditEntry.__table__
        columns = [c.name for c in table.columns if c.name != "id"]
        insert_tuples(self.conn, table, columns, [tuple(r.get(c) for c in columns) for r in records])

    def table(self, spec: TableSpec, decisions: list[Decision]) -> None:
        """Apply the decisions of one table (all of them, or the next chunk: then ``end_table``)."""
        creates: list[dict[str, Any]] = []
        updates: list[tuple[int, dict[str, Any]]] = []
        for decision in decisions:
            theirs = decision.theirs
            action = decision.action
            if action == "create":
                creates.append(theirs)
                self._clock_created(spec, decision)
                self.applied["created"] += 1
                self.received[spec.name] = self.received.get(spec.name, 0) + 1
                continue
            assert decision.local_id is not None and decision.mine is not None
            final = decision.final_uuid if decision.mine["uuid"] in self.plan.renames else decision.mine["uuid"]
            self._register(spec, final, decision.local_id)
            self._register(spec, theirs["uuid"], decision.local_id)
            if final != decision.mine["uuid"]:
                self._audit(spec, final, "update", "uuid", decision.mine["uuid"], final,
                            "Hợp nhất hai bản ghi trùng khóa khi nhập gói")
            if action in ("update", "delete"):
                updates.append((decision.local_id, self._take_theirs(spec, decision, final)))
            elif action == "sync":
                updates.append((decision.local_id, self._sync(spec, decision, final)))
            elif action == "conflict":
                choice = self.resolutions.get(theirs["uuid"])
                if choice not in decision.choices:
                    self.applied["skipped"] += 1
                    continue
                updates.append((decision.local_id, self._resolve(spec, decision, final, choice)))
                if choice == "both":
                    creates.append(self._copy(spec, theirs))
        self._insert(spec, creates)
        self._update(spec, updates)
        self._flush_new_clocks()

    def end_table(self, spec: TableSpec) -> None:
        """After the last chunk of a table: references to its own records, the summary entry."""
        fixes = self.self_refs.pop(spec.name, [])
        if fixes:
            ids = self.ids[spec.name]
            self._update(spec, [(ids[uuid], {c: ids[v] if v else None for c, v in refs.items()})
                                for uuid, refs in fixes], translate_fks=False)
        received = self.received.pop(spec.name, 0)
        if received:  # one entry per table: each record's own history (audit log) travels with it
            self._audit(spec, self.plan.package_uuid, "create", "", None, f"{received} bản ghi",
                        f"{self.reason}: thêm {received} bản ghi «{spec.label}»")

    def _take_theirs(self, spec: TableSpec, decision: Decision, final: str) -> dict[str, Any]:
        theirs, mine = decision.theirs, decision.mine or {}
        self._log_changes(spec, final, mine, theirs)
        values = {c: theirs[c] for c in spec.columns}
        values["uuid"] = final
        self._clock(spec, final, decision.vector_theirs, theirs["version"])
        self.applied["deleted" if decision.action == "delete" else "updated"] += 1
        return values

    def _sync(self, spec: TableSpec, decision: Decision, final: str) -> dict[str, Any]:
        mine, theirs = decision.mine or {}, decision.theirs
        winner = theirs if decision.winner == "theirs" else mine
        values: dict[str, Any] = {"uuid": final}
        for key in ("version", "changed_by", "updated_at", "created_at"):
            values[key] = spec.decoders[key](winner[key])
        self._clock(spec, final, clocks.join(decision.vector_mine, decision.vector_theirs), winner["version"])
        return values

    def _resolve(self, spec: TableSpec, decision: Decision, final: str, choice: str) -> dict[str, Any]:
        mine, theirs = decision.mine or {}, decision.theirs
        version = max(mine["version"], theirs["version"]) + 1
        note = f"Xung đột khi nhập gói: {CHOICE_LABELS[choice].lower()}"
        if choice == "theirs":
            self._log_changes(spec, final, mine, theirs, note)
            values = {c: theirs[c] for c in spec.columns if c not in BOOKKEEPING}
            values["deleted_at"] = theirs["deleted_at"]
        else:
            self._audit(spec, final, "update", "", None, CHOICE_LABELS[choice], note)
            values = {}
        values.update(uuid=final, version=version, changed_by=self.me, updated_at=self.now)
        vector = clocks.join(decision.vector_mine, decision.vector_theirs)
        vector[self.me] = version
        self._clock(spec, final, vector, version)
        self.applied["resolved"] += 1
        return values

    def _copy(self, spec: TableSpec, theirs: dict[str, Any]) -> dict[str, Any]:
        copy = dict(theirs)
        copy.update(uuid=new_uuid(), version=1, changed_by=self.me, created_at=self.now, updated_at=self.now)
        self._audit(spec, copy["uuid"], "create", "", None, None, "Xung đột khi nhập gói: giữ cả hai (bản sao)")
        self.applied["created"] += 1
        return copy

    def _log_changes(self, spec: TableSpec, uuid: str, mine: dict[str, Any], theirs: dict[str, Any],
                     reason: str = "") -> None:
        for column in spec.content:
            if encode_value(mine.get(column)) != encode_value(theirs.get(column)):
                self._audit(spec, uuid, "update", column, mine.get(column), theirs.get(column), reason)
        was, now = mine.get("deleted_at"), theirs.get("deleted_at")
        if (was is None) != (now is None):
            self._audit(spec, uuid, "delete" if now is not None else "restore", "deleted_at", was, now, reason)

    def _insert(self, spec: TableSpec, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        columns = list(spec.columns)
        fk_maps = [(i, None if c in spec.self_fks else self.ids[spec.fks[c]]) for i, c in enumerate(columns)
                   if c in spec.fks]  # self references are set once the whole table is in (end_table)
        getter = itemgetter(*columns)
        for start in range(0, len(records), _BATCH):
            rows = []
            for record in records[start:start + _BATCH]:
                values = list(getter(record)) if len(columns) > 1 else [getter(record)]
                for i, ids in fk_maps:
                    value = values[i]
                    if value is not None:
                        values[i] = None if ids is None else ids[value]
                rows.append(tuple(values))
            insert_tuples(self.conn, spec.table, columns, rows)
        uuids = [r["uuid"] for r in records]
        if spec.name in self.ids or spec.self_fks:
            for start in range(0, len(uuids), _CHUNK):
                chunk = uuids[start:start + _CHUNK]
                for row_id, uuid in self.conn.execute(select(spec.table.c.id, spec.table.c.uuid)
                                                      .where(spec.table.c.uuid.in_(chunk))):
                    self.ids.setdefault(spec.name, {})[uuid] = row_id
        if spec.self_fks:
            fixes = self.self_refs.setdefault(spec.name, [])
            for record in records:
                refs = {c: record.get(c) for c in spec.self_fks}
                if any(v is not None for v in refs.values()):
                    fixes.append((record["uuid"], refs))

    def _update(self, spec: TableSpec, updates: list[tuple[int, dict[str, Any]]], *, translate_fks: bool = True) -> None:
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for row_id, values in updates:
            if translate_fks:
                values = {c: (self.ids[spec.fks[c]][v] if c in spec.fks and v is not None else v)
                          for c, v in values.items()}
            params = {f"p_{c}": v for c, v in values.items()}
            params["p__id"] = row_id
            groups[tuple(sorted(values))].append(params)
        for columns, rows in groups.items():
            stmt = (update(spec.table).where(spec.table.c.id == bindparam("p__id"))
                    .values({c: bindparam(f"p_{c}") for c in columns}))
            for start in range(0, len(rows), _BATCH):
                self.conn.execute(stmt, rows[start:start + _BATCH])

    def _rewrite_generic(self) -> None:
        """Local generic references (evidence links) to a record whose identity changed."""
        if not self.plan.renames:
            return
        table = EvidenceLink.__table__
        stmt = update(table).where(table.c.target_uuid == bindparam("old")).values(target_uuid=bindparam("new"))
        self.conn.execute(stmt, [{"old": old, "new": new} for old, new in self.plan.renames.items()])
        clock = ExchangeClock.__table__
        self.conn.execute(delete(clock).where(clock.c.record_uuid.in_(list(self.plan.renames))))

    def _write_clocks(self) -> None:
        if not self.clock_rows:
            return
        table = ExchangeClock.__table__
        uuids = list(self.clock_rows)  # records received new are not here: their rows are written already
        for start in range(0, len(uuids), _CHUNK):
            self.conn.execute(delete(table).where(table.c.record_uuid.in_(uuids[start:start + _CHUNK])))
        insert_rows(self.conn, table, [{"record_uuid": uuid, "table_name": value[0], "vector": value[1],
                                        "version_at": value[2]}
                                       for uuid, value in self.clock_rows.items() if value is not None])

