"""The neutral report document: what a report says and how it is laid out,
independent of PDF or Excel.

A :class:`ReportDocument` is a list of :class:`Section` objects.  Each section
starts on a new page with its own orientation, and its page numbers restart at
1 (the first page of a section carries no number, as the decree wants for the
first page of a document and of each appendix).  A section holds blocks:

- :class:`DocHeader` — the two-column header: issuing body and number on the
  left, national title, motto and place-and-date line on the right;
- :class:`Para` — one paragraph in one of the named :data:`STYLES`;
- :class:`TableBlock` — a table with column specs, header rows (with spans),
  group rows and data rows;
- :class:`Signature` — "Nơi nhận" on the left, the signature block on the right;
- :class:`Spacer`.

All text in a document is NFC (the builders normalise at the end with
:func:`normalize_document`).  Renderers never invent text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Literal

PORTRAIT = "portrait"
LANDSCAPE = "landscape"
Orientation = Literal["portrait", "landscape"]
Align = Literal["left", "center", "right", "justify"]

# Row kinds of a table body.
DATA = "data"
GROUP = "group"  # bold group row: label in the first column, title across the others
NOTE = "note"  # italic row across the whole table (a group's note)
TOTAL = "total"  # bold row with ordinary cells (totals)

# Paragraph styles: (font size, bold, italic, alignment, space before, space after) in points.
# Both renderers read this table, so PDF and Excel agree.
STYLES: dict[str, tuple[float, bool, bool, Align, float, float]] = {
    "label": (14, True, False, "center", 0, 0),  # "Phụ lục 01"
    "title": (14, True, False, "center", 2, 0),  # title in capitals
    "subtitle": (14, True, False, "center", 0, 0),  # second line of a document title, bold
    "attached": (13, False, True, "center", 2, 4),  # "(Kèm theo Kế hoạch số … )"
    "body": (13, False, False, "justify", 3, 3),  # running text, first line indented
    "summary": (13, False, False, "left", 0, 2),  # "Tổng số chỉ tiêu: 27 chỉ tiêu"
    "heading": (13, True, False, "left", 6, 3),  # "I. KẾT QUẢ THỰC HIỆN"
    "caption": (13, True, False, "center", 6, 4),  # title above a table
    "remark": (12, False, True, "left", 4, 2),  # italic remark after a table
}


@dataclass
class DocHeader:
    """Issuing body (left) and national title (right), with number and date lines."""

    body_lines: list[str]  # e.g. ["ỦY BAN NHÂN DÂN", "XÃ BÁT TRÀNG"]
    body_bold: list[bool]  # per line: the issuing body is bold, its superior is not
    number_line: str  # "Số: 139/KH-UBND" (blanks as non-breaking spaces)
    date_line: str  # "Bát Tràng, ngày 03 tháng 4 năm 2026"
    national_title: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str = "Độc lập - Tự do - Hạnh phúc"


@dataclass
class Para:
    text: str
    style: str = "body"


@dataclass
class Spacer:
    height_mm: float = 4.0


@dataclass
class Column:
    key: str
    header: str
    weight: float = 1.0  # share of the free width
    align: Align = "left"
    min_mm: float = 0.0  # never narrower than this (numbering columns must fit "STT")
    numeric: bool = False  # whole numbers in this column are written to Excel as numbers
    parent: str = ""  # the plan's upper header cell over this column ("Đơn vị thực hiện" over "Chủ trì")


@dataclass
class Row:
    cells: list[str]
    kind: str = DATA
    continued: bool = False  # continues the row above (a row too tall for a page, cut by the renderer)


@dataclass
class TableBlock:
    columns: list[Column]
    header_rows: list[list[str]]  # grid of header texts, one list per header row
    rows: list[Row]
    # Merged header cells: (first_row, first_col, last_row, last_col), inclusive.
    header_spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    font_size: float = 12.0
    empty_text: str = "(Không có nội dung)"

    @property
    def n_cols(self) -> int:
        return len(self.columns)


@dataclass
class Signature:
    """Recipients on the left, signature block on the right."""

    recipients: list[str]  # lines without the leading "- "
    authority: str  # "TM. ỦY BAN NHÂN DÂN" ('' when the signer signs in own name)
    position: str  # "CHỦ TỊCH"
    signer: str  # name ('' leaves the line empty)


Block = DocHeader | Para | Spacer | TableBlock | Signature


@dataclass
class Section:
    name: str  # sheet name in Excel, bookmark in PDF
    orientation: Orientation = LANDSCAPE
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self

    @property
    def tables(self) -> list[TableBlock]:
        return [b for b in self.blocks if isinstance(b, TableBlock)]


@dataclass
class ReportDocument:
    title: str  # document metadata / window title
    sections: list[Section] = field(default_factory=list)
    author: str = ""
    subject: str = ""

    def row_count(self) -> int:
        return sum(len(t.rows) for s in self.sections for t in s.tables)


def _nfc_value(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc_value(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_nfc_value(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        normalize_document(value)
    return value


def normalize_document(obj: object) -> object:
    """NFC-normalise every string inside *obj* (a document or any block), in place."""
    for f in fields(obj):  # type: ignore[arg-type]
        setattr(obj, f.name, _nfc_value(getattr(obj, f.name)))
    return obj
