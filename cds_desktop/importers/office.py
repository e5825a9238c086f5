"""Readers for Office files: ``.docx`` (python-docx) and ``.xlsx`` (openpyxl).

Both are zip containers: before anything parses them the zip directory is
checked (member count, declared uncompressed size, compression ratio) so that
a zip bomb is refused without being inflated.

- ``.docx``: every paragraph and every table of the body in document order;
  merged cells (``gridSpan``, ``vMerge``) are placed on the table grid; Word's
  automatic numbering (a ``STT`` column numbered by Word) is rendered as text.
- ``.xlsx``: every worksheet becomes one raw table (rows above the header,
  such as the appendix title, are sorted out later); merged ranges are kept.
"""

from __future__ import annotations

import html
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cds_desktop.importers.document import (
    CLOSING_SPAN,
    CLOSING_START,
    Document,
    ImportFailure,
    RawRow,
    RawTable,
)
from cds_desktop.text import format_mb, format_number

log = logging.getLogger(__name__)

MAX_MEMBERS = 5000
MAX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_RATIO = 200
MAX_CELLS = 2_000_000


def office_failure(name: str, what: str) -> ImportFailure:
    return ImportFailure(f"Không nhập được tệp «{name}»: {what}")


def check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        log.warning("%s: bad zip: %s", name, exc)
        raise office_failure(name, "tệp bị hỏng (không phải tệp Excel/Word hợp lệ).") from exc
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or any(
        i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos
    ):
        log.warning("%s: refused zip (%d members, %d bytes uncompressed)", name, len(infos), total)
        raise office_failure(name, "tệp nén có kích thước giải nén bất thường (nghi là tệp độc hại), không mở.")
    return archive


def read_office(data: bytes, name: str) -> Document:
    archive = check_zip(data, name)
    names = set(archive.namelist())
    if "word/document.xml" in names:
        from cds_desktop.importers.docx_reader import read_docx  # (it reads the zip with check_zip, here)

        return read_docx(data, name)
    if "xl/workbook.xml" in names:
        return read_xlsx(data, name)
    if "EncryptedPackage" in names:
        raise office_failure(name, "tệp được bảo vệ bằng mật khẩu. Hãy bỏ mật khẩu rồi lưu lại.")
    raise office_failure(name, "tệp nén không phải tài liệu Word (.docx) hay bảng tính Excel (.xlsx).")


# --- xlsx ----------------------------------------------------------------------------------------


def _cell_text(value: Any, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float):
        if "%" in (number_format or ""):
            value = value * 100
            text = f"{value:.2f}".rstrip("0").rstrip(".")
            return f"{text}%"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


FORMULA_NOTE = "Dòng có ô công thức"
MAX_XLSX_UNCOMPRESSED = 60_000_000  # every sheet together, as declared in the zip directory
MAX_CELLS_READ = 100_000  # non-empty cells of every sheet together (a plan has a few thousand)


_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_FILLED_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*(?<!/)>")  # a <c> with content (an empty one is <c …/>)


@dataclass
class _SheetScan:
    merged: list[tuple[int, int, int, int]]
    formulas: bool
    cells: int


def _scan_sheet(archive: zipfile.ZipFile, member: str) -> _SheetScan:
    """``(min_row, min_col, max_row, max_col)`` of the sheet's merged cells and whether it has any
    formula, found in its XML in one streaming pass (openpyxl's read-only mode keeps no merged cells)."""
    from openpyxl.utils.cell import range_boundaries

    found = []
    formulas = False
    cells = 0
    tail = b""
    with archive.open(member) as source:
        while chunk := source.read(1 << 20):
            text = tail + chunk
            cut = text.rfind(b"<")  # a tag cut by the chunk boundary is read with the next chunk
            cut = cut if cut >= 0 and b">" not in text[cut:] else len(text)
            formulas = formulas or _FORMULA.search(text, 0, cut) is not None
            cells += sum(1 for _ in _FILLED_CELL.finditer(text, 0, cut))
            for match in _MERGE_CELL.finditer(text, 0, cut):
                min_col, min_row, max_col, max_row = range_boundaries(match.group(1).decode())
                found.append((min_row, min_col, max_row, max_col))
            tail = text[cut:]
    return _SheetScan(found, formulas, cells)


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> the sheet's title, from ``xl/workbook.xml`` and its relationships."""
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    targets = {m.group(1): m.group(2) for m in re.finditer(r'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"', rels)}
    targets |= {m.group(2): m.group(1) for m in re.finditer(r'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"', rels)}
    titles = {}
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)>", book):
        name = re.search(r'\bname="([^"]*)"', m.group(1))
        rid = re.search(r'\b\w+:id="([^"]*)"', m.group(1))
        if name and rid and rid.group(1) in targets:
            target = targets[rid.group(1)]
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            titles[part] = html.unescape(name.group(1))
    return titles


