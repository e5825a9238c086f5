"""What the merge of a package decides, record by record: the :class:`Decision` per record (create,
update, delete, conflict…), the :class:`ImportPlan` that holds them, and how one matched pair is
decided by its version vectors (:func:`decide`).  Made by :mod:`cds_desktop.exchange.merge`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from cds_desktop.exchange import clocks
from cds_desktop.exchange.package_read import VerifiedPackage
from cds_desktop.exchange.records import (
    TableSpec,
    canonical,
    describe,
    encode_value,
    spec_by_name,
)

CONFLICT_KINDS = {
    "edit_edit": "Cả hai bên cùng sửa",
    "delete_edit": "Máy này đã xóa, gói đã sửa",
    "edit_delete": "Máy này đã sửa, gói đã xóa",
    "both_created": "Hai bên cùng tạo bản ghi này",
    "key_clash": "Trùng khóa với một bản ghi khác",
}
CHOICE_LABELS = {"mine": "Giữ bản của máy này", "theirs": "Lấy bản trong gói", "both": "Giữ cả hai"}
FIELD_LABELS = {
    "content": "Nội dung", "status": "Trạng thái", "percent": "% hoàn thành", "result": "Kết quả",
    "difficulties": "Khó khăn, vướng mắc", "proposals": "Đề xuất, kiến nghị", "numerator": "Tử số",
    "denominator": "Mẫu số", "value": "Giá trị", "achieved": "Đạt", "note": "Ghi chú", "name": "Tên",
    "title": "Tiêu đề", "deleted_at": "Tình trạng", "target_text": "Chỉ tiêu", "deadline_text": "Thời hạn",
    "received_on": "Ngày nhận", "source": "Hình thức nhận", "data_source": "Nguồn số liệu", "locked": "Khóa",
    "reason": "Lý do", "original_name": "Tên tệp", "description": "Mô tả", "kind": "Loại", "code": "Mã",
    "unit_id": "Đơn vị", "item_id": "Mục", "period_id": "Kỳ", "done_on": "Ngày đạt", "short_name": "Tên viết tắt",
}


@dataclass
class Decision:
    spec: TableSpec
    action: str  # create | update | delete | sync | conflict
    theirs: dict[str, Any]
    local_id: int | None = None
    mine: dict[str, Any] | None = None
    vector_mine: clocks.Vector = field(default_factory=dict)
    vector_theirs: clocks.Vector = field(default_factory=dict)
    natural: bool = False  # matched by natural key (uuids differ)
    kind: str = ""  # conflict kind
    label: str = ""
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (column, mine, theirs) for conflicts
    choices: tuple[str, ...] = ()
    winner: str = ""  # for "sync": whose bookkeeping to keep ("mine" | "theirs")
    stale_clock: bool = False  # a "create" whose uuid still has a clock row (the record was purged here)

    @property
    def uuid(self) -> str:
        return str(self.theirs["uuid"])

    @property
    def final_uuid(self) -> str:
        if self.natural and self.mine is not None:
            return min(self.mine["uuid"], self.theirs["uuid"])
        return self.uuid

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.spec.name, "table_label": self.spec.label, "uuid": self.uuid,
            "local_uuid": self.mine["uuid"] if self.mine else None, "label": self.label,
            "kind": self.kind, "kind_label": CONFLICT_KINDS.get(self.kind, ""),
            "fields": [{"field": f, "label": FIELD_LABELS.get(f, f), "mine": a, "theirs": b}
                       for f, a, b in self.fields],
            "choices": list(self.choices),
        }


@dataclass
class ImportPlan:
    package_uuid: str
    file_name: str
    source_installation: str
    source_commune: str
    scope: dict[str, Any]
    decisions: list[Decision] = field(default_factory=list)
    final: dict[str, str] = field(default_factory=dict)  # uuid -> identity after the import (natural-key matches)
    renames: dict[str, str] = field(default_factory=dict)  # local uuid -> new uuid
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("created", "updated", "unchanged", "deleted"), 0))
    audit_new: list[dict[str, Any]] = field(default_factory=list)
    audit_written: int = 0  # a streamed import writes the sender's audit entries as they come
    already_imported: list[str] = field(default_factory=list)  # when (dd/mm/yyyy hh:mm) of earlier imports

    @property
    def conflicts(self) -> list[Decision]:
        return [d for d in self.decisions if d.action == "conflict"]

    @property
    def audit_entries(self) -> int:
        return len(self.audit_new) + self.audit_written

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name, "package_uuid": self.package_uuid,
            "source": {"installation": self.source_installation, "commune": self.source_commune},
            "scope": self.scope, **self.counts, "conflicts": [d.to_dict() for d in self.conflicts],
            "audit_entries": self.audit_entries, "already_imported": self.already_imported,
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(encode_value(value))


class Lookup:
    """Descriptions of records by uuid, from the package or the local database (the
    package's records are indexed on the first call: most imports have no conflict)."""

    def __init__(self, conn: Connection, package: VerifiedPackage) -> None:
        self.conn = conn
        self.package = package
        self.index: dict[str, dict[str, Any]] | None = None
        self.tables: dict[str, dict[str, dict[str, Any]]] = {}  # streamed package: table -> uuid -> record
        self.specs = spec_by_name()
        self.cache: dict[str, str] = {}

    def _package_record(self, table: str, uuid: str) -> dict[str, Any] | None:
        if self.package.streamed:
            if table not in self.tables:
                self.tables[table] = {r["uuid"]: r for chunk in self.package.table_records(table) for r in chunk}
            return self.tables[table].get(uuid)
        if self.index is None:
            self.index = {r["uuid"]: r for records in self.package.records.values() for r in records}
        return self.index.get(uuid)

    def __call__(self, table: str, uuid: str) -> str:
        if uuid in self.cache:
            return self.cache[uuid]
        spec = self.specs[table]
        record = self._package_record(table, uuid)
        if record is None:
            row = self.conn.execute(select(spec.table).where(spec.table.c.uuid == uuid)).first()
            record = dict(row._mapping) if row is not None else {}
        text = describe(spec, record) if record else ""
        if table == "items" and record.get("number"):
            kind = "Chỉ tiêu" if record.get("kind") == "indicator" else "Nhiệm vụ"
            text = f"{kind} {record['number']}. {record.get('content', '')}"[:90]
        self.cache[uuid] = text
        return text


def decide(spec: TableSpec, theirs: dict[str, Any], match: tuple[int, dict[str, Any]] | None, natural: bool,
            stored: dict[str, tuple[clocks.Vector, int]]) -> Decision:
    vt = theirs.get("_clock") or {theirs["changed_by"]: theirs["version"]}
    if match is None:
        return Decision(spec, "create", theirs, vector_theirs=vt)
    local_id, mine = match
    vm = clocks.current_vector(mine["version"], mine["changed_by"], stored.get(mine["uuid"]))
    decision = Decision(spec, "unchanged", theirs, local_id, mine, vm, vt, natural)
    order = clocks.compare(vm, vt)
    same_content = canonical(spec, mine) == canonical(spec, theirs)
    mine_deleted, theirs_deleted = mine["deleted_at"] is not None, theirs["deleted_at"] is not None
    if same_content or (order == "concurrent" and mine_deleted and theirs_deleted):
        bookkeeping = [encode_value(mine[k]) for k in ("version", "changed_by", "updated_at", "created_at")]
        theirs_bk = [encode_value(theirs[k]) for k in ("version", "changed_by", "updated_at", "created_at")]
        if order == "theirs" or (order == "concurrent" and (theirs_bk, theirs["uuid"]) > (bookkeeping, mine["uuid"])):
            decision.winner = "theirs"
        else:
            decision.winner = "mine"
        needs = natural or order == "theirs" or order == "concurrent" or (
            order == "equal" and bookkeeping != theirs_bk)
        if same_content:
            decision.action = "sync" if needs else "unchanged"
        else:  # both deleted, different leftovers: the deterministic winner's content
            decision.action = "update" if decision.winner == "theirs" else "sync"
        return decision
    if order == "mine":
        return decision
    if order == "theirs":
        decision.action = "delete" if theirs_deleted and not mine_deleted else "update"
        return decision
    decision.action = "conflict"
    if mine_deleted and not theirs_deleted:
        decision.kind = "delete_edit"
    elif theirs_deleted and not mine_deleted:
        decision.kind = "edit_delete"
    elif natural:
        decision.kind = "both_created"
    else:
        decision.kind = "edit_edit"
    both = spec.keep_both and not natural and decision.kind == "edit_edit"
    decision.choices = ("mine", "theirs", "both") if both else ("mine", "theirs")
    return decision


def field_changes(spec: TableSpec, mine: dict[str, Any], theirs: dict[str, Any], lookup: Lookup) -> list[tuple[str, str, str]]:
    out = []
    for column in (*spec.content, "deleted_at"):
        a, b = encode_value(mine.get(column)), encode_value(theirs.get(column))
        if a == b:
            continue
        if column == "deleted_at":
            out.append((column, "Đã xóa" if a else "Còn", "Đã xóa" if b else "Còn"))
        elif column in spec.fks:
            target = spec.fks[column]
            out.append((column, lookup(target, a) if a else "", lookup(target, b) if b else ""))
        else:
            out.append((column, _text(mine.get(column)), _text(theirs.get(column))))
    return out
