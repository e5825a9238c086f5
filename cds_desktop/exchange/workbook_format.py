"""The unit report workbook (Phiếu báo cáo): sheets, columns, and text escaping.

Sheets: ``Hướng dẫn`` (instructions, Vietnamese), ``Báo cáo`` (one row per
indicator or task the unit reports on in the period), ``_meta`` (very hidden,
protected: what the workbook is for, and the values it was pre-filled with so
that an import knows what the unit actually changed).

Every text written to any cell goes through :func:`escape_text`: text that a
spreadsheet could take for a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a line break) is prefixed with an apostrophe and stored as a string
with the "quote prefix" style; :func:`unescape_text` undoes it on import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cds_desktop.models import INDICATOR, TASK

FORMAT = "cds-unit-workbook"
FORMAT_VERSION = 1
DATA_SHEET = "Báo cáo"
INSTRUCTIONS_SHEET = "Hướng dẫn"
META_SHEET = "_meta"
KNOWN_SHEETS = (INSTRUCTIONS_SHEET, DATA_SHEET, META_SHEET)
HEADER_ROW = 6
META_ROWS_START = 20  # first row of the pre-filled values table in _meta
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class WorkbookColumn:
    key: str
    header: str
    width: float
    editable: frozenset[str] = frozenset()  # item kinds for which the unit fills this column
    wrap: bool = True


COLUMNS: tuple[WorkbookColumn, ...] = (
    WorkbookColumn("row_id", "Mã dòng (không sửa)", 12, wrap=False),
    WorkbookColumn("number", "STT", 6),
    WorkbookColumn("kind", "Loại", 9),
    WorkbookColumn("content", "Nội dung chỉ tiêu / nhiệm vụ", 40),
    WorkbookColumn("target", "Chỉ tiêu / kết quả cần đạt", 16),
    WorkbookColumn("deadline", "Thời hạn", 11),
    WorkbookColumn("previous", "Báo cáo kỳ trước", 13),
    WorkbookColumn("status", "Trạng thái", 15, frozenset({TASK})),
    WorkbookColumn("percent", "% hoàn thành (0–100)", 9, frozenset({TASK})),
    WorkbookColumn("result", "Kết quả thực hiện", 26, frozenset({TASK, INDICATOR})),
    WorkbookColumn("difficulties", "Khó khăn, vướng mắc", 18, frozenset({TASK})),
    WorkbookColumn("proposals", "Đề xuất, kiến nghị", 18, frozenset({TASK})),
    WorkbookColumn("numerator", "Tử số", 8, frozenset({INDICATOR})),
    WorkbookColumn("denominator", "Mẫu số", 8, frozenset({INDICATOR})),
    WorkbookColumn("value", "Giá trị (nếu không có tử/mẫu số)", 10, frozenset({INDICATOR})),
    WorkbookColumn("evidence", "Tên tệp minh chứng gửi kèm", 18, frozenset({TASK, INDICATOR})),
)
COLUMN_INDEX = {c.key: i + 1 for i, c in enumerate(COLUMNS)}  # 1-based
ANSWER_FIELDS = tuple(c.key for c in COLUMNS if c.editable)
TASK_FIELDS = tuple(c.key for c in COLUMNS if TASK in c.editable)
INDICATOR_FIELDS = tuple(c.key for c in COLUMNS if INDICATOR in c.editable)
META_KEYS = ("format", "format_version", "workbook_uuid", "unit_uuid", "unit_name", "plan_uuid", "plan_label",
             "period_code", "period_label", "due_date", "generated_at", "schema_revision", "installation", "commune")


def column_letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(COLUMN_INDEX[key])


def escape_text(value: str) -> str:
    """Text that cannot be taken for a formula by Excel or LibreOffice."""
    if value and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def unescape_text(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(DANGEROUS_START):
        return value[1:]
    return value


def set_text(cell: Any, value: str) -> None:
    """Write *value* as a plain string cell, escaped (never a formula)."""
    text = escape_text(value)
    cell.value = text
    cell.data_type = "s"
    if text is not value:
        cell.quotePrefix = True
