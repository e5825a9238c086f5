"""Importing returned unit report workbooks: preview (dry run), conflicts, one transaction.

For every cell the unit can fill, three values are compared: what the workbook
was pre-filled with (kept in its hidden ``_meta`` sheet), what the unit
returned, and what is recorded now.  A cell the unit did not change is not an
answer.  A changed cell is *new* (nothing recorded for the period), a
*change* (the record still equals what the unit saw), *unchanged* (the record
already says the same), or a *conflict* (the record was changed since the
workbook was made, and differently): both are shown side by side and the
officer chooses (default: keep what is recorded).  Writes go through the
tracking services, so period locks and the audit log apply; the source is
``import:<file name>``.  Importing the same workbook twice changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.exchange import workbook_format as wf
from cds_desktop.exchange.errors import RejectedFile
from cds_desktop.exchange.history import previous_imports
from cds_desktop.exchange.workbook_read import Message, ReturnedRow, ReturnedWorkbook
from cds_desktop.models import TASK, IndicatorValue, Item, Plan, ReportingPeriod, TaskProgress, Unit
from cds_desktop.services.common import ServiceError
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import normal_code, period_label
from cds_desktop.services.tracking.entry import parse_number
from cds_desktop.services.tracking.locks import locking_period
from cds_desktop.text import fold, nfc

log = logging.getLogger(__name__)

STATUS_LABELS = {"new": "Mới", "changed": "Thay đổi", "unchanged": "Không đổi", "invalid": "Không hợp lệ",
                 "conflict": "Khác số liệu đã có", "missing": "Không có trong phiếu trả về"}
TEXT = ("result", "difficulties", "proposals")
NUMBERS = ("numerator", "denominator", "value")


@dataclass
class RowResult:
    file: str
    sheet: str
    row: int | None
    item_uuid: str
    label: str
    kind: str
    status: str = "unchanged"
    messages: list[Message] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # (field, recorded, workbook)
    conflict_values: dict[str, Any] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)  # file names the unit listed (new ones)
    key: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "item_uuid": self.item_uuid,
                "label": self.label, "status": self.status, "status_label": self.status_label,
                "messages": [str(m) for m in self.messages],
                "changes": {k: _show(k, v) for k, v in self.changes.items()},
                "conflicts": [{"field": f, "label": _header(f), "recorded": a, "workbook": b}
                              for f, a, b in self.conflicts],
                "evidence": self.evidence, "key": self.key}


def _header(key: str) -> str:
    return next((c.header for c in wf.COLUMNS if c.key == key), key)


def _show(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key == "status":
        return codes.STATUS_LABELS.get(value, str(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Analysis:
    """One workbook against the database: rows, warnings, and what it is about."""

    workbook: ReturnedWorkbook
    rows: list[RowResult]
    plan_id: int
    unit_id: int
    period_id: int
    already_imported: list[str] = field(default_factory=list)

    @property
    def messages(self) -> list[Message]:
        return self.workbook.messages


def _parse(key: str, cell: Any, kind: str, where: dict[str, Any]) -> tuple[Any, Message | None]:
    """A typed value of one cell, or an error message."""
    text = cell.text
    if cell.formula:
        where["warnings"].append(Message(**where["place"], column=key, level="warning",
                                         text=f"công thức «{text[:40]}» được coi là văn bản (không tính toán)."))
    if key in TEXT or key == "evidence":
        return text, None
    if not text:
        return None, None
    if key == "status":
        try:
            return codes.status_from_text(text), None
        except ValueError:
            choices = ", ".join(codes.STATUS_LABELS.values())
            return None, Message(**where["place"], column=key,
                                 text=f"trạng thái «{text[:40]}» không có trong danh sách ({choices}).")
    try:
        number = parse_number(text) if cell.formula or not isinstance(cell.raw, int | float) else float(cell.raw)
    except ValueError:
        what = "tỷ lệ hoàn thành" if key == "percent" else _header(key).lower()
        return None, Message(**where["place"], column=key, text=f"{what} «{text[:40]}» không phải là một số.")
    if key == "percent":
        if cell.percent_format and 0 <= number <= 1 and not cell.formula:
            number *= 100
        if not 0 <= number <= 100:
            return None, Message(**where["place"], column=key,
                                 text=f"tỷ lệ hoàn thành phải từ 0 đến 100, không phải «{text[:20]}».")
        return round(number), None
    if key == "denominator" and number <= 0:
        return None, Message(**where["place"], column=key, text="mẫu số phải lớn hơn 0.")
    if key == "numerator" and number < 0:
        return None, Message(**where["place"], column=key, text="tử số không được âm.")
    return float(number), None


def _normal(key: str, value: Any) -> Any:
    if key in TEXT or key == "evidence":
        return nfc(value or "").strip()
    if key in NUMBERS and value is not None:
        return float(value)
    return value


def _recorded(record: TaskProgress | IndicatorValue | None, kind: str) -> dict[str, Any]:
    if record is None:
        return {}
    if kind == TASK:
        return {"status": record.status, "percent": record.percent, "result": record.result,
                "difficulties": record.difficulties, "proposals": record.proposals}
    return {"numerator": record.numerator, "denominator": record.denominator, "value": record.value,
            "result": record.note}


def _linked_names(session: Session, record: Any) -> set[str]:
    """Folded names of the evidence already linked to *record*."""
    if record is None:
        return set()
    from cds_desktop.models import Evidence, EvidenceLink

    names = session.scalars(select(Evidence.original_name).join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
                            .where(EvidenceLink.target_uuid == record.uuid))
    return {fold(n) for n in names}


def evidence_path(workbook_path: Path, name: str) -> Path | None:
    """The evidence file *name* sent with a workbook: next to it, or in a folder named like it."""
    wanted = fold(name)
    for folder in (workbook_path.parent, workbook_path.parent / workbook_path.stem):
        if not folder.is_dir():
            continue
        for candidate in folder.iterdir():
            if candidate.is_file() and fold(candidate.name) == wanted and candidate != workbook_path:
                return candidate
    return None


def split_names(text: str) -> list[str]:
    names = [nfc(part).strip() for chunk in (text or "").splitlines() for part in chunk.split(";")]
    return [n for n in names if n]


def analyse(session: Session, workbook: ReturnedWorkbook) -> Analysis:
    """Compare a returned workbook with the database (read only)."""
    meta, display = workbook.meta, workbook.display
    plan = session.scalar(select(Plan).where(Plan.uuid == meta["plan_uuid"]))
    unit = session.scalar(select(Unit).where(Unit.uuid == meta["unit_uuid"]))
    if plan is None or unit is None:
        raise RejectedFile(display, "kế hoạch hoặc đơn vị của phiếu không có trong dữ liệu của máy này.")
    code = normal_code(meta["period_code"])
    period = session.scalar(select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id,
                                                          ReportingPeriod.code == code))
    if period is None:
        raise RejectedFile(display, f"kế hoạch không có kỳ báo cáo {period_label(code)}.")
    items = {i.uuid: i for i in session.scalars(select(Item).where(Item.uuid.in_(list(workbook.prefill))))}
    locker = locking_period(session, period)
    analysis = Analysis(workbook, [], plan.id, unit.id, period.id,
                        [h.when for h in previous_imports(session, workbook.workbook_uuid)])
    seen: dict[str, int] = {}
    for returned in workbook.rows:
        result = _analyse_row(session, workbook, returned, items, unit, period, seen)
        if locker is not None and result.status != "invalid" and (result.changes or result.conflicts):
            result.status = "invalid"
            result.messages.append(Message(display, f"kỳ {period_label(locker.code)} đã khóa sau khi tổng hợp; "
                                                    "muốn nhập, hãy mở khóa kỳ.", workbook.sheet, returned.row))
        analysis.rows.append(result)
    for uuid, kind in workbook.kinds.items():
        if uuid not in seen:
            item = items.get(uuid)
            label = _label(item, workbook.prefill.get(uuid, {}).get("_number", "")) if item else uuid
            analysis.rows.append(RowResult(display, workbook.sheet, None, uuid, label, kind, "missing", [Message(
                display, f"dòng «{label}» đã bị xóa khỏi phiếu: không có gì để nhập.", workbook.sheet,
                level="warning")], key=f"{workbook.workbook_uuid}:{uuid}"))
    return analysis


def _label(item: Item, number: str = "") -> str:
    content = item.content if len(item.content) <= 70 else item.content[:67] + "…"
    return f"{'Chỉ tiêu' if item.kind != TASK else 'Nhiệm vụ'} {number or item.number}. {content}"


def _analyse_row(session: Session, workbook: ReturnedWorkbook, returned: ReturnedRow, items: dict[str, Item],
                 unit: Unit, period: ReportingPeriod, seen: dict[str, int]) -> RowResult:
    display, sheet = workbook.display, workbook.sheet
    place = {"file": display, "sheet": sheet, "row": returned.row}
    uuid = returned.item_uuid
    kind = workbook.kinds.get(uuid, "")
    item = items.get(uuid)
    number = returned.cells["number"].text if "number" in returned.cells else ""
    result = RowResult(display, sheet, returned.row, uuid, _label(item, number) if item else
                       returned.cells["content"].text[:80], kind, key=f"{workbook.workbook_uuid}:{uuid}")
    if not uuid:
        result.status = "invalid"
        result.messages.append(Message(**place, column="row_id", text="dòng không có mã (cột ẩn «Mã dòng» bị xóa "
                                                                      "hoặc dòng được thêm mới): không nhập."))
        return result
    if uuid not in workbook.kinds or item is None or item.deleted_at is not None:
        result.status = "invalid"
        result.messages.append(Message(**place, column="row_id", text="mã dòng không thuộc phiếu này, hoặc chỉ "
                                                                      "tiêu/nhiệm vụ đã bị xóa: không nhập."))
        return result
    if uuid in seen:
        result.status = "invalid"
        result.messages.append(Message(**place, text=f"dòng trùng với dòng {seen[uuid]}: không nhập."))
        return result
    seen[uuid] = returned.row
    fields = wf.TASK_FIELDS if kind == TASK else wf.INDICATOR_FIELDS
    where: dict[str, Any] = {"place": place, "warnings": result.messages}
    parsed: dict[str, Any] = {}
    errors = []
    for key in wf.ANSWER_FIELDS:
        cell = returned.cells.get(key)
        if cell is None:
            continue
        if key not in fields:
            if cell.text:
                result.messages.append(Message(**place, column=key, level="warning",
                                               text="ô này không dùng cho loại mục này: bỏ qua."))
            continue
        value, error = _parse(key, cell, kind, where)
        if error is not None:
            errors.append(error)
        parsed[key] = value
    if errors:
        result.status = "invalid"
        result.messages.extend(errors)
        return result
    model = TaskProgress if kind == TASK else IndicatorValue
    record = session.scalar(select(model).where(model.item_id == item.id, model.period_id == period.id,
                                                model.unit_id == unit.id))
    recorded = _recorded(record, kind)
    prefill = workbook.prefill.get(uuid, {})
    for key in fields:
        if key == "evidence":
            before = {fold(n) for n in split_names(prefill.get("evidence", ""))} | _linked_names(session, record)
            for name in split_names(parsed.get("evidence", "")):
                if fold(name) in before:
                    continue
                if evidence_path(workbook.path, name) is None:
                    result.messages.append(Message(**place, column="evidence", level="warning",
                                                   text=f"không tìm thấy tệp minh chứng «{name}» gửi kèm phiếu "
                                                        "(cùng thư mục với phiếu): bỏ qua tệp này."))
                else:
                    result.evidence.append(name)
            continue
        mine, pre = _normal(key, parsed.get(key)), _normal(key, prefill.get(key))
        if mine == pre:
            continue
        now = _normal(key, recorded.get(key)) if record is not None else None
        if record is not None and now == mine:
            continue
        if record is None or now == pre:
            result.changes[key] = mine
        else:
            result.conflicts.append((key, _show(key, now), _show(key, mine)))
            result.conflict_values[key] = mine
    if result.conflicts:
        result.status = "conflict"
    elif result.changes:
        result.status = "new" if record is None else "changed"
    elif result.evidence:
        result.status = "changed"
    return result


def write_row(session: Session, analysis: Analysis, row: RowResult, choice: str | None, today: date) -> Any:
    """Write one analysed row through the tracking services; returns the record (or None)."""
    from cds_desktop.services.tracking import entry

    fields = dict(row.changes)
    if row.status == "conflict" and choice == "theirs":
        fields.update(row.conflict_values)
    if not fields and not row.evidence:
        return None
    item = session.scalar(select(Item).where(Item.uuid == row.item_uuid))
    unit, period = session.get(Unit, analysis.unit_id), session.get(ReportingPeriod, analysis.period_id)
    model = TaskProgress if row.kind == TASK else IndicatorValue
    existing = session.scalar(select(model).where(model.item_id == item.id, model.period_id == period.id,
                                                  model.unit_id == unit.id))
    if not fields and existing is not None:
        return existing
    try:
        if row.kind == TASK:
            if "result" in fields or "difficulties" in fields or "proposals" in fields:
                fields = {k: (v if v is not None else "") if k in TEXT else v for k, v in fields.items()}
            return entry.record_progress(session, item, unit, period, today=today, source="import", **fields)
        values = {("note" if k == "result" else k): v for k, v in fields.items()}
        return entry.record_indicator_value(session, item, unit, period, today=today, source="import", **values)
    except ServiceError as exc:
        raise ServiceError(f"{row.file}, dòng {row.row}: {exc}") from exc
