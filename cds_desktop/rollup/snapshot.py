"""Each received plan's figures, computed once by the status engine and kept in
``rollup_figures`` (per pillar) and ``rollup_indicators`` (per indicator).

The figures are exactly what the commune's own dashboard shows for the day (the steps of
:func:`cds_desktop.services.tracking.status.build_status`, without the completeness
matrix the snapshot does not keep): indicators met,
tasks done, overdue tasks, reports missing in the latest period due.  They are
recomputed for a commune's plans after each of its packages is imported, and
for every plan by :func:`refresh` (``rollup refresh``, or when the overview is
opened on a later day), so the overview itself is one SQL query over small tables.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import (
    PILLARS,
    TASK,
    Commune,
    Group,
    Plan,
    RollupFigure,
    RollupIndicator,
    RollupSource,
)
from cds_desktop.rollup.pillars import match_key, pillar_of_group
from cds_desktop.services.common import ServiceError
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import calendar_settings, live_periods
from cds_desktop.services.tracking.refs import item_infos
from cds_desktop.services.tracking.status import (
    IndicatorResult,
    TaskStatus,
    draft_note,
    focus_periods,
    indicator_results,
    resolve_period,
    task_statuses,
)
from cds_desktop.services.tracking.warnings import StatusWarning, compute_warnings

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]


@dataclass
class _Status:
    """What the snapshot needs of :func:`build_status` (the same steps, without the completeness matrix)."""

    tasks: list[TaskStatus]
    indicators: list[IndicatorResult]
    warnings: list[StatusWarning]


def _build(session: Session, plan: Plan, today: date, period_code: str | None) -> _Status:
    settings = calendar_settings(session, plan)
    period = resolve_period(session, plan, today, period_code)
    focus = focus_periods(session, plan, today, period, bool(period_code), settings.reporting_kind)
    infos = item_infos(session, plan.id)
    as_of = period.end_date
    tasks = task_statuses(session, plan, as_of, {k: v for k, v in infos.items() if v.kind == TASK})
    indicators = indicator_results(session, plan, as_of, infos)
    warnings = [] if draft_note(plan) else compute_warnings(
        session, plan, today, settings=settings, as_of=as_of, focus_periods=focus, infos=infos)
    return _Status(tasks, indicators, warnings)


def _status(session: Session, plan: Plan, today: date) -> _Status | None:
    try:
        return _build(session, plan, today, None)
    except ServiceError:  # today outside the plan's year: the nearest period
        periods = live_periods(session, plan.id)
        if not periods:
            return None
        chosen = periods[0] if today < periods[0].start_date else max(periods, key=lambda p: (p.end_date, -len(p.code)))
        return _build(session, plan, today, chosen.code)


def snapshot_plan(session: Session, plan: Plan, today: date) -> None:
    """Replace the plan's rows in ``rollup_figures`` and ``rollup_indicators``."""
    session.execute(delete(RollupFigure).where(RollupFigure.plan_uuid == plan.uuid))
    session.execute(delete(RollupIndicator).where(RollupIndicator.plan_uuid == plan.uuid))
    report = _status(session, plan, today)
    if report is None:
        return
    groups = {g.id: (g.parent_id, g.title) for g in session.scalars(select(Group).where(Group.plan_id == plan.id))}
    commune_uuid = plan.commune.uuid
    counts: dict[str, Counter[str]] = {p: Counter() for p in PILLARS}
    pillar_of_item: dict[str, str] = {}
    indicator_rows = []
    for result in report.indicators:
        info = result.info
        pillar = pillar_of_group(info.group_id, groups)
        pillar_of_item[info.uuid] = pillar
        counts[pillar]["indicators_total"] += 1
        counts[pillar]["indicators_met"] += result.evaluation.code == codes.ACHIEVED
        figure = result.figure
        indicator_rows.append({
            "item_uuid": info.uuid, "commune_uuid": commune_uuid, "plan_uuid": plan.uuid, "year": plan.year,
            "pillar": pillar, "number": info.number, "content": info.content, "target_text": info.shown_target,
            "target_unit": info.target_unit,
            "match_key": match_key(info.content, info.target_comparator, info.target_value, info.target_value_max,
                                   info.target_unit, info.target_text),
            "value": figure.value, "numerator": figure.numerator, "denominator": figure.denominator,
            "evaluation": result.evaluation.code, "figure_text": result.figure_text,
        })
    overdue = {w.item_uuid for w in report.warnings if w.kind == codes.OVERDUE}
    for task in report.tasks:
        pillar = pillar_of_group(task.info.group_id, groups)
        pillar_of_item[task.info.uuid] = pillar
        counts[pillar]["tasks_total"] += 1
        counts[pillar]["tasks_done"] += task.status in (codes.DONE, codes.DONE_LATE)
        counts[pillar]["tasks_overdue"] += task.info.uuid in overdue
    for warning in report.warnings:
        if warning.kind == codes.MISSING_REPORT:
            counts[pillar_of_item.get(warning.item_uuid, "other")]["reports_missing"] += 1
    rows = [{"commune_uuid": commune_uuid, "plan_uuid": plan.uuid, "year": plan.year, "pillar": pillar,
             "as_of": today, **{k: c[k] for k in ("indicators_total", "indicators_met", "tasks_total", "tasks_done",
                                                   "tasks_overdue", "reports_missing")}}
            for pillar, c in counts.items()]
    session.execute(insert(RollupFigure), rows)
    if indicator_rows:
        session.execute(insert(RollupIndicator), indicator_rows)


def received_plans(session: Session, commune_uuids: Iterable[str] | None = None) -> list[Plan]:
    stmt = (select(Plan).join(Commune, Commune.id == Plan.commune_id)
            .join(RollupSource, RollupSource.commune_uuid == Commune.uuid).order_by(Commune.name, Plan.year))
    if commune_uuids is not None:
        stmt = stmt.where(Commune.uuid.in_(list(commune_uuids)))
    return list(session.scalars(stmt))


def snapshot_communes(session: Session, commune_uuids: Iterable[str] | None, today: date,
                      progress: Progress | None = None) -> int:
    """Recompute the figures of the communes' plans (all received plans when None); returns the count."""
    plans = received_plans(session, commune_uuids)
    for number, plan in enumerate(plans):
        if progress is not None:
            progress(number, len(plans), f"Đang tính số liệu của {plan.commune.display_name}…")
        snapshot_plan(session, plan, today)
    # plans gone (tombstoned) leave no figures behind
    live = {p.uuid for p in received_plans(session)}
    stale = set(session.scalars(select(RollupFigure.plan_uuid).distinct())) - live
    if stale:
        session.execute(delete(RollupFigure).where(RollupFigure.plan_uuid.in_(stale)))
        session.execute(delete(RollupIndicator).where(RollupIndicator.plan_uuid.in_(stale)))
    return len(plans)


def refresh(db: Database, today: date, progress: Progress | None = None) -> int:
    """Every received plan's figures as of *today* (one unit of work)."""
    with db.session(source="rollup") as session:
        return snapshot_communes(session, None, today, progress)


def snapshot_day(session: Session) -> date | None:
    """The day the stored figures are for (the oldest, if they differ)."""
    return session.scalar(select(RollupFigure.as_of).order_by(RollupFigure.as_of).limit(1))
