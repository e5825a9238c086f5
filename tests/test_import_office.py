"""Word and Excel versions of the real appendix tables import to the same plan as the text form.

The builders below turn each seed's tables into what an officer's files look
like: merged header cells ("STT" over "TT | Chi tiết", the other header
cells merged down), group titles merged across the row, Word's continuation
lines kept inside the cell, a table split across pages with its header
repeated (separate Word tables; a repeated header row mid-sheet in Excel),
appendix titles above the table in the sheet, two-level numbering.
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from support.paths import BAT_TRANG_SEED, PHU_DONG_SEED

from cds_desktop.importers.document import RawTable
from cds_desktop.importers.readers import read_path
from cds_desktop.importers.run import analyse_path

ITEM_KEYS = ("kind", "group", "number", "local_number", "content", "target_text", "guiding_agency", "lead",
             "lead_text", "coordinating", "coordinating_text", "deadline_text", "basis", "note", "expected_result",
             "output_product")


def _layout(table: RawTable) -> tuple[list[tuple[int, int, str]], int, list[list[str]]]:
    """Header cells as (column, span, text), the grid width, and the data rows padded to it."""
    header = [c for c in table.rows[0].cells if c.strip()]
    combined = "/" in header[0]
    spans = [(0, 2 if combined else 1, header[0])]
    spans += [(i + (1 if combined else 0), 1, text) for i, text in enumerate(header[1:], start=1)]
    width = spans[-1][0] + 1
    rows = []
    for row in table.rows[1:]:
        cells = [c for c in row.cells][:width]
        rows.append(cells + [""] * (width - len(cells)))
    return spans, width, rows


def _is_header(cells: list[str], spans: list[tuple[int, int, str]]) -> bool:
    return [c for c in cells if c] == [text for _, _, text in spans]


def _is_continuation(cells: list[str], combined: bool) -> bool:
    return combined and not cells[0] and not cells[1]


def _title_column(cells: list[str]) -> int | None:
    """For a group row (label and title, nothing after), the column of the title."""
    filled = [i for i, c in enumerate(cells) if c]
    if 1 <= len(filled) <= 2 and filled[-1] < len(cells) - 1 and len(cells[filled[-1]]) < 120:
        label = cells[filled[0]].split(".")[0].strip()
        if label and (label.isalpha() and label.isupper()):
            return filled[-1]
    return None


def build_docx(seed: Path, target: Path, *, two_row_header: bool) -> Path:
    """The seed as a Word file: paragraphs, and each page of a table as its own Word table."""
    document = docx.Document()
    for block in read_path(seed).blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        spans, width, rows = _layout(block)
        combined = spans[0][1] == 2
        pages: list[list[list[str]]] = [[]]
        for cells in rows:
            if _is_header(cells, spans):
                pages.append([])  # the header repeated at a page break: a new Word table
            elif _is_continuation(cells, combined) and pages[-1]:
                previous = pages[-1][-1]  # Word keeps a wrapped line inside its cell
                pages[-1][-1] = [f"{a}\n{b}".strip() for a, b in zip(previous, cells, strict=True)]
            else:
                pages[-1].append(cells)
        for number, page in enumerate(p for p in pages if p):
            if number:
                document.add_paragraph("")
            header_rows = 2 if two_row_header and combined else 1
            table = document.add_table(rows=header_rows + len(page), cols=width)
            for column, span, text in spans:
                cell = table.cell(0, column)
                if span == 2:
                    cell = cell.merge(table.cell(0, column + 1))
                    if header_rows == 2:
                        table.cell(1, column).text, table.cell(1, column + 1).text = "TT", "Chi tiết"
                        cell.text = "STT"
                        continue
                elif header_rows == 2:
                    cell = cell.merge(table.cell(1, column))
                cell.text = text
            for r, cells in enumerate(page, start=header_rows):
                title_col = _title_column(cells)
                for c, text in enumerate(cells):
                    table.cell(r, c).text = text
                if title_col is not None:
                    table.cell(r, title_col).merge(table.cell(r, width - 1))
    document.save(target)
    return target


def _write_header(sheet, spans: list[tuple[int, int, str]], row: int, combined: bool) -> int:
    """Write the header at *row*: "STT" merged over "TT | Chi tiết", other cells merged down."""
    for column, span, text in spans:
        if span == 2:
            sheet.cell(row, column + 1, "STT")
            sheet.merge_cells(start_row=row, start_column=column + 1, end_row=row, end_column=column + 2)
            sheet.cell(row + 1, column + 1, "TT")
            sheet.cell(row + 1, column + 2, "Chi tiết")
        else:
            sheet.cell(row, column + 1, text)
            if combined:
                sheet.merge_cells(start_row=row, start_column=column + 1, end_row=row + 1, end_column=column + 1)
    return row + (2 if combined else 1)


def build_xlsx(seed: Path, target: Path) -> Path:
    """The appendix tables as an Excel workbook: one sheet per table, title rows above the header."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    heading: list[str] = []
    for block in read_path(seed).blocks:
        if isinstance(block, str):
            if block.strip():
                heading = (heading + [block.strip()])[-6:]
            continue
        spans, width, rows = _layout(block)
        combined = spans[0][1] == 2
        sheet = workbook.create_sheet(f"Bang {len(workbook.worksheets) + 1}")
        r = 1
        for line in [h for h in heading if "Phụ lục" in h or "DANH MỤC" in h.upper() or "Kèm theo" in h
                     or "Tổng" in h or "Trong đó" in h]:
            sheet.cell(r, 1, line)
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            r += 1
        heading = []
        r += 1

        r = _write_header(sheet, spans, r, combined)
        for cells in rows:
            if _is_header(cells, spans):
                r = _write_header(sheet, spans, r, combined)
                continue
            for c, text in enumerate(cells, start=1):
                value: object = int(text) if text.isdigit() else text
                if text:
                    sheet.cell(r, c, value)
            title_col = _title_column(cells)
            if title_col is not None:
                sheet.merge_cells(start_row=r, start_column=title_col + 1, end_row=r, end_column=width)
            r += 1
    workbook.save(target)
    return target


