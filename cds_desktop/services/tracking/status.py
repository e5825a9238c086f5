"""The status of a plan at a date: task statuses, indicator evaluations, warnings,
completeness — what ``cds-desktop status`` prints and the dashboard draws.

``today`` is always a parameter.  The *period* (default: the reporting period
containing today) sets "as of": statuses and figures are the latest reported
in periods ending by its end.  Missing-report warnings concern the reporting
periods inside the chosen period whose due day has passed (without a chosen
period: the latest period already due).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cds_desktop.models import INDICATOR, TASK, Plan, ReportingPeriod
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import (
    CalendarSettings,
    calendar_settings,
    get_period,
    last_due_period,
    live_periods,
    period_for_day,
    period_label,
)
from cds_desktop.services.tracking.completeness import Completeness, PeriodInfo, compute_completeness
from cds_desktop.services.tracking.evaluation import (
    Evaluation,
    Figure,
    evaluate,
    figure_text,
    indicator_figures,
)
from cds_desktop.services.tracking.queries import item_status_select
from cds_desktop.services.tracking.refs import ItemInfo, item_infos
from cds_desktop.services.tracking.warnings import StatusWarning, before_tracking, compute_warnings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskStatus:
    info: ItemInfo
    status: str  # a status code or codes.NO_REPORT
    percent: float | None
    reports: int

    @property
    def label(self) -> str:
        return codes.status_label(self.status)

    def to_dict(self) -> dict:
        return {"uuid": self.info.uuid, "ref": self.info.ref, "content": self.info.content,
                "deadline": self.info.deadline_text, "status": self.status, "status_label": self.label,
                "percent": None if self.percent is None else round(self.percent, 1)}


@dataclass(frozen=True)
class IndicatorResult:
    info: ItemInfo
    figure: Figure
    evaluation: Evaluation

    @property
    def figure_text(self) -> str:
        return figure_text(self.figure, self.info.target_unit)

    def to_dict(self) -> dict:
        return {
            "uuid": self.info.uuid, "ref": self.info.ref, "content": self.info.content,
            "target": self.info.target_display, "comparator": self.info.target_comparator,
            "lower_is_better": self.info.target_comparator in ("lt", "le"),
            "measure": self.figure.measure, "value": self.figure.value, "achieved": self.figure.achieved,
            "numerator": self.figure.numerator, "denominator": self.figure.denominator,
            "figure": self.figure_text, "data_period": self.figure.period_code or None,
            "evaluation": self.evaluation.code, "evaluation_label": self.evaluation.label,
            "detail": self.evaluation.detail,
        }


@dataclass
class StatusReport:
    plan_uuid: str
    plan_label: str
    today: date
    period: PeriodInfo
    missing_periods: list[str]
    settings: CalendarSettings
    infos: dict[int, ItemInfo]
    tasks: list[TaskStatus]
    indicators: list[IndicatorResult]
    warnings: list[StatusWarning]
    completeness: Completeness
    draft_note: str = ""  # set for a draft plan: it is not tracked yet, so nothing is missing or late
    tracking_note: str = ""  # set when the officer tracks from a later day than the issue date
    tracking_start: date | None = None  # the officer's chosen start (None: from the issue date)

    def to_dict(self) -> dict:
        return {
            "plan": {"uuid": self.plan_uuid, "label": self.plan_label},
            "today": self.today.isoformat(),
            "period": self.period.to_dict(),
            "missing_report_periods": self.missing_periods,
            "warnings": [w.to_dict() for w in self.warnings],
            "completeness": self.completeness.to_dict(),
            "indicators": [r.to_dict() for r in self.indicators],
            "tasks": [t.to_dict() for t in self.tasks],
            "tracking_start": self.tracking_start.isoformat() if self.tracking_start else None,
            "notes": [note for note in (self.draft_note, self.tracking_note) if note],
        }


def plan_label(plan: Plan) -> str:
    number = plan.number or "(chưa có số)"
    return f"Kế hoạch {number} — {plan.title or plan.year}"


def _info(period: ReportingPeriod) -> PeriodInfo:
    return PeriodInfo(period.code, period_label(period.code), period.start_date, period.end_date, period.due_date)


def resolve_period(session: Session, plan: Plan, today: date, code: str | None) -> ReportingPeriod:
    if code:
        return get_period(session, plan, code)
    period = period_for_day(session, plan, today)
    if period is None:
        from cds_desktop.services.common import ServiceError

        raise ServiceError("Kế hoạch chưa có kỳ báo cáo nào (hãy thiết lập lịch báo cáo).")
    return period


def focus_periods(session: Session, plan: Plan, today: date, period: ReportingPeriod, chosen: bool,
                  kind: str) -> list[ReportingPeriod]:
    """Reporting periods whose missing reports are warned about."""
    if chosen:
        return [p for p in live_periods(session, plan.id, kind)
                if p.start_date >= period.start_date and p.end_date <= period.end_date and p.due_date < today]
    last = last_due_period(session, plan, today)
    return [last] if last is not None else []


def task_statuses(session: Session, plan: Plan, as_of: date, infos: dict[int, ItemInfo]) -> list[TaskStatus]:
    rows = session.execute(item_status_select(plan.id, as_of)).all()
    result = []
    for row in rows:
        info = infos.get(row.id)
        if info is None:
            continue
        status = codes.ATTENTION_ORDER[row.rank] if row.rank is not None and row.rank < len(codes.ATTENTION_ORDER) \
            else codes.NO_REPORT
        result.append(TaskStatus(info, status, row.percent, row.reports or 0))
    return sorted(result, key=lambda t: t.info.position)


def indicator_results(session: Session, plan: Plan, as_of: date, infos: dict[int, ItemInfo]) -> list[IndicatorResult]:
    indicators = [i for i in infos.values() if i.kind == INDICATOR]
    figures = indicator_figures(session, plan.id, as_of, {i.id: i.target_unit for i in indicators})
    results = []
    for info in sorted(indicators, key=lambda i: i.position):
        figure = figures.get(info.id, Figure())
        results.append(IndicatorResult(info, figure, evaluate(info, figure)))
    return results


DRAFT_NOTE = ("Kế hoạch đang là dự thảo (chưa có ngày ban hành): chưa tính báo cáo thiếu, chậm hay quá hạn. "
              "Nhập số và ngày ban hành trong «Thông tin kế hoạch» để bắt đầu theo dõi.")


def draft_note(plan: Plan) -> str:
    """Why a plan raises no alarms yet: a draft without an issue date has no day to count
    reports and deadlines from ("" for a plan that is tracked)."""
    return DRAFT_NOTE if plan.status == "draft" and plan.issue_date is None else ""


def tracking_note(plan: Plan, tasks: list[TaskStatus]) -> str:
    """What tracking from the officer's day leaves out ("" when the plan is tracked from its issue)."""
    start = plan.tracking_start
    if start is None or (plan.issue_date is not None and start <= plan.issue_date):
        return ""
    earlier = sum(1 for t in tasks if t.status == codes.NO_REPORT and before_tracking(t.info, plan, None))
    text = (f"Theo dõi từ ngày {start:%d/%m/%Y}: các kỳ báo cáo và thời hạn trước ngày này không bị tính "
            "là thiếu hay quá hạn.")
    if earlier:
        text += f" {earlier} nhiệm vụ có hạn trước ngày này chưa có báo cáo kết quả."
    return text


