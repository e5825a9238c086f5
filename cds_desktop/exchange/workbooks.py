"""Importing one returned workbook or a whole folder of them, in one transaction.

    result = import_workbooks(db, ["phieu-thon-dong.xlsx"], dry_run=True)   # the preview
    result = import_workbooks(db, [folder], resolutions={row.key: "theirs"})

Evidence files the unit listed are looked for next to the workbook (and in a
folder named like it); found files are copied into the evidence store before
the transaction and linked to the report inside it.  A rejected file is
reported with its reason; by default nothing is imported while any file is
rejected (``skip_rejected=True`` imports the others).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.exchange.errors import ExchangeError, RejectedFile
from cds_desktop.exchange.history import add_history
from cds_desktop.exchange.workbook_import import Analysis, RowResult, analyse, evidence_path, write_row
from cds_desktop.exchange.workbook_read import read_workbook
from cds_desktop.models import TASK, Evidence
from cds_desktop.models.exchange import IMPORT_WORKBOOK
from cds_desktop.services.evidence import store as store_mod

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


def collect_workbook_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Workbooks among *paths*; a folder stands for the ``.xlsx`` files directly in it."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith(("~$",
                                                                                                              ".~")))
        else:
            out.append(path)
    if not out:
        raise ExchangeError("Không có phiếu báo cáo (.xlsx) nào trong các tệp, thư mục đã chọn.")
    return list(dict.fromkeys(out))


@dataclass
class WorkbookImportResult:
    analyses: list[Analysis] = field(default_factory=list)
    rejected: list[RejectedFile] = field(default_factory=list)
    applied: bool = False
    resolutions: dict[str, str] = field(default_factory=dict)
    missing_evidence: list[str] = field(default_factory=list)
    attached: int = 0

    @property
    def rows(self) -> list[RowResult]:
        return [row for a in self.analyses for row in a.rows]

    @property
    def conflicts(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == "conflict"]

    @property
    def counts(self) -> dict[str, int]:
        rows = self.rows
        counts = {"created": sum(r.status == "new" for r in rows), "updated": sum(r.status == "changed" for r in rows),
                  "unchanged": sum(r.status == "unchanged" for r in rows), "deleted": 0,
                  "invalid": sum(r.status == "invalid" for r in rows), "missing": sum(r.status == "missing" for r in rows)}
        if self.applied:
            for row in self.conflicts:
                counts["updated" if self.resolutions.get(row.key) == "theirs" else "unchanged"] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "dry_run": not self.applied, **self.counts,
            "conflicts": [dict(r.to_dict(), resolution=self.resolutions.get(r.key) if self.applied else None)
                          for r in self.conflicts],
            "rows": [r.to_dict() for r in self.rows],
            "warnings": [str(m) for a in self.analyses for m in a.messages],
            "rejected": [{"file": e.file_name, "reason": e.reason} for e in self.rejected],
            "files": [{"file": a.workbook.display, "workbook_uuid": a.workbook.workbook_uuid,
                       "unit": a.workbook.meta.get("unit_name", ""), "period": a.workbook.meta.get("period_code", ""),
                       "already_imported": a.already_imported} for a in self.analyses],
            "missing_evidence": self.missing_evidence, "evidence_attached": self.attached,
        }

    def summary(self) -> str:
        c = self.counts
        head = "Kết quả kiểm tra (chưa ghi gì)" if not self.applied else "Đã nhập"
        text = (f"{head} {len(self.analyses)} phiếu: {c['created']} dòng mới, {c['updated']} thay đổi, "
                f"{c['unchanged']} không đổi, {c['invalid']} không hợp lệ, {len(self.conflicts)} khác số liệu đã có")
        if self.rejected:
            text += f"; {len(self.rejected)} tệp bị từ chối"
        return text + "."


def _read_all(files: list[Path], result: WorkbookImportResult, progress: Progress | None) -> list:
    workbooks = []
    for number, path in enumerate(files, 1):
        if progress is not None:
            progress(number - 1, len(files), f"Đang đọc «{path.name}» ({number}/{len(files)})…")
        try:
            workbooks.append(read_workbook(path))
        except RejectedFile as exc:
            result.rejected.append(exc)
    return workbooks


class _Duplicate(RejectedFile):
    pass


class _Unusable(RejectedFile):
    pass


def _analyse_all(session: Session, workbooks: list, result: WorkbookImportResult) -> None:
    """(Re)analyse every readable workbook; rejections found here replace earlier ones of the same kind."""
    result.analyses = []
    result.rejected = [e for e in result.rejected if not isinstance(e, _Duplicate | _Unusable)]
    seen: dict[str, str] = {}
    for workbook in workbooks:
        if workbook.workbook_uuid in seen:
            result.rejected.append(_Duplicate(workbook.display, f"trùng với phiếu «{seen[workbook.workbook_uuid]}» "
                                                                "đã chọn (cùng một phiếu gửi hai lần)."))
            continue
        try:
            result.analyses.append(analyse(session, workbook))
            seen[workbook.workbook_uuid] = workbook.display
        except RejectedFile as exc:
            result.rejected.append(_Unusable(exc.file_name, exc.reason))


def import_workbooks(
    db: Database,
    paths: Iterable[str | os.PathLike[str]],
    *,
    resolutions: dict[str, str] | None = None,
    today: date | None = None,
    dry_run: bool = False,
    skip_rejected: bool = False,
    progress: Progress | None = None,
) -> WorkbookImportResult:
    """Preview (*dry_run*) or import returned workbooks; see the module docstring."""
    today = today or date.today()
    files = collect_workbook_files(paths)
    result = WorkbookImportResult(resolutions=dict(resolutions or {}))
    workbooks = _read_all(files, result, progress)
    if dry_run or (result.rejected and not skip_rejected):
        with db.session(source="exchange") as session:
            _analyse_all(session, workbooks, result)
            _find_evidence(result)
            session.rollback()
        return result
    with db.session(source="exchange") as session:  # which evidence files to store first
        _analyse_all(session, workbooks, result)
        wanted = _find_evidence(result)
        session.rollback()
    store = store_mod.EvidenceStore(db.evidence_dir)
    stored: dict[Path, store_mod.StoredFile] = {}
    committed = False
    try:
        for path in wanted:
            stored[path] = store.ingest(path)
        with db.session(source="exchange") as session:
            _analyse_all(session, workbooks, result)
            if result.rejected and not skip_rejected:
                raise result.rejected[0]
            for analysis in result.analyses:
                _apply_one(session, analysis, result, stored, today)
        committed = True
        result.applied = True
    finally:
        for item in stored.values():
            store_mod.release(item.sha256)
        if not committed:
            for item in stored.values():
                if item.created:
                    store.discard_new(item.sha256)
    log.info("Imported %d workbook(s): %s", len(result.analyses), result.counts)
    return result


def _find_evidence(result: WorkbookImportResult) -> list[Path]:
    wanted = []
    result.missing_evidence = [str(m) for a in result.analyses for row in a.rows for m in row.messages
                               if m.column == "evidence"]
    for analysis in result.analyses:
        for row in analysis.rows:
            if row.status in ("new", "changed", "conflict"):
                wanted += [p for p in (evidence_path(analysis.workbook.path, n) for n in row.evidence) if p]
    return list(dict.fromkeys(wanted))


def _apply_one(session: Session, analysis: Analysis, result: WorkbookImportResult,
               stored: dict[Path, store_mod.StoredFile], today: date) -> None:
    workbook = analysis.workbook
    session.info["source"] = f"import:{workbook.display}"[:200]
    session.info["reason"] = f"Phiếu báo cáo {workbook.meta.get('period_label', '')} của {workbook.meta.get('unit_name', '')}"
    for row in analysis.rows:
        if row.status not in ("new", "changed", "conflict"):
            continue
        record = write_row(session, analysis, row, result.resolutions.get(row.key), today)
        if record is not None and row.evidence:
            for name in row.evidence:
                path = evidence_path(workbook.path, name)
                if path is not None and path in stored:
                    result.attached += _link(session, stored[path], path.name, row, record, workbook.meta)
    session.flush()
    add_history(session, IMPORT_WORKBOOK, package_uuid=workbook.workbook_uuid, peer_name=workbook.meta["unit_name"],
                file_name=workbook.display, counts=_file_counts(analysis, result),
                scope={"kind": "workbook", "unit_uuid": workbook.meta["unit_uuid"],
                       "unit_label": workbook.meta["unit_name"], "period_code": workbook.meta["period_code"],
                       "period_label": workbook.meta.get("period_label", "")})


def _file_counts(analysis: Analysis, result: WorkbookImportResult) -> dict[str, int]:
    rows = analysis.rows
    return {"created": sum(r.status == "new" for r in rows), "updated": sum(r.status == "changed" for r in rows) + sum(
        r.status == "conflict" and result.resolutions.get(r.key) == "theirs" for r in rows),
        "unchanged": sum(r.status == "unchanged" for r in rows), "invalid": sum(r.status == "invalid" for r in rows),
        "conflicts": sum(r.status == "conflict" for r in rows)}


def _link(session: Session, stored: store_mod.StoredFile, name: str, row: RowResult, record: Any,
          meta: dict[str, str]) -> int:
    from cds_desktop.models import Unit
    from cds_desktop.services.evidence.attach import file_type, guess_kind, link_evidence
    from cds_desktop.text import nfc

    evidence = session.scalar(select(Evidence).where(Evidence.sha256 == stored.sha256)
                              .order_by(Evidence.id).limit(1))
    if evidence is None:
        ext, mime = file_type(name)
        unit = session.scalar(select(Unit).where(Unit.uuid == meta["unit_uuid"]))
        evidence = Evidence(sha256=stored.sha256, size=stored.size, original_name=nfc(name), extension=ext, mime=mime,
                            kind=guess_kind(name), period=meta["period_code"], unit=unit,
                            description=f"Gửi kèm phiếu báo cáo {meta.get('period_label', '')}")
        session.add(evidence)
        session.flush()
    target = "task_progress" if row.kind == TASK else "indicator_value"
    _link_row, changed = link_evidence(session, evidence, target, record.uuid)
    session.flush()
    return int(changed)
