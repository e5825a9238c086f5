"""The rows of the Exchange screen's import preview, built from the exchange services'
results (Qt-free: they are built in the worker process that checked or imported the
files, and only these rows, not the whole merge plan, come back to the window)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cds_desktop.exchange.decisions import CHOICE_LABELS, CONFLICT_KINDS, FIELD_LABELS
from cds_desktop.exchange.packages import ImportResult
from cds_desktop.exchange.workbook_import import _header
from cds_desktop.exchange.workbooks import WorkbookImportResult

ACTION_LABELS = {"create": "Mới", "update": "Cập nhật", "delete": "Xóa", "sync": "Không đổi", "conflict": "Xung đột"}
WORKBOOK_CHOICES = {"mine": "Giữ số liệu đã có", "theirs": "Lấy theo phiếu"}


@dataclass
class PreviewRow:
    """One line of an import preview."""

    uuid: str  # key: incoming record uuid, or "<workbook uuid>:<item uuid>" for a workbook row
    file: str
    place: str  # table, or "dòng 12"
    label: str
    status: str  # create/update/delete/conflict (package) | new/changed/unchanged/invalid/conflict/missing/rejected
    status_label: str
    detail: str = ""
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, mine/recorded, theirs/workbook)
    choices: tuple[str, ...] = ()
    choice: str = ""
    choice_labels: dict[str, str] = field(default_factory=dict)

    @property
    def is_conflict(self) -> bool:
        return self.status == "conflict"

    @property
    def choice_label(self) -> str:
        if not self.is_conflict:
            return ""
        return self.choice_labels.get(self.choice, "Chưa chọn (giữ nguyên)")


def package_rows(result: ImportResult, limit: int = 5000) -> list[PreviewRow]:
    """Conflicts first, then what would be created, updated or deleted (up to *limit* lines)."""
    rows = []
    decisions = sorted(result.plan.decisions, key=lambda d: (d.action != "conflict", d.spec.name))
    for decision in decisions:
        if decision.action == "sync":
            continue
        if len(rows) >= limit:
            break
        label = decision.label
        if not label:
            from cds_desktop.exchange.records import describe

            label = describe(decision.spec, decision.theirs)
        detail = CONFLICT_KINDS.get(decision.kind, "")
        fields = [(FIELD_LABELS.get(f, f), a, b) for f, a, b in decision.fields]
        rows.append(PreviewRow(decision.uuid, result.plan.file_name, decision.spec.label, label, decision.action,
                               ACTION_LABELS.get(decision.action, decision.action), detail, fields,
                               decision.choices, result.resolutions.get(decision.uuid, ""), dict(CHOICE_LABELS)))
    return rows


def workbook_rows(result: WorkbookImportResult) -> list[PreviewRow]:
    rows = [PreviewRow(f"rejected:{r.file_name}", r.file_name, "", "Tệp bị từ chối", "rejected", "Bị từ chối",
                       r.reason) for r in result.rejected]
    for row in result.rows:
        place = f"dòng {row.row}" if row.row else ""
        detail = "; ".join(m.text for m in row.messages)
        if row.status == "conflict" and not detail:
            detail = "Đơn vị báo cáo khác số liệu đã ghi nhận cho kỳ này"
        fields = [(_header(f), a, b) for f, a, b in row.conflicts]
        rows.append(PreviewRow(row.key, row.file, place, row.label, row.status, row.status_label, detail, fields,
                               ("mine", "theirs") if row.status == "conflict" else (),
                               result.resolutions.get(row.key, ""), dict(WORKBOOK_CHOICES)))
    order = {"rejected": 0, "conflict": 1, "invalid": 2, "new": 3, "changed": 4, "missing": 5, "unchanged": 6}
    return sorted(rows, key=lambda r: order.get(r.status, 9))


def signer_line(result: ImportResult) -> str:
    """Who signed the package, as the import page says it."""
    from cds_desktop.exchange.trust import STATUS_LABELS

    signer = result.signer
    if signer is None:
        return "Gói không có chữ ký số."
    return f"Người ký: {signer.office or 'không rõ tên'} (mã khóa {signer.fingerprint}, {STATUS_LABELS[signer.status]})."


@dataclass
class ReceivedResult:
    """What the window keeps of a check or an import: counts, the summary, the preview rows."""

    applied: bool
    counts: dict[str, int]
    summary_text: str
    rows: list[PreviewRow]
    rejected: list[Any] = field(default_factory=list)  # workbooks refused as a whole

    def summary(self) -> str:
        return self.summary_text

    @classmethod
    def of_package(cls, result: ImportResult) -> ReceivedResult:
        return cls(result.applied, dict(result.counts), f"{result.summary()} {signer_line(result)}",
                   package_rows(result))

    @classmethod
    def of_workbooks(cls, result: WorkbookImportResult) -> ReceivedResult:
        return cls(result.applied, dict(result.counts), result.summary(), workbook_rows(result),
                   [r.file_name for r in result.rejected])
