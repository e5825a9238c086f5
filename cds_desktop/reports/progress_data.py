"""What the progress report and the reminder list need from the tracking and
evidence services, read for one plan and one period: the status report, the
latest task reports (result, difficulties, proposals) and evidence counts."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from cds_desktop.models import Evidence, EvidenceLink, Plan, ReportingPeriod, TaskProgress, Unit
from cds_desktop.services.evidence.periods import contained_codes
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import lower_first, period_label
from cds_desktop.services.tracking.status import StatusReport, build_status
from cds_desktop.services.tracking.warnings import StatusWarning

log = logging.getLogger(__name__)

LATE_KINDS = (codes.OVERDUE, codes.BEHIND_SCHEDULE, codes.AT_RISK)
REMINDER_KINDS = (codes.OVERDUE, codes.MISSING_REPORT)


@dataclass
class UnitReport:
    """A unit's latest report on a task (as of the end of the period)."""

    unit_name: str
    unit_short: str
    status: str
    percent: int | None
    result: str
    difficulties: str
    proposals: str
    period_code: str
    uuid: str


@dataclass
class ProgressData:
    plan: Plan
    status: StatusReport
    period_code: str
    period_text: str  # "tháng 9/2026", "quý III/2026"
    reports: dict[int, list[UnitReport]] = field(default_factory=dict)  # task id -> unit reports
    evidence: dict[int, int] = field(default_factory=dict)  # task id -> evidence count

    def late_warnings(self) -> list[StatusWarning]:
        return [w for w in self.status.warnings if w.kind in LATE_KINDS]

    def missing_warnings(self) -> list[StatusWarning]:
        return [w for w in self.status.warnings if w.kind == codes.MISSING_REPORT]


def latest_reports(session: Session, plan: Plan, as_of: date) -> dict[int, list[UnitReport]]:
    """Each unit's latest report on each task, in a period ending on or before *as_of*."""
    rn = func.row_number().over(
        partition_by=(TaskProgress.item_id, TaskProgress.unit_id),
        order_by=(ReportingPeriod.end_date.desc(), ReportingPeriod.start_date.desc(), TaskProgress.id.desc()),
    ).label("rn")
    ranked = (
        select(TaskProgress.id.label("pid"), rn)
        .join(ReportingPeriod, ReportingPeriod.id == TaskProgress.period_id)
        .where(ReportingPeriod.plan_id == plan.id, ReportingPeriod.end_date <= as_of)
        .subquery()
    )
    rows = session.execute(
        select(TaskProgress, ReportingPeriod.code, Unit.name, Unit.short_name, Unit.position)
        .join(ranked, ranked.c.pid == TaskProgress.id)
        .join(ReportingPeriod, ReportingPeriod.id == TaskProgress.period_id)
        .join(Unit, Unit.id == TaskProgress.unit_id)
        .where(ranked.c.rn == 1)
        .order_by(Unit.position, Unit.name)
    ).all()
    out: dict[int, list[UnitReport]] = {}
    for progress, code, name, short, _position in rows:
        out.setdefault(progress.item_id, []).append(UnitReport(
            name, short or name, progress.status, progress.percent, progress.result, progress.difficulties,
            progress.proposals, code, progress.uuid,
        ))
    return out


def evidence_counts(session: Session, status: StatusReport, reports: dict[int, list[UnitReport]],
                    period_code: str) -> dict[int, int]:
    """Evidence per task: live evidence linked to the task itself or to its progress reports,
    dated in the period (a quarter includes its months) or undated."""
    tasks = {t.info.uuid: t.info.id for t in status.tasks}
    progress_of = {r.uuid: item_id for item_id, found in reports.items() for r in found}
    if not tasks:
        return {}
    periods = contained_codes(period_code) + [""]
    rows = session.execute(
        select(EvidenceLink.target_type, EvidenceLink.target_uuid, EvidenceLink.evidence_id)
        .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
        .where(Evidence.period.in_(periods))
        .where(or_(
            (EvidenceLink.target_type == "item") & EvidenceLink.target_uuid.in_(list(tasks)),
            (EvidenceLink.target_type == "task_progress") & EvidenceLink.target_uuid.in_(list(progress_of)),
        ))
    ).all()
    found: dict[int, set[int]] = {}
    for target_type, target_uuid, evidence_id in rows:
        item_id = tasks.get(target_uuid) if target_type == "item" else progress_of.get(target_uuid)
        if item_id is not None:
            found.setdefault(item_id, set()).add(evidence_id)
    return {item_id: len(ids) for item_id, ids in found.items()}


def progress_data(session: Session, plan: Plan, period: str | None, today: date) -> ProgressData:
    """Everything the progress report and the reminders read, for *period* (default: the
    reporting period containing *today*)."""
    status = build_status(session, plan, today, period or None)
    code = status.period.code
    reports = latest_reports(session, plan, status.period.end)
    evidence = evidence_counts(session, status, reports, code)
    log.info("Progress data of plan %s for %s: %d tasks, %d indicators, %d warnings", plan.uuid, code,
             len(status.tasks), len(status.indicators), len(status.warnings))
    return ProgressData(plan, status, code, lower_first(period_label(code)), reports, evidence)
