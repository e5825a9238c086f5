"""``.xlsx`` plans (issue 13): formula cells are kept and flagged, and a workbook too big for a
plan is refused early, naming the file and the sheet, without reading it whole."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from cds_desktop.importers import office
from cds_desktop.importers.document import ImportFailure
from cds_desktop.importers.readers import read_path
from cds_desktop.importers.run import analyse_path


def _plan(path: Path, cached: dict[str, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục 02"
    ws.append(["PHỤ LỤC 02: NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026"])
    ws.append(["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"])
    ws.append([1, "Triển khai hội nghị truyền hình", "Văn phòng HĐND-UBND", "Quý II/2026"])
    ws.append(["=A3+1", '="Tập huấn "&"kỹ năng số cho cán bộ"', "Văn phòng HĐND-UBND", "Quý III/2026"])
    ws.append([3, "Số hóa hồ sơ, kết quả thủ tục hành chính", "Bộ phận một cửa", "Năm 2026"])
    ws.merge_cells("A1:D1")
    wb.save(path)
    if cached:  # as Excel saves it: the formula and its last computed value
        with zipfile.ZipFile(path) as zf:
            members = {i.filename: zf.read(i) for i in zf.infolist()}
        xml = members["xl/worksheets/sheet1.xml"].decode()
        for ref, value in cached.items():
            start = xml.index(f'<c r="{ref}"')
            end = xml.index("</c>", start)
            cell = xml[start:end].replace("<v></v>", f"<v>{value}</v>" if value.isdigit() else "")
            if not value.isdigit():
                cell = cell.replace(f'<c r="{ref}"', f'<c r="{ref}" t="str"', 1) + f"<v>{value}</v>"
            xml = xml[:start] + cell + xml[end:]
        members["xl/worksheets/sheet1.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
    return path


def _row(path: Path, number: int):
    [table] = read_path(path).blocks
    return next(row for row in table.rows if row.ref == number)


def test_a_formula_without_a_cached_value_keeps_its_text_and_is_flagged(tmp_path):
    row = _row(_plan(tmp_path / "cong-thuc.xlsx"), 4)
    assert row.cells[:2] == ["=A3+1", '="Tập huấn "&"kỹ năng số cho cán bộ"']
    assert any("công thức" in note for note in row.notes)
    assert _row(tmp_path / "cong-thuc.xlsx", 3).notes == []
    warnings = [w for w in analyse_path(tmp_path / "cong-thuc.xlsx").warnings if "công thức" in w["message"]]
    assert [w["row"] for w in warnings] == [4]  # the officer is told which row


def test_a_formula_with_a_cached_value_takes_the_value_and_is_flagged(tmp_path):
    path = _plan(tmp_path / "gia-tri.xlsx", {"A4": "2", "B4": "Tập huấn kỹ năng số cho cán bộ"})
    row = _row(path, 4)
    assert row.cells[:2] == ["2", "Tập huấn kỹ năng số cho cán bộ"]
    assert any("công thức" in note for note in row.notes)


def test_merged_cells_are_still_read(tmp_path):
    [table] = read_path(_plan(tmp_path / "gop.xlsx")).blocks
    assert table.rows[0].spans[0] == 4


def test_too_many_cells_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "MAX_CELLS_READ", 200)
    wb = openpyxl.Workbook()
    wb.active.title = "Nhỏ"
    wb.active.append(["STT", "Nội dung"])
    big = wb.create_sheet("Trang lớn")
    for number in range(60):
        big.append([number, f"Nội dung {number}", "Văn phòng", "Năm 2026"])
    wb.save(tmp_path / "lon.xlsx")
    read = []
    monkeypatch.setattr(office, "_read_sheet", lambda *args: read.append(args))
    with pytest.raises(ImportFailure) as raised:
        read_path(tmp_path / "lon.xlsx")
    message = str(raised.value)
    assert "«lon.xlsx»" in message and "«Trang lớn»" in message and "242" in message
    assert read == []  # refused from the raw XML, before a row was parsed


def test_the_uncompressed_size_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "MAX_XLSX_UNCOMPRESSED", 1000)
    with pytest.raises(ImportFailure, match="bảng tính quá lớn"):
        read_path(_plan(tmp_path / "x.xlsx"))


def test_a_big_text_plan_is_refused_with_its_size(tmp_path):
    from cds_desktop.importers.document import MAX_TEXT_BYTES

    path = tmp_path / "lon.txt"
    path.write_bytes(("Nhiệm vụ chuyển đổi số\t" * 1000 + "\n").encode() * (MAX_TEXT_BYTES // 30_000 + 2))
    with pytest.raises(ImportFailure, match="tệp văn bản quá lớn"):
        read_path(path)
