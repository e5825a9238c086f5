"""The content of the evidence list report (Danh mục minh chứng), Qt-free and
renderer-free: a title, the filter it was made for, column headers and rows of
plain text.  The report machinery (:mod:`cds_desktop.reports`) lays it out as a
table in the administrative format and renders PDF or Excel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.models import EVIDENCE_KINDS, INDICATOR, Item, Unit
from cds_desktop.services.common import get
from cds_desktop.services.evidence.periods import normalize_period, period_label
from cds_desktop.services.evidence.queries import EvidenceFilter, EvidenceRow, evidence_rows, fmt_size

TITLE = "DANH MỤC MINH CHỨNG"


@dataclass(frozen=True)
class ListColumn:
    key: str
    header: str
    weight: float = 1.0  # share of the table width
    align: str = "left"


COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("stt", "STT", 0.45, "center"),
    ListColumn("name", "Tên minh chứng", 2.4),
    ListColumn("kind", "Loại", 0.95),
    ListColumn("number", "Số, ký hiệu", 1.0),
    ListColumn("date", "Ngày ban hành", 0.95, "center"),
    ListColumn("issuer", "Cơ quan ban hành", 1.3),
    ListColumn("targets", "Chỉ tiêu, nhiệm vụ liên quan", 2.6),
    ListColumn("unit", "Đơn vị", 1.2),
    ListColumn("period", "Kỳ", 0.9, "center"),
)


@dataclass
class EvidenceListContent:
    title: str
    filter_lines: list[str]  # "Kỳ: Quý II/2026", "Đơn vị: Phòng Văn hóa - Xã hội"
    columns: tuple[ListColumn, ...]
    rows: list[list[str]]
    evidence_uuids: list[str] = field(default_factory=list)
    total_size: int = 0
    period: str = ""
    unit_name: str = ""

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def summary(self) -> str:
        return f"Tổng số: {self.count:02d} minh chứng ({fmt_size(self.total_size)})."

    def as_dicts(self) -> list[dict[str, str]]:
        return [dict(zip([c.key for c in self.columns], row, strict=True)) for row in self.rows]


def _name(row: EvidenceRow) -> str:
    """The document's own description when the officer gave one, and the file name."""
    if row.description:
        return f"{row.description} (tệp: {row.original_name})"
    return row.original_name


def evidence_list(
    session: Session, *, period: str = "", unit_uuid: str = "", plan_uuid: str = "", kind: str = "",
) -> EvidenceListContent:
    """The evidence list for a period (a quarter includes its months, a year everything
    in it) and/or a unit, optionally limited to one plan's items and one kind."""
    code = normalize_period(period)
    flt = EvidenceFilter(period=code, unit_uuid=unit_uuid, plan_uuid=plan_uuid, kind=kind)
    rows = evidence_rows(session, flt)
    item_order = _item_order(session, {lk.item_uuid for r in rows for lk in r.links if lk.item_uuid})

    def order(row: EvidenceRow) -> tuple:
        firsts = [item_order[lk.item_uuid] for lk in row.links if lk.item_uuid in item_order]
        return (min(firsts) if firsts else (9, 0), row.doc_date or row.created_at.date(), row.original_name)

    rows.sort(key=order)
    lines = []
    unit_name = ""
    if code:
        lines.append(f"Kỳ: {period_label(code)}")
    if unit_uuid:
        unit_name = get(session, Unit, unit_uuid, include_deleted=True).name
        lines.append(f"Đơn vị: {unit_name}")
    if kind:
        lines.append(f"Loại minh chứng: {EVIDENCE_KINDS.get(kind, kind)}")
    table = [
        [
            str(number), _name(r), r.kind_label, r.doc_number, r.doc_date_text, r.issuer,
            "\n".join(f"- {lk.label}" for lk in r.links), r.unit_name, r.period_label,
        ]
        for number, r in enumerate(rows, 1)
    ]
    return EvidenceListContent(
        TITLE, lines, COLUMNS, table, [r.uuid for r in rows], sum(r.size for r in rows), code, unit_name
    )


def _item_order(session: Session, uuids: set[str]) -> dict[str, tuple[int, int]]:
    if not uuids:
        return {}
    found = session.execute(select(Item.uuid, Item.kind, Item.position).where(Item.uuid.in_(uuids)))
    return {uuid: (0 if kind == INDICATOR else 1, position) for uuid, kind, position in found}
