"""The import dialog's background work, run in a worker process (Qt-free: see
:mod:`cds_desktop.ui.common.job_worker`): reading a plan document into a preview,
and writing the corrected preview into the database in one transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cds_desktop.importers.build import Analysis
from cds_desktop.ui.common.job_worker import DatabaseRef


def read_plan_file(ctx, path: str, ref: DatabaseRef) -> tuple[Analysis, dict[str, str | None], list]:
    """The document read and understood, its units matched in the catalogue, and the plans it may go into."""
    from cds_desktop.importers.run import analyse_path
    from cds_desktop.services.plan_actions import load_catalogue_matches, load_import_targets

    ctx.report(0, 0, f"Đang đọc «{Path(path).name}»…")
    analysis = analyse_path(path)
    db = ref.open()
    return analysis, load_catalogue_matches(db, analysis.draft), list(load_import_targets(db))


def write_plan(ctx, ref: DatabaseRef, analysis: Analysis, plan_uuid: str | None) -> dict[str, Any]:
    """Write the previewed plan (one transaction: a cancelled write leaves nothing)."""
    from cds_desktop.importers.run import import_analysis

    ctx.report(0, 0, "Đang ghi kế hoạch vào cơ sở dữ liệu…")
    return import_analysis(ref.open(), analysis, plan_uuid=plan_uuid)