def _prescan(archive: zipfile.ZipFile, name: str) -> dict[str, _SheetScan]:
    """Every worksheet scanned in its raw XML before anything parses it: too many cells is refused
    here, in about a second, whatever the file (openpyxl would first read each sheet whole)."""
    try:
        titles = _sheet_titles(archive)
    except (KeyError, OSError, zipfile.BadZipFile) as exc:
        raise office_failure(name, "tệp Excel bị hỏng hoặc không đọc được.") from exc
    scans = {}
    for part in titles:
        try:
            scans[part] = _scan_sheet(archive, part)
        except KeyError:
            continue
        except Exception as exc:  # a damaged member: zipfile, zlib, EOF errors
            raise office_failure(name, f"trang tính «{titles[part]}» bị hỏng, không đọc được.") from exc
    total = sum(scan.cells for scan in scans.values())
    if total > MAX_CELLS_READ:
        biggest = max(scans, key=lambda part: scans[part].cells)
        raise office_failure(name, f"quá nhiều ô có nội dung ({format_number(total)} ô, nhiều nhất ở trang tính "
                          f"«{titles[biggest]}»; tối đa {format_number(MAX_CELLS_READ)} ô cho cả tệp): "
                          "không giống một kế hoạch.")
    return scans


def _formula_text(value: Any) -> str:
    text = str(value)
    return text if text.startswith("=") else f"={text}"


def read_xlsx(data: bytes, name: str) -> Document:
    """Every worksheet, streamed row by row (openpyxl read-only): memory stays bounded whatever
    the sheets' size; the cells read are capped (refused with the file and sheet named).

    A formula cell is read as its cached value, or as its formula text when the file keeps no
    value (a workbook saved by a program that does not calculate); either way the row is flagged
    «ô công thức» for the officer to check."""
    import openpyxl

    archive = check_zip(data, name)
    total = sum(i.file_size for i in archive.infolist())
    if total > MAX_XLSX_UNCOMPRESSED:
        raise office_failure(name, f"bảng tính quá lớn cho một kế hoạch ({format_mb(total)} khi giải nén; "
                          f"tối đa {format_mb(MAX_XLSX_UNCOMPRESSED)}).")
    scans = _prescan(archive, name)
    any_formula = any(scan.formulas for scan in scans.values())
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False) if any_formula else None
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        log.warning("%s: openpyxl failed", name, exc_info=True)
        raise office_failure(name, "tệp Excel bị hỏng hoặc không đọc được.") from exc
    blocks: list[str | RawTable] = []
    budget = [MAX_CELLS_READ]
    try:
        formula_sheets = formulas.worksheets if formulas is not None else [None] * len(values.worksheets)
        for index, (sheet, formula_sheet) in enumerate(zip(values.worksheets, formula_sheets, strict=True), start=1):
            part = getattr(sheet, "_worksheet_path", "").lstrip("/")
            if not hasattr(sheet, "iter_rows") or part not in scans:
                continue  # a chart sheet
            try:
                table = _read_sheet(sheet, formula_sheet, scans[part], index, name, budget)
            except ImportFailure:
                raise
            except Exception as exc:  # damaged sheet XML
                log.warning("%s: sheet %s unreadable", name, sheet.title, exc_info=True)
                raise office_failure(name, f"trang tính «{sheet.title}» bị hỏng, không đọc được.") from exc
            if table is not None:
                blocks.extend(_without_closing(table))
    finally:
        values.close()
        if formulas is not None:
            formulas.close()
    return Document(name=name, blocks=blocks, origin="xlsx")