def build_status(
    session: Session, plan: Plan, today: date, period_code: str | None = None, *, due_soon_days: int | None = None,
) -> StatusReport:
    """Everything the status command and the dashboard need, for one plan."""
    settings = calendar_settings(session, plan)
    if due_soon_days is not None:
        settings = CalendarSettings(**{**settings.__dict__, "due_soon_days": due_soon_days})
    period = resolve_period(session, plan, today, period_code)
    focus = focus_periods(session, plan, today, period, bool(period_code), settings.reporting_kind)
    infos = item_infos(session, plan.id)
    as_of = period.end_date
    tasks = task_statuses(session, plan, as_of, {k: v for k, v in infos.items() if v.kind == TASK})
    indicators = indicator_results(session, plan, as_of, infos)
    draft = draft_note(plan)
    if draft:  # not issued yet: no date to count from, so no alarms (the dashboard says why)
        focus, warnings = [], []
    else:
        warnings = compute_warnings(session, plan, today, settings=settings, as_of=as_of, focus_periods=focus,
                                    infos=infos)
    completeness = compute_completeness(session, plan, today, settings.reporting_kind)
    note = "" if draft else tracking_note(plan, tasks)
    return StatusReport(
        plan_uuid=plan.uuid, plan_label=plan_label(plan), today=today, period=_info(period),
        missing_periods=[p.code for p in focus], settings=settings, infos=infos, tasks=tasks,
        indicators=indicators, warnings=warnings, completeness=completeness, draft_note=draft,
        tracking_note=note, tracking_start=plan.tracking_start,
    )
