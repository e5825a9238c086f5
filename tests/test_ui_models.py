"""Every Qt item model of the UI passes pytest-qt's model tester."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cds_desktop.models import INDICATOR, SECTION_INDICATORS, SECTION_TASKS, TASK
from cds_desktop.services import plan_view

pytestmark = pytest.mark.gui


@pytest.fixture
def plan(demo_db):
    with demo_db.session() as s:
        return plan_view.plan_choices(s)[0]


def _groups(db, plan):
    with db.session() as s:
        return plan_view.group_tree(s, plan.id)


@pytest.mark.parametrize("kind", [INDICATOR, TASK])
def test_items_model_plain_filtered_sorted_searched(qtmodeltester, qapp, demo_db, plan, kind):
    from cds_desktop.ui.plan.item_models import ItemsTableModel

    model = ItemsTableModel(demo_db, kind)
    model.set_filter(plan.id)
    qtmodeltester.check(model)
    total = model.rowCount()
    assert total == (27 if kind == INDICATOR else 12)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Nội dung"

    section = SECTION_INDICATORS if kind == INDICATOR else SECTION_TASKS
    root = next(r for r in _groups(demo_db, plan) if r.section == section)
    group = root.children[1]
    model.set_filter(plan.id, group.subtree_ids())
    qtmodeltester.check(model)
    assert model.rowCount() == group.count

    model.set_filter(plan.id, None)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    contents = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert model.rowCount() == total
    assert contents[0] != contents[-1]

    model.set_filter(plan.id, None, "thon")
    qtmodeltester.check(model)
    assert 0 < model.rowCount() < total or kind == TASK


def test_items_model_warns_about_targets_not_understood(qtmodeltester, qapp, demo_db, plan):
    from cds_desktop.services.items import update_item
    from cds_desktop.ui.plan.item_models import ItemsTableModel

    model = ItemsTableModel(demo_db, INDICATOR)
    model.set_filter(plan.id)
    uuid = model.uuid_at(0)
    with demo_db.session() as s:
        update_item(s, uuid, target_text="khá tốt lắm")
    model.reload()
    qtmodeltester.check(model)
    row = model.row_of(uuid)
    index = model.index(row, 2)
    assert index.data() == "khá tốt lắm"
    assert "Chưa hiểu" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None


def test_group_tree_model(qtmodeltester, qapp, demo_db, plan):
    from cds_desktop.ui.plan.item_models import GroupTreeModel

    model = GroupTreeModel(demo_db)
    model.load(plan.id)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    first = model.index(0, 0)
    assert first.data() == "Phụ lục 01 — Chỉ tiêu"
    assert model.index(0, 1).data() == "27"
    assert model.rowCount(first) == 3
    pillar = model.find(SECTION_INDICATORS, "II")
    assert pillar.data() == "II. Kinh tế số"
    assert pillar.sibling(pillar.row(), 1).data() == "3"
    assert model.parent(pillar) == first
    model.load(None)
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_units_and_people_models(qtmodeltester, qapp, demo_db):
    from cds_desktop.services.catalog import delete_unit
    from cds_desktop.ui.common.table_model import PeopleModel, UnitsModel

    units = UnitsModel(demo_db)
    units.reload()
    qtmodeltester.check(units)
    assert units.rowCount() == 15
    units.load(search="vhxh", include_deleted=False)
    qtmodeltester.check(units)
    assert [r.name for r in units.rows] == ["Phòng Văn hóa - Xã hội"]
    with demo_db.session() as s:
        delete_unit(s, units.rows[0].uuid)
    units.load(search=None, include_deleted=True)
    qtmodeltester.check(units)
    assert any("(đã xóa)" in units.index(r, 0).data() for r in range(units.rowCount()))

    people = PeopleModel(demo_db)
    people.reload()
    qtmodeltester.check(people)
    assert people.rowCount() >= 1
    people.load(search="dung")
    qtmodeltester.check(people)
    assert people.rowCount() >= 1


def test_assignments_history_and_deleted_models(qtmodeltester, qapp, demo_db, plan):
    from cds_desktop.services.items import delete_item
    from cds_desktop.ui.common.misc_dialogs import DeletedItemsModel
    from cds_desktop.ui.common.table_model import AssignmentsModel, HistoryModel

    with demo_db.session() as s:
        uuid = plan_view.item_rows(s, plan.id, INDICATOR)[0].uuid
    assignments = AssignmentsModel(demo_db)
    assignments.load_item(uuid)
    qtmodeltester.check(assignments)
    assert assignments.rowCount() >= 1
    assert assignments.index(0, 1).data() == "Chủ trì"
    assignments.load_item(None)
    qtmodeltester.check(assignments)

    history = HistoryModel(demo_db)
    history.load_item(uuid)
    qtmodeltester.check(history)
    assert history.rowCount() >= 1
    when = history.index(0, 0).data()
    assert len(when) == 16 and when[2] == "/" and when[5] == "/"

    with demo_db.session() as s:
        delete_item(s, uuid)
    deleted = DeletedItemsModel(demo_db)
    deleted.load(plan_id=plan.id)
    qtmodeltester.check(deleted)
    assert deleted.rowCount() == 1
    assert deleted.index(0, 0).data() == "Chỉ tiêu"
