"""Running an import end to end, for the CLI and the GUI (no Qt here).

``analyse_path`` / ``analyse_text`` read and understand a document;
``import_analysis`` writes it in one transaction (audit source
``import:<file name>``); ``dry_run_import`` does the same on a throw-away copy
of the database so that the user's data is not touched at all.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from cds_desktop.importers.apply import ApplyResult, apply_draft
from cds_desktop.importers.build import SECTION_KIND, Analysis, analyse, rebuild
from cds_desktop.importers.document import ImportFailure
from cds_desktop.importers.readers import read_path, read_text
from cds_desktop.models import Plan

log = logging.getLogger(__name__)

PASTED_NAME = "dữ liệu dán"


def analyse_path(path: str | Path) -> Analysis:
    return analyse(read_path(path))


def analyse_text(text: str, name: str = PASTED_NAME) -> Analysis:
    return analyse(read_text(text, name))


def check_importable(analysis: Analysis, *, plan_uuid: str | None = None, single_plan: Plan | None = None) -> None:
    """Refuse, with a Vietnamese message, a document the importer cannot turn into a plan."""
    name = analysis.name or PASTED_NAME
    if not any(t.kind in SECTION_KIND for t in analysis.tables):
        raise ImportFailure(f"Không nhập được tệp «{name}»: không tìm thấy bảng chỉ tiêu hay nhiệm vụ nào.")
    if not analysis.draft.get("items"):
        raise ImportFailure(f"Không nhập được tệp «{name}»: các bảng không có dòng chỉ tiêu/nhiệm vụ nào đọc được.")
    if plan_uuid or single_plan is not None:
        return
    if not analysis.draft["commune"]["name"]:
        raise ImportFailure(f"Không nhập được tệp «{name}»: không xác định được xã/phường của kế hoạch "
                            "(hãy chọn kế hoạch cần nhập vào).")
    if not analysis.draft["plan"]["year"]:
        raise ImportFailure(f"Không nhập được tệp «{name}»: không xác định được năm của kế hoạch.")


def tables_report(analysis: Analysis) -> list[dict[str, Any]]:
    return [
        {"table": t.number, "where": t.describe(), "kind": t.kind, "kind_label": t.kind_label,
         "columns": [{"header": c.header, "field": c.field} for c in t.columns],
         "rows": sum(1 for r in t.rows if r.role in ("item", "group", "continuation", "note"))}
        for t in analysis.tables
    ]


class _Rollback(Exception):
    def __init__(self, report: dict[str, Any]) -> None:
        super().__init__("dry run")
        self.report = report


def _fallback_plan(session: Any, analysis: Analysis, plan_uuid: str | None) -> str | None:
    """Without a commune or a year in the document, import into the database's only plan."""
    draft = analysis.draft
    if plan_uuid or (draft["commune"]["name"] and draft["plan"]["year"]):
        return plan_uuid
    live = list(session.scalars(select(Plan)))
    if len(live) == 1:
        analysis.warnings.append({"table": None, "row": None, "message": (
            f"Tệp không nêu xã/phường hoặc năm: nhập vào kế hoạch duy nhất «{live[0].title}».")})
        return live[0].uuid
    check_importable(analysis)
    return None


def import_analysis(db: Any, analysis: Analysis, *, plan_uuid: str | None = None,
                    dry_run: bool = False) -> dict[str, Any]:
    """Write the analysed plan in one transaction; with *dry_run* roll everything back."""
    from cds_desktop.services.info import plan_summary

    if not any(t.kind in SECTION_KIND for t in analysis.tables) or not analysis.draft.get("items"):
        check_importable(analysis, plan_uuid=plan_uuid)
    source = f"import:{analysis.name or PASTED_NAME}"
    try:
        with db.session(source=source) as session:
            chosen = _fallback_plan(session, analysis, plan_uuid)
            result: ApplyResult = apply_draft(session, analysis.draft, plan_uuid=chosen, stated=analysis.stated)
            report = _report(analysis, result, plan_summary(session, result.plan), dry_run)
            if dry_run:
                raise _Rollback(report)
    except _Rollback as rollback:
        return rollback.report
    log.info("Imported %s: %s", analysis.name, {k: report[k] for k in ("groups", "items")})
    return report


