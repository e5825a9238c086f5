"""The window's edits carry the version the officer saw (issue 13): a change another process made
after the item was shown is refused, in Vietnamese, naming who changed it and when; the screen then
shows the item as it is now.  A real second process writes; on either database."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import select
from support.paths import ROOT
from support.windows import open_window

from cds_desktop.database.errors import StaleWriteError
from cds_desktop.models import Item
from cds_desktop.services import plan_actions

WRITER = """
import sys
from cds_desktop.database import open_database
from cds_desktop.services.items import update_item

db = open_database(sys.argv[1])
with db.session(source="cli", reason="cập nhật từ máy khác") as s:
    update_item(s, sys.argv[2], note=sys.argv[3])
db.close()
"""


def _other_process_writes(db, uuid: str, note: str) -> None:
    proc = subprocess.run([sys.executable, "-c", WRITER, str(db.paths.data_dir), uuid, note],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def _first_item(db) -> str:
    with db.session("test") as s:
        return s.scalars(select(Item.uuid).order_by(Item.id)).first()


def _note(db, uuid: str) -> str:
    with db.session("test") as s:
        return s.scalar(select(Item.note).where(Item.uuid == uuid))


def test_an_edit_based_on_what_the_screen_showed_is_refused_after_another_process_changed_it(demo_db):
    uuid = _first_item(demo_db)
    shown = plan_actions.load_item_detail(demo_db, uuid)  # what the panel showed
    _other_process_writes(demo_db, uuid, "Ghi chú từ máy khác")
    with pytest.raises(StaleWriteError) as caught:
        plan_actions.save_item(demo_db, uuid, {"note": "Ghi chú ở đây"}, shown.version)
    message = str(caught.value)
    assert message.startswith("Không lưu được: «") and "vừa được sửa ở nơi khác (dòng lệnh, máy " in message
    assert "cập nhật từ máy khác" in message and " ngày " in message and "chưa được ghi" in message
    assert _note(demo_db, uuid) == "Ghi chú từ máy khác"
    with pytest.raises(StaleWriteError):
        plan_actions.remove_item(demo_db, uuid, shown.version)
    # shown again, the same edit goes through
    again = plan_actions.load_item_detail(demo_db, uuid)
    assert again.version > shown.version
    plan_actions.save_item(demo_db, uuid, {"note": "Ghi chú ở đây"}, again.version)
    assert _note(demo_db, uuid) == "Ghi chú ở đây"


@pytest.mark.gui
def test_the_panel_refuses_a_stale_save_names_who_changed_it_and_reloads(qtbot, demo_db, monkeypatch):
    from cds_desktop.ui.plan import detail_panel

    window = open_window(qtbot, demo_db, (1400, 850))
    uuid = next(r.uuid for r in window.indicator_model.rows if r.number == "1")
    window.select_item(uuid)
    qtbot.waitUntil(lambda: window.detail.item_uuid == uuid)
    shown = window.detail.loaded_version
    assert shown is not None
    window.detail.editors["note"].setPlainText("Ghi chú gõ trong cửa sổ")
    _other_process_writes(demo_db, uuid, "Ghi chú từ máy khác")
    shown_errors: list[str] = []
    monkeypatch.setattr(detail_panel, "show_error", lambda exc, parent=None, **kw: shown_errors.append(str(exc)))
    with qtbot.waitSignal(window.detail.itemEdited, timeout=10_000):
        assert window.detail.save() is False
    assert len(shown_errors) == 1 and "dòng lệnh" in shown_errors[0] and "vừa được sửa ở nơi khác" in shown_errors[0]
    assert _note(demo_db, uuid) == "Ghi chú từ máy khác"  # the other's change stays
    # the screen reloaded: the panel shows the item as it is now, on its new version
    assert window.detail.editors["note"].toPlainText() == "Ghi chú từ máy khác"
    assert window.detail.loaded_version > shown
    window.detail.editors["note"].setPlainText("Ghi chú gõ lại")
    assert window.detail.save() is True
    assert _note(demo_db, uuid) == "Ghi chú gõ lại"
    assert shown_errors == [shown_errors[0]]


MONTH_WRITER = """
import sys
from datetime import date
from cds_desktop.database import open_database
from cds_desktop.services.tracking.month_screen import save_month_cell

db = open_database(sys.argv[1])
save_month_cell(db, *sys.argv[2:6], "percent", sys.argv[6], today=date(2026, 9, 18))
db.close()
"""


@pytest.mark.gui
def test_the_month_table_refuses_a_cell_whose_report_changed_elsewhere_and_reloads(qtbot, progress_db):
    from support.month import open_month_entry, remember_demo_plan

    from cds_desktop.ui.month.models import COLUMN_INDEX

    month = open_month_entry(qtbot, remember_demo_plan(progress_db), (1400, 850))
    row = next(i for i, r in enumerate(month.model.rows)
               if r.item.ref == "III.1" and r.unit_short == "Phòng VHXH" and r.kind == "task")
    shown = month.model.rows[row]
    assert shown.percent == 75 and shown.version > 0
    proc = subprocess.run([sys.executable, "-c", MONTH_WRITER, str(progress_db.paths.data_dir),
                           progress_db.demo_plan_uuid, month.view_data.period_code, shown.item.uuid, shown.unit_uuid,
                           "60"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    with qtbot.waitSignal(month.refreshed, timeout=20_000):  # the screen reloads after the refusal
        assert month.model.setData(month.model.index(row, COLUMN_INDEX["figure"]), "80") is False
        message = month.message.text()
        assert "vừa được sửa ở nơi khác (cửa sổ chương trình, máy " in message and "chưa được ghi" in message
    row = next(i for i, r in enumerate(month.model.rows) if r.key == shown.key)
    assert month.model.rows[row].percent == 60  # the other process's figure, shown
    assert month.model.setData(month.model.index(row, COLUMN_INDEX["figure"]), "80") is True
    assert month.model.rows[row].percent == 80
