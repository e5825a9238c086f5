"""The light first-paint path: plan rows read with plain sqlite3 before SQLAlchemy is imported
are exactly the rows the ORM-backed services give (demo plan, a plan with parts A/B)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.paths import ROOT
from support.plans import parts_plan

from cds_desktop import models
from cds_desktop.database.migrate import head_revision
from cds_desktop.services import plan_actions, plan_view, view_rows
from cds_desktop.services.view_rows import LightReader

pytestmark = pytest.mark.sqlite_only(reason="the light first-paint path reads a SQLite file with plain sqlite3 (other databases wait for the data layer)")


def _orm_view(db, plan_uuid: str):
    choices = plan_view.load_plan_choices(db)
    plan = next(c for c in choices if c.uuid == plan_uuid)
    tree = plan_actions.load_group_tree(db, plan.id)
    rows = {kind: plan_actions.load_item_rows(db, plan.id, kind) for kind in (models.INDICATOR, models.TASK)}
    group = tree[1].children[0]
    in_group = plan_actions.load_item_rows(db, plan.id, models.TASK, group.subtree_ids())
    return choices, [r.shape() for r in tree], rows, in_group, plan_view.plan_summary(db, plan_uuid)


def _light_view(data_dir, plan_uuid: str):
    reader = LightReader.open(data_dir)
    assert reader is not None
    try:
        choices = reader.plan_choices()
        plan = next(c for c in choices if c.uuid == plan_uuid)
        tree = reader.group_tree(plan.id)
        rows = {kind: reader.item_rows(plan.id, kind) for kind in (models.INDICATOR, models.TASK)}
        group = tree[1].children[0]
        in_group = reader.item_rows(plan.id, models.TASK, group.subtree_ids())
        return choices, [r.shape() for r in tree], rows, in_group, reader.plan_summary(plan.id)
    finally:
        reader.close()


def test_light_rows_equal_orm_rows_for_the_demo_plan(demo_db, data_dir):
    plan_uuid = plan_view.load_plan_choices(demo_db)[0].uuid
    orm = _orm_view(demo_db, plan_uuid)
    assert len(orm[2][models.INDICATOR]) > 10 and len(orm[2][models.TASK]) > 10
    assert _light_view(data_dir, plan_uuid) == orm


def test_light_rows_equal_orm_rows_for_a_plan_with_parts_a_and_b(db, data_dir):
    plan_uuid = parts_plan(db)
    orm = _orm_view(db, plan_uuid)
    tasks = orm[2][models.TASK]
    assert [r.number for r in tasks] == ["A1", "A2", "B1", "B2"]  # the deleted ones are not shown
    assert tasks[0].lead_text == "Công an xã" and tasks[0].coordinating_text == "Văn phòng HĐND-UBND"
    assert [r.target for r in orm[2][models.INDICATOR]] == ["≥ 98%", "20-30%", "Định tính"]
    assert _light_view(data_dir, plan_uuid) == orm


def test_light_path_needs_a_file_at_the_newest_schema(tmp_path, db, data_dir):
    assert LightReader.open(tmp_path / "nothing") is None
    assert LightReader.open(data_dir, "sqlite:///elsewhere.sqlite") is None
    assert view_rows.head_revision() == head_revision()
    reader = LightReader.open(data_dir)
    assert reader is not None and reader.plan_choices() == []
    reader.close()


def test_light_constants_match_the_models():
    assert (view_rows.INDICATOR, view_rows.TASK) == (models.INDICATOR, models.TASK)
    assert (view_rows.SECTION_INDICATORS, view_rows.SECTION_TASKS) == (models.SECTION_INDICATORS,
                                                                       models.SECTION_TASKS)
    assert (view_rows.LEAD, view_rows.COORDINATING) == (models.LEAD, models.COORDINATING)


FIRST_PAINT_MODULES = (
    "cds_desktop.services.view_rows", "cds_desktop.ui.app", "cds_desktop.ui.main_window",
    "cds_desktop.ui.first_view", "cds_desktop.ui.plan.item_models", "cds_desktop.ui.common.widgets",
    "cds_desktop.ui.screens", "cds_desktop.ui.startup_probe", "cds_desktop.cli", "cds_desktop.commands.registry",
    "cds_desktop.ui.plan.filter_bar", "cds_desktop.ui.common.empty_state", "cds_desktop.ui.common.errors",
)


def test_first_paint_modules_do_not_import_sqlalchemy():
    code = (
        "import sys\n"
        f"for name in {FIRST_PAINT_MODULES!r}:\n"
        "    __import__(name)\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')\n"
        "               or m.startswith('cds_desktop.models') or m.startswith('cds_desktop.database'))\n"
        "print(heavy)\n"
        "sys.exit(1 if heavy else 0)\n"
    )
    env_run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert env_run.returncode == 0, env_run.stdout + env_run.stderr
