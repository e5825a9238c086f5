"""The summary reports of a receiving office: their data (from the figures snapshot, the
shared indicators and the received records) and their documents
(:mod:`cds_desktop.reports.rollup_tables`), rendered by the usual PDF / Excel renderers.

    render_rollup(db, "chi-tieu-chung", "bang.pdf")
    render_rollup(db, "chua-gui", "chua-gui.xlsx", period="2026-05")
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import (
    Commune,
    IndicatorValue,
    Plan,
    ReportingPeriod,
    RollupSource,
    TaskProgress,
)
from cds_desktop.reports import render_document
from cds_desktop.reports.document import ReportDocument
from cds_desktop.reports.rollup_tables import (
    KINDS,
    Issuer,
    RollupContent,
    SharedBlock,
    build_rollup_document,
)
from cds_desktop.rollup.matching import SharedIndicator, shared_indicators
from cds_desktop.rollup.overview import MAIN_PILLARS, Figures, OverviewRow, build_overview
from cds_desktop.services.common import ServiceError
from cds_desktop.services.tracking.calendar import lower_first, normal_code, period_label
from cds_desktop.services.tracking.evaluation import fmt_number

log = logging.getLogger(__name__)


def default_period(today: date) -> str:
    """The month before *today*'s: the latest monthly report every commune owes."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year}-{month:02d}"


def check_period(code: str) -> str:
    try:
        return normal_code(code)
    except (ServiceError, ValueError) as exc:
        raise ServiceError(f"Kỳ báo cáo không hợp lệ: «{code}» (ví dụ 2026-05, 2026-Q2, 2026-H1, 2026).") from exc


def communes_without_data(session: Session, period: str) -> list[tuple[str, str, RollupSource]]:
    """(uuid, name, source) of the received communes with no progress report nor indicator figure in *period*."""
    sent = (
        select(Commune.uuid)
        .join(Plan, Plan.commune_id == Commune.id)
        .join(ReportingPeriod, ReportingPeriod.plan_id == Plan.id)
        .where(ReportingPeriod.code == period)
        .where(exists().where(TaskProgress.period_id == ReportingPeriod.id)
               | exists().where(IndicatorValue.period_id == ReportingPeriod.id))
    )
    rows = session.execute(
        select(Commune.uuid, Commune.kind, Commune.name, RollupSource)
        .join(RollupSource, RollupSource.commune_uuid == Commune.uuid)
        .where(Commune.uuid.not_in(sent)).order_by(Commune.name))
    return [(uuid, f"{kind} {name}".strip(), source) for uuid, kind, name, source in rows]


def _rate(met: int, total: int) -> float:
    return met / total if total else -1.0


def rank_rows(rows: list[OverviewRow], pillar: str | None) -> list[tuple[int, OverviewRow, Figures]]:
    """Competition ranking ("1, 2, 2, 4") by indicators met, then tasks done (rates)."""
    def figures(row: OverviewRow) -> Figures:
        return row.total if pillar is None else row.pillars[pillar]

    scored = sorted(rows, key=lambda r: (-_rate(figures(r).indicators_met, figures(r).indicators_total),
                                         -_rate(figures(r).tasks_done, figures(r).tasks_total), r.name))
    out: list[tuple[int, OverviewRow, Figures]] = []
    previous, rank = None, 0
    for number, row in enumerate(scored, start=1):
        f = figures(row)
        score = (_rate(f.indicators_met, f.indicators_total), _rate(f.tasks_done, f.tasks_total))
        if score != previous:
            rank, previous = number, score
        out.append((rank, row, f))
    return out


def _percent(met: int, total: int) -> str:
    return f"{fmt_number(100 * met / total)}%" if total else "—"


def _num(value: float | None) -> str:
    return "" if value is None else fmt_number(value)


def _shared_block(shared: SharedIndicator) -> SharedBlock:
    rows = [[m.commune, _num(m.numerator) if m.has_ratio else "", _num(m.denominator) if m.has_ratio else "",
             m.figure_text or "Chưa có số liệu", m.met_text] for m in shared.members]
    total = None
    if shared.is_ratio and shared.city_value is not None:
        met = shared.city_met
        verdict = {True: "Đạt", False: "Chưa đạt"}.get(met, "")  # type: ignore[arg-type]
        total = [_num(shared.numerator), _num(shared.denominator), f"{fmt_number(shared.city_value)}%", verdict]
    return SharedBlock(shared.title, shared.target_text or "—", shared.pillar_label, rows, total)


