"""Exchange screen: export and import wizards run as background jobs with progress, the
dry-run report with side-by-side conflicts and choices, the history; every Qt model
passes pytest-qt's model tester."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from support.exchange import clone_db

from cds_desktop.exchange import export_package, import_package
from cds_desktop.models import Item, Plan

pytestmark = pytest.mark.gui


@pytest.fixture
def office(tmp_path):
    db = clone_db(tmp_path / "office")
    yield db
    db.close()


@pytest.fixture
def laptop(office, tmp_path, new_db):
    from cds_desktop.exchange.office_keys import load_office_key
    from cds_desktop.exchange.trust import Signer, trust_signer

    db = new_db(tmp_path / "laptop")
    import_package(db, export_package(office, tmp_path / "first.cdspkg").path, trust_new=True)
    key = load_office_key(db.paths.data_dir)  # the office already trusts its laptop
    trust_signer(office.paths.data_dir, Signer("Máy xách tay", db.installation_id, key.public_key))
    return db


@pytest.fixture
def screen(qtbot, office):
    from cds_desktop.ui.exchange.screen import ExchangeWidget

    widget = ExchangeWidget(office)
    qtbot.addWidget(widget)
    with office.session() as s:
        widget.set_plan(s.scalar(select(Plan)).uuid)
    widget.resize(1200, 800)
    widget.show()
    return widget


def _wait(qtbot, job):
    assert job is not None
    if not job.done:
        with qtbot.waitSignal(job.finished, timeout=60_000):
            pass
    return job


def _conflicting_package(office, laptop, tmp_path):
    with office.session() as s:
        uuid = s.scalar(select(Item.uuid).order_by(Item.position))
    for db, text in ((office, "Bản văn phòng"), (laptop, "Bản máy xách tay")):
        with db.session() as s:
            s.scalar(select(Item).where(Item.uuid == uuid)).content = text
    return export_package(laptop, tmp_path / "laptop.cdspkg").path, uuid


def test_models_pass_the_model_tester(qtmodeltester, qapp, office, laptop, tmp_path):
    from cds_desktop.exchange.workbook_write import generate_all_workbooks
    from cds_desktop.exchange.workbooks import import_workbooks
    from cds_desktop.ui.exchange.models import (
        ConflictModel,
        HistoryModel,
        PreviewModel,
        package_rows,
        workbook_rows,
    )

    path, _uuid = _conflicting_package(office, laptop, tmp_path)
    preview = import_package(office, path, dry_run=True)
    model = PreviewModel()
    qtmodeltester.check(model)
    model.set_rows(package_rows(preview))
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and model.rows[0].is_conflict
    assert model.set_choice(0, "theirs") and model.resolutions() == {model.rows[0].uuid: "theirs"}
    conflict = ConflictModel()
    conflict.show_row(model.rows[0])
    qtmodeltester.check(conflict)
    assert conflict.rowCount() == 1 and conflict.rows[0].mine == "Bản văn phòng"
    made = generate_all_workbooks(office, "2026-10", tmp_path / "books")
    result = import_workbooks(office, [made[0].path], dry_run=True)
    model.set_rows(workbook_rows(result))
    qtmodeltester.check(model)
    history = HistoryModel(office)
    history.reload()
    qtmodeltester.check(history)
    assert history.rowCount() >= 2


def test_export_wizard_writes_a_package_and_records_it(qtbot, screen, tmp_path):
    page = screen.export_page
    page.scope_plan.setChecked(True)
    job = _wait(qtbot, page.export_to(str(tmp_path / "out" / "ke-hoach.cdspkg")))
    assert job.state == "ok" and (tmp_path / "out" / "ke-hoach.cdspkg").is_file()
    assert "Đã xuất" in page.summary.text()
    assert screen.history_model.rows[0].direction == "export_package"
    assert screen.history_model.rows[0].scope["kind"] == "plan"


def test_export_wizard_makes_workbooks_for_every_unit(qtbot, screen, tmp_path):
    page = screen.export_page
    page.book_period.setCurrentIndex(page.book_period.findData("2026-10"))
    job = _wait(qtbot, page.make_workbooks(str(tmp_path / "books")))
    assert job.state == "ok" and len(list((tmp_path / "books").glob("*.xlsx"))) >= 10
    assert "phiếu báo cáo" in page.summary.text()


def test_import_wizard_shows_conflicts_side_by_side_and_applies_choices(qtbot, screen, office, laptop, tmp_path):
    path, uuid = _conflicting_package(office, laptop, tmp_path)
    page = screen.import_page
    _wait(qtbot, page.check_package(path))
    assert "1 xung đột" in page.summary.text() and page.apply_button.isEnabled()
    page.table.selectRow(0)
    assert page.conflict_model.rows[0].mine == "Bản văn phòng"
    assert page.conflict_model.rows[0].theirs == "Bản máy xách tay"
    assert page.both_button.isEnabled()
    page.choose("theirs")
    assert page.model.rows[0].choice_label == "Lấy bản trong gói"
    with qtbot.waitSignal(screen.dataChanged, timeout=60_000):
        _wait(qtbot, page.apply())
    with office.session() as s:
        assert s.scalar(select(Item.content).where(Item.uuid == uuid)) == "Bản máy xách tay"
    assert screen.history_model.rows[0].direction == "import_package"
    assert not page.apply_button.isEnabled()


def test_a_rejected_package_goes_to_the_error_dialog(qtbot, screen, office, tmp_path):
    from cds_desktop.ui.common.errors import open_error_dialogs

    bad = tmp_path / "hỏng.cdspkg"
    bad.write_bytes(b"not a package")
    job = _wait(qtbot, screen.import_page.check_package(bad))
    assert job.state == "error"
    dialogs = open_error_dialogs()
    assert dialogs and "Tệp «hỏng.cdspkg» bị từ chối" in dialogs[-1].message
    for dialog in dialogs:
        dialog.close()


def test_workbook_import_lists_rejected_files_and_imports_the_rest(qtbot, screen, office, tmp_path):
    import openpyxl

    from cds_desktop.exchange import workbook_format as wf
    from cds_desktop.exchange.workbook_write import generate_all_workbooks

    made = generate_all_workbooks(office, "2026-10", tmp_path / "books")
    book = made[0].path
    wb = openpyxl.load_workbook(book)
    ws = wb[wf.DATA_SHEET]
    for r in range(wf.HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(r, wf.COLUMN_INDEX["kind"]).value == "Nhiệm vụ":
            ws.cell(r, wf.COLUMN_INDEX["percent"]).value = 35
            break
    wb.save(book)
    (tmp_path / "books" / "lạ.xlsx").write_bytes(b"garbage")
    page = screen.import_page
    _wait(qtbot, page.check_workbooks([tmp_path / "books"]))
    statuses = [r.status for r in page.model.rows]
    assert statuses[0] == "rejected" and "new" in statuses
    assert "bị từ chối" in page.summary.text()
    _wait(qtbot, page.apply())
    assert page.result.applied and page.result.counts["created"] == 1


def test_set_plan_fills_the_choices(screen, office):
    page = screen.export_page
    assert page.period_combo.count() >= 12 and page.unit_combo.count() >= 5
    assert page.book_unit.itemData(0) == "" and page.scope_plan.isEnabled()
    with office.session() as s:
        s.scalar(select(Plan)).deleted_at = datetime.now(UTC)
    screen.set_plan(None)
    assert not page.scope_plan.isEnabled()


def test_workbooks_already_in_the_folder_are_replaced_only_when_the_officer_says_so(qtbot, screen, tmp_path,
                                                                                    monkeypatch):
    from cds_desktop.ui.exchange import export_page

    page = screen.export_page
    page.book_period.setCurrentIndex(page.book_period.findData("2026-10"))
    folder = tmp_path / "books"
    assert _wait(qtbot, page.make_workbooks(str(folder))).state == "ok"
    first = sorted(folder.glob("*.xlsx"))[0]
    first.write_bytes(b"sua tay")
    answers, asked = [False, True], []
    monkeypatch.setattr(export_page, "confirm_overwrite",
                        lambda _parent, paths: asked.append(list(paths)) or answers.pop(0))
    _wait(qtbot, page.make_workbooks(str(folder)))
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert str(first) in map(str, asked[0]) and first.read_bytes() == b"sua tay"
    assert "giữ nguyên" in page.summary.text()
    _wait(qtbot, page.make_workbooks(str(folder)))
    qtbot.waitUntil(lambda: len(asked) == 2 and "phiếu báo cáo" in page.summary.text(), timeout=30_000)
    assert first.read_bytes() != b"sua tay"


def test_a_typed_package_name_that_is_taken_is_asked_about(qtbot, screen, tmp_path, monkeypatch):
    from cds_desktop.ui.exchange import export_page

    taken = tmp_path / "goi.cdspkg"
    taken.write_bytes(b"cu")
    monkeypatch.setattr(export_page, "confirm_overwrite", lambda _parent, _paths: False)
    assert screen.export_page.export_to(str(tmp_path / "goi")) is None
    assert taken.read_bytes() == b"cu" and "giữ nguyên" in screen.export_page.summary.text()


def test_no_file_dialog_turns_off_the_overwrite_question():
    from pathlib import Path

    import cds_desktop

    root = Path(cds_desktop.__file__).parent / "ui"
    assert not [p for p in root.rglob("*.py") if "DontConfirmOverwrite" in p.read_text(encoding="utf-8")]
