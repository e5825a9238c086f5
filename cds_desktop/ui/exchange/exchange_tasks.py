"""The Exchange screen's background work, run in a worker process (Qt-free: see
:mod:`cds_desktop.ui.common.job_worker`).  An import is applied in one transaction,
so a cancelled one (its process ended) leaves the database as it was."""

from __future__ import annotations

from typing import Any

from cds_desktop.ui.common.job_worker import DatabaseRef
from cds_desktop.ui.exchange.preview_rows import ReceivedResult


def _progress(ctx):
    return lambda done, total, text="": ctx.report(done, total, text)


def export_package(ctx, ref: DatabaseRef, path: str, scope: Any) -> Any:
    from cds_desktop.exchange import export_package as export

    return export(ref.open(), path, scope, progress=_progress(ctx))


def import_package(ctx, ref: DatabaseRef, path: str, dry_run: bool, resolutions: dict[str, str] | None,
                   trust_new: bool = False, allow_unsigned: bool = False) -> ReceivedResult:
    """Check (*dry_run*) or import a package; the window gets the counts and the preview rows.
    A package refused for its signer raises ``SignerRefused`` (picklable: the window asks)."""
    from cds_desktop.exchange.packages import import_package as receive

    result = receive(ref.open(), path, dry_run=dry_run, resolutions=resolutions, progress=_progress(ctx),
                     trust_new=trust_new, allow_unsigned=allow_unsigned)
    return ReceivedResult.of_package(result)


def import_workbooks(ctx, ref: DatabaseRef, paths: list[str], dry_run: bool,
                     resolutions: dict[str, str] | None) -> ReceivedResult:
    from cds_desktop.exchange.workbooks import import_workbooks as receive

    if dry_run:
        result = receive(ref.open(), paths, dry_run=True, progress=_progress(ctx))
    else:
        result = receive(ref.open(), paths, resolutions=resolutions, skip_rejected=True, progress=_progress(ctx))
    return ReceivedResult.of_workbooks(result)


def make_workbooks(ctx, ref: DatabaseRef, period: str, unit: str, folder: str, plan_uuid: str | None,
                   overwrite: bool = False) -> list | dict:
    """The workbooks made, or ``{"exists": [paths]}`` when some are already there (to ask first)."""
    from cds_desktop.exchange.workbook_write import generate_all_workbooks, generate_unit_workbook
    from cds_desktop.services.errors import OutputExists

    try:
        if unit:
            return [generate_unit_workbook(ref.open(), unit, period, folder, plan_uuid=plan_uuid, overwrite=overwrite)]
        return generate_all_workbooks(ref.open(), period, folder, plan_uuid=plan_uuid, progress=_progress(ctx),
                                      overwrite=overwrite)
    except OutputExists as exc:
        return {"exists": [str(p) for p in exc.paths]}
