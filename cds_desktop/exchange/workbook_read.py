"""Reading a returned unit report workbook safely.

The file is read into memory (within the workbook size cap) and checked as a
zip exactly like a package (:mod:`.zipsafe`: names, counts, sizes, ratio,
layout, then every member streamed and counted, CRCs checked) *before*
openpyxl sees it; openpyxl then parses the same bytes with defusedxml (which
this module insists on).  Formulas are never evaluated: a formula cell, or
text that looks like one, is taken as text and reported.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cds_desktop.database.errors import os_reason
from cds_desktop.exchange import workbook_format as wf
from cds_desktop.exchange.errors import MissingFile, RejectedFile
from cds_desktop.exchange.record_values import UUID_RE
from cds_desktop.exchange.zipsafe import WORKBOOK_LIMITS, open_checked, stream_member
from cds_desktop.text import fold, format_mb, nfc

log = logging.getLogger(__name__)

_PERIOD_RE = re.compile(r"^\d{4}(?:-(?:\d{2}|Q[1-4]|H[12]))?$")


@dataclass(frozen=True)
class Message:
    """Something about one place of a workbook; ``str()`` names the file, sheet, row and column."""

    file: str
    text: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # a key of workbook_format.COLUMNS
    level: str = "error"  # "error" | "warning"

    @property
    def place(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"trang «{self.sheet}»")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            from openpyxl.utils import get_column_letter

            header = next((c.header for c in wf.COLUMNS if c.key == self.column), self.column)
            parts.append(f"cột {get_column_letter(wf.COLUMN_INDEX[self.column])} («{header}»)")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.place}: {self.text}"


@dataclass(frozen=True)
class CellValue:
    raw: Any
    text: str  # as text, escaped text undone; "" when empty
    formula: bool
    percent_format: bool


@dataclass
class ReturnedRow:
    row: int
    item_uuid: str
    cells: dict[str, CellValue]


@dataclass
class ReturnedWorkbook:
    path: Path
    display: str
    meta: dict[str, str]
    prefill: dict[str, dict[str, Any]]  # item uuid -> values written into the workbook
    kinds: dict[str, str]  # item uuid -> "indicator" | "task"
    sheet: str = wf.DATA_SHEET
    rows: list[ReturnedRow] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    @property
    def workbook_uuid(self) -> str:
        return self.meta["workbook_uuid"]


def _check_zip(data: bytes, display: str) -> None:
    checked = open_checked(io.BytesIO(data), display, WORKBOOK_LIMITS, allow_dirs=True)
    try:
        budget = WORKBOOK_LIMITS.max_total
        for info in checked.infos:
            if info.is_dir():
                continue
            budget -= stream_member(checked, info, None, limit=min(budget, WORKBOOK_LIMITS.max_member))
    finally:
        checked.close()


def _load(data: bytes, display: str) -> Any:
    import openpyxl
    from openpyxl import xml as openpyxl_xml

    if not openpyxl_xml.DEFUSEDXML:
        raise RejectedFile(display, "thiếu thư viện defusedxml để đọc tệp Excel an toàn; hãy cài đặt lại phần mềm.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False, keep_vba=False,
                                          keep_links=False, rich_text=False)
    except RejectedFile:
        raise
    except Exception as exc:  # defusedxml, openpyxl, zipfile: all mean "not a workbook we can read"
        log.info("openpyxl could not read %s: %r", display, exc)
        chain, cause = [], exc
        while cause is not None and len(chain) < 10:
            chain.append(type(cause).__name__)
            cause = cause.__cause__ or cause.__context__
        reason = "tệp chứa cấu trúc XML nguy hiểm (khai báo thực thể/DTD), không được đọc" if any(
            "Forbidden" in name for name in chain) else "không đọc được như một tệp Excel (.xlsx)"
        raise RejectedFile(display, f"{reason}.") from exc


def read_workbook(path: str | Path) -> ReturnedWorkbook:
    """Read and check a returned workbook; raises :class:`RejectedFile` for anything unusable."""
    source = Path(path)
    display = source.name
    try:
        size = source.stat().st_size
        if size > WORKBOOK_LIMITS.max_file:
            raise RejectedFile(display, f"tệp quá lớn cho một phiếu báo cáo ({format_mb(size)}).")
        data = source.read_bytes()
    except FileNotFoundError as exc:
        raise MissingFile(display) from exc
    except OSError as exc:
        raise RejectedFile(display, f"không đọc được tệp ({os_reason(exc)}).") from exc
    _check_zip(data, display)
    wb = _load(data, display)
    meta, prefill, kinds = _read_meta(wb, display)
    result = ReturnedWorkbook(source, display, meta, prefill, kinds)
    for name in wb.sheetnames:
        if name not in wf.KNOWN_SHEETS:
            result.messages.append(Message(display, f"bỏ qua trang tính lạ «{name}».", sheet=name, level="warning"))
    if wf.DATA_SHEET not in wb.sheetnames:
        raise RejectedFile(display, f"thiếu trang «{wf.DATA_SHEET}» (trang tính đã bị xóa hoặc đổi tên).")
    _read_rows(wb[wf.DATA_SHEET], result)
    return result


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if not (value.hour or value.minute) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        value = str(getattr(value, "text", value))
    return wf.unescape_text(nfc(value)).strip()


def _read_meta(wb: Any, display: str) -> tuple[dict[str, str], dict[str, dict[str, Any]], dict[str, str]]:
    import json

    if wf.META_SHEET not in wb.sheetnames:
        raise RejectedFile(display, "không phải phiếu báo cáo do CĐS Desktop lập (thiếu trang thông tin ẩn «_meta»).")
    ws = wb[wf.META_SHEET]
    meta: dict[str, str] = {}
    for row in range(1, len(wf.META_KEYS) + 1):
        key, value = ws.cell(row, 1).value, ws.cell(row, 2).value
        if isinstance(key, str) and key in wf.META_KEYS:
            meta[key] = _cell_text(value) if not isinstance(value, str) else wf.unescape_text(value)
    if meta.get("format") != wf.FORMAT:
        raise RejectedFile(display, "không phải phiếu báo cáo do CĐS Desktop lập.")
    try:
        version = int(float(meta.get("format_version", "")))
    except ValueError:
        version = -1
    if version != wf.FORMAT_VERSION:
        raise RejectedFile(display, f"phiếu báo cáo phiên bản «{meta.get('format_version')}» chưa được hỗ trợ.")
    for key in ("workbook_uuid", "unit_uuid", "plan_uuid"):
        if not UUID_RE.match(meta.get(key, "")):
            raise RejectedFile(display, f"thông tin ẩn của phiếu bị hỏng ({key}).")
    if not _PERIOD_RE.match(meta.get("period_code", "")):
        raise RejectedFile(display, "thông tin ẩn của phiếu bị hỏng (kỳ báo cáo).")
    prefill: dict[str, dict[str, Any]] = {}
    kinds: dict[str, str] = {}
    for row in range(wf.META_ROWS_START, ws.max_row + 1):
        uuid, kind, values = (ws.cell(row, c).value for c in (1, 2, 3))
        if not uuid:
            continue
        try:
            data = json.loads(wf.unescape_text(str(values)))
        except ValueError as exc:
            raise RejectedFile(display, f"thông tin ẩn của phiếu bị hỏng (dòng {row} của trang «_meta»).") from exc
        if not UUID_RE.match(str(uuid)) or kind not in ("indicator", "task") or not isinstance(data, dict):
            raise RejectedFile(display, f"thông tin ẩn của phiếu bị hỏng (dòng {row} của trang «_meta»).")
        prefill[str(uuid).lower()] = data
        kinds[str(uuid).lower()] = str(kind)
    return meta, prefill, kinds


def _header_map(ws: Any, display: str) -> tuple[int, dict[str, int]]:
    wanted = {fold(c.header): c.key for c in wf.COLUMNS}
    for row in range(1, min(ws.max_row, 30) + 1):
        found: dict[str, int] = {}
        for col in range(1, min(ws.max_column, 60) + 1):
            value = ws.cell(row, col).value
            if isinstance(value, str) and fold(value.strip()) in wanted:
                found[wanted[fold(value.strip())]] = col
        if len(found) >= 3:
            missing = [c.header for c in wf.COLUMNS if c.key not in found and (c.editable or c.key == "row_id")]
            if missing:
                raise RejectedFile(display, f"trang «{ws.title}» thiếu cột «{missing[0]}» (cột đã bị xóa?).")
            return row, found
    raise RejectedFile(display, f"không tìm thấy dòng tiêu đề cột trong trang «{ws.title}».")


def _read_rows(ws: Any, result: ReturnedWorkbook) -> None:
    header, columns = _header_map(ws, result.display)
    result.sheet = ws.title
    for row in range(header + 1, ws.max_row + 1):
        cells: dict[str, CellValue] = {}
        for key, col in columns.items():
            cell = ws.cell(row, col)
            value = cell.value
            formula = cell.data_type == "f" or (isinstance(value, str) and value.startswith("="))
            percent = isinstance(cell.number_format, str) and "%" in cell.number_format
            cells[key] = CellValue(value, _cell_text(value), formula, percent)
        uuid = cells.pop("row_id").text.lower()
        if not uuid and not any(c.text for k, c in cells.items() if k in wf.ANSWER_FIELDS):
            continue  # an empty line
        result.rows.append(ReturnedRow(row, uuid, cells))