def _read_sheet(sheet: Any, formula_sheet: Any, scan: _SheetScan, index: int, name: str,
                budget: list[int]) -> RawTable | None:
    covered: dict[tuple[int, int], str] = {}  # (row, col) -> "h" (same row) or "v" (rows below)
    spans: dict[tuple[int, int], int] = {}
    for min_row, min_col, max_row, max_col in scan.merged:
        if (max_row - min_row + 1) * (max_col - min_col + 1) > MAX_CELLS:
            raise office_failure(name, f"trang tính «{sheet.title}» có vùng ô gộp quá lớn.")
        width = max_col - min_col + 1
        for r in range(min_row, max_row + 1):
            spans[(r, min_col)] = width
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    covered[(r, c)] = "v" if r > min_row and c == min_col else "h"
    rows: list[RawRow] = []
    sheet.reset_dimensions()  # a wrong <dimension> in the file must not cut columns off
    formula_rows = iter(())
    if scan.formulas and formula_sheet is not None:
        formula_sheet.reset_dimensions()
        formula_rows = formula_sheet.iter_rows(min_row=1, min_col=1)
    for r_index, value_row in enumerate(sheet.iter_rows(min_row=1, min_col=1), start=1):
        formula_row = next(formula_rows, ())
        cells: list[str] = []
        has_formula = kept_text = False
        for column, cell in enumerate(value_row):
            value = cell.value
            source = formula_row[column] if column < len(formula_row) else None
            if source is not None and getattr(source, "data_type", None) == "f":
                has_formula = True
                if value is None and source.value is not None:  # no cached value: keep the formula text
                    value = _formula_text(source.value)
                    kept_text = True
            cells.append(_cell_text(value, getattr(cell, "number_format", "")))
        filled = sum(1 for c in cells if c)
        if not filled:
            continue
        budget[0] -= filled
        if budget[0] < 0:
            raise office_failure(name, f"quá nhiều ô có nội dung (trang tính «{sheet.title}», đến hàng {r_index}; tối đa "
                              f"{format_number(MAX_CELLS_READ)} ô cho cả tệp): không giống một kế hoạch.")
        notes = []
        if kept_text:
            notes.append(f"{FORMULA_NOTE} mà tệp không lưu kết quả: đã giữ nguyên công thức, hãy sửa lại.")
        elif has_formula:
            notes.append(f"{FORMULA_NOTE}: đã lấy kết quả công thức lưu trong tệp, hãy kiểm tra.")
        rows.append(RawRow(cells, r_index, [1] * len(cells), set(), notes))
    if not rows:
        return None
    width = max(max(r.filled, default=0) for r in rows) + 1
    for r in rows:  # on the table grid: merged cells span, the cells they cover are 0 (or continue above)
        r.cells.extend([""] * (width - len(r.cells)))
        del r.cells[width:]
        r.spans = [spans.get((r.ref, c + 1), 0 if (r.ref, c + 1) in covered else 1) for c in range(width)]
        r.vmerged = {c for c in range(width) if covered.get((r.ref, c + 1)) == "v"}
    return RawTable(rows, "xlsx", index, sheet.title)


def _without_closing(table: RawTable) -> list[str | RawTable]:
    """The sheet's rows, with the signature block under the plan's table ("TM. ỦY BAN NHÂN DÂN" /
    "CHỦ TỊCH" / name, "Nơi nhận:" beside it) taken out as lines after it, as a text reader sees
    them: those rows have no number, and read as table rows they glued the signer onto the last
    item's cells.  Rows below the block (another table) stay a table."""
    rows = table.rows
    for i, row in enumerate(rows):
        filled = [(c, text.strip()) for c, text in enumerate(row.cells) if text.strip()]
        if len(filled) > 2 or not any(CLOSING_START.match(text) for _c, text in filled):
            continue
        end = i
        for j in range(i + 1, min(len(rows), i + CLOSING_SPAN)):
            cells = [text.strip() for text in rows[j].cells if text.strip()]
            if len(cells) > 2 or any(len(text) > 80 for text in cells):
                break
            end = j
        lines: list[str] = []
        beside: list[str] = []  # "Nơi nhận:" and its list, in the left column: after the signature
        for row in rows[i:end + 1]:
            filled = [(c, text.strip()) for c, text in enumerate(row.cells) if text.strip()]
            for c, text in filled:
                (beside if len(filled) == 2 and c == filled[0][0] else lines).append(text)
        before = [RawTable(rows[:i], table.origin, table.index, table.sheet)] if i else []
        after = _without_closing(RawTable(rows[end + 1:], table.origin, table.index, table.sheet)) \
            if end + 1 < len(rows) else []
        return [*before, *lines, *beside, *after]
    return [table]


# --- docx ----------------------------------------------------------------------------------------