def rollup_content(session: Session, today: date, period: str | None = None, year: int | None = None
                   ) -> RollupContent:
    overview = build_overview(session, year)
    year = overview.year or today.year
    period = check_period(period) if period else default_period(today)
    shared = shared_indicators(session, year)
    per_pillar = {p: {row.commune_uuid: rank for rank, row, _f in rank_rows(overview.rows, p)}
                  for p in MAIN_PILLARS}
    ranking = []
    for rank, row, f in rank_rows(overview.rows, None):
        cells = [str(rank), row.name]
        for pillar in MAIN_PILLARS:
            figures = row.pillars[pillar]
            cells += [f"{figures.indicators_met}/{figures.indicators_total}" if figures.indicators_total else "—",
                      str(per_pillar[pillar][row.commune_uuid])]
        cells += [f"{f.indicators_met}/{f.indicators_total} ({_percent(f.indicators_met, f.indicators_total)})",
                  f"{f.tasks_done}/{f.tasks_total}", str(f.tasks_overdue)]
        ranking.append(cells)
    label = lower_first(period_label(period))  # "tháng 5/2026"
    missing = [[name, source.package_created_at.astimezone().strftime("%d/%m/%Y") if source.package_created_at
                else "—", f"Chưa có báo cáo tiến độ hay số liệu chỉ tiêu {label}."]
               for _uuid, name, source in communes_without_data(session, period)]
    total = Figures(*(sum(getattr(r.total, f) for r in overview.rows) for f in (
        "indicators_met", "indicators_total", "tasks_done", "tasks_total", "tasks_overdue", "reports_missing")))
    ratio = [s for s in shared if s.is_ratio and s.city_value is not None]
    lines = [
        f"1. Số xã, phường đã gửi dữ liệu: {overview.communes}; chưa gửi số liệu "
        f"{label}: {len(missing)} (Phụ lục 03).",
        f"2. Các chỉ tiêu: {total.indicators_met}/{total.indicators_total} chỉ tiêu đạt "
        f"({_percent(total.indicators_met, total.indicators_total)}); {len(shared)} chỉ tiêu dùng chung của nhiều "
        f"xã, phường (Phụ lục 01).",
        f"3. Các nhiệm vụ: {total.tasks_done}/{total.tasks_total} nhiệm vụ đã hoàn thành; {total.tasks_overdue} "
        f"nhiệm vụ quá hạn; {total.reports_missing} báo cáo còn thiếu ở kỳ gần nhất.",
    ]
    for number, s in enumerate(ratio, start=4):
        verdict = {True: "đạt", False: "chưa đạt"}.get(s.city_met, "")  # type: ignore[arg-type]
        lines.append(f"{number}. {s.title}: toàn thành phố {s.city_text()}"
                     + (f", {verdict} mục tiêu {s.target_text}" if verdict else "") + ".")
    return RollupContent(year=year, today=today, period_label=label, communes=overview.communes,
                         shared=[_shared_block(s) for s in shared],
                         ranking=ranking, missing=missing, summary_lines=lines)


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ServiceError(f"Loại báo cáo tổng hợp không hợp lệ: «{kind}». Chọn một trong: {', '.join(KINDS)}.")


def build_rollup_report(db: Database, kind: str, today: date | None = None, period: str | None = None,
                        year: int | None = None, issuer: Issuer | None = None) -> ReportDocument:
    check_kind(kind)
    with db.session(source="report") as session:
        content = rollup_content(session, today or date.today(), period, year)
        if not content.communes:
            raise ServiceError("Chưa nhận gói dữ liệu của xã, phường nào (dùng «rollup import» trước).")
    return build_rollup_document(kind, content, issuer)


def render_rollup(db: Database, kind: str, out_path: str | Path, fmt: str | None = None, *,
                  today: date | None = None, period: str | None = None, year: int | None = None,
                  issuer: Issuer | None = None) -> Path:
    """Build and render one summary report (format from *fmt* or the file's extension)."""
    out = Path(out_path)
    fmt = (fmt or out.suffix.lstrip(".") or "pdf").lower()
    doc = build_rollup_report(db, kind, today, period, year, issuer)
    return render_document(doc, fmt, out)


__all__ = ["KINDS", "Issuer", "build_rollup_report", "communes_without_data", "default_period",
           "render_rollup", "rollup_content"]
