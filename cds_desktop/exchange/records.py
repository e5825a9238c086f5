"""Records as exchanged: one generic code path for every ``Synced`` table.

A record is a JSON object keyed by column name.  The integer primary key never
travels; a foreign key column carries the *uuid* of the record it points to
(or null).  Dates are ``YYYY-MM-DD``, timestamps ISO 8601 in UTC.  Tables are
handled in dependency order (``Base.metadata.sorted_tables``).

What travels: every table whose model is ``Synced`` — the plan, catalogues,
assignments, tracking, evidence metadata and the audit log (append-only: an
audit entry is history, it is never updated or merged).  What does not: the
installation id setting, and the local exchange bookkeeping
(:mod:`cds_desktop.models.exchange`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    Integer,
    Table,
    TypeDecorator,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.schema import Column, UniqueConstraint
from sqlalchemy.types import TypeEngine

from cds_desktop.exchange.record_values import RecordError, column_decoder, encode_value
from cds_desktop.models import Base, Synced

BOOKKEEPING = ("uuid", "created_at", "updated_at", "changed_by", "version", "deleted_at")
DERIVED = frozenset({"search_text", "sort_key"})  # recomputed from other columns; travel but never compared
LOCAL_SETTING_KEYS = frozenset({"installation_id", "receiving_mode", "evidence_store"})  # receiving_mode: rollup.mode
APPEND_ONLY = frozenset({"audit_log"})
# Natural keys the schema does not enforce but the services treat as unique.
EXTRA_NATURAL_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "indicator_values": (("item_id", "period_id", "unit_id"),),
}
# Generic references (a uuid in a plain column): translated like foreign keys when identities merge.
GENERIC_REFS: dict[str, tuple[str, ...]] = {"evidence_links": ("target_uuid",)}
# Records of these tables may be duplicated on a conflict ("keep both").
KEEP_BOTH_TABLES = frozenset({"items", "groups", "people", "units", "unit_aliases", "evidence", "saved_filters"})

TABLE_LABELS: dict[str, str] = {
    "communes": "Xã/phường", "plans": "Kế hoạch", "groups": "Nhóm", "items": "Chỉ tiêu/nhiệm vụ",
    "units": "Đơn vị", "unit_aliases": "Tên gọi khác của đơn vị", "people": "Cán bộ",
    "assignments": "Phân công", "audit_log": "Nhật ký thay đổi", "settings": "Cài đặt",
    "reporting_calendars": "Lịch báo cáo", "reporting_periods": "Kỳ báo cáo", "period_locks": "Khóa kỳ",
    "item_tracking": "Theo dõi chỉ tiêu/nhiệm vụ", "report_requirements": "Yêu cầu báo cáo",
    "task_progress": "Báo cáo tiến độ", "indicator_values": "Số liệu chỉ tiêu",
    "village_checks": "Danh sách thôn đạt chỉ tiêu", "saved_filters": "Bộ lọc đã lưu",
    "evidence": "Minh chứng", "evidence_links": "Liên kết minh chứng",
}


@dataclass(frozen=True)
class TableSpec:
    name: str
    table: Table
    columns: tuple[str, ...]  # exchanged columns, ``id`` excluded
    fks: dict[str, str]  # column -> referenced table
    generic: tuple[str, ...]  # columns holding the uuid of a record of any table
    self_fks: tuple[str, ...]
    natural_keys: tuple[tuple[str, ...], ...]
    content: tuple[str, ...]  # compared to decide "equal": not bookkeeping, not derived
    decoders: dict[str, Callable[[Any], Any]]
    fillers: dict[str, Callable[[], Any]]  # for columns a package of an older schema may lack

    @property
    def label(self) -> str:
        return TABLE_LABELS.get(self.name, self.name)

    @property
    def append_only(self) -> bool:
        return self.name in APPEND_ONLY

    @property
    def keep_both(self) -> bool:
        return self.name in KEEP_BOTH_TABLES and not self.natural_keys


def _synced_tables() -> set[str]:
    names = set()
    for mapper in Base.registry.mappers:
        if issubclass(mapper.class_, Synced):
            names.add(mapper.local_table.name)
    return names


@cache
def table_specs() -> tuple[TableSpec, ...]:
    """The exchanged tables, parents before children."""
    synced = _synced_tables()
    specs = []
    # Tables with generic references go last (after every table they may point to); the audit log after them.
    ordered = sorted(Base.metadata.sorted_tables,
                     key=lambda t: (t.name in APPEND_ONLY, t.name in GENERIC_REFS))
    for table in ordered:
        if table.name not in synced:
            continue
        fks: dict[str, str] = {}
        for column in table.columns:
            for fk in column.foreign_keys:
                fks[column.name] = fk.column.table.name
        columns = tuple(c.name for c in table.columns if c.name != "id")
        natural: list[tuple[str, ...]] = []
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint):
                natural.append(tuple(c.name for c in constraint.columns))
        for column in table.columns:
            if column.unique and column.name != "uuid":
                natural.append((column.name,))
        natural += list(EXTRA_NATURAL_KEYS.get(table.name, ()))
        natural = [key for key in dict.fromkeys(natural) if key != ("uuid",)]
        content = tuple(c for c in columns if c not in BOOKKEEPING and c not in DERIVED)
        decoders = {c.name: column_decoder(c, c.name in fks) for c in table.columns if c.name != "id"}
        self_fks = tuple(c for c, t in fks.items() if t == table.name)
        fillers = {c.name: _filler(c) for c in table.columns
                   if c.name not in ("id", *BOOKKEEPING) and _filler(c) is not None}
        specs.append(TableSpec(table.name, table, columns, fks, GENERIC_REFS.get(table.name, ()), self_fks,
                               tuple(natural), content, decoders, fillers))
    return tuple(specs)


def _filler(column: Column) -> Callable[[], Any] | None:
    """The value of a column a record does not carry (its default), or None when it must be there."""
    default = column.default
    if default is not None and default.is_scalar:
        value = default.arg
        return lambda: value
    if default is not None and default.is_callable:
        fn = default.arg

        def call() -> Any:
            try:
                return fn(None)
            except TypeError:
                return fn()
        return call
    if column.nullable:
        return lambda: None
    return None


def spec_by_name() -> dict[str, TableSpec]:
    return {spec.name: spec for spec in table_specs()}


# --------------------------------------------------------------------------
# Reading local records


def uuid_maps(conn: Connection, tables: Iterable[str]) -> dict[str, dict[int, str]]:
    """``{table: {id: uuid}}`` for the given tables."""
    specs = spec_by_name()
    maps: dict[str, dict[int, str]] = {}
    for name in set(tables):
        table = specs[name].table
        maps[name] = dict(conn.execute(select(table.c.id, table.c.uuid)).all())
    return maps


def referenced_tables() -> set[str]:
    return {target for spec in table_specs() for target in spec.fks.values()}


def local_rows(conn: Connection, spec: TableSpec, id_to_uuid: dict[str, dict[int, str]],
               where: Any = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(id, record)`` for the local rows of *spec* (optionally filtered), records as exchanged."""
    table = spec.table
    stmt = select(table)
    if where is not None:
        stmt = stmt.where(where)
    names = ["id", *spec.columns]
    fk_maps = {column: id_to_uuid[target] for column, target in spec.fks.items()}
    for row in conn.execute(stmt.order_by(table.c.id)):
        values = row._mapping
        record: dict[str, Any] = {}
        for name in names[1:]:
            value = values[name]
            if name in fk_maps and value is not None:
                value = fk_maps[name].get(value)
            record[name] = encode_value(value)
        if spec.name == "settings" and record.get("key") in LOCAL_SETTING_KEYS:
            continue
        yield values["id"], record


