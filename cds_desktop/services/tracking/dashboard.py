"""The dashboard's figures, each with the items behind it (so that a click can show them).

Per pillar and group (rolled up the group tree): tasks counted by status and
indicators by evaluation; the warnings; the units missing reports (over every
period already due); the deadlines of the coming weeks (tasks and reports).
Built on :func:`status.build_status`; the per-item statuses come from SQL
aggregates, this module only buckets one row per item of one plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import SECTION_INDICATORS, SECTION_TASKS, Group, Plan
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import live_periods, lower_first, period_label, report_title
from cds_desktop.services.tracking.figures import (  # noqa: F401 (the names the dashboard's users import)
    INDICATOR_KEYS,
    TASK_KEYS,
    ChartRow,
    Segment,
    Tile,
    chart_rows,
)
from cds_desktop.services.tracking.queries import expected_reports, missing_select
from cds_desktop.services.tracking.refs import unit_infos, unit_order
from cds_desktop.services.tracking.status import StatusReport, build_status


@dataclass
class GroupFigures:
    uuid: str | None
    label: str
    title: str
    depth: int
    counts: dict[str, list[str]] = field(default_factory=dict)  # code -> item uuids

    @property
    def display(self) -> str:
        return f"{self.label}. {self.title}" if self.label else self.title

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.counts.values())

    def count(self, code: str) -> int:
        return len(self.counts.get(code, []))

    def uuids(self, *keys: str) -> list[str]:
        return [u for k in (keys or tuple(self.counts)) for u in self.counts.get(k, [])]


@dataclass(frozen=True)
class Upcoming:
    day: date
    kind: str  # "task" | "report"
    text: str
    uuids: tuple[str, ...]


@dataclass(frozen=True)
class MissingUnit:
    uuid: str
    name: str
    periods: tuple[str, ...]  # codes of the due periods without any report
    items: tuple[str, ...]  # items whose report is missing (any due period)

    @property
    def periods_text(self) -> str:
        return ", ".join(period_label(c).replace("Tháng ", "T") for c in self.periods)


@dataclass(frozen=True)
class ItemLine:
    """One item behind a figure: what it is and where it stands."""

    uuid: str
    kind: str
    ref: str
    content: str
    state: str
    detail: str


@dataclass
class Dashboard:
    report: StatusReport
    task_groups: list[GroupFigures]
    indicator_groups: list[GroupFigures]
    task_total: GroupFigures
    indicator_total: GroupFigures
    tiles: list[Tile]
    missing_units: list[MissingUnit]
    upcoming: list[Upcoming]

    def item_lines(self, uuids: list[str]) -> list[ItemLine]:
        """The items behind a figure (in the order given, once each) with their status or evaluation."""
        tasks = {t.info.uuid: t for t in self.report.tasks}
        indicators = {r.info.uuid: r for r in self.report.indicators}
        lines = []
        for uuid in dict.fromkeys(uuids):
            if uuid in tasks:
                task = tasks[uuid]
                percent = "" if task.percent is None else f"{task.percent:.0f}%"
                lines.append(ItemLine(uuid, "task", task.info.ref, task.info.content, task.label,
                                      " · ".join(p for p in (percent, task.info.deadline_text) if p)))
            elif uuid in indicators:
                result = indicators[uuid]
                lines.append(ItemLine(uuid, "indicator", result.info.ref, result.info.content,
                                      result.evaluation.label, result.figure_text))
        return lines


def _group_figures(session: Session, plan: Plan, section: str, bucket: dict[str, list[tuple[int | None, str]]],
                   keys: tuple[str, ...]) -> tuple[list[GroupFigures], GroupFigures]:
    groups = list(session.scalars(
        select(Group).where(Group.plan_id == plan.id, Group.section == section)
        .order_by(Group.position)
    ))
    parent = {g.id: g.parent_id for g in groups}
    figures = {g.id: GroupFigures(g.uuid, g.label, g.title, 0, {k: [] for k in keys}) for g in groups}
    for g in groups:
        depth, up = 0, g.parent_id
        while up is not None and up in parent and depth < 5:
            depth, up = depth + 1, parent[up]
        figures[g.id].depth = depth
    total = GroupFigures(None, "", "Tổng cộng", 0, {k: [] for k in keys})
    loose = GroupFigures(None, "", "(Chưa xếp nhóm)", 0, {k: [] for k in keys})
    for code, members in bucket.items():
        for group_id, uuid in members:
            total.counts[code].append(uuid)
            node, seen = group_id, 0
            if node not in figures:
                loose.counts[code].append(uuid)
            while node in figures and seen < 6:  # roll up to every ancestor
                figures[node].counts[code].append(uuid)
                node, seen = parent.get(node), seen + 1
    rows = [figures[g.id] for g in groups if figures[g.id].total]
    if loose.total:
        rows.append(loose)
    return rows, total


def build_dashboard(session: Session, plan: Plan, today: date, period_code: str | None = None,
                    *, weeks: int = 6) -> Dashboard:
    report = build_status(session, plan, today, period_code)
    task_bucket: dict[str, list[tuple[int | None, str]]] = {k: [] for k in TASK_KEYS}
    for task in report.tasks:
        task_bucket.setdefault(task.status, []).append((task.info.group_id, task.info.uuid))
    indicator_bucket: dict[str, list[tuple[int | None, str]]] = {k: [] for k in INDICATOR_KEYS}
    for result in report.indicators:
        indicator_bucket[result.evaluation.code].append((result.info.group_id, result.info.uuid))
    task_groups, task_total = _group_figures(session, plan, SECTION_TASKS, task_bucket, TASK_KEYS)
    indicator_groups, indicator_total = _group_figures(session, plan, SECTION_INDICATORS, indicator_bucket,
                                                       INDICATOR_KEYS)
    missing_units = _missing_units(session, plan, report, today)
    return Dashboard(
        report=report, task_groups=task_groups, indicator_groups=indicator_groups, task_total=task_total,
        indicator_total=indicator_total, tiles=_tiles(report, task_total, indicator_total),
        missing_units=missing_units, upcoming=_upcoming(session, plan, report, today, weeks),
    )


def _tiles(report: StatusReport, tasks: GroupFigures, indicators: GroupFigures) -> list[Tile]:
    finished = tasks.uuids(codes.DONE, codes.DONE_LATE)
    late_kinds = (codes.OVERDUE, codes.BEHIND_SCHEDULE)
    late = list(dict.fromkeys(w.item_uuid for w in report.warnings if w.kind in late_kinds))
    achieved = indicators.uuids(codes.ACHIEVED)
    warned = list(dict.fromkeys(w.item_uuid for w in report.warnings))
    tiles = [
        Tile("tasks", "Nhiệm vụ", str(tasks.total), f"{len(finished)} đã hoàn thành", tuple(tasks.uuids())),
        Tile("late", "Chậm, quá hạn", str(len(late)), "nhiệm vụ cần đôn đốc", tuple(late)),
        Tile("indicators", "Chỉ tiêu đạt", f"{len(achieved)}/{indicators.total}",
             f"{indicators.count(codes.NO_DATA)} chưa có số liệu", tuple(achieved)),
        Tile("warnings", "Cảnh báo", str(len(report.warnings)),
             f"{sum(w.kind == codes.MISSING_REPORT for w in report.warnings)} thiếu báo cáo", tuple(warned)),
    ]
    completeness = report.completeness
    if report.missing_periods:
        code = report.missing_periods[-1]
        rate = completeness.period_rate(code)
        missing = tuple(dict.fromkeys(w.item_uuid for w in report.warnings
                                      if w.kind == codes.MISSING_REPORT and w.period_code == code))
        value = "—" if rate is None else f"{rate:.0f}%".replace(".", ",")
        count = len(completeness.missing_units(code))
        tiles.append(Tile("reporting", f"Đã báo cáo {lower_first(period_label(code))}", value,
                          f"{count} đơn vị chưa gửi", missing))
    return tiles


def _missing_units(session: Session, plan: Plan, report: StatusReport, today: date) -> list[MissingUnit]:
    if report.draft_note:
        return []
    kind = report.settings.reporting_kind
    due = {p.id: p.code for p in live_periods(session, plan.id, kind) if p.due_date < today}
    if not due:
        return []
    items_by_id = {i.id: i.uuid for i in report.infos.values()}
    per_unit: dict[int, set[str]] = {}
    for row in session.execute(missing_select(plan.id, list(due))):
        if row.item_id in items_by_id:
            per_unit.setdefault(row.unit_id, set()).add(items_by_id[row.item_id])
    names = {u.uuid: u for u in report.completeness.units}
    units = unit_infos(session, set(per_unit))
    result = []
    for unit_id in sorted(per_unit, key=lambda i: unit_order(units[i])):
        info = units[unit_id]
        row = names.get(info.uuid)
        periods = tuple(code for code in due.values() if row is not None and row.cell(code).state == codes.MISSING)
        if not periods:
            continue  # the unit reported, only some items are missing: those are in the warnings
        ordered = [i.uuid for i in sorted(report.infos.values(), key=lambda i: (i.kind, i.position))
                   if i.uuid in per_unit[unit_id]]
        result.append(MissingUnit(info.uuid, info.name, periods, tuple(ordered)))
    return result


def _upcoming(session: Session, plan: Plan, report: StatusReport, today: date, weeks: int) -> list[Upcoming]:
    horizon = today + timedelta(days=7 * weeks)
    unfinished = {t.info.uuid for t in report.tasks if t.status not in codes.FINISHED}
    found: list[Upcoming] = []
    for info in report.infos.values():
        if info.kind == "task" and info.deadline_kind == "date" and info.due_date and info.uuid in unfinished \
                and today <= info.due_date <= horizon:
            found.append(Upcoming(info.due_date, "task", f"Hạn nhiệm vụ {info.ref}: {info.content}", (info.uuid,)))
    periods = [p for p in live_periods(session, plan.id) if today <= p.due_date <= horizon]
    if periods:
        expected = session.execute(expected_reports(plan.id, period_ids=[p.id for p in periods])).all()
        by_period: dict[int, list[int]] = {}
        for row in expected:
            by_period.setdefault(row.period_id, []).append(row.item_id)
        uuid_of = {i.id: i.uuid for i in report.infos.values()}
        for period in periods:
            items = tuple(dict.fromkeys(uuid_of[i] for i in by_period.get(period.id, []) if i in uuid_of))
            found.append(Upcoming(period.due_date, "report", f"Hạn nộp {lower_first(report_title(period.code))}", items))
    return sorted(found, key=lambda u: (u.day, u.kind != "report", u.text))


def load_dashboard(db: Database, plan_uuid: str, today: date, period: str | None = None
                   ) -> tuple[Dashboard, list[tuple[str, str]], str, date]:
    """The dashboard screen's one unit of work: the figures, the periods to choose from
    ((code, label)), the plan's label, and the day the figures are for."""
    from cds_desktop.services.lookup import resolve_plan
    from cds_desktop.services.tracking.calendar import ensure_plan_periods
    from cds_desktop.services.tracking.status import plan_label

    ensure_plan_periods(db, plan_uuid)
    with db.session(source="ui") as session:
        plan = resolve_plan(session, plan_uuid)
        periods = [(p.code, period_label(p.code)) for p in live_periods(session, plan.id)]
        return build_dashboard(session, plan, today, period), periods, plan_label(plan), today


def load_dashboard_with_token(db: Database, plan_uuid: str, today: date, period: str | None = None
                              ) -> tuple[str | None, tuple[Dashboard, list[tuple[str, str]], str, date]]:
    """``load_dashboard`` and the data-version token its figures are valid at (for the snapshot of
    :mod:`cds_desktop.services.dashboard_snapshot`): the token read before and after, when nothing
    was written in between, else None.  When something was (most often the periods ``load_dashboard``
    makes the first time, which left the first start after an import without a snapshot, and the
    next start too), the figures are computed once more, against the data as it now is."""
    from cds_desktop.database.data_version import database_token

    before = database_token(db)
    result = load_dashboard(db, plan_uuid, today, period)
    after = database_token(db)
    if before is not None and after != before and after is not None:
        before, result = after, load_dashboard(db, plan_uuid, today, period)
        after = database_token(db)
    return (before if before is not None and after == before else None), result
