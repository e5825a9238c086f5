"""Read models of the evidence: plain rows for the library, the item panel, the CLI
and the evidence list report.  Filtering happens in SQL; Qt-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from cds_desktop.models import EVIDENCE_KINDS, Evidence, EvidenceLink, Item, Plan, Unit
from cds_desktop.services.common import get, like_pattern
from cds_desktop.services.evidence.link_targets import item_label, resolve_targets, targets_of_item
from cds_desktop.services.evidence.periods import contained_codes, period_label, period_sort_key

IMAGE_MIME_PREFIX = "image/"


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_size(n: int) -> str:
    if n < 1024:
        return f"{n} byte"
    value = float(n)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            return f"{value:.1f} {unit}".replace(".", ",")
    return f"{n} byte"


@dataclass(frozen=True)
class LinkRow:
    target_type: str
    target_uuid: str
    label: str
    item_uuid: str | None
    short: str = ""


@dataclass(frozen=True)
class EvidenceRow:
    uuid: str
    original_name: str
    extension: str
    mime: str
    kind: str
    doc_number: str
    doc_date: date | None
    issuer: str
    description: str
    period: str
    unit_uuid: str | None
    unit_name: str
    size: int
    sha256: str
    created_at: datetime | None
    deleted: bool = False
    links: tuple[LinkRow, ...] = field(default_factory=tuple)

    @property
    def kind_label(self) -> str:
        return EVIDENCE_KINDS.get(self.kind, self.kind)

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def doc_date_text(self) -> str:
        return fmt_date(self.doc_date)

    @property
    def size_text(self) -> str:
        return fmt_size(self.size)

    @property
    def links_text(self) -> str:
        return "\n".join(link.label for link in self.links)

    @property
    def links_short(self) -> str:
        return "; ".join(link.short for link in self.links)

    @property
    def is_image(self) -> bool:
        return self.mime.startswith(IMAGE_MIME_PREFIX)

    @property
    def added_text(self) -> str:
        return self.created_at.astimezone().strftime("%d/%m/%Y %H:%M") if self.created_at else ""


@dataclass
class EvidenceFilter:
    search: str = ""
    kind: str = ""
    period: str = ""  # a code: a quarter also shows its months, a year everything in it
    unit_uuid: str = ""
    item_uuid: str = ""  # evidence of the item and of its progress reports / values
    plan_uuid: str = ""  # evidence linked to an item of this plan
    target: tuple[str, str] | None = None  # exactly this record
    include_deleted: bool = False


def _filtered(session: Session, flt: EvidenceFilter) -> Select:
    stmt = select(Evidence)
    if flt.include_deleted:
        stmt = stmt.execution_options(include_deleted=True)
    if flt.kind:
        stmt = stmt.where(Evidence.kind == flt.kind)
    if flt.period:
        stmt = stmt.where(Evidence.period.in_(contained_codes(flt.period)))
    if flt.unit_uuid:
        stmt = stmt.where(Evidence.unit_id == get(session, Unit, flt.unit_uuid, include_deleted=True).id)
    if flt.search and flt.search.strip():
        pattern = like_pattern(flt.search)
        via_unit = select(Unit.id).where(Unit.id == Evidence.unit_id, Unit.search_text.like(pattern, escape="\\"))
        stmt = stmt.where(or_(Evidence.search_text.like(pattern, escape="\\"), via_unit.exists()))
    pairs: list[tuple[str, str]] | None = None
    if flt.target is not None:
        pairs = [flt.target]
    if flt.item_uuid:
        item = get(session, Item, flt.item_uuid, include_deleted=True)
        item_pairs = targets_of_item(session, item)
        pairs = item_pairs if pairs is None else [p for p in pairs if p in item_pairs]
    if flt.plan_uuid:
        plan = get(session, Plan, flt.plan_uuid, include_deleted=True)
        plan_pairs = []
        for item in session.scalars(select(Item).where(Item.plan_id == plan.id).execution_options(include_deleted=True)):
            plan_pairs.extend(targets_of_item(session, item))
        pairs = plan_pairs if pairs is None else [p for p in pairs if p in set(plan_pairs)]
    if pairs is not None:
        if not pairs:
            return stmt.where(Evidence.id.is_(None))
        conditions = []
        by_type: dict[str, list[str]] = {}
        for kind, uuid in pairs:
            by_type.setdefault(kind, []).append(uuid)
        for kind, uuids in by_type.items():
            conditions.append((EvidenceLink.target_type == kind) & EvidenceLink.target_uuid.in_(uuids))
        linked = select(EvidenceLink.id).where(
            EvidenceLink.evidence_id == Evidence.id, EvidenceLink.deleted_at.is_(None), or_(*conditions)  # tombstones: live
        )
        stmt = stmt.where(linked.exists())
    return stmt


def evidence_rows(session: Session, flt: EvidenceFilter | None = None, limit: int | None = None) -> list[EvidenceRow]:
    """Evidence matching *flt*, newest document first (then newest added)."""
    stmt = _filtered(session, flt or EvidenceFilter()).options(
        selectinload(Evidence.links), selectinload(Evidence.unit)
    )
    stmt = stmt.order_by(Evidence.doc_date.desc().nulls_last(), Evidence.created_at.desc(), Evidence.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    evidence = list(session.scalars(stmt))
    return _rows(session, evidence)


def _rows(session: Session, evidence: list[Evidence]) -> list[EvidenceRow]:
    pairs = {(link.target_type, link.target_uuid) for e in evidence for link in e.live_links}
    resolved = resolve_targets(session, pairs)
    rows = []
    for e in evidence:
        links = []
        for link in e.live_links:
            info = resolved.get((link.target_type, link.target_uuid))
            label = info.label if info else f"{link.target_label} (không tìm thấy)"
            if info is not None and info.deleted:
                label += " (đã xóa)"
            short = (info.short or label) if info else label
            links.append(
                LinkRow(link.target_type, link.target_uuid, label, info.item_uuid if info else None, short)
            )
        rows.append(
            EvidenceRow(
                e.uuid, e.original_name, e.extension, e.mime, e.kind, e.doc_number, e.doc_date, e.issuer,
                e.description, e.period, e.unit.uuid if e.unit else None, e.unit.name if e.unit else "",
                e.size, e.sha256, e.created_at, e.deleted_at is not None, tuple(links),
            )
        )
    return rows


def evidence_for_target(session: Session, target_type: str, target_uuid: str) -> list[EvidenceRow]:
    """The evidence of one record (for an item: also that of its progress reports and values)."""
    if target_type == "item":
        return evidence_rows(session, EvidenceFilter(item_uuid=target_uuid))
    return evidence_rows(session, EvidenceFilter(target=(target_type, target_uuid)))


def evidence_row(session: Session, uuid: str, include_deleted: bool = False) -> EvidenceRow:
    return _rows(session, [get(session, Evidence, uuid, include_deleted=include_deleted)])[0]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass
class FilterChoices:
    kinds: list[Choice]
    periods: list[Choice]
    units: list[Choice]
    items: list[Choice]


def filter_choices(session: Session, plan_uuid: str | None = None) -> FilterChoices:
    """What the library's filter boxes offer: periods in use (and their years), units, items."""
    used = set(session.scalars(select(Evidence.period).distinct()))
    codes = {c for c in used if c} | {c[:4] for c in used if c and c[:4].isdigit()}
    periods = [Choice(c, period_label(c)) for c in sorted(codes, key=period_sort_key)]
    units = [
        Choice(u.uuid, u.name)
        for u in session.scalars(select(Unit).order_by(Unit.position, Unit.sort_key))
    ]
    stmt = select(Item)
    if plan_uuid:
        stmt = stmt.join(Plan, Plan.id == Item.plan_id).where(Plan.uuid == plan_uuid)
    items = [
        Choice(i.uuid, item_label(i)) for i in session.scalars(stmt.order_by(Item.plan_id, Item.kind, Item.position))
    ]
    kinds = [Choice(code, label) for code, label in EVIDENCE_KINDS.items()]
    return FilterChoices(kinds, periods, units, items)
