"""Early warnings that explain themselves (cảnh báo sớm nguy cơ chậm muộn).

Kinds: ``overdue`` (a one-off task past its deadline and not finished),
``due_soon`` (due within the calendar's window), ``behind_schedule`` (the
elapsed share of the task's time is clearly ahead of its % done, or the unit
itself reported "Chậm tiến độ"), ``missing_report`` (a period's due day passed
without the report of a unit expected to report), ``at_risk`` (flagged by the
officer).  Each warning names the item, the unit and the reason in Vietnamese.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.models import ItemTracking, Plan, ReportingPeriod
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import CalendarSettings, lower_first, period_label
from cds_desktop.services.tracking.queries import missing_select, pair_status_select, reporting_pairs
from cds_desktop.services.tracking.refs import ItemInfo, UnitInfo, unit_infos

SEVERITY = {kind: rank for rank, kind in enumerate(codes.WARNING_KINDS)}


@dataclass(frozen=True)
class StatusWarning:
    kind: str
    item_uuid: str
    item_ref: str
    item_kind: str
    item_content: str
    unit_uuid: str | None
    unit_name: str
    message: str
    period_code: str = ""
    due_date: date | None = None
    days: int | None = None  # days overdue (overdue, missing_report) or left (due_soon)
    position: int = 0
    unit_short: str = ""  # the unit's short name, for narrow tables

    @property
    def kind_label(self) -> str:
        return codes.WARNING_LABELS[self.kind]

    @property
    def text(self) -> str:
        """One line: ``Quá hạn — Nhiệm vụ II.1 «…» — Văn phòng HĐND-UBND: Quá hạn 12 ngày …``."""
        unit = f" — {self.unit_name}" if self.unit_name else ""
        kind = "Nhiệm vụ" if self.item_kind == "task" else "Chỉ tiêu"
        return f"{self.kind_label} — {kind} {self.item_ref}{unit}: {self.message}"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["due_date"] = self.due_date.isoformat() if self.due_date else None
        data["kind_label"] = self.kind_label
        data["item"] = {"uuid": self.item_uuid, "ref": self.item_ref, "kind": self.item_kind,
                        "content": self.item_content}
        data["unit"] = {"uuid": self.unit_uuid, "name": self.unit_name, "short_name": self.unit_short} \
            if self.unit_uuid else None
        for key in ("item_uuid", "item_ref", "item_kind", "item_content", "unit_uuid", "unit_name", "unit_short",
                    "position"):
            data.pop(key)
        return data


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _warning(kind: str, info: ItemInfo, unit: UnitInfo | None, message: str, **extra) -> StatusWarning:
    return StatusWarning(
        kind=kind, item_uuid=info.uuid, item_ref=info.ref, item_kind=info.kind, item_content=info.content,
        unit_uuid=unit.uuid if unit else None, unit_name=unit.name if unit else "", message=message,
        unit_short=(unit.short_name or unit.name) if unit else "",
        position=info.position if info.kind == "indicator" else 100_000 + info.position, **extra,
    )


def tracked_from(plan: Plan) -> date | None:
    """The day the plan is tracked from: the officer's chosen start, else the issue date."""
    return plan.tracking_start or plan.issue_date


def before_tracking(info: ItemInfo, plan: Plan, status: str | None) -> bool:
    """A one-off deadline that passed before tracking started, with no report yet: no alarm
    (nobody could have reported it in the app), the status note counts these."""
    start = plan.tracking_start
    return (status is None and start is not None and info.deadline_kind == "date" and info.due_date is not None
            and info.due_date < start)


def task_start(info: ItemInfo, plan: Plan) -> date:
    """When the task's time starts: as written, else the plan's issue date, else 1 January."""
    return info.start_date or plan.issue_date or date(plan.year, 1, 1)