_ALLOWED: dict[str, frozenset[str]] = {}  # table -> the keys a record may carry


def decode_record(spec: TableSpec, raw: Any) -> dict[str, Any]:
    """Validate one record of a package against the schema; returns python values (FKs stay uuids)."""
    if not isinstance(raw, dict):
        raise RecordError("bản ghi không phải là một đối tượng JSON")
    allowed = _ALLOWED.get(spec.name)
    if allowed is None:
        allowed = _ALLOWED[spec.name] = frozenset((*spec.columns, "_clock"))
    if not allowed.issuperset(raw):
        unknown = set(raw) - allowed
        raise RecordError(f"cột lạ: {', '.join(sorted(unknown))[:120]}")
    record: dict[str, Any] = {}
    decoders = spec.decoders
    for name in spec.columns:
        if name not in raw:
            filler = spec.fillers.get(name)
            if filler is None:
                raise RecordError(f"thiếu cột «{name}»")
            record[name] = filler()  # a package written before this column existed
            continue
        record[name] = decoders[name](raw[name])
    if record["version"] is None or record["version"] < 1:
        raise RecordError("số phiên bản không hợp lệ")
    clock = raw.get("_clock")
    if clock is not None:
        if not isinstance(clock, dict) or len(clock) > 10_000 or not all(
            isinstance(k, str) and len(k) <= 36 and isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for k, v in clock.items()
        ):
            raise RecordError("đồng hồ phiên bản (_clock) không hợp lệ")
        record["_clock"] = dict(clock)
    return record