def _report(analysis: Analysis, result: ApplyResult, summary: dict, dry_run: bool) -> dict[str, Any]:
    return {
        "file": analysis.name,
        "dry_run": dry_run,
        "plan": summary,
        "plan_created": result.plan_created,
        "plan_updated": result.plan_updated,
        "groups": result.groups,
        "items": result.items,
        "items_not_in_file": result.items_not_in_file,
        "units": result.units,
        "people": result.people,
        "tables": tables_report(analysis),
        "groups_read": groups_report(analysis),
        "rows": rows_report(analysis),
        "warnings": analysis.warnings + result.warnings,
    }


def groups_report(analysis: Analysis) -> list[dict[str, Any]]:
    """Every group read, in order, with the items directly in it."""
    direct: dict[str | None, int] = {}
    for item in analysis.draft.get("items", []):
        direct[item["group"]] = direct.get(item["group"], 0) + 1
    return [{"section": g["section"], "key": g["key"], "parent": g["parent"], "label": g["label"],
             "title": g["title"], "note": g["note"], "declared": g["declared_count"], "items": direct.get(g["key"], 0)}
            for g in analysis.draft.get("groups", [])]


@lru_cache(maxsize=4096)
def _target_reading(target_text: str, content: str) -> str:
    """How a target is understood ("≥ 95%"), from its own cell or from the content."""
    from cds_desktop.services.targets import extract_target, format_target, parse_target

    target = parse_target(target_text) if target_text else extract_target(content)
    return format_target(target) if target.comparator != "none" else ""


def rows_report(analysis: Analysis) -> list[dict[str, Any]]:
    """Every item read, as it will be written, with where it comes from and what the reader was unsure of."""
    from cds_desktop.services.measure_units import measure_unit, with_measure_unit

    titles = {g["key"]: g["title"] for g in analysis.draft.get("groups", [])}
    out = []
    for index, item in enumerate(analysis.draft.get("items", [])):
        table, row = analysis.item_rows[index] if index < len(analysis.item_rows) else (None, None)
        out.append({
            "kind": item["kind"], "group": item["group"], "group_title": titles.get(item["group"], ""),
            "number": item["number"], "local_number": item["local_number"], "content": item["content"],
            "target_text": item["target_text"], "target": _target_reading(
                with_measure_unit(item["target_text"], measure_unit(item.get("extra"))), item["content"]),
            "deadline_text": item["deadline_text"], "lead": item["lead"], "coordinating": item["coordinating"],
            "leader": item["leader"], "leader_text": item["leader_text"],
            "expected_result": item.get("expected_result", ""), "output_product": item.get("output_product", ""),
            "table": table, "row": row,
            "flags": analysis.item_flags[index] if index < len(analysis.item_flags) else [],
        })
    return out


def dry_run_import(data_dir: str | None, db_url: str | None, analysis: Analysis,
                   *, plan_uuid: str | None = None) -> dict[str, Any]:
    """Import into a copy of the database (a fresh one if there is none yet); the user's data is untouched."""
    from cds_desktop.database import open_database
    from cds_desktop.database.engine import configured_url
    from cds_desktop.paths import app_paths

    paths = app_paths(data_dir)
    url = configured_url(paths, db_url) if paths.data_dir.exists() or db_url else f"sqlite:///{paths.db_file}"
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        db = open_database(data_dir, url)
        try:
            return import_analysis(db, analysis, plan_uuid=plan_uuid, dry_run=True)
        finally:
            db.close()
    with tempfile.TemporaryDirectory(prefix="cds-dry-run-") as tmp:
        copy = Path(tmp) / "cds.sqlite"
        source = Path(sa_url.database) if sa_url.database and sa_url.database != ":memory:" else None
        if source is not None and source.exists() and source.stat().st_size:
            shutil.copyfile(source, copy)
            wal = source.with_name(source.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        db = open_database(tmp, f"sqlite:///{copy.as_posix()}")
        try:
            return import_analysis(db, analysis, plan_uuid=plan_uuid, dry_run=True)
        finally:
            db.close()


__all__ = ["analyse_path", "analyse_text", "check_importable", "dry_run_import", "import_analysis", "rebuild"]
