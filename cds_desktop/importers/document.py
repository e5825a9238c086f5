"""The neutral form every reader produces: paragraphs and raw tables in document order.

A reader (text, ``.xlsx``, ``.docx``) knows nothing about plans; it only turns
a file into :class:`Document`: an ordered list of blocks, each either a
paragraph (``str``) or a :class:`RawTable` whose rows keep where they came
from (line of the text file, row of the sheet, row of the Word table) so that
every warning can point the officer at the right place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cds_desktop.services.common import ServiceError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT_BYTES = 8 * 1024 * 1024  # a plan as text is a few hundred KB; reading costs ~20× the size
# The closing block of an administrative document ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" / name, with
# "Nơi nhận:" beside it) is laid out as a two-column borderless table: never rows of the plan's tables.
CLOSING_START = re.compile(r"^(?:(?:(?:TM|KT|TL|TUQ|Q)\s*\.|T/M|K/T|T/L)\s*(?:ỦY BAN|UỶ BAN|UBND|BAN|CHỦ TỊCH|ĐẢNG ỦY|ĐẢNG UỶ)"
                           r"|Nơi nhận\s*:)", re.I)
CLOSING_SPAN = 12  # rows a closing block may take


class ImportFailure(ServiceError):
    """The file cannot be imported; ``str()`` is a one-line Vietnamese message naming the file."""

    exit_code = 4


class MissingFile(ImportFailure):
    """The file to import does not exist."""

    exit_code = 3


@dataclass
class RawRow:
    """One row as read: cell texts aligned on the table grid, and its place in the source.

    ``spans[i]`` is how many grid columns the cell starting at column *i*
    covers (0 for a column covered by a cell on its left); ``vmerged`` holds
    the columns whose cell continues the cell above (vertical merge).
    """

    cells: list[str]
    ref: int
    spans: list[int] = field(default_factory=list)
    vmerged: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # what the reader guessed about this row (shown as flags)

    def __post_init__(self) -> None:
        if not self.spans:
            self.spans = [1] * len(self.cells)

    @property
    def filled(self) -> list[int]:
        """Indexes of the non-empty cells."""
        return [i for i, c in enumerate(self.cells) if c.strip()]

    def cell(self, index: int) -> str:
        return self.cells[index] if 0 <= index < len(self.cells) else ""


@dataclass
class RawTable:
    """A table as found in the file (a run of tab-separated lines, a Word table, a sheet)."""

    rows: list[RawRow]
    origin: str  # "text" | "docx" | "xlsx" | "pdf"
    index: int = 0  # order among the raw tables of the file (1-based)
    sheet: str = ""  # xlsx sheet name
    page: int = 0  # pdf: the page the table starts on

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)

    def describe(self) -> str:
        """Where the table is, in words for the officer."""
        if self.origin == "xlsx":
            return f"trang tính «{self.sheet}»"
        if self.origin == "docx":
            return f"bảng {self.index} của tệp Word"
        if self.origin == "pdf":
            return f"bảng {self.index} của tệp PDF (trang {self.page})"
        first = self.rows[0].ref if self.rows else 0
        last = self.rows[-1].ref if self.rows else 0
        return f"dòng {first}–{last}"


Block = str | RawTable


@dataclass
class Document:
    """A file read into paragraphs and tables, in order."""

    name: str  # file name shown to the officer ("" for pasted text)
    blocks: list[Block]
    origin: str  # "text" | "docx" | "xlsx" | "pdf"
    notes: list[str] = field(default_factory=list)  # reader warnings (encoding fallback...)

    @property
    def paragraphs(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]

    @property
    def tables(self) -> list[RawTable]:
        return [b for b in self.blocks if isinstance(b, RawTable)]

    @property
    def row_word(self) -> str:
        """What a row reference means for this kind of file."""
        return "dòng" if self.origin == "text" else "hàng"