def convert_record(spec: TableSpec, raw: dict[str, Any]) -> dict[str, Any]:
    """What :func:`decode_record` returns for *raw*, for a record it has already accepted:
    the conversions (timestamps, dates, uuids, numbers, missing columns) without the checks."""
    steps = _CONVERSIONS.get(spec.name)
    if steps is None:
        steps = _CONVERSIONS[spec.name] = _conversions(spec)
    record: dict[str, Any] = {}
    for name, convert, filler in steps:
        if name in raw:
            value = raw[name]
            record[name] = value if convert is None or value is None else convert(value)
        else:
            record[name] = filler()
    clock = raw.get("_clock")
    if clock is not None:
        record["_clock"] = dict(clock)
    return record


_CONVERSIONS: dict[str, list[tuple[str, Callable[[Any], Any] | None, Callable[[], Any]]]] = {}


def _conversions(spec: TableSpec) -> list[tuple[str, Callable[[Any], Any] | None, Callable[[], Any]]]:
    def missing() -> Any:
        raise RecordError("thiếu cột")  # decode_record has refused such a record already

    steps = []
    for name in spec.columns:
        column = spec.table.c[name]
        kind = column.type
        if isinstance(kind, TypeDecorator):
            kind = kind.impl if isinstance(kind.impl, TypeEngine) else kind.impl_instance
        convert: Callable[[Any], Any] | None = None
        if name in spec.fks:
            def convert(value: str) -> str:
                return sys.intern(value.lower())
        elif name == "uuid":
            convert = str.lower
        elif isinstance(kind, DateTime):
            def convert(value: Any) -> datetime:
                if isinstance(value, datetime):
                    return value if value.tzinfo else value.replace(tzinfo=UTC)
                parsed = datetime.fromisoformat(value)
                return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
        elif isinstance(kind, Date):
            def convert(value: Any) -> date:
                return value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(value)
        elif isinstance(kind, Float) and not isinstance(kind, Integer):
            convert = float
        steps.append((name, convert, spec.fillers.get(name, missing)))
    return steps


def canonical(spec: TableSpec, record: dict[str, Any]) -> tuple:
    """The comparable content of a record (python or encoded values alike)."""
    return tuple(encode_value(record.get(name)) for name in (*spec.content, "deleted_at"))


def describe(spec: TableSpec, record: dict[str, Any], lookup: Callable[[str, str], str] | None = None) -> str:
    """A short Vietnamese description of a record for reports and conflict lists."""
    for key in ("name", "title", "content", "alias", "original_name", "code", "key", "number"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            text = value.strip().replace("\n", " ")
            return text if len(text) <= 90 else text[:87] + "…"
    if lookup is not None:
        parts = []
        for column in ("item_id", "unit_id", "period_id", "evidence_id", "plan_id", "commune_id"):
            target = spec.fks.get(column)
            if target and record.get(column):
                label = lookup(target, record[column])
                if label:
                    parts.append(label)
        if parts:
            text = " — ".join(parts)
            return text if len(text) <= 120 else text[:117] + "…"
    return str(record.get("uuid", ""))
