"""Official report tables as PDF and Excel (Nghị định 30/2020/NĐ-CP format).

Two steps, both Qt-free:

1. *build*: from the database to a neutral :class:`ReportDocument`
   (:mod:`.appendix`, :mod:`.unit_plan`, :mod:`.progress_report`);
2. *render*: the document to PDF (:mod:`.pdf`, reportlab) or Excel
   (:mod:`.xlsx`, openpyxl).

Entry points::

    render_report(db, "phu-luc-01", "pdf", "pl01.pdf")
    render_report(db, "unit-plan", "xlsx", "vp.xlsx", unit_uuid="Văn phòng HĐND-UBND")
    render_all_units(db, "pdf", "out/")

``progress(done, total, text)`` is called now and then (from the calling
thread), so a UI can show progress of a long render.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cds_desktop.reports.document import ReportDocument
from cds_desktop.reports.tree import Progress, no_progress
from cds_desktop.services.errors import ServiceError, refuse_existing
from cds_desktop.text import fold
from cds_desktop.vocabulary import SECTION_INDICATORS, SECTION_TASKS

if TYPE_CHECKING:  # loaded when a report is built from the database (not by the light path, reports.light)
    from sqlalchemy.orm import Session

    from cds_desktop.database import Database
    from cds_desktop.models import Plan, Unit

log = logging.getLogger(__name__)

__all__ = [
    "FORMATS", "KINDS", "ReportDocument", "ReportRequest", "build_report", "render_all_units", "render_document",
    "render_report", "suggested_filename", "build_report_document", "suggested_filename_for",
]

KINDS: dict[str, str] = {
    "phu-luc-01": "Phụ lục 01 — Danh mục chỉ tiêu",
    "phu-luc-02": "Phụ lục 02 — Danh mục nhiệm vụ",
    "unit-plan": "Kế hoạch của cơ quan/đơn vị",
    "progress": "Báo cáo kết quả thực hiện",
    "reminders": "Danh sách đôn đốc",
    "evidence": "Danh mục minh chứng",
}
APPENDIX_SECTIONS = {"phu-luc-01": SECTION_INDICATORS, "phu-luc-02": SECTION_TASKS}
FORMATS = ("pdf", "xlsx")
PERIOD_KINDS = ("progress", "reminders")


@dataclass
class ReportRequest:
    """What the officer chose; plain data, safe to pass to a worker thread."""

    kind: str
    plan: str | None = None  # UUID or number; None: the most recent plan
    period: str | None = None  # period code, for progress and reminders
    unit: str | None = None  # UUID or any name of the unit, for unit-plan (and to filter reminders)
    columns: list[str] | None = None  # column keys, for the appendices
    today: date | None = None  # "as of" day of progress and reminders (default: today)
    for_signing: bool = False  # to be signed digitally: a report without a signature block gets the plan's


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ServiceError(f"Loại báo cáo không hợp lệ: «{kind}». Chọn một trong: {', '.join(KINDS)}.")


def _check_format(fmt: str) -> str:
    fmt = (fmt or "").lower().lstrip(".")
    if fmt not in FORMATS:
        raise ServiceError(f"Định dạng không hợp lệ: «{fmt}» (chỉ pdf hoặc xlsx).")
    return fmt


def build_report(session: Session, request: ReportRequest, progress: Progress = no_progress) -> ReportDocument:
    """The neutral document for *request* (raises ServiceError with a Vietnamese message)."""
    doc = _build_report(session, request, progress)
    if request.for_signing and doc.sections:
        from cds_desktop.reports.document import Signature
        from cds_desktop.services.lookup import resolve_plan

        last = doc.sections[-1]
        if not any(isinstance(block, Signature) for block in last.blocks):
            # the digital signature goes where the plan's signer signs (an appendix printed alone has no block)
            plan = resolve_plan(session, request.plan)
            last.add(Signature(recipients=[], authority=plan.authority, position=plan.position, signer=plan.signer))
    return doc


def _build_report(session: Session, request: ReportRequest, progress: Progress) -> ReportDocument:
    from cds_desktop.services.lookup import resolve_plan, resolve_unit, resolve_unit_uuid

    _check_kind(request.kind)
    plan = resolve_plan(session, request.plan)
    if request.kind in APPENDIX_SECTIONS:
        from cds_desktop.reports.appendix import build_appendix

        return build_appendix(session, plan, APPENDIX_SECTIONS[request.kind], request.columns, progress)
    if request.kind == "unit-plan":
        from cds_desktop.reports.unit_plan import build_unit_plan

        if not request.unit:
            raise ServiceError("Kế hoạch của đơn vị: hãy chọn đơn vị (--unit) hoặc lập cho tất cả đơn vị.")
        return build_unit_plan(session, plan, resolve_unit(session, request.unit), progress)
    if request.kind == "evidence":
        from cds_desktop.reports.evidence_list import build_evidence_list

        unit_uuid = resolve_unit_uuid(session, request.unit) or ""
        return build_evidence_list(session, plan, period=request.period or "", unit_uuid=unit_uuid)
    from cds_desktop.reports import progress_report

    return progress_report.build(session, plan, request.kind, request.period, progress, request.today, request.unit)


def build_report_document(db: Database, request: ReportRequest, progress: Progress = no_progress) -> ReportDocument:
    """:func:`build_report` in its own unit of work (what a screen's background job calls)."""
    with db.session(source="report") as session:
        return build_report(session, request, progress)


def render_document(doc: ReportDocument, fmt: str, out_path: str | Path, progress: Progress = no_progress,
                    spots: list | None = None) -> Path:
    """Render *doc*; for a PDF, *spots* (when given) receives where its signature blocks leave
    room for a signature (:class:`.pdf.SignatureSpot`)."""
    fmt = _check_format(fmt)
    out = Path(out_path)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    try:  # write aside, then replace: a failed render never leaves half a file under the real name
        if fmt == "pdf":
            from cds_desktop.reports.pdf import render_pdf

            render_pdf(doc, tmp, progress, spots)
        else:
            from cds_desktop.reports.xlsx import render_xlsx

            render_xlsx(doc, tmp, progress)
        tmp.replace(out)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise ServiceError(f"Không ghi được tệp {out} (tệp đang mở trong chương trình khác?).") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return out


def render_report(
    db: Database, kind: str, fmt: str, out_path: str | Path, plan_uuid: str | None = None,
    period: str | None = None, unit_uuid: str | None = None, columns: list[str] | None = None,
    progress: Progress | None = None, today: date | None = None,
) -> Path:
    """Build and render one report; returns the written path."""
    progress = progress or no_progress
    fmt = _check_format(fmt)
    request = ReportRequest(kind=kind, plan=plan_uuid, period=period, unit=unit_uuid, columns=columns, today=today)
    return render_document(build_report_document(db, request, progress), fmt, out_path, progress)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")[:60] or "bao_cao"


def suggested_filename(kind: str, plan: Plan, fmt: str, unit: Unit | None = None, period: str | None = None) -> str:
    """An ASCII file name that survives USB sticks and e-mail: "phu_luc_01_139_kh_ubnd.pdf"."""
    parts = [kind.replace("-", "_")]
    if unit is not None:
        parts.append(_slug(unit.short_name or unit.name))
    if period:
        parts.append(_slug(period))
    parts.append(_slug(plan.number) if plan.number else str(plan.year))
    return "_".join(parts) + "." + _check_format(fmt)


def suggested_filename_for(db: Database, kind: str, plan_uuid: str | None, fmt: str, period: str | None = None) -> str:
    """:func:`suggested_filename` for the plan named by *plan_uuid* (one read)."""
    from cds_desktop.services.lookup import resolve_plan

    with db.session(source="ui") as session:
        return suggested_filename(kind, resolve_plan(session, plan_uuid), fmt, period=period)


def render_all_units(
    db: Database, fmt: str, out_dir: str | Path, plan_uuid: str | None = None, progress: Progress | None = None,
    *, overwrite: bool = True,
) -> list[Path]:
    """One unit plan per unit that leads or coordinates something in the plan, into *out_dir*
    (existing files are replaced only with *overwrite*)."""
    from cds_desktop.reports.loading import plan_units
    from cds_desktop.reports.unit_plan import build_unit_plan
    from cds_desktop.services.lookup import resolve_plan

    progress = progress or no_progress
    fmt = _check_format(fmt)
    folder = Path(out_dir)
    written: list[Path] = []
    with db.session(source="report") as session:
        plan = resolve_plan(session, plan_uuid)
        units = plan_units(session, plan)
        if not units:
            raise ServiceError("Kế hoạch chưa phân công chỉ tiêu, nhiệm vụ cho đơn vị nào.")
        refuse_existing([folder / suggested_filename("unit-plan", plan, fmt, unit) for unit in units], overwrite)
        folder.mkdir(parents=True, exist_ok=True)
        for number, unit in enumerate(units):
            progress(number, len(units), f"Đang lập kế hoạch của {unit.name} ({number + 1}/{len(units)})…")
            doc = build_unit_plan(session, plan, unit)
            written.append(render_document(doc, fmt, folder / suggested_filename("unit-plan", plan, fmt, unit)))
    progress(len(units), len(units), "Xong.")
    log.info("Wrote %d unit plans into %s", len(written), folder)
    return written
