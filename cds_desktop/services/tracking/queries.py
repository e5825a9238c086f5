"""SQL building blocks of the status engine (SQLAlchemy Core, portable SQL).

Everything that scans progress records is aggregated in the database: window
functions (``ROW_NUMBER() OVER``, SQLite >= 3.25 and PostgreSQL), ``GROUP BY``,
``EXISTS``; Python only sees one row per item, per (item, unit) or per
(unit, period) of one plan.  All queries are scoped to one plan through
``reporting_periods.plan_id`` / ``items.plan_id`` (both indexed).
"""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import (
    Date,
    Float,
    Integer,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from cds_desktop.models import (
    LEAD,
    TASK,
    Assignment,
    IndicatorValue,
    Item,
    ItemTracking,
    Plan,
    ReportingPeriod,
    ReportRequirement,
    TaskProgress,
    Unit,
)
from cds_desktop.models.tracking import MEASURE_VILLAGES
from cds_desktop.services.tracking import codes

STATUS_RANK_SQL = {code: rank for code, rank in codes.STATUS_RANK.items()}


def status_rank(column):
    """SQL: the attention rank of a status code (lower needs more attention)."""
    return case(STATUS_RANK_SQL, value=column, else_=len(STATUS_RANK_SQL))


def reporting_pairs(plan_id: int) -> Select:
    """(item_id, unit_id) of every unit expected to report on a live item of the plan:
    lead units unless excused, plus units (coordinating, villages) asked to report."""
    rr = aliased(ReportRequirement)
    assigned = (
        select(Assignment.item_id.label("item_id"), Assignment.unit_id.label("unit_id"))
        .join(Item, Item.id == Assignment.item_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .outerjoin(rr, and_(rr.item_id == Assignment.item_id, rr.unit_id == Assignment.unit_id))
        .where(Item.plan_id == plan_id)
        .where(or_(rr.required.is_(True), and_(rr.id.is_(None), Assignment.role == LEAD)))
    )
    asked = (
        select(ReportRequirement.item_id.label("item_id"), ReportRequirement.unit_id.label("unit_id"))
        .join(Item, Item.id == ReportRequirement.item_id)
        .join(Unit, Unit.id == ReportRequirement.unit_id)
        .where(Item.plan_id == plan_id, ReportRequirement.required.is_(True))
    )
    return union(assigned, asked)


def latest_progress(plan_id: int, as_of: date) -> Subquery:
    """The latest task report of each (item, unit) in a period ending on or before *as_of*.

    Ties on the end date go to the finest period (a month beats its quarter)."""
    rn = func.row_number().over(
        partition_by=(TaskProgress.item_id, TaskProgress.unit_id),
        order_by=(ReportingPeriod.end_date.desc(), ReportingPeriod.start_date.desc(), TaskProgress.id.desc()),
    )
    ranked = (
        select(
            TaskProgress.item_id, TaskProgress.unit_id, TaskProgress.status, TaskProgress.percent,
            TaskProgress.received_on, ReportingPeriod.code.label("period_code"), rn.label("rn"),
        )
        .join(ReportingPeriod, ReportingPeriod.id == TaskProgress.period_id)
        .where(ReportingPeriod.plan_id == plan_id, ReportingPeriod.end_date <= as_of)
        .subquery("ranked_progress")
    )
    return select(ranked).where(ranked.c.rn == 1).subquery("latest_progress")


PLAN_PARAM, AS_OF_PARAM, PERIODS_PARAM = "q_plan_id", "q_as_of", "q_period_ids"


@cache
def _templates() -> dict[str, Select]:
    """The per-plan statements built once with bound parameters: building one (aliases, subqueries,
    their column collections) costs SQLAlchemy 10-30 ms, a copy with the plan's values far less —
    it counts when the figures of 126 plans are computed in a row (the roll-up's snapshot)."""
    plan, as_of = bindparam(PLAN_PARAM, type_=Integer), bindparam(AS_OF_PARAM, type_=Date)
    periods = bindparam(PERIODS_PARAM, type_=Integer, expanding=True)
    return {"item_status": _item_status_select(plan, as_of), "pair_status": _pair_status_select(plan, as_of),
            "missing": _missing_select(plan, periods)}


def item_status_select(plan_id: int, as_of: date) -> Select:
    """See :func:`_item_status_select` (a copy of the statement built once)."""
    return _templates()["item_status"].params({PLAN_PARAM: plan_id, AS_OF_PARAM: as_of})


def pair_status_select(plan_id: int, as_of: date) -> Select:
    """See :func:`_pair_status_select` (a copy of the statement built once)."""
    return _templates()["pair_status"].params({PLAN_PARAM: plan_id, AS_OF_PARAM: as_of})


def missing_select(plan_id: int, period_ids: list[int]) -> Select:
    """See :func:`_missing_select` (a copy of the statement built once)."""
    return _templates()["missing"].params({PLAN_PARAM: plan_id, PERIODS_PARAM: list(period_ids)})


def _item_status_select(plan_id, as_of) -> Select:
    """One row per live task of the plan: its combined status rank, mean % done, reports count.

    The combination uses the latest reports of the units expected to report; an item
    nobody is expected to report on uses whoever reported.  ``rank`` is NULL when
    there is no report at all."""
    latest = latest_progress(plan_id, as_of)
    pairs = reporting_pairs(plan_id).subquery("pairs")
    is_pair = pairs.c.item_id.is_not(None)
    rank = status_rank(latest.c.status)
    per_item = (
        select(
            latest.c.item_id,
            func.coalesce(func.min(case((is_pair, rank))), func.min(rank)).label("rank"),
            # A float on every database (PostgreSQL's avg of integers is a numeric: Decimal).
            cast(func.coalesce(func.avg(case((is_pair, latest.c.percent))), func.avg(latest.c.percent)),
                 Float).label("percent"),
            func.count().label("reports"),
        )
        .select_from(latest)
        .outerjoin(pairs, and_(pairs.c.item_id == latest.c.item_id, pairs.c.unit_id == latest.c.unit_id))
        .group_by(latest.c.item_id)
        .subquery("per_item")
    )
    return (
        select(Item.id, Item.uuid, Item.group_id, per_item.c.rank, per_item.c.percent, per_item.c.reports)
        .outerjoin(per_item, per_item.c.item_id == Item.id)
        .where(Item.plan_id == plan_id, Item.kind == TASK)
    )


def _pair_status_select(plan_id, as_of) -> Select:
    """One row per (task, reporting unit) — and per task without any — with the unit's latest report."""
    latest = latest_progress(plan_id, as_of)
    pairs = reporting_pairs(plan_id).subquery("pairs")
    return (
        select(
            Item.id.label("item_id"), pairs.c.unit_id, latest.c.status, latest.c.percent,
            latest.c.period_code,
        )
        .select_from(Item)
        .outerjoin(pairs, pairs.c.item_id == Item.id)
        .outerjoin(latest, and_(latest.c.item_id == Item.id, latest.c.unit_id == pairs.c.unit_id))
        .where(Item.plan_id == plan_id, Item.kind == TASK)
    )


def expected_reports(plan_id: int, *, period_ids: list[int] | None = None, kind: str | None = None,
                     from_tracking: bool = True) -> Select:
    """(item_id, unit_id, period_id) of every report expected in the given periods.

    A unit reports on an item in a period that ends on or after the day the plan is
    tracked from (the officer's start, else its issue date) and the item's start;
    indicators (except those computed from a village checklist) and recurring/event
    tasks every period; a one-off task until the
    unit has reported it finished (done, done late, not carried out) in an
    earlier period.  With *from_tracking* false, periods before the officer's start of
    tracking count too (month entry: the officer may still fill in an earlier month)."""
    pairs = reporting_pairs(plan_id).subquery("pairs")
    tracking = aliased(ItemTracking)
    earlier = aliased(ReportingPeriod)
    finished_before = exists(
        select(literal(1))
        .select_from(TaskProgress)
        .join(earlier, earlier.id == TaskProgress.period_id)
        .where(TaskProgress.item_id == pairs.c.item_id, TaskProgress.unit_id == pairs.c.unit_id,
               TaskProgress.status.in_(codes.FINISHED),
               earlier.end_date < ReportingPeriod.start_date)
    )
    start = func.coalesce(Plan.tracking_start, Plan.issue_date) if from_tracking else Plan.issue_date
    stmt = (
        select(pairs.c.item_id, pairs.c.unit_id, ReportingPeriod.id.label("period_id"))
        .select_from(pairs)
        .join(Item, Item.id == pairs.c.item_id)
        .join(Plan, Plan.id == Item.plan_id)
        .join(ReportingPeriod, and_(ReportingPeriod.plan_id == Item.plan_id))
        .outerjoin(tracking, and_(tracking.item_id == Item.id))
        .where(or_(start.is_(None), ReportingPeriod.end_date >= start))
        .where(or_(Item.start_date.is_(None), ReportingPeriod.end_date >= Item.start_date))
        .where(or_(tracking.measure.is_(None), tracking.measure != MEASURE_VILLAGES))
        .where(not_(and_(Item.kind == TASK, Item.deadline_kind == "date", finished_before)))
    )
    if period_ids is not None:
        stmt = stmt.where(ReportingPeriod.id.in_(period_ids))
    if kind is not None:
        stmt = stmt.where(ReportingPeriod.kind == kind)
    return stmt


def received_reports(plan_id: int) -> Subquery:
    """(item_id, unit_id, period_id, received_on) of every report received (tasks and indicators)."""
    tasks = (
        select(TaskProgress.item_id, TaskProgress.unit_id, TaskProgress.period_id, TaskProgress.received_on)
        .join(ReportingPeriod, ReportingPeriod.id == TaskProgress.period_id)
        .where(ReportingPeriod.plan_id == plan_id)
    )
    values = (
        select(IndicatorValue.item_id, IndicatorValue.unit_id, IndicatorValue.period_id, IndicatorValue.received_on)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(ReportingPeriod.plan_id == plan_id, IndicatorValue.unit_id.is_not(None))
    )
    return union_all(tasks, values).subquery("received")


def _missing_select(plan_id, period_ids) -> Select:
    """Expected reports of the given periods that have not been received.

    Written as two ``NOT EXISTS`` probes (one per kind of report) rather than an outer join on
    :func:`received_reports`: each probe is one index lookup (task_progress' unique
    (item, period, unit), indicator_values' (item, unit)) whatever the planner guesses.  PostgreSQL underestimates the expected side (a handful of
    rows for hundreds) and then anti-joined it row by row against the whole union of the
    plan's received reports (2.8x SQLite's time at city scale); SQLite does the same lookups."""
    expected = expected_reports(plan_id, period_ids=period_ids).subquery("expected")

    def received(table):
        return exists(
            select(literal(1)).select_from(table)
            .where(table.item_id == expected.c.item_id, table.period_id == expected.c.period_id,
                   table.unit_id == expected.c.unit_id)
        )

    return (
        select(expected.c.item_id, expected.c.unit_id, expected.c.period_id)
        .where(~received(TaskProgress), ~received(IndicatorValue))
    )


def completeness_select(plan_id: int, kind: str) -> Select:
    """Per (unit, period) of *kind*: reports expected, received, received on time, first received day."""
    expected = expected_reports(plan_id, kind=kind).subquery("expected")
    received = received_reports(plan_id)
    on_time = case((received.c.received_on <= ReportingPeriod.due_date, 1), else_=0)
    return (
        select(
            expected.c.unit_id, expected.c.period_id,
            func.count().label("expected"),
            func.count(received.c.item_id).label("received"),
            func.coalesce(func.sum(on_time), 0).label("on_time"),
            func.min(received.c.received_on).label("first_received"),
        )
        .select_from(expected)
        .join(ReportingPeriod, ReportingPeriod.id == expected.c.period_id)
        .outerjoin(received, and_(received.c.item_id == expected.c.item_id,
                                  received.c.unit_id == expected.c.unit_id,
                                  received.c.period_id == expected.c.period_id))
        .group_by(expected.c.unit_id, expected.c.period_id)
    )
