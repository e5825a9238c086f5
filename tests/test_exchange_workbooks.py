"""Unit report workbooks: generation (protection, validation, print setup, escaping), and
returned workbooks edited as a unit would, or round-tripped through LibreOffice.

    python tests/test_exchange_workbooks.py --make-fixtures   # rebuild tests/fixtures/exchange/
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from support.exchange import clone_db, today
from support.libreoffice import needs_libreoffice, soffice

from cds_desktop.database import open_database
from cds_desktop.exchange import import_package
from cds_desktop.exchange import workbook_format as wf
from cds_desktop.exchange.workbook_write import (
    generate_all_workbooks,
    generate_unit_workbook,
    reporting_units,
)
from cds_desktop.exchange.workbooks import import_workbooks
from cds_desktop.models import AuditEntry, IndicatorValue, Item, Plan, TaskProgress, Unit
from cds_desktop.services.tracking import entry, lock_period
from cds_desktop.services.tracking.calendar import get_period

FIXTURES = Path(__file__).parent / "fixtures" / "exchange"
UNIT = "Văn phòng HĐND-UBND"
COL = wf.COLUMN_INDEX


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    db = clone_db(tmp_path_factory.mktemp("wb") / "data")
    yield db
    db.close()


@pytest.fixture
def db(tmp_path):
    database = clone_db(tmp_path / "data")
    yield database
    database.close()


def _unit(db) -> str:
    return next(uuid for uuid, name in reporting_units(db, "2026-10") if name == UNIT)


def _make(db, folder: Path, period: str = "2026-10") -> Path:
    return generate_unit_workbook(db, _unit(db), period, folder).path


def _rows(ws) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {"Chỉ tiêu": [], "Nhiệm vụ": []}
    for r in range(wf.HEADER_ROW + 1, ws.max_row + 1):
        kind = ws.cell(r, COL["kind"]).value
        if kind in out:
            out[kind].append(r)
    return out


def _in_period(model, item_uuid: str, code: str = "2026-10"):
    from cds_desktop.models import ReportingPeriod

    return (select(model).join(Item, Item.id == model.item_id)
            .join(ReportingPeriod, ReportingPeriod.id == model.period_id)
            .where(Item.uuid == item_uuid, ReportingPeriod.code == code))


def _records(db) -> tuple:
    with db.session() as s:
        progress = sorted((p.uuid, p.status, p.percent, p.result, p.version) for p in s.scalars(select(TaskProgress)))
        values = sorted((v.uuid, v.numerator, v.denominator, v.value, v.note, v.version)
                        for v in s.scalars(select(IndicatorValue)))
    return progress, values


def test_generated_workbook_is_protected_validated_printable_and_escaped(db, tmp_path):
    with db.session() as s:
        item = s.scalar(select(Item).where(Item.kind == "task").order_by(Item.position))
        item.content = "=HYPERLINK(\"http://x\",\"bấm\") nội dung"
    path = _make(db, tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [wf.INSTRUCTIONS_SHEET, wf.DATA_SHEET, wf.META_SHEET]
    assert wb[wf.META_SHEET].sheet_state == "veryHidden" and wb[wf.META_SHEET].protection.sheet
    assert "HƯỚNG DẪN ĐIỀN PHIẾU BÁO CÁO" in wb[wf.INSTRUCTIONS_SHEET]["A1"].value
    ws = wb[wf.DATA_SHEET]
    assert ws.protection.sheet and ws.column_dimensions["A"].hidden
    rows = _rows(ws)
    task, indicator = rows["Nhiệm vụ"][0], rows["Chỉ tiêu"][0]
    assert ws.cell(task, COL["content"]).protection.locked
    assert not ws.cell(task, COL["status"]).protection.locked and not ws.cell(task, COL["percent"]).protection.locked
    assert ws.cell(task, COL["numerator"]).protection.locked  # not for tasks
    assert not ws.cell(indicator, COL["numerator"]).protection.locked
    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert "Đang thực hiện" in validations["list"].formula1
    assert (validations["whole"].formula1, validations["whole"].formula2) == ("0", "100")
    assert ws.cell(task, COL["status"]).coordinate in validations["list"].sqref
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows.replace("$", "") == f"{wf.HEADER_ROW}:{wf.HEADER_ROW}"
    escaped = [ws.cell(r, COL["content"]) for r in rows["Nhiệm vụ"]
               if str(ws.cell(r, COL["content"]).value).startswith("'=")]
    assert escaped and escaped[0].data_type == "s"
    for sheet in wb.worksheets:  # no formula anywhere in what we write
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_one_click_makes_a_workbook_for_every_reporting_unit(db, tmp_path):
    made = generate_all_workbooks(db, "2026-10", tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(made) == len(names) >= 10 and all(n.startswith("Phieu-bao-cao_2026-10_") for n in names)
    assert all(n.isascii() for n in names)


def _returned(db, tmp_path) -> tuple[Path, dict]:
    """A workbook edited with openpyxl the way a unit would (and worse)."""
    path = _make(db, tmp_path / "in")
    wb = openpyxl.load_workbook(path)
    ws = wb[wf.DATA_SHEET]
    rows = _rows(ws)
    t, i = rows["Nhiệm vụ"], rows["Chỉ tiêu"]
    ws.cell(t[0], COL["status"]).value = "Hoàn thành"
    ws.cell(t[0], COL["result"]).value = "Đã triển khai ở 100% bộ phận"
    ws.cell(t[1], COL["status"]).value = "Xong rồi"  # not in the drop-down list
    ws.cell(t[2], COL["percent"]).value = 150
    ws.cell(t[3], COL["percent"]).value = 40
    ws.cell(t[3], COL["result"]).value = "=A1+1"  # a formula typed into a cell
    ws.cell(i[0], COL["numerator"]).value = 45
    ws.cell(i[0], COL["denominator"]).value = 60
    ws.cell(i[1], COL["value"]).value = "nhiều"
    ws.cell(i[2], COL["status"]).value = "Hoàn thành"  # a column that is not for indicators
    ws.cell(i[2], COL["value"]).value = 12
    expected = {name: ws.cell(r, COL["row_id"]).value for name, r in
                (("done", t[0]), ("bad_status", t[1]), ("bad_percent", t[2]), ("formula", t[3]),
                 ("ratio", i[0]), ("bad_value", i[1]), ("value", i[2]), ("deleted", i[3]))}
    # reorder: move the first task row to the end, delete one indicator row, add a sheet
    last = ws.max_row + 1
    for col in range(1, len(wf.COLUMNS) + 1):
        ws.cell(last, col).value = ws.cell(t[0], col).value
        ws.cell(t[0], col).value = None
    ws.delete_rows(i[3])
    wb.create_sheet("Ghi chú riêng")
    wb.save(path)
    return path, expected


def test_returned_workbook_edited_by_hand_imports_with_precise_messages(db, tmp_path):
    path, ids = _returned(db, tmp_path)
    preview = import_workbooks(db, [path], dry_run=True, today=today())
    by_id = {r.item_uuid: r for r in preview.rows}
    assert by_id[ids["done"]].status == "new" and by_id[ids["ratio"]].status == "new"
    assert by_id[ids["value"]].status == "new" and by_id[ids["formula"]].status == "new"
    for key in ("bad_status", "bad_percent", "bad_value"):
        assert by_id[ids[key]].status == "invalid", key
    assert by_id[ids["deleted"]].status == "missing"
    text = {key: " | ".join(map(str, by_id[ids[key]].messages)) for key in ids}
    assert "trang «Báo cáo»" in text["bad_status"] and "cột H («Trạng thái»)" in text["bad_status"]
    assert "«Xong rồi» không có trong danh sách" in text["bad_status"]
    assert "phải từ 0 đến 100" in text["bad_percent"] and "cột I" in text["bad_percent"]
    assert "công thức «=A1+1» được coi là văn bản" in text["formula"]
    assert "«nhiều» không phải là một số" in text["bad_value"]
    assert "không dùng cho loại mục này" in text["value"]
    assert any("Ghi chú riêng" in str(m) for m in preview.analyses[0].messages)
    before = _records(db)
    assert before == _records(db) and not preview.applied
    result = import_workbooks(db, [path], today=today())
    assert result.applied and result.counts["created"] == 4
    with db.session() as s:
        formula = s.scalar(_in_period(TaskProgress, ids["formula"]))
        assert (formula.result, formula.percent) == ("=A1+1", 40)  # kept as text, never evaluated
        done = s.scalar(_in_period(TaskProgress, ids["done"]))
        assert (done.status, done.percent, done.source) == ("done", 100, "import")
        ratio = s.scalar(_in_period(IndicatorValue, ids["ratio"]))
        assert (ratio.numerator, ratio.denominator) == (45.0, 60.0)
        sources = set(s.scalars(select(AuditEntry.source).where(AuditEntry.entity_uuid == done.uuid)))
        assert sources == {f"import:{path.name}"}
    once = _records(db)
    again = import_workbooks(db, [path], today=today())
    assert again.counts["created"] == again.counts["updated"] == 0 and _records(db) == once


def test_a_different_answer_than_recorded_is_shown_side_by_side(db, tmp_path):
    path = _make(db, tmp_path / "in")
    wb = openpyxl.load_workbook(path)
    ws = wb[wf.DATA_SHEET]
    row = _rows(ws)["Nhiệm vụ"][0]
    uuid = ws.cell(row, COL["row_id"]).value
    ws.cell(row, COL["percent"]).value = 70
    ws.cell(row, COL["result"]).value = "Theo phiếu của đơn vị"
    wb.save(path)
    with db.session() as s:  # the officer took a phone report after sending the workbook
        plan = s.scalar(select(Plan))
        item = s.scalar(select(Item).where(Item.uuid == uuid))
        unit = s.scalar(select(Unit).where(Unit.name == UNIT))
        entry.record_progress(s, item, unit, get_period(s, plan, "2026-10"), today=today(), percent=50,
                              result="Theo điện thoại")
    preview = import_workbooks(db, [path], dry_run=True, today=today())
    (conflict,) = preview.conflicts
    assert set(conflict.conflicts) == {("percent", "50", "70"), ("result", "Theo điện thoại", "Theo phiếu của đơn vị")}
    data = preview.to_dict()
    assert data["conflicts"][0]["conflicts"][0]["recorded"] and data["conflicts"][0]["conflicts"][0]["workbook"]
    kept = import_workbooks(db, [path], today=today())  # default: keep what is recorded
    with db.session() as s:
        assert s.scalar(_in_period(TaskProgress, uuid)).percent == 50
    assert kept.counts["unchanged"] >= 1
    import_workbooks(db, [path], today=today(), resolutions={conflict.key: "theirs"})
    with db.session() as s:
        row = s.scalar(_in_period(TaskProgress, uuid))
        assert (row.percent, row.result) == (70, "Theo phiếu của đơn vị")


def test_locked_period_rows_are_invalid_and_nothing_is_written(db, tmp_path):
    path, _ids = _returned(db, tmp_path)
    with db.session() as s:
        lock_period(s, get_period(s, s.scalar(select(Plan)), "2026-10"), "Đã tổng hợp")
    before = _records(db)
    result = import_workbooks(db, [path], today=today())
    assert result.counts["created"] == 0
    assert any("đã khóa" in str(m) for r in result.rows for m in r.messages)
    assert _records(db) == before


def test_a_rejected_file_in_a_folder_stops_the_import_unless_skipped(db, tmp_path):
    path, _ids = _returned(db, tmp_path)
    (path.parent / "hỏng.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    before = _records(db)
    result = import_workbooks(db, [path.parent], today=today())
    assert not result.applied and [r.file_name for r in result.rejected] == ["hỏng.xlsx"]
    assert _records(db) == before
    result = import_workbooks(db, [path.parent], today=today(), skip_rejected=True)
    assert result.applied and result.counts["created"] == 4


def test_evidence_files_sent_with_the_workbook_are_attached(db, tmp_path):
    path = _make(db, tmp_path / "in")
    wb = openpyxl.load_workbook(path)
    ws = wb[wf.DATA_SHEET]
    row = _rows(ws)["Nhiệm vụ"][0]
    ws.cell(row, COL["percent"]).value = 100
    ws.cell(row, COL["evidence"]).value = "Biên bản họp.pdf; thiếu.pdf"
    wb.save(path)
    (path.parent / "Biên bản họp.pdf").write_bytes(b"%PDF-1.4 bien ban")
    result = import_workbooks(db, [path], today=today())
    assert result.attached == 1 and any("thiếu.pdf" in m for m in result.missing_evidence)
    again = import_workbooks(db, [path], today=today())
    assert again.attached == 0 and again.counts["updated"] == 0


def test_hostile_workbooks_are_rejected(db, tmp_path):
    from support.exchange import hostile_workbooks

    corpus = hostile_workbooks()
    assert corpus
    for name, data in corpus.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = import_workbooks(db, [path], today=today())
        assert [r.file_name for r in result.rejected] == [name], name
        assert not result.applied


# --------------------------------------------------------------------------
# LibreOffice: a committed round-tripped fixture, and a live round trip when soffice exists


def _lo_edits(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[wf.DATA_SHEET]
    rows = _rows(ws)
    t, i = rows["Nhiệm vụ"], rows["Chỉ tiêu"]
    ws.cell(t[0], COL["status"]).value = "Đang thực hiện"
    ws.cell(t[0], COL["percent"]).value = 60
    ws.cell(t[0], COL["result"]).value = "Đã khảo sát 5/5 bộ phận"
    ws.cell(t[1], COL["result"]).value = "=SUM(1,2)"
    ws.cell(t[2], COL["status"]).value = "Sắp xong"
    ws.cell(i[0], COL["numerator"]).value = 12
    ws.cell(i[0], COL["denominator"]).value = 16
    wb.save(path)


def _soffice_round_trip(path: Path, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice("calc"), "--headless", f"-env:UserInstallation=file://{out_dir / 'profile'}",
                    "--convert-to", "xlsx", "--outdir", str(out_dir), str(path)],
                   check=True, capture_output=True, timeout=180)
    return out_dir / path.name


def _check_lo_result(db, path: Path) -> None:
    result = import_workbooks(db, [path], dry_run=True, today=today())
    assert not result.rejected
    statuses = sorted(r.status for r in result.rows if r.status != "unchanged")
    assert statuses == ["invalid", "new", "new", "new"], statuses
    messages = " | ".join(str(m) for r in result.rows for m in r.messages)
    assert "«Sắp xong» không có trong danh sách" in messages
    assert "được coi là văn bản" in messages and "cột J («Kết quả thực hiện»)" in messages
    applied = import_workbooks(db, [path], today=today())
    assert applied.counts["created"] == 3
    with db.session() as s:
        values = s.scalars(select(IndicatorValue).where(IndicatorValue.numerator == 12.0)).all()
        assert [(v.numerator, v.denominator) for v in values] == [(12.0, 16.0)]
        assert s.scalar(select(func.count()).select_from(TaskProgress).where(TaskProgress.percent == 60)) >= 1
        assert s.scalar(select(func.count()).select_from(TaskProgress).where(TaskProgress.result.like("=%"))) == 1


def test_committed_libreoffice_round_trip_fixture(tmp_path):
    db = open_database(tmp_path / "data")
    try:
        import_package(db, FIXTURES / "lo_source.cdspkg", allow_unsigned=True)
        _check_lo_result(db, FIXTURES / "lo_roundtrip.xlsx")
    finally:
        db.close()


@needs_libreoffice("calc")
def test_live_libreoffice_round_trip(db, tmp_path):
    path = _make(db, tmp_path / "in")
    _lo_edits(path)
    converted = _soffice_round_trip(path, tmp_path / "lo")
    assert converted.read_bytes() != path.read_bytes()
    _check_lo_result(db, converted)


def make_fixtures() -> None:
    """Rebuild tests/fixtures/exchange/ (needs LibreOffice)."""
    import tempfile

    from cds_desktop.exchange import Scope, export_package

    FIXTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = clone_db(root / "data")
        try:
            with db.session() as s:
                plan = s.scalar(select(Plan)).uuid
            export_package(db, FIXTURES / "lo_source.cdspkg", Scope(plan_uuid=plan))
            path = _make(db, root / "in")
        finally:
            db.close()
        _lo_edits(path)
        converted = _soffice_round_trip(path, root / "lo")
        shutil.copy(converted, FIXTURES / "lo_roundtrip.xlsx")
    print("wrote", *sorted(p.name for p in FIXTURES.iterdir()))


if __name__ == "__main__":
    if "--make-fixtures" in sys.argv:
        make_fixtures()
    else:
        raise SystemExit(__doc__)
