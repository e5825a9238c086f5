"""Danh mục minh chứng: the evidence list of a plan (optionally for a period, a unit,
a kind of document) as a report document — same NĐ 30 layout and renderers as the
other reports (``cds-desktop report evidence`` and ``cds-desktop evidence report``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cds_desktop.models import Plan
from cds_desktop.reports.document import (
    LANDSCAPE,
    Column,
    Para,
    ReportDocument,
    Row,
    Section,
    TableBlock,
    normalize_document,
)
from cds_desktop.reports.wording import BLANK_NUMBER, commune_words, count_words, date_words
from cds_desktop.services.evidence.periods import normalize_period
from cds_desktop.services.evidence.report import evidence_list

MIN_WIDTH_MM = {"stt": 12.0, "date": 22.0, "period": 22.0}


def build_evidence_list(
    session: Session, plan: Plan, *, period: str = "", unit_uuid: str = "", kind: str = ""
) -> ReportDocument:
    content = evidence_list(
        session, period=normalize_period(period), unit_uuid=unit_uuid, kind=kind, plan_uuid=plan.uuid
    )
    commune, year = commune_words(plan), plan.year
    columns = [Column(c.key, c.header, c.weight, c.align, MIN_WIDTH_MM.get(c.key, 0.0)) for c in content.columns]
    table = TableBlock(columns, [[c.header for c in content.columns]], [Row(r) for r in content.rows],
                       font_size=11, empty_text="Chưa có minh chứng nào.")
    section = Section(name="Danh mục minh chứng", orientation=LANDSCAPE)
    section.add(Para(content.title, "title"))
    if content.filter_lines:
        section.add(Para(" — ".join(content.filter_lines), "subtitle"))
    section.add(
        Para(f"(Kèm theo Báo cáo số{BLANK_NUMBER}/BC-UBND {date_words(None, year)} của UBND {commune})", "attached"),
        Para(f"Tổng số: {count_words(content.count)} minh chứng.", "summary"),
        table,
    )
    doc = ReportDocument(title="Danh mục minh chứng", sections=[section], author=f"UBND {commune}",
                         subject=plan.title)
    return normalize_document(doc)
