"""The Tổng hợp screen (receiving mode, issue 16): its Qt models (qtmodeltester), the
overview of ten received communes sorted and filtered in SQL, a commune's dashboard opened
from it, receiving packages from the screen, the shared indicators panel, the menu."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from support.rollup import COMMUNES, TODAY, packages_dir, received_copy
from support.windows import open_window

from cds_desktop.rollup import matching
from cds_desktop.rollup.importing import FileResult
from cds_desktop.rollup.mode import receiving
from cds_desktop.rollup.overview import load_overview
from cds_desktop.ui.common.jobs import running_jobs
from cds_desktop.ui.month.models import ENTRY_COLUMNS
from cds_desktop.ui.rollup.models import FilesModel, MemberModel, OverviewModel, SharedModel

TIMEOUT = 20_000


@pytest.fixture
def received(tmp_path):
    db = received_copy(tmp_path / "received")
    yield db
    db.close()


def _idle(qtbot, screen):
    qtbot.waitUntil(lambda: not screen.busy and not screen.shared.busy and not running_jobs(), timeout=TIMEOUT)


def test_models_pass_the_model_tester(qtmodeltester, qapp, received):
    overview = OverviewModel(received)
    overview.set_rows(load_overview(received).rows)
    assert overview.rowCount() == COMMUNES
    qtmodeltester.check(overview)
    shared = SharedModel(received)
    shared.set_rows(matching.load_shared(received))
    assert shared.rowCount() == 3
    qtmodeltester.check(shared)
    members = MemberModel(received)
    members.set_rows(shared.rows[0].members)
    assert members.rowCount() == 10
    qtmodeltester.check(members)
    files = FilesModel(received)
    files.set_rows([FileResult("a.cdspkg", True, "Đã nhập"), FileResult("b.cdspkg", False, "Bị từ chối")])
    qtmodeltester.check(files)
    assert files.data(files.index(1, 1)) == "Bị từ chối"


def test_overview_sorted_by_header_and_a_commune_opens_its_dashboard(qtbot, received):
    window = open_window(qtbot, received, screen="rollup")
    screen = window.workspace.screen("rollup")
    _idle(qtbot, screen)
    assert screen.model.rowCount() == COMMUNES
    assert screen.model.data(screen.model.index(0, 0)) == "xã Thử Nghiệm 001"
    assert "10/10 xã, phường" in screen.status_label.text()
    overdue = next(i for i, c in enumerate(screen.model.columns) if c.key == "overdue")
    screen.view.horizontalHeader().sectionClicked.emit(overdue)  # the header's own sort request
    screen.view.sortByColumn(overdue, Qt.SortOrder.DescendingOrder)
    _idle(qtbot, screen)
    assert screen.sort_key == "overdue" and screen.descending
    values = [int(screen.model.data(screen.model.index(r, overdue))) for r in range(screen.model.rowCount())]
    assert values == sorted(values, reverse=True) and values[0] == 6
    screen.find_edit.setText("nghiem 004")
    _idle(qtbot, screen)
    assert screen.model.rowCount() == 1
    row = screen.model.row_at(0)
    index = screen.model.index(0, 0)
    screen.view.doubleClicked.emit(index)
    qtbot.waitUntil(lambda: window.workspace.current_key() == "dashboard", timeout=TIMEOUT)
    assert window.current_plan().uuid == row.plan_uuid


def test_packages_received_from_the_screen(qtbot, db, tmp_path):
    folder = tmp_path / "goi"
    folder.mkdir()
    for k in (0, 1):
        shutil.copy(packages_dir() / f"xa-{k + 1:03d}.cdspkg", folder)
    (folder / "hong.cdspkg").write_bytes(b"rac")
    window = open_window(qtbot, db, screen="rollup")
    screen = window.workspace.screen("rollup")
    _idle(qtbot, screen)
    assert screen.model.rowCount() == 0 and "chưa nhận gói" in screen.status_label.text()
    with qtbot.waitSignal(screen.imported, timeout=60_000) as blocker:
        screen.import_source(folder, today=TODAY)
    first = blocker.args[0]  # the two communes are not trusted yet: a question names them
    assert len(first.failed) == 3 and {r.refused for r in first.files} == {"unknown", ""}
    box = screen.trust_box
    assert box is not None and "xa-001.cdspkg" in box.text() and next(r for r in first.files if r.refused).signer["fingerprint"] in box.text()
    accept = next(b for b in box.buttons() if b.text() == "Tin cậy các nơi gửi này và nhận lại")
    with qtbot.waitSignal(screen.imported, timeout=60_000) as blocker:
        qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    assert len(blocker.args[0].failed) == 1
    _idle(qtbot, screen)
    assert screen.files_model.rowCount() == 3
    assert screen.tabs.currentWidget() is screen.files_view  # a refused file: the list of files is shown
    assert screen.model.rowCount() == 2
    assert receiving(db)
    assert window.plan_combo.count() == 2  # the communes' plans are in the window's list


def test_shared_panel_confirm_and_take_out(qtbot, received):
    window = open_window(qtbot, received, screen="rollup")
    screen = window.workspace.screen("rollup")
    _idle(qtbot, screen)
    panel = screen.shared
    assert panel.shared_model.rowCount() == 3 and panel.member_model.rowCount() == 10
    assert panel.shared_model.data(panel.shared_model.index(0, 6)) == "Đề xuất"
    panel.confirm_current()
    qtbot.waitUntil(lambda: panel.shared_model.rowCount() == 3 and
                    panel.shared_model.data(panel.shared_model.index(0, 6)) == "Đã xác nhận", timeout=TIMEOUT)
    _idle(qtbot, screen)
    panel.member_view.selectRow(0)
    panel.remove_current_member()
    qtbot.waitUntil(lambda: panel.member_model.rowCount() == 9, timeout=TIMEOUT)
    _idle(qtbot, screen)


def test_receiving_mode_from_the_file_menu(qtbot, db):
    from cds_desktop.ui.menus import toggle_receiving

    window = open_window(qtbot, db)
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Chế độ tổng hợp…" in texts
    assert toggle_receiving(window, True) is True and receiving(db)
    assert window.workspace.current_key() == "rollup"
    _idle(qtbot, window.workspace.screen("rollup"))
    assert toggle_receiving(window, False) is False and not receiving(db)


def test_a_received_communes_plan_is_shown_read_only(qtbot, received):
    """In receiving mode a commune's plan is only looked at: the month screen says so and takes no
    typing (a key says why), the plan's editing actions and the item's Lưu are disabled; turned off
    from the menu, the same plan is editable again."""
    from cds_desktop.ui.menus import toggle_receiving

    window = open_window(qtbot, received)
    qtbot.waitUntil(lambda: not running_jobs(), timeout=TIMEOUT)
    plan = next(p for p in window.plans if p.title.endswith("Thử Nghiệm 004 năm 2026"))
    window.show_plan_on(plan.uuid, "month")
    screen = window.workspace.screen("month")
    qtbot.waitUntil(lambda: screen.view_data is not None and screen.view_data.plan_uuid == plan.uuid
                    and not running_jobs(), timeout=TIMEOUT)
    note = "Chỉ xem: dữ liệu của xã Thử Nghiệm 004 nhận từ gói dữ liệu gửi lên"
    assert note in screen.summary.text() and note in window.summary_label.text()
    assert screen.model.locked and not screen.lock_button.isEnabled()
    editable = [screen.model.is_editable(row, column) for row in screen.model.rows for column in ENTRY_COLUMNS]
    assert screen.model.rows and not any(editable)
    screen.table.setFocus()
    screen.table.setCurrentIndex(screen.model.index(0, 5))
    qtbot.keyClicks(screen.table, "5")
    assert "xã Thử Nghiệm 004" in screen.message.text() and "không sửa được" in screen.message.text()
    assert not any(action.isEnabled() for action in window.plan_actions)

    window.workspace.show_screen("plan")
    uuid = window.task_model.uuid_at(0)
    assert window.select_item(uuid)
    qtbot.waitUntil(lambda: window.detail.item_uuid == uuid, timeout=TIMEOUT)
    assert not window.detail.save_button.isEnabled() and not window.detail.add_lead_button.isEnabled()
    assert window.detail.editors["content"].isReadOnly()

    assert toggle_receiving(window, False) is False
    qtbot.waitUntil(lambda: not running_jobs(), timeout=TIMEOUT)
    assert window.current_plan().uuid == plan.uuid and "Chỉ xem" not in window.summary_label.text()
    assert all(action.isEnabled() for action in window.plan_actions[:2])
    assert not window.detail.editors["content"].isReadOnly()


def test_a_zip_and_a_package_dropped_on_the_screen_are_received(qtbot, db, tmp_path):
    """Drag and drop, as the officer brings files from the e-mail or a USB stick: a .zip of two
    packages and one more package, dropped together (a note dropped with them is not taken)."""
    import zipfile

    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from cds_desktop.ui.rollup.screen import dropped_sources

    archive = tmp_path / "goi-thang-11.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for k in (1, 2):
            zf.write(packages_dir() / f"xa-{k:03d}.cdspkg", f"thang-11/xa-{k:03d}.cdspkg")
    single = shutil.copy(packages_dir() / "xa-003.cdspkg", tmp_path / "xa-003.cdspkg")
    note = tmp_path / "ghi-chu.txt"
    note.write_text("không phải gói", encoding="utf-8")
    window = open_window(qtbot, db, screen="rollup")
    screen = window.workspace.screen("rollup")
    _idle(qtbot, screen)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in (archive, single, note)])
    assert dropped_sources(mime) == [archive, single]
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPoint(20, 20), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(screen, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPoint(20, 20), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(screen.imported, timeout=60_000) as blocker:
        QApplication.sendEvent(screen, drop)
    assert {r.refused for r in blocker.args[0].files} == {"unknown"}  # not trusted yet: asked
    accept = next(b for b in screen.trust_box.buttons() if b.text() == "Tin cậy các nơi gửi này và nhận lại")
    with qtbot.waitSignal(screen.imported, timeout=60_000) as blocker:
        qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    assert not blocker.args[0].failed and len(blocker.args[0].files) == 3
    _idle(qtbot, screen)
    assert screen.model.rowCount() == 3
    assert [screen.model.data(screen.model.index(r, 0)) for r in range(3)] == [
        "xã Thử Nghiệm 001", "xã Thử Nghiệm 002", "xã Thử Nghiệm 003"]
