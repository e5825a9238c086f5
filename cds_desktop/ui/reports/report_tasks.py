"""The Reports screen's background work, run in a worker process (Qt-free: see
:mod:`cds_desktop.ui.common.job_worker`): a report rendered to PDF/Excel, the
preview's page images, every unit's plan, and the page images to print."""

from __future__ import annotations

from pathlib import Path

from cds_desktop.reports import ReportRequest
from cds_desktop.ui.common.job_worker import DatabaseRef


def render_report(ctx, ref: DatabaseRef, request: ReportRequest, fmt: str, target: str) -> str:
    from cds_desktop.reports import build_report_document, render_document

    doc = build_report_document(ref.open(), request, ctx.report)
    return str(render_document(doc, fmt, target, ctx.report))


def render_preview(ctx, ref: DatabaseRef, request: ReportRequest, pdf: str,
                   dpi: int) -> tuple[Path, list[Path], str]:
    """The report as a PDF and its pages as images (beside it); *note* says why there are none."""
    from cds_desktop.reports import build_report_document, render_document
    from cds_desktop.reports.preview import PreviewUnavailable, pdf_page_images

    target = Path(pdf)
    render_document(build_report_document(ref.open(), request, ctx.report), "pdf", target, ctx.report)
    ctx.report(0, 0, "Đang tạo ảnh các trang…")
    try:
        return target, pdf_page_images(target, target.parent, dpi), ""
    except PreviewUnavailable as exc:
        return target, [], str(exc)


def render_all_units(ctx, ref: DatabaseRef, fmt: str, folder: str, plan_uuid: str | None,
                     overwrite: bool = False) -> str | dict:
    """What was written, or ``{"exists": [paths]}`` when some files are already there (to ask first)."""
    from cds_desktop.reports import render_all_units as render
    from cds_desktop.services.errors import OutputExists

    try:
        paths = render(ref.open(), fmt, Path(folder), plan_uuid, ctx.report, overwrite=overwrite)
    except OutputExists as exc:
        return {"exists": [str(p) for p in exc.paths]}
    return f"{folder} ({len(paths)} tệp)"


def page_images(ctx, pdf: str, folder: str, dpi: int) -> list[Path]:
    from cds_desktop.reports.preview import pdf_page_images

    ctx.report(0, 0, "Đang chuẩn bị trang in…")
    return pdf_page_images(pdf, folder, dpi)


def render_signed(ctx, ref: DatabaseRef, request: ReportRequest, key, password: str, target: str) -> str:
    """The report as a digitally signed PDF (the password or PIN lives only in this call)."""
    from cds_desktop.reports.pdf_sign import render_signed_report

    signed = render_signed_report(ref.open(), request, target, key, password, ctx.report)
    return f"{signed.path} (ký số bởi {signed.signer})"


def check_signatures(ctx, pdf: str, data_dir: str | None) -> list:
    """Every signature of *pdf*, checked against the data folder's trusted roots (``ca/``)."""
    from cds_desktop.reports.pdf_sign import trust_roots_in, verify_pdf

    ctx.report(0, 0, "Đang kiểm tra chữ ký số…")
    return verify_pdf(pdf, trust_roots_in(data_dir))