def _schedule_warnings(
    info: ItemInfo, unit: UnitInfo | None, status: str | None, percent: int | None, period_code: str | None,
    plan: Plan, today: date, settings: CalendarSettings,
) -> list[StatusWarning]:
    found: list[StatusWarning] = []
    if status in codes.FINISHED or before_tracking(info, plan, status):
        return found
    done_text = f"mới đạt {percent}%" if percent is not None else "chưa báo cáo % hoàn thành"
    one_off = info.deadline_kind == "date" and info.due_date is not None
    overdue = False
    if one_off:
        due = info.due_date
        assert due is not None
        days = (due - today).days
        if days < 0:
            overdue = True
            found.append(_warning(codes.OVERDUE, info, unit, f"Quá hạn {-days} ngày (hạn {_d(due)}), {done_text}.",
                                  due_date=due, days=-days))
        elif days <= settings.due_soon_days:
            when = "Đến hạn hôm nay" if days == 0 else f"Còn {days} ngày đến hạn"
            reached = f"đã đạt {percent}%" if percent is not None else "chưa báo cáo % hoàn thành"
            found.append(_warning(codes.DUE_SOON, info, unit, f"{when} ({_d(due)}), {reached}.",
                                  due_date=due, days=days))
        start = task_start(info, plan)
        if not overdue and start < today <= due and due > start:
            elapsed = round(100 * (today - start).days / (due - start).days)
            reached = percent or 0
            if elapsed - reached >= settings.behind_margin:
                found.append(_warning(codes.BEHIND_SCHEDULE, info, unit,
                                      f"Đã qua {elapsed}% thời gian, {done_text}.", due_date=due))
                return found
    if status == codes.BEHIND and not overdue:
        where = f" ({period_label(period_code)})" if period_code else ""
        percent_text = f", đạt {percent}%" if percent is not None else ""
        found.append(_warning(codes.BEHIND_SCHEDULE, info, unit,
                              f"Đơn vị báo cáo «Chậm tiến độ»{where}{percent_text}.", due_date=info.due_date))
    return found


def compute_warnings(
    session: Session,
    plan: Plan,
    today: date,
    *,
    settings: CalendarSettings,
    as_of: date,
    focus_periods: list[ReportingPeriod],
    infos: dict[int, ItemInfo],
) -> list[StatusWarning]:
    """Every warning of the plan at *today*; statuses as of *as_of*; missing reports of *focus_periods*."""
    pair_rows = session.execute(pair_status_select(plan.id, as_of)).all()
    due_periods = {p.id: p for p in focus_periods if p.due_date < today}
    missing_rows = session.execute(missing_select(plan.id, list(due_periods))).all() if due_periods else []
    flagged = session.execute(
        select(ItemTracking.item_id, ItemTracking.at_risk_reason)
        .where(ItemTracking.item_id.in_(list(infos)), ItemTracking.at_risk.is_(True))
    ).all()
    units = unit_infos(session, {r.unit_id for r in pair_rows} | {r.unit_id for r in missing_rows})

    statuses: dict[int, list[str | None]] = {}
    for row in pair_rows:
        statuses.setdefault(row.item_id, []).append(row.status)
    finished = {item_id for item_id, found in statuses.items() if all(s in codes.FINISHED for s in found)}
    warnings: list[StatusWarning] = []
    for row in pair_rows:
        info = infos.get(row.item_id)
        if info is not None:
            warnings += _schedule_warnings(info, units.get(row.unit_id), row.status, row.percent,
                                           row.period_code, plan, today, settings)
    for row in missing_rows:
        info, period = infos.get(row.item_id), due_periods[row.period_id]
        if info is None:
            continue
        late = (today - period.due_date).days
        what = "báo cáo" if info.kind == "task" else "số liệu"
        warnings.append(_warning(
            codes.MISSING_REPORT, info, units.get(row.unit_id),
            f"Chưa nhận {what} {lower_first(period_label(period.code))} (hạn {_d(period.due_date)}, đã quá {late} ngày).",
            period_code=period.code, due_date=period.due_date, days=late,
        ))
    if flagged:
        pairs = reporting_pairs(plan.id).subquery()
        leads: dict[int, list[int]] = {}
        for item_id, unit_id in session.execute(select(pairs.c.item_id, pairs.c.unit_id)
                                                .where(pairs.c.item_id.in_([f.item_id for f in flagged]))):
            leads.setdefault(item_id, []).append(unit_id)
        lead_units = unit_infos(session, {u for ids in leads.values() for u in ids})
        for item_id, reason in flagged:
            info = infos.get(item_id)
            if info is None or item_id in finished:
                continue  # a finished task is no longer at risk
            named = sorted((lead_units[u] for u in leads.get(item_id, []) if u in lead_units), key=lambda u: u.name)
            unit = named[0] if named else None
            if len(named) > 1:
                unit = UnitInfo(named[0].id, named[0].uuid, ", ".join(u.name for u in named),
                                ", ".join(u.short_name or u.name for u in named), "", 0)
            text = "Cán bộ đánh dấu có nguy cơ chậm muộn" + (f": {reason}" if reason else ".")
            warnings.append(_warning(codes.AT_RISK, info, unit, text, due_date=info.due_date))
    warnings.sort(key=lambda w: (SEVERITY[w.kind], w.position, w.unit_name, w.period_code))
    return warnings
