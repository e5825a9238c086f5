"""The dashboard's snapshot (issue #17): the data-version token of migration 0008 changes with
every write, the snapshot is valid only for the same data, plan, day and program, and the
figures painted from it are the ones the status engine computes."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from support.exchange import clone_db
from support.month import remember_demo_plan

from cds_desktop.database import open_database
from cds_desktop.database.data_version import database_token, read_token, tracked_tables, trigger_name
from cds_desktop.database.migrate import current_revision, head_revision
from cds_desktop.models import Item, Plan, Unit
from cds_desktop.services import dashboard_snapshot, items
from cds_desktop.services.demo_progress import DEMO_TODAY

pytestmark = pytest.mark.sqlite_only(reason="the token's triggers and the light start-up path are SQLite's")

FIXTURES = Path(__file__).parent / "fixtures" / "db"


def _triggers(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


def _every_table_tracked(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        tables = tracked_tables(conn.execute)
    names = _triggers(path)
    assert len(tables) > 20
    return [t for t in tables if {trigger_name(t, s) for s in ("ins", "upd", "del")} - names]


def test_migration_0008_from_the_schema_0007_fixture(data_dir):
    data_dir.mkdir(parents=True)
    target = data_dir / "cds.sqlite"
    shutil.copy(FIXTURES / "schema_0007.sqlite", target)
    db = open_database(data_dir)
    try:
        assert current_revision(db) == head_revision()
        first = database_token(db)
        assert first is not None and first.startswith("0:")  # nothing written since the migration
        assert _every_table_tracked(target) == []
        with db.session("test") as s:
            uuid = s.scalar(select(Item.uuid).limit(1))
            items.update_item(s, uuid, content="Nội dung sửa sau khi nâng cấp")
        assert database_token(db) not in (None, first)
    finally:
        db.close()


def test_every_table_of_a_new_database_bumps_the_token(db):
    assert _every_table_tracked(db.sqlite_path) == []


def test_every_kind_of_write_changes_the_token(demo_db, tmp_path):
    """Item edit, progress entry, a plan import (bulk insert), a package import, a raw write."""
    from cds_desktop.services.tracking import ensure_periods, entry, get_period

    with demo_db.session("test") as s:
        ensure_periods(s, s.scalars(select(Plan)).first())
    seen = [database_token(demo_db)]

    def changed() -> bool:
        seen.append(database_token(demo_db))
        return seen[-1] not in seen[:-1]

    with demo_db.session("test") as s:
        task = s.scalars(select(Item).where(Item.kind == "task")).first()
        items.update_item(s, task.uuid, content="Nhiệm vụ đã sửa")
    assert changed()
    with demo_db.session("test") as s:
        task = s.get(Item, task.id)
        plan, unit = s.get(Plan, task.plan_id), s.scalars(select(Unit)).first()
        entry.record_progress(s, task, unit, get_period(s, plan, "2026-05"), today=DEMO_TODAY, percent=30)
    assert changed()
    from benchmarks.synthetic import synthetic_draft
    from cds_desktop.services.plan_draft import load_draft

    with demo_db.session("test") as s:
        load_draft(s, synthetic_draft(12, seed=3))
    assert changed()
    from cds_desktop.exchange import export_package, import_package

    other = clone_db(tmp_path / "other")
    try:
        with other.session("test") as s:
            items.update_item(s, s.scalars(select(Item.uuid)).first(), content="Sửa ở xã khác")
        package = export_package(other, tmp_path / "p.cdspkg").path
    finally:
        other.close()
    import_package(demo_db, package, trust_new=True)
    assert changed()
    with sqlite3.connect(demo_db.sqlite_path) as conn:  # a write outside the app's data layer
        conn.execute("UPDATE reporting_periods SET code = code")
    assert changed()
    assert database_token(demo_db) == seen[-1]  # reading changes nothing


def test_the_snapshot_is_valid_only_for_the_same_data_plan_day_and_program(tmp_path, monkeypatch):
    view = {"heading": "Tổng quan — Kế hoạch 1", "tiles": [["tasks", "Nhiệm vụ", "12", "3 đã hoàn thành", 12]]}
    day = date(2026, 11, 26)
    assert dashboard_snapshot.save(tmp_path, "5:AB", "plan-1", day, view)
    assert dashboard_snapshot.load(tmp_path, "5:AB", "plan-1", day) == view
    assert dashboard_snapshot.load(tmp_path, "6:CD", "plan-1", day) is None  # written since
    assert dashboard_snapshot.load(tmp_path, "5:AB", "plan-2", day) is None  # another plan chosen
    assert dashboard_snapshot.load(tmp_path, "5:AB", "plan-1", day + timedelta(days=1)) is None  # a new day
    assert dashboard_snapshot.load(tmp_path, None, "plan-1", day) is None  # no token (older schema)
    monkeypatch.setattr(dashboard_snapshot, "_code_stamp", "another-version")
    assert dashboard_snapshot.load(tmp_path, "5:AB", "plan-1", day) is None  # the program changed
    monkeypatch.undo()
    dashboard_snapshot.snapshot_path(tmp_path).write_text("{not json", encoding="utf-8")
    assert dashboard_snapshot.load(tmp_path, "5:AB", "plan-1", day) is None
    assert not dashboard_snapshot.save(tmp_path, None, "plan-1", day, view)


def test_the_light_reader_reads_the_same_token(demo_db, data_dir):
    from cds_desktop.services.view_rows import LightReader

    reader = LightReader.open(data_dir)
    assert reader is not None
    try:
        assert reader.data_token() == database_token(demo_db) is not None
    finally:
        reader.close()
    with sqlite3.connect(":memory:") as conn:  # a database before migration 0008
        assert read_token(conn) is None


@pytest.fixture
def progress_db(progress_db):
    return remember_demo_plan(progress_db)


def _kept(qtbot, folder, token, plan_uuid, day) -> dict:
    """The snapshot the dashboard keeps (read off the screen in steps, written by a thread)."""
    found = []
    qtbot.waitUntil(lambda: found.append(dashboard_snapshot.load(folder, token, plan_uuid, day)) or found[-1] is not None,
                    timeout=10000)
    return found[-1]


def _computed_dashboard(qtbot, db):
    from cds_desktop.ui.dashboard.screen import DashboardWidget

    widget = DashboardWidget(db, today=lambda: DEMO_TODAY)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    with qtbot.waitSignal(widget.refreshed, timeout=20000):
        widget.set_plan(db.demo_plan_uuid)
    return widget


def test_the_figures_painted_from_the_snapshot_are_the_computed_ones(qtbot, progress_db):
    from cds_desktop.services.tracking.dashboard import build_dashboard
    from cds_desktop.ui.dashboard.frame import DashboardFrame

    widget = _computed_dashboard(qtbot, progress_db)
    folder = progress_db.sqlite_path.parent
    view = _kept(qtbot, folder, database_token(progress_db), progress_db.demo_plan_uuid, DEMO_TODAY)
    json.dumps(view)  # plain data
    with progress_db.session("test") as s:
        plan = s.scalar(select(Plan).where(Plan.uuid == progress_db.demo_plan_uuid))
        computed = build_dashboard(s, plan, DEMO_TODAY)
    assert [t[:4] for t in view["tiles"]] == [[t.key, t.title, t.value, t.note] for t in computed.tiles]
    assert [t[4] for t in view["tiles"]] == [len(t.uuids) for t in computed.tiles]
    assert len(view["tables"]["warnings_view"]["rows"]) == len(computed.report.warnings) > 0

    frame = DashboardFrame()
    qtbot.addWidget(frame)
    frame.resize(1366, 700)
    frame.show_snapshot(view)
    shown = frame.capture()
    assert shown == view  # every text, tile, bar and cell as computed
    assert [w.value.text() for w in frame.tiles if not w.isHidden()] == [t.value for t in computed.tiles]
    assert frame.task_chart.rows and [r.total for r in frame.task_chart.rows] == \
        [r.total for r in widget.task_chart.rows]


def test_an_edit_voids_the_snapshot_and_the_next_figures_replace_it(qtbot, progress_db):
    widget = _computed_dashboard(qtbot, progress_db)
    folder = progress_db.sqlite_path.parent
    token = database_token(progress_db)
    _kept(qtbot, folder, token, progress_db.demo_plan_uuid, DEMO_TODAY)
    with progress_db.session("test") as s:
        items.update_item(s, s.scalars(select(Item.uuid)).first(), content="Sửa sau khi tính")
    new_token = database_token(progress_db)
    assert dashboard_snapshot.load(folder, new_token, progress_db.demo_plan_uuid, DEMO_TODAY) is None
    with qtbot.waitSignal(widget.refreshed, timeout=20000):
        widget.refresh()
    _kept(qtbot, folder, new_token, progress_db.demo_plan_uuid, DEMO_TODAY)


def _painted(widget):
    """What *widget* paints once the events already posted (layout, resizes) are handled, as on
    screen: Qt paints after them."""
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
    return widget.grab().toImage()


def _figures(dashboard) -> list:
    _painted(dashboard)
    widgets = [dashboard.heading, dashboard.subtitle, *dashboard.tiles, dashboard.task_chart,
               dashboard.indicator_chart]
    return [(w.isVisible(), w.grab().toImage()) for w in widgets]


def _window_at_first_paint(qtbot, data_dir):
    from cds_desktop.services.view_rows import LightReader
    from cds_desktop.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    reader = LightReader.open(data_dir)
    assert reader is not None and window.show_light(reader)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_window_shows_the_snapshot_at_first_paint_then_the_live_figures(qtbot, demo_db, data_dir):
    from cds_desktop.ui.first_view import prefetch

    demo = remember_demo_plan(demo_db)
    from cds_desktop.ui.dashboard.screen import DashboardWidget

    computing = DashboardWidget(demo)  # a previous run: today's figures computed and kept
    qtbot.addWidget(computing)
    with qtbot.waitSignal(computing.refreshed, timeout=20000):
        computing.set_plan(demo.demo_plan_uuid)  # (this first time the periods are made: a write)
    with qtbot.waitSignal(computing.refreshed, timeout=20000):
        computing.refresh()
    kept = _kept(qtbot, data_dir, database_token(demo), demo.demo_plan_uuid, date.today())

    window = _window_at_first_paint(qtbot, data_dir)
    assert window.db is None and window.workspace.current_key() == "dashboard"
    frame = window.dashboard_frame
    assert window.dashboard_snapshot == (demo.demo_plan_uuid, kept, database_token(demo))
    assert window.workspace.pages["dashboard"].stack.currentWidget() is frame
    assert frame.capture() == kept and frame.tiles[0].isVisible()
    before = _figures(frame)

    plan = window.current_plan()
    window.attach(demo, prefetch(demo, plan.id, plan.uuid, dashboard=True))
    live = window.workspace.screen("dashboard", create=False)
    assert isinstance(live, DashboardWidget) and live is not frame
    assert live.dashboard is not None  # computed figures, not the snapshot
    stack = window.workspace.pages["dashboard"].stack
    assert stack.currentWidget() is frame  # built and filled behind the frame, swapped in at the next turn
    generation = live._generation
    qtbot.waitUntil(lambda: stack.currentWidget() is live)
    assert live._generation == generation  # shown without computing the figures again
    assert live.capture({"warnings_view": live.warnings_model}) == kept  # the same numbers, texts and cells
    # The figures paint the same pixels: heading, tiles, bars (the page is a few pixels shorter
    # now, the toolbar got its item actions: the tables' split may differ by a pixel, their cells
    # are compared above).
    assert _figures(live) == before


def test_a_write_since_the_snapshot_shows_nothing_stale(qtbot, demo_db, data_dir):
    demo = remember_demo_plan(demo_db)
    _kept_for_today(qtbot, demo)
    with demo.session("test") as s:  # another process writes after the snapshot was kept
        items.update_item(s, s.scalars(select(Item.uuid)).first(), content="Sửa sau lần tính cuối")
    window = _window_at_first_paint(qtbot, data_dir)
    frame = window.dashboard_frame
    assert window.dashboard_snapshot is None
    assert frame.subtitle.text() == "Đang tính…" and not any(t.isVisible() for t in frame.tiles)
    assert frame.frozen["warnings_view"].rowCount() == 0


def _kept_for_today(qtbot, demo):
    from cds_desktop.ui.dashboard.screen import DashboardWidget

    computing = DashboardWidget(demo)
    qtbot.addWidget(computing)
    with qtbot.waitSignal(computing.refreshed, timeout=20000):
        computing.set_plan(demo.demo_plan_uuid)  # (this first time the periods are made: a write)
    with qtbot.waitSignal(computing.refreshed, timeout=20000):
        computing.refresh()
    return _kept(qtbot, demo.sqlite_path.parent, database_token(demo), demo.demo_plan_uuid, date.today())


def test_the_hidden_plan_rows_are_filled_after_the_first_paint_or_when_needed(qtbot, demo_db, data_dir):
    demo = remember_demo_plan(demo_db)
    _kept_for_today(qtbot, demo)
    window = _window_at_first_paint(qtbot, data_dir)
    assert window.dashboard_snapshot is not None
    assert window.task_model.rowCount() == 0  # not needed for the first paint
    assert window.windowTitle() and window.summary_label.text()  # the plan's heading is there at once
    done = []
    window.fill_light_plan_then(lambda: done.append("loader started"))
    qtbot.waitUntil(lambda: done == ["loader started"])
    assert window.task_model.rowCount() > 10 and window.tree_model.rowCount() > 0

    second = _window_at_first_paint(qtbot, data_dir)
    assert second.task_model.rowCount() == 0
    second.workspace.show_screen("plan")  # the officer opens the plan screen at once
    assert second.task_model.rowCount() == window.task_model.rowCount()


def test_figures_of_a_first_computation_that_made_the_periods_are_kept(demo_db):
    from cds_desktop.services.tracking.dashboard import load_dashboard_with_token

    demo = remember_demo_plan(demo_db)
    token, first = load_dashboard_with_token(demo, demo.demo_plan_uuid, DEMO_TODAY)
    # The periods were made meanwhile (a write): the figures were computed again, and are kept
    # (before, the first start after an import kept nothing, nor did the next one).
    assert token == database_token(demo) is not None and first[0].tiles
    again_token, again = load_dashboard_with_token(demo, demo.demo_plan_uuid, DEMO_TODAY)
    assert again_token == token
    assert [t.value for t in again[0].tiles] == [t.value for t in first[0].tiles]


def test_figures_computed_while_something_was_written_get_no_token(demo_db, monkeypatch):
    from cds_desktop.database.data_version import BUMP
    from cds_desktop.services.tracking import dashboard

    demo = remember_demo_plan(demo_db)
    computed = dashboard.load_dashboard

    def another_writer_meanwhile(*args, **kwargs):
        result = computed(*args, **kwargs)
        with sqlite3.connect(demo.sqlite_path) as conn:
            conn.execute(BUMP)
        return result

    monkeypatch.setattr(dashboard, "load_dashboard", another_writer_meanwhile)
    token, first = dashboard.load_dashboard_with_token(demo, demo.demo_plan_uuid, DEMO_TODAY)
    assert token is None and first[0].tiles  # written meanwhile, twice: not kept


def test_closing_at_once_still_keeps_the_figures(qtbot, progress_db):
    widget = _computed_dashboard(qtbot, progress_db)  # read off the screen only after a short delay...
    assert widget._capture is not None
    widget.finish_snapshot()  # ...unless the window closes first
    assert widget._capture is None
    _kept(qtbot, progress_db.sqlite_path.parent, database_token(progress_db), progress_db.demo_plan_uuid,
          DEMO_TODAY)
