"""The overview of the received communes: one row per commune, per pillar indicators met /
total and tasks done / overdue, reports missing, the newest package's date.

One SQL statement over ``rollup_sources`` and the figures snapshot
(:mod:`.snapshot`), sorted and filtered in SQL (``ORDER BY``, ``WHERE``), so the
screen asks again on each click of a column header or change of the filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import PILLARS, Commune, RollupFigure, RollupSource
from cds_desktop.text import fold
from cds_desktop.vocabulary import ROLLUP_FILTERS as FILTERS  # noqa: F401  (re-exported)
from cds_desktop.vocabulary import ROLLUP_MAIN_PILLARS as MAIN_PILLARS
from cds_desktop.vocabulary import ROLLUP_SORTS as SORTS  # noqa: F401  (re-exported)

FIELDS = ("indicators_met", "indicators_total", "tasks_done", "tasks_total", "tasks_overdue", "reports_missing")


@dataclass(frozen=True)
class Figures:
    indicators_met: int = 0
    indicators_total: int = 0
    tasks_done: int = 0
    tasks_total: int = 0
    tasks_overdue: int = 0
    reports_missing: int = 0

    @property
    def indicators_text(self) -> str:
        return f"{self.indicators_met}/{self.indicators_total}" if self.indicators_total else "—"

    @property
    def tasks_text(self) -> str:
        if not self.tasks_total:
            return "—"
        late = f", {self.tasks_overdue} quá hạn" if self.tasks_overdue else ""
        return f"{self.tasks_done}/{self.tasks_total}{late}"

    def to_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass(frozen=True)
class OverviewRow:
    commune_uuid: str
    name: str
    plan_uuid: str | None
    last_package: datetime | None
    file_name: str
    pillars: dict[str, Figures] = field(default_factory=dict)  # cqs, kts, xhs
    total: Figures = Figures()  # every pillar, "Chung" included

    @property
    def package_text(self) -> str:
        return self.last_package.astimezone().strftime("%d/%m/%Y") if self.last_package else "—"

    def to_dict(self) -> dict[str, Any]:
        return {"commune_uuid": self.commune_uuid, "name": self.name, "plan_uuid": self.plan_uuid,
                "last_package": self.last_package.isoformat() if self.last_package else None,
                "file": self.file_name, "pillars": {p: f.to_dict() for p, f in self.pillars.items()},
                "total": self.total.to_dict()}


@dataclass
class Overview:
    year: int | None
    as_of: date | None
    rows: list[OverviewRow]
    communes: int  # received communes (before filtering)

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "as_of": self.as_of.isoformat() if self.as_of else None,
                "communes": self.communes, "shown": len(self.rows),
                "pillars": {p: PILLARS[p] for p in MAIN_PILLARS}, "rows": [r.to_dict() for r in self.rows]}


def _sum(name: str, pillar: str | None):
    column = getattr(RollupFigure, name)
    if pillar is None:
        return func.coalesce(func.sum(column), 0)
    return func.coalesce(func.sum(case((RollupFigure.pillar == pillar, column), else_=0)), 0)


def _ratio(part, whole):
    return case((whole > 0, part * 1.0 / whole), else_=-1.0)


def overview_select(year: int | None, sort: str = "name", descending: bool = False, text: str = "",
                    status: str = "all") -> Select:
    columns: dict[str, Any] = {}
    for pillar in (*MAIN_PILLARS, None):
        for name in FIELDS:
            columns[f"{pillar or 'all'}_{name}"] = _sum(name, pillar).label(f"{pillar or 'all'}_{name}")
    stmt = (
        select(Commune.uuid, Commune.kind, Commune.name, RollupSource.package_created_at, RollupSource.file_name,
               func.max(RollupFigure.plan_uuid).label("plan_uuid"), *columns.values())
        .select_from(RollupSource)
        .join(Commune, Commune.uuid == RollupSource.commune_uuid)
        .outerjoin(RollupFigure, and_(RollupFigure.commune_uuid == RollupSource.commune_uuid,
                                      RollupFigure.year == year if year is not None else literal(True)))
        .group_by(Commune.uuid, Commune.kind, Commune.name, RollupSource.package_created_at, RollupSource.file_name)
    )
    for word in fold(text).split():
        stmt = stmt.where(Commune.search_text.contains(word, autoescape=True))
    overdue, missing = columns["all_tasks_overdue"], columns["all_reports_missing"]
    if status == "alerts":
        stmt = stmt.having(or_(overdue > 0, missing > 0))
    elif status == "overdue":
        stmt = stmt.having(overdue > 0)
    elif status == "missing":
        stmt = stmt.having(missing > 0)
    elif status == "clean":
        stmt = stmt.having(and_(overdue == 0, missing == 0))
    keys: dict[str, Any] = {"name": Commune.name, "overdue": overdue, "missing": missing,
                            "package": RollupSource.package_created_at}
    for pillar in (*MAIN_PILLARS, "all"):
        keys[f"{pillar}_indicators"] = _ratio(columns[f"{pillar}_indicators_met"],
                                              columns[f"{pillar}_indicators_total"])
        keys[f"{pillar}_tasks"] = _ratio(columns[f"{pillar}_tasks_done"], columns[f"{pillar}_tasks_total"])
    key = keys.get(sort, Commune.name)
    return stmt.order_by(key.desc() if descending else key.asc(), Commune.name, Commune.uuid)


def _figures(row: Any, prefix: str) -> Figures:
    return Figures(*(int(getattr(row, f"{prefix}_{name}") or 0) for name in FIELDS))


def rollup_years(session: Session) -> list[int]:
    return list(session.scalars(select(RollupFigure.year).distinct().order_by(RollupFigure.year.desc())))


def build_overview(session: Session, year: int | None = None, sort: str = "name", descending: bool = False,
                   text: str = "", status: str = "all") -> Overview:
    if year is None:
        years = rollup_years(session)
        year = years[0] if years else None
    rows = []
    for row in session.execute(overview_select(year, sort, descending, text, status)):
        rows.append(OverviewRow(
            commune_uuid=row.uuid, name=f"{row.kind} {row.name}".strip(), plan_uuid=row.plan_uuid,
            last_package=row.package_created_at, file_name=row.file_name or "",
            pillars={p: _figures(row, p) for p in MAIN_PILLARS}, total=_figures(row, "all"),
        ))
    communes = session.scalar(select(func.count()).select_from(RollupSource)) or 0
    as_of = session.scalar(select(func.min(RollupFigure.as_of)).where(RollupFigure.year == year)) \
        if year is not None else None
    return Overview(year, as_of, rows, communes)


def load_overview(db: Database, year: int | None = None, sort: str = "name", descending: bool = False,
                  text: str = "", status: str = "all") -> Overview:
    """The overview screen's one read (a ``QueryTableModel`` query)."""
    with db.session(source="ui") as session:
        return build_overview(session, year, sort, descending, text, status)


def load_years(db: Database) -> list[int]:
    with db.session(source="ui") as session:
        return rollup_years(session)
