"""The import preview dialog: model checks, corrections, and importing a real plan through it."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from support.import_dialog import dialog_fixture, jobs_done_fixture, none_refcount_fixture  # noqa: F401
from support.paths import BAT_TRANG_SEED, PHU_DONG_SEED

from cds_desktop.importers.run import analyse_path

pytestmark = pytest.mark.gui


def _load(qtbot, dialog, path) -> None:
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.load_file(path)


def test_rows_model_passes_the_model_tester(qtmodeltester, dialog) -> None:
    dialog.set_analysis(analyse_path(PHU_DONG_SEED))
    assert dialog.rows_model.rowCount() > 50
    qtmodeltester.check(dialog.rows_model)


def test_import_bat_trang_through_the_dialog(qtbot, dialog, db, capsys) -> None:
    _load(qtbot, dialog, BAT_TRANG_SEED)
    assert "27 chỉ tiêu, 12 nhiệm vụ, 15 đơn vị (15 tạo mới)" in dialog.summary.text()
    assert dialog.tables_list.count() == 2
    assert dialog.meta["number"].text() == "139/KH-UBND"
    assert dialog.groups_tree.topLevelItemCount() == 10
    parsed = [dialog.rows_model.index(r, 8).data() for r in range(dialog.rows_model.rowCount())]
    assert any("30/09/2026" in p for p in parsed)  # "Quý III/2026" read as a date
    assert any("Chỉ tiêu: ≥ 95%" in p for p in parsed)
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as signal:
        dialog.import_button.click()
    report = signal.args[0]
    assert report["plan"]["indicator_count"] == 27 and report["plan"]["task_count"] == 12
    from cds_desktop.cli import main

    main(["info", "--json", "--data-dir", str(db.paths.data_dir)])
    plans = json.loads(capsys.readouterr().out)["plans"]
    assert [(p["number"], p["indicator_count"], p["task_count"]) for p in plans] == [("139/KH-UBND", 27, 12)]


def test_corrections_change_what_is_imported(qtbot, dialog) -> None:
    _load(qtbot, dialog, PHU_DONG_SEED)
    model = dialog.rows_model
    assert dialog.analysis.counts() == {"indicator": 18, "task": 32}
    first_item = next(r for r in range(model.rowCount()) if model.rows[r][1].role == "item")
    model.setData(model.index(first_item, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert dialog.analysis.counts() == {"indicator": 17, "task": 32}
    model = dialog.rows_model
    second = next(r for r in range(model.rowCount()) if model.rows[r][1].role == "item")
    dialog.merge_row_up(second)  # indicator 2 continues indicator 1's row now... but 1 is excluded: joins the group
    content_col = [c.key for c in model.columns].index("content")
    third = next(r for r in range(dialog.rows_model.rowCount()) if dialog.rows_model.rows[r][1].role == "item")
    assert dialog.rows_model.setData(dialog.rows_model.index(third, content_col), "Nội dung đã sửa")
    assert any(i["content"] == "Nội dung đã sửa" for i in dialog.analysis.draft["items"])


def test_column_mapping_and_table_kind_can_be_changed(qtbot, dialog) -> None:
    _load(qtbot, dialog, BAT_TRANG_SEED)
    table = dialog.analysis.tables[0]
    basis = table.col("basis")
    dialog.set_column_field(table.number, basis, "note")
    items = [i for i in dialog.analysis.draft["items"] if i["kind"] == "indicator"]
    assert items[0]["note"] == "Quyết định số 2629/QĐ-TTg ngày 01/12/2025" and items[0]["basis"] == ""
    dialog.set_table_kind(table.number, "other")
    assert dialog.analysis.counts() == {"indicator": 0, "task": 12}
    combo = dialog.mapping.cellWidget(0, 2)
    assert combo is not None and combo.count() > 10


def test_two_units_can_be_merged(qtbot, dialog) -> None:
    _load(qtbot, dialog, PHU_DONG_SEED)
    names = [u["name"] for u in dialog.analysis.draft["units"]]
    into, other = names.index("Các phòng, ban, đơn vị thuộc xã"), names.index("Các phòng, ban đơn vị liên quan")
    dialog.merge_units(other, into)
    names_after = [u["name"] for u in dialog.analysis.draft["units"]]
    assert "Các phòng, ban đơn vị liên quan" not in names_after
    merged = next(u for u in dialog.analysis.draft["units"] if u["name"] == "Các phòng, ban, đơn vị thuộc xã")
    assert "Các phòng, ban đơn vị liên quan" in merged["aliases"]
    assert dialog.units_table.rowCount() == len(names) - 1


def test_paste_and_drop(qtbot, dialog, tmp_path) -> None:
    lines = BAT_TRANG_SEED.read_text(encoding="utf-8").splitlines()
    table = "\n".join(lines[493:519]) + "\n"  # Phụ lục 2 only, as copied from Word
    QGuiApplication.clipboard().setText(table)
    dialog.paste()
    assert dialog.analysis.counts() == {"indicator": 0, "task": 12}
    path = tmp_path / "ke_hoach.txt"
    path.write_text(BAT_TRANG_SEED.read_text(encoding="utf-8"), encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])


    class Drop:  # what dropEvent uses of a QDropEvent (a real one built in Python upsets PySide at exit)
        accepted = False

        def mimeData(self):
            return mime

        def acceptProposedAction(self):
            self.accepted = True

    event = Drop()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.dropEvent(event)
    assert event.accepted
    assert dialog.analysis.counts() == {"indicator": 27, "task": 12}


def test_bad_file_shows_an_error_and_keeps_the_dialog(qtbot, dialog, tmp_path) -> None:
    from cds_desktop.ui.common.errors import open_error_dialogs

    path = tmp_path / "rong.txt"
    path.write_bytes(b"")
    dialog.load_file(path)
    qtbot.waitUntil(lambda: bool(open_error_dialogs()), timeout=10_000)
    error = open_error_dialogs()[-1]
    assert "rong.txt" in error.message and "rỗng" in error.message
    error.close()
    assert dialog.analysis is None and not dialog.import_button.isEnabled()


def test_open_import_dialog_entry_point(qtbot, db) -> None:
    from cds_desktop.ui.plan.import_preview import open_import_dialog

    dlg = open_import_dialog(None, db, BAT_TRANG_SEED)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.analysis is not None, timeout=10_000)
    assert dlg.isVisible() and dlg.analysis.counts()["task"] == 12


def test_a_plan_issued_long_ago_is_proposed_for_tracking_from_this_month(qtbot, dialog, db) -> None:
    """Issue #11 item 8: Bát Tràng's plan was issued on 03/04/2026; taken up later in the year,
    the preview proposes the first of this month, the officer may type another day."""
    from datetime import date

    from sqlalchemy import select

    from cds_desktop.models import Plan
    from cds_desktop.services.structure import suggested_tracking_start

    _load(qtbot, dialog, BAT_TRANG_SEED)
    proposed = suggested_tracking_start(date(2026, 4, 3), 2026, date.today())
    assert dialog.tracking_edit.text() == (proposed.strftime("%d/%m/%Y") if proposed else "")
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.tracking_edit.setFocus()
    dialog.tracking_edit.clear()
    qtbot.keyClicks(dialog.tracking_edit, "31/13/2026")
    qtbot.keyClick(dialog.tracking_edit, Qt.Key.Key_Tab)
    assert "không hợp lệ" in dialog.tracking_error.text()
    dialog.tracking_edit.setFocus()
    dialog.tracking_edit.clear()
    qtbot.keyClicks(dialog.tracking_edit, "1/10/2026")
    qtbot.keyClick(dialog.tracking_edit, Qt.Key.Key_Tab)
    assert dialog.tracking_error.text() == "" and dialog.tracking_edit.text() == "01/10/2026"
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.import_button.click()
    with db.session("test") as s:
        assert s.scalar(select(Plan.tracking_start)) == date(2026, 10, 1)