def _items(path: Path) -> list[dict]:
    return [{k: item[k] for k in ITEM_KEYS} for item in analyse_path(path).draft["items"]]


SEEDS = {"bat_trang": BAT_TRANG_SEED, "phu_dong": PHU_DONG_SEED}


@pytest.fixture(scope="module")
def text_drafts() -> dict[str, dict]:
    return {name: analyse_path(seed).draft for name, seed in SEEDS.items()}


@pytest.mark.parametrize("name", SEEDS)
@pytest.mark.parametrize("two_row_header", [False, True], ids=["one-row-header", "two-row-header"])
def test_docx_imports_like_text(tmp_path: Path, text_drafts: dict, name: str, two_row_header: bool) -> None:
    path = build_docx(SEEDS[name], tmp_path / f"{name}.docx", two_row_header=two_row_header)
    analysis = analyse_path(path)
    expected = text_drafts[name]
    assert [{k: i[k] for k in ITEM_KEYS} for i in analysis.draft["items"]] == [
        {k: i[k] for k in ITEM_KEYS} for i in expected["items"]]
    assert analysis.draft["groups"] == expected["groups"]
    plan, want = dict(analysis.draft["plan"]), dict(expected["plan"])
    for key in ("appendices",):
        plan.pop(key), want.pop(key)
    assert plan == want
    assert analysis.draft["commune"] == expected["commune"]
    assert {u["name"] for u in analysis.draft["units"]} == {u["name"] for u in expected["units"]}


@pytest.mark.parametrize("name", SEEDS)
def test_xlsx_imports_like_text(tmp_path: Path, text_drafts: dict, name: str) -> None:
    path = build_xlsx(SEEDS[name], tmp_path / f"{name}.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert any(workbook[s].merged_cells.ranges for s in workbook.sheetnames)
    analysis = analyse_path(path)
    expected = text_drafts[name]
    assert [{k: i[k] for k in ITEM_KEYS} for i in analysis.draft["items"]] == [
        {k: i[k] for k in ITEM_KEYS} for i in expected["items"]]
    assert analysis.draft["groups"] == expected["groups"]
    assert analysis.draft["commune"] == expected["commune"]
    assert analysis.draft["plan"]["year"] == 2026
    for section in ("indicators", "tasks"):
        got = analysis.draft["plan"]["appendices"][section]
        want = expected["plan"]["appendices"][section]
        assert (got["label"], got["declared_total"]) == (want["label"], want["declared_total"])
        assert [c["key"] for c in got["columns"]] == [c["key"] for c in want["columns"]]


def test_xlsx_two_level_numbering_and_repeated_header(tmp_path: Path) -> None:
    path = build_xlsx(PHU_DONG_SEED, tmp_path / "phu_dong.xlsx")
    analysis = analyse_path(path)
    tasks = [t for t in analysis.tables if t.kind == "tasks"][0]
    assert [c.field for c in tasks.columns[:3]] == ["number", "local_number", "content"]
    items = analysis.draft["items"]
    assert [(i["number"], i["local_number"]) for i in items if i["kind"] == "task"][:3] == [
        ("1", "1"), ("2", "1"), ("3", "2")]
    bat = analyse_path(build_xlsx(BAT_TRANG_SEED, tmp_path / "bat_trang.xlsx"))
    roles = [r.role for t in bat.tables for r in t.rows]
    assert roles.count("header") >= 4  # the page-break header repeats are recognised and dropped
    assert bat.counts() == {"indicator": 27, "task": 12}


def test_real_word_numbering_is_read(tmp_path: Path) -> None:
    """A "STT" column numbered by Word itself (automatic list numbering, no text in the cell)."""
    document = docx.Document()
    document.add_paragraph("Phụ lục 01")
    document.add_paragraph("DANH MỤC CÁC CHỈ TIÊU")
    table = document.add_table(rows=4, cols=3)
    for c, text in enumerate(["STT", "Chỉ tiêu", "Đơn vị chủ trì"]):
        table.cell(0, c).text = text
    for r, (content, unit) in enumerate([("Tỷ lệ hồ sơ trực tuyến đạt 80%", "Văn phòng HĐND-UBND"),
                                         ("Tỷ lệ văn bản ký số đạt 100%", "Phòng VHXH"),
                                         ("Tối thiểu 50% thôn có Tổ công nghệ số", "Phòng Văn hóa - Xã hội")],
                                        start=1):
        table.cell(r, 0).paragraphs[0].style = document.styles["List Number"]
        table.cell(r, 1).text, table.cell(r, 2).text = content, unit
    path = tmp_path / "danh_so_tu_dong.docx"
    document.save(path)
    analysis = analyse_path(path)
    items = analysis.draft["items"]
    assert [i["number"] for i in items] == ["1", "2", "3"]
    assert [i["lead"] for i in items] == [["Văn phòng HĐND-UBND"], ["Phòng Văn hóa - Xã hội"],
                                          ["Phòng Văn hóa - Xã hội"]]
