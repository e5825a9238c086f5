"""Indicator figures (aggregated in SQL) and their evaluation against the structured target.

Evaluation rules (``evaluate``):

- ``ge``/``gt``/``le``/``lt`` compare as written; ``< 5%`` and ``≤ 5%`` are
  ceilings, so *lower is better* there;
- ``eq`` is met at the value (``100%``: at 100 or more — nothing lies above);
- ``range`` (``20–30%``) is met from its lower bound up (exceeding the upper
  bound is still met);
- ``qualitative`` (``Không phát sinh …``, ``… được cải thiện``) is met by a
  "yes" (``achieved``) and not by a "no";
- a target the parser did not understand, or an indicator without any target,
  is *Không đánh giá được* unless the officer recorded Đạt/Không;
- no figure at all is *Chưa có số liệu*.

A figure is, per indicator measure: the latest one reported (``total``); the
sum over the units' latest figures (``per_unit``: Σ numerators / Σ
denominators for percentages, the sum of values for counts); or the share of
villages ticked on the checklist by the end of the period (``villages``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cds_desktop.models import INDICATOR, IndicatorValue, Item, ItemTracking, ReportingPeriod, VillageCheck
from cds_desktop.models.tracking import MEASURE_PER_UNIT, MEASURE_TOTAL, MEASURE_VILLAGES
from cds_desktop.services.targets import format_target
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.refs import ItemInfo
from cds_desktop.text import format_number

_EPS = 1e-9


@dataclass(frozen=True)
class Figure:
    """What is known of an indicator at the end of a period."""

    value: float | None = None
    achieved: bool | None = None
    numerator: float | None = None
    denominator: float | None = None
    count: int = 0  # reports (or villages) behind the figure
    measure: str = MEASURE_TOTAL
    period_code: str = ""

    @property
    def empty(self) -> bool:
        return self.value is None and self.achieved is None


@dataclass(frozen=True)
class Evaluation:
    code: str
    detail: str = ""

    @property
    def label(self) -> str:
        return codes.EVALUATION_LABELS[self.code]


def fmt_number(value: float) -> str:
    """Vietnamese number: ``45,5`` ``100`` ``1.200``."""
    if abs(value - round(value)) < 0.05:
        return format_number(round(value))
    return f"{value:.1f}".replace(".", ",")


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    spacer = "" if unit in ("%", "") else " "
    return f"{fmt_number(value)}{spacer}{unit}"


def figure_text(figure: Figure, unit: str) -> str:
    """``45/60 (75%)``, ``4,2%``, ``Có``, ``4/6 thôn (66,7%)``."""
    if figure.value is None:
        return {True: "Có / Đạt", False: "Không / Chưa đạt"}.get(figure.achieved, "")  # type: ignore[arg-type]
    shown = fmt_value(figure.value, unit or ("%" if figure.denominator else ""))
    if figure.measure == MEASURE_VILLAGES and figure.denominator:
        return f"{fmt_number(figure.numerator or 0)}/{fmt_number(figure.denominator)} thôn ({shown})"
    if figure.numerator is not None and figure.denominator:
        return f"{fmt_number(figure.numerator)}/{fmt_number(figure.denominator)} ({shown})"
    return shown


def _compare(comparator: str, value: float, target: float, target_max: float | None) -> bool | None:
    if comparator == "ge":
        return value >= target - _EPS
    if comparator == "gt":
        return value > target + _EPS
    if comparator == "le":
        return value <= target + _EPS
    if comparator == "lt":
        return value < target - _EPS
    if comparator == "eq":
        return value >= target - _EPS if target == 100 else abs(value - target) <= _EPS * max(1.0, abs(target))
    if comparator == "range":
        return value >= target - _EPS
    return None


def evaluate(info: ItemInfo, figure: Figure) -> Evaluation:
    """Đạt / Chưa đạt / Chưa có số liệu / Không đánh giá được, with a one-line explanation."""
    comparator = info.target_comparator
    # The comparison names the level as understood ("≥ 5 kênh"), not the wording of the plan.
    target = format_target(info.target) if info.target_comparator not in ("none", "qualitative") else info.target_display
    if figure.empty:
        return Evaluation(codes.NO_DATA, "Chưa có số liệu của kỳ này hoặc các kỳ trước.")
    officer = {True: codes.ACHIEVED, False: codes.NOT_ACHIEVED}
    if not info.target_understood or comparator == "none":
        if figure.achieved is not None:
            return Evaluation(officer[figure.achieved], "Theo đánh giá của đơn vị (chỉ tiêu không có mức định lượng).")
        why = "chưa hiểu được mức chỉ tiêu" if not info.target_understood else "chỉ tiêu không có mức định lượng"
        return Evaluation(codes.NOT_EVALUABLE, f"Có số liệu nhưng {why}: cần cán bộ đánh giá.")
    if comparator == "qualitative":
        if figure.achieved is None:
            return Evaluation(codes.NOT_EVALUABLE, "Chỉ tiêu định tính: cần ghi Có/Không (Đạt/Chưa đạt).")
        return Evaluation(officer[figure.achieved], f"Chỉ tiêu định tính: {'đạt' if figure.achieved else 'chưa đạt'}.")
    if figure.value is None or info.target_value is None:
        assert figure.achieved is not None
        return Evaluation(officer[figure.achieved], f"Theo đánh giá của đơn vị (chỉ tiêu {target}).")
    met = _compare(comparator, figure.value, info.target_value, info.target_value_max)
    if met is None:
        return Evaluation(codes.NOT_EVALUABLE, f"Không so sánh được với chỉ tiêu {target}.")
    shown = fmt_value(figure.value, info.target_unit)
    hint = " (càng thấp càng tốt)" if comparator in ("lt", "le") else ""
    verdict = "đạt" if met else "chưa đạt"
    return Evaluation(codes.ACHIEVED if met else codes.NOT_ACHIEVED,
                      f"{shown} so với chỉ tiêu {target}{hint}: {verdict}.")


# --------------------------------------------------------------------------
# Figures, aggregated in SQL


def _effective_value():
    """SQL: the direct value, else 100 × numerator / denominator, else the numerator (a count)."""
    ratio = case((IndicatorValue.denominator > 0, 100.0 * IndicatorValue.numerator / IndicatorValue.denominator))
    return func.coalesce(IndicatorValue.value, ratio, IndicatorValue.numerator)


def indicator_figures(session: Session, plan_id: int, as_of: date, units: dict[int, str]) -> dict[int, Figure]:
    """Figures of the plan's indicators at *as_of* (end of a period), by item id.

    *units* maps item id -> target unit (``%`` or a count word), which decides
    whether per-unit figures are pooled as a ratio or summed."""
    measures = dict(session.execute(
        select(ItemTracking.item_id, ItemTracking.measure)
        .join(Item, Item.id == ItemTracking.item_id)
        .where(Item.plan_id == plan_id)
    ).all())
    order = (ReportingPeriod.end_date.desc(), ReportingPeriod.start_date.desc(), IndicatorValue.id.desc())
    base = (
        select(
            IndicatorValue.item_id, IndicatorValue.unit_id, IndicatorValue.numerator, IndicatorValue.denominator,
            _effective_value().label("eff"), IndicatorValue.achieved, ReportingPeriod.code,
            func.row_number().over(partition_by=(IndicatorValue.item_id, IndicatorValue.unit_id),
                                   order_by=order).label("rn_unit"),
            func.row_number().over(partition_by=IndicatorValue.item_id, order_by=order).label("rn_item"),
        )
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .join(Item, Item.id == IndicatorValue.item_id)
        .where(Item.plan_id == plan_id, Item.kind == INDICATOR, ReportingPeriod.plan_id == plan_id, ReportingPeriod.end_date <= as_of)
        .subquery("iv")
    )
    figures: dict[int, Figure] = {}
    # Latest figure of each indicator (measure "total"; also the fallback of "per_unit").
    latest: dict[int, Figure] = {}
    for row in session.execute(select(base).where(base.c.rn_item == 1)):
        latest[row.item_id] = Figure(
            value=row.eff, achieved=row.achieved, numerator=row.numerator, denominator=row.denominator,
            count=1, measure=MEASURE_TOTAL, period_code=row.code,
        )
        if measures.get(row.item_id, MEASURE_TOTAL) == MEASURE_TOTAL:
            figures[row.item_id] = latest[row.item_id]
    # Pooled over each unit's latest figure (measure "per_unit").
    has_ratio = (base.c.denominator > 0) & base.c.numerator.is_not(None)
    pooled = (
        select(
            base.c.item_id,
            func.sum(case((has_ratio, base.c.numerator))).label("num"),
            func.sum(case((has_ratio, base.c.denominator))).label("den"),
            func.count(case((has_ratio, 1))).label("ratios"),
            func.sum(base.c.eff).label("total"), func.avg(base.c.eff).label("mean"),
            func.count(base.c.eff).label("values"), func.count().label("rows"),
            func.sum(case((base.c.achieved.is_(True), 1), else_=0)).label("yes"),
            func.sum(case((base.c.achieved.is_(False), 1), else_=0)).label("no"),
            func.max(base.c.code).label("code"),
        )
        .where(base.c.rn_unit == 1, base.c.unit_id.is_not(None))
        .group_by(base.c.item_id)
    )
    for row in session.execute(pooled):
        if measures.get(row.item_id) != MEASURE_PER_UNIT:
            continue
        value: float | None
        if row.ratios and row.ratios == row.rows and row.den:
            value = 100.0 * row.num / row.den
        elif row.values:
            value = row.mean if units.get(row.item_id, "%") == "%" else row.total
        else:
            value = None
        achieved = False if row.no else (True if row.yes and row.yes == row.rows else None)
        figures[row.item_id] = Figure(
            value=value, achieved=achieved, numerator=row.num if row.ratios == row.rows else None,
            denominator=row.den if row.ratios == row.rows else None, count=row.rows,
            measure=MEASURE_PER_UNIT, period_code=row.code or "",
        )
    for item_id, figure in latest.items():
        if measures.get(item_id) == MEASURE_PER_UNIT and item_id not in figures:
            figures[item_id] = figure
    # Village checklists (measure "villages").
    done = case((VillageCheck.done_on <= as_of, 1), else_=0)
    checklist = (
        select(VillageCheck.item_id, func.count().label("total"), func.sum(done).label("done"))
        .join(Item, Item.id == VillageCheck.item_id)
        .where(Item.plan_id == plan_id)
        .group_by(VillageCheck.item_id)
    )
    for row in session.execute(checklist):
        if measures.get(row.item_id) == MEASURE_VILLAGES and row.total:
            figures[row.item_id] = Figure(
                value=100.0 * (row.done or 0) / row.total, numerator=float(row.done or 0),
                denominator=float(row.total), count=row.total, measure=MEASURE_VILLAGES,
            )
    return figures


def meets(comparator: str, value: float, target: float, target_max: float | None = None) -> bool | None:
    """Whether *value* meets a structured target (the rules of :func:`evaluate`); None when it cannot tell."""
    return _compare(comparator, value, target, target_max)
