"""An indicator's target reads the same in the plan table, month entry, the printed
appendix and the unit workbook (one ``display_target``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support.databases import copy_data_dir
from support.exchange import template_dir

from cds_desktop.database import open_database
from cds_desktop.exchange.workbook_write import workbook_rows
from cds_desktop.models import INDICATOR, Item
from cds_desktop.reports.columns import CellContext, read_cell
from cds_desktop.services.lookup import resolve_plan, resolve_unit
from cds_desktop.services.plan_view import item_rows
from cds_desktop.services.tracking.calendar import get_period
from cds_desktop.services.tracking.filters import Criteria
from cds_desktop.services.tracking.month import month_rows

# (target column, comparator, value, unit) -> how it reads everywhere
CASES = [
    (("", "qualitative", None, ""), "Định tính"),
    (("", "ge", 95.0, "%"), "≥ 95%"),
    (("Trên 90%", "gt", 90.0, "%"), "Trên 90%"),
]


@pytest.fixture
def db(tmp_path):
    copy_data_dir(template_dir(), tmp_path / "data")
    database = open_database(tmp_path / "data")
    yield database
    database.close()


def test_a_target_reads_the_same_on_every_screen_and_paper(db):
    with db.session() as s:
        plan = resolve_plan(s, "139")
        unit = resolve_unit(s, "vhxh")
        period = get_period(s, plan, "2026-05")
        reported = [r.item_uuid for r in workbook_rows(s, plan, period, unit) if r.kind == INDICATOR]
        assert len(reported) >= len(CASES)
        chosen = reported[: len(CASES)]
        for uuid, ((text, comparator, value, unit_text), _shown) in zip(chosen, CASES, strict=True):
            item = s.scalar(select(Item).where(Item.uuid == uuid))
            item.target_text, item.target_comparator, item.target_value, item.target_unit = (
                text, comparator, value, unit_text)
            item.target_value_max, item.target_understood, item.target_source = None, True, "content"
    expected = {uuid: shown for uuid, (_fields, shown) in zip(chosen, CASES, strict=True)}
    with db.session() as s:
        plan = resolve_plan(s, "139")
        unit = resolve_unit(s, "vhxh")
        period = get_period(s, plan, "2026-05")
        table = {r.uuid: r.target for r in item_rows(s, plan.id, INDICATOR)}
        month = {r.item.uuid: r.item.target_display for r in month_rows(s, plan, period, Criteria())}
        items = {i.uuid: i for i in s.scalars(select(Item).where(Item.uuid.in_(chosen)))}
        printed = {uuid: read_cell("target", items[uuid], CellContext()) for uuid in chosen}
        workbook = {r.item_uuid: r.target for r in workbook_rows(s, plan, period, unit)}
    for where in (table, month, printed, workbook):
        assert {uuid: where[uuid] for uuid in chosen} == expected


def test_every_indicator_row_of_a_unit_workbook_has_its_target(db):
    with db.session() as s:
        plan = resolve_plan(s, "139")
        period = get_period(s, plan, "2026-05")
        rows = [r for r in workbook_rows(s, plan, period, resolve_unit(s, "vhxh")) if r.kind == INDICATOR]
        with_target = {i.uuid for i in s.scalars(select(Item).where(Item.plan_id == plan.id, Item.kind == INDICATOR,
                                                                  Item.target_comparator != "none"))}
    targeted = [r for r in rows if r.item_uuid in with_target]
    assert targeted and all(r.target for r in targeted)
