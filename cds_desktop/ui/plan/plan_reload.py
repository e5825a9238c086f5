"""Reading the plans again after data came in from outside (a received package or unit
workbooks, an imported plan, a restored backup, the sample plan), off the GUI thread.

``read_plan_snapshot`` (Qt-free) reads the list of plans, the chosen plan's group tree,
its two item tables and its summary in a background job; ``PlanReloadMixin`` (of the
main window) then puts them on screen in one short step.  Reading them on the GUI thread
stalled the window for a few hundred milliseconds after each import (issue 11).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cds_desktop.services.view_rows import INDICATOR, TASK

if TYPE_CHECKING:
    from cds_desktop.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableQuery:
    """How an item table reads its rows (no group chosen: the plan's whole list)."""

    search: str = ""
    order: str = "position"
    descending: bool = False
    item_filter: Any = None


@dataclass
class PlanSnapshot:
    choices: list = field(default_factory=list)
    plan_uuid: str | None = None  # the plan to show: the one asked for, the current one, or the first
    plan_id: int | None = None
    tree: list = field(default_factory=list)
    rows: dict = field(default_factory=dict)  # kind -> rows read with queries[kind]
    queries: dict = field(default_factory=dict)
    summary: str = ""


def read_plan_snapshot(db: Database, wanted: str | None, queries: dict[str, TableQuery],
                       current: str | None = None) -> PlanSnapshot:
    """What the plan editor shows of plan *wanted* (or the first plan when it is gone).  The
    filter of *queries* is only used when the plan shown stays *current* (a filter belongs to
    its plan)."""
    from cds_desktop.services import plan_actions, plan_view

    snapshot = PlanSnapshot(plan_view.load_plan_choices(db))
    plan = next((p for p in snapshot.choices if p.uuid == wanted), None) or \
        (snapshot.choices[0] if snapshot.choices else None)
    if plan is None:
        return snapshot
    snapshot.plan_uuid, snapshot.plan_id = plan.uuid, plan.id
    snapshot.tree = plan_actions.load_group_tree(db, plan.id)
    for kind in (INDICATOR, TASK):
        query = queries.get(kind, TableQuery())
        if plan.uuid != current and query.item_filter is not None:
            query = TableQuery(query.search, query.order, query.descending, None)
        snapshot.queries[kind] = query
        snapshot.rows[kind] = plan_actions.load_item_rows(
            db, plan.id, kind, None, query.search or None, query.order, query.descending, query.item_filter)
    snapshot.summary = plan_view.plan_summary(db, plan.uuid)
    return snapshot


class PlanReloadMixin:
    """``reload_plans_later``: the main window's list of plans and plan editor read again in a job."""

    _reload_generation = 0

    def _table_query(self, model) -> TableQuery:
        return TableQuery(self.search_edit.text(), model.order, model.descending, self.filter_bar.criteria())

    def reload_plans_later(self, select_uuid: str | None = None):
        """Like ``reload_plans`` but the reading is done by a background job; the rows are put on
        screen when it is done (a later call wins over an earlier one still running)."""
        from cds_desktop.ui.common.jobs import run_job

        if self.db is None:
            return None
        self._reload_generation += 1
        generation = self._reload_generation
        current = self.current_plan().uuid if self.current_plan() else None
        wanted = select_uuid or current
        queries = {m.kind: self._table_query(m) for m in (self.indicator_model, self.task_model)}
        db = self.db

        def done(snapshot: PlanSnapshot) -> None:
            if generation == self._reload_generation and self.db is db:
                self.show_plan_snapshot(snapshot)

        return run_job(lambda _ctx: read_plan_snapshot(db, wanted, queries, current),
                       title="Đang đọc lại kế hoạch…", parent=self, on_success=done, progress=False)

    def show_plan_snapshot(self, snapshot: PlanSnapshot) -> None:
        """Put a snapshot read in the background on screen, keeping the selected item when it is
        still there; a table whose query changed meanwhile reads its rows again."""
        keep = self.current_item_uuid() if self.current_plan() and \
            self.current_plan().uuid == snapshot.plan_uuid else None
        self._fill_plans(snapshot.choices, snapshot.plan_uuid)
        plan = self.current_plan()
        if plan is None or plan.uuid != snapshot.plan_uuid:
            self._load_plan()
            return
        self.tree_model.set_roots(plan.id, snapshot.tree)
        self.tree_view.expandAll()
        self.filter_bar.set_plan(plan.uuid)
        criteria = self.filter_bar.criteria()
        for model in (self.indicator_model, self.task_model):
            model.item_filter, model.plan_id, model.group_ids = criteria, plan.id, None
            model.search = self.search_edit.text()
            if self._table_query(model) == snapshot.queries.get(model.kind):
                model.set_rows(snapshot.rows[model.kind])
            else:  # searched or filtered meanwhile
                log.info("The %s table changed its query during the reload: read again", model.kind)
                model.reload()
        self.detail.show_item(None)
        self._after_plan_loaded(plan, snapshot.summary or None)
        if keep and self.select_item(keep):
            return
        self._on_item_selection()
