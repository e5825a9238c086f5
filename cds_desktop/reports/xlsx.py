"""Excel renderer (openpyxl) for :class:`~cds_desktop.reports.document.ReportDocument`.

One worksheet per section, with the same content as the PDF: merged header
cells, thin borders, wrapped text, column widths from the PDF layout, row
heights estimated from the text (openpyxl cannot auto-fit), A4, the
section's orientation, fit to one page wide, table header rows repeated when
printing, the decree's margins, page numbers in the header from page 2.
Every text is written as a string cell; text beginning with ``=``, ``+``,
``-`` or ``@`` is forced to a string and flagged with a quote prefix, so no
cell ever becomes a formula.
"""

from __future__ import annotations

import logging
import re
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.units import mm

from cds_desktop.reports.document import (
    GROUP,
    LANDSCAPE,
    NOTE,
    STYLES,
    TOTAL,
    DocHeader,
    Para,
    ReportDocument,
    Section,
    Signature,
    Spacer,
    TableBlock,
)
from cds_desktop.reports.fonts import FontSet, report_fonts
from cds_desktop.reports.layout import (
    MARGINS_MM,
    PAGE_NUMBER_SIZE,
    column_widths_pt,
    split_tall_rows,
)
from cds_desktop.reports.pdf_cells import WordMeasure
from cds_desktop.reports.pdf_parts import PAD, frame_width
from cds_desktop.reports.tree import Progress, no_progress

log = logging.getLogger(__name__)

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
OPEN_BORDERS = {  # (continues the row above, continued below) -> border
    (cont, follows): Border(left=THIN, right=THIN, top=None if cont else THIN, bottom=None if follows else THIN)
    for cont in (False, True) for follows in (False, True)
}
FORMULA_START = ("=", "+", "-", "@")
PLAIN_COLUMNS = 8  # grid of a section without a table
LINE_FACTOR = 1.25  # Excel line height / font size
WRAP_SAFETY = 0.9  # Excel renders a little wider than the font metrics say
ROW_LIMIT = 360.0  # points: Excel's row height limit (409 pt) with room for its wider line spacing
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _inches(value_mm: float) -> float:
    return value_mm / 25.4


def _excel_width(points: float) -> float:
    """Excel column width (characters of the default font) for a width in points."""
    return max((points / 0.75 - 5) / 7, 1.0)


class _Sheet:
    """Writes the blocks of one section into one worksheet."""

    def __init__(self, ws: Worksheet, section: Section, fonts: FontSet) -> None:
        self.ws = ws
        self.fonts = fonts
        self.row = 1
        # The sheet's column grid is the widest table's; smaller tables span grid columns.
        self.main = max(section.tables, key=lambda t: t.n_cols) if section.tables else None
        width = frame_width(section.orientation)
        if self.main is not None:
            self.widths = column_widths_pt(self.main, width, fonts, PAD)
        else:
            self.widths = [width / PLAIN_COLUMNS] * PLAIN_COLUMNS
        self.n = len(self.widths)
        # Header rows repeat on every printed page for a section that is one table (an appendix),
        # not for a text section with small summary tables in it.
        self.repeat_titles = len(section.tables) == 1
        for i, w in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = round(_excel_width(w), 2)
        total = sum(self.widths)
        acc, split = 0.0, 1
        for i, w in enumerate(self.widths):  # the header's left block takes about 40% of the width
            acc += w
            if acc >= total * 0.38:
                split = i + 1
                break
        self.split = min(max(split, 1), self.n - 1) if self.n > 1 else 1
        self._fonts: dict[tuple, Font] = {}
        self._aligns: dict[tuple, Alignment] = {}
        self._styles: dict[tuple, object] = {}
        self._keep: list[tuple] = []
        self._measures: dict[tuple, WordMeasure] = {}

    # -- cell helpers --------------------------------------------------------
    def font(self, size: float, bold: bool = False, italic: bool = False, underline: bool = False) -> Font:
        key = (size, bold, italic, underline)
        if key not in self._fonts:
            self._fonts[key] = Font(name=self.fonts.display_name, size=size, bold=bold, italic=italic,
                                    underline="single" if underline else None, color="000000")
        return self._fonts[key]

    def align(self, horizontal: str, vertical: str = "center", indent: int = 0) -> Alignment:
        key = (horizontal, vertical, indent)
        if key not in self._aligns:
            self._aligns[key] = Alignment(horizontal=horizontal, vertical=vertical, wrap_text=True, indent=indent)
        return self._aligns[key]

    def put(self, row: int, col: int, text: str | int, font: Font, align: Alignment, border: bool = False,
            last_col: int | None = None, last_row: int | None = None) -> None:
        ws = self.ws
        cell = ws.cell(row=row, column=col)
        quote = False
        if isinstance(text, str):
            cell.value = text
            cell.data_type = "s"  # never a formula, whatever the text starts with
            quote = text.startswith(FORMULA_START)
        else:
            cell.value = text
        self.style(cell, font, align, BOX if border else None, quote)
        end_col = last_col or col
        end_row = last_row or row
        if border:
            for r in range(row, end_row + 1):
                for c in range(col, end_col + 1):
                    if (r, c) != (row, col):
                        self.style(ws.cell(row=r, column=c), None, None, BOX)
        if end_col > col or end_row > row:
            ws.merge_cells(start_row=row, start_column=col, end_row=end_row, end_column=end_col)

    def style(self, cell, font: Font | None, align: Alignment | None, border: Border | None,
              quote: bool = False) -> None:
        """Give *cell* a style, assigning each distinct combination through openpyxl once and
        copying its style record afterwards (assigning style objects hashes them every time)."""
        key = (id(font), id(align), id(border), quote)
        record = self._styles.get(key)
        if record is None:
            if font is not None:
                cell.font = font
            if align is not None:
                cell.alignment = align
            if border is not None:
                cell.border = border
            if quote:
                cell.quotePrefix = True  # Excel keeps "=1+1" as text when the officer edits it
            self._styles[key] = copy(cell._style)
            self._keep.append((font, align, border))  # the ids in the key stay valid
        else:
            cell._style = copy(record)

    def span_width(self, first: int, last: int) -> float:
        return sum(self.widths[first - 1:last])

    def height_for(self, text: str, width_pt: float, size: float, bold: bool = False, italic: bool = False) -> float:
        usable = max((width_pt - 2 * PAD) * WRAP_SAFETY, 10)
        key = (bold, italic, size)
        measure = self._measures.get(key)
        if measure is None:
            measure = self._measures[key] = WordMeasure(self.fonts.face(bold, italic), size)
        lines = max(len(measure.wrap(text, usable)), 1) if text else 1
        return lines * size * LINE_FACTOR + 3

    def set_height(self, row: int, height: float) -> None:
        current = self.ws.row_dimensions[row].height or 0
        self.ws.row_dimensions[row].height = round(max(current, height, 15), 1)

    # -- blocks ------------------------------------------------------------
    def header(self, block: DocHeader) -> None:
        left_w, right_w = self.span_width(1, self.split), self.span_width(self.split + 1, self.n)
        lines_left = [(t, 13, b, False, False) for t, b in zip(block.body_lines, block.body_bold, strict=False)]
        lines_right = [(block.national_title, 13, True, False, not block.motto)]  # a Party plan: no motto
        if block.motto:
            lines_right.append((block.motto, 14, True, False, True))
        for i in range(max(len(lines_left), len(lines_right))):
            r = self.row + i
            if i < len(lines_left):
                text, size, bold, italic, under = lines_left[i]
                self.put(r, 1, text, self.font(size, bold, italic, under), self.align("center"), last_col=self.split)
                self.set_height(r, self.height_for(text, left_w, size, bold))
            if i < len(lines_right):
                text, size, bold, italic, under = lines_right[i]
                self.put(r, self.split + 1, text, self.font(size, bold, italic, under), self.align("center"),
                         last_col=self.n)
                self.set_height(r, self.height_for(text, right_w, size, bold))
        self.row += max(len(lines_left), len(lines_right)) + 1
        self.put(self.row, 1, block.number_line, self.font(13), self.align("center"), last_col=self.split)
        self.put(self.row, self.split + 1, block.date_line, self.font(13, italic=True), self.align("center"),
                 last_col=self.n)
        self.set_height(self.row, self.height_for(block.date_line, right_w, 13, italic=True))
        self.row += 2

    def para(self, block: Para) -> None:
        size, bold, italic, align, before, after = STYLES[block.style]
        horizontal = {"justify": "justify", "left": "left", "center": "center", "right": "right"}[align]
        indent = 2 if block.style == "body" else 0
        self.put(self.row, 1, block.text, self.font(size, bold, italic), self.align(horizontal, indent=indent),
                 last_col=self.n)
        self.set_height(self.row, self.height_for(block.text, sum(self.widths), size, bold, italic) + before + after)
        self.row += 1

    def column_ranges(self, block: TableBlock) -> list[tuple[int, int]]:
        """Sheet columns (first, last; 1-based) of each table column: the main table
        maps one to one, a smaller table spans several grid columns per column."""
        if block is self.main or block.n_cols == self.n:
            return [(i + 1, i + 1) for i in range(self.n)]
        wanted = column_widths_pt(block, sum(self.widths), self.fonts, PAD)
        m = block.n_cols
        ranges, start, acc_target, acc = [], 1, 0.0, 0.0
        for k, w in enumerate(wanted):
            acc_target += w
            end = start
            acc += self.widths[end - 1]
            # extend while it brings the boundary closer and leaves a column for each remaining one
            while end < self.n - (m - k - 1) and abs(acc + self.widths[end] - acc_target) < abs(acc - acc_target):
                end += 1
                acc += self.widths[end - 1]
            if k == m - 1:
                while end < self.n:
                    end += 1
                    acc += self.widths[end - 1]
            ranges.append((start, end))
            start = end + 1
        return ranges

    def table(self, block: TableBlock, progress: Progress) -> None:
        size = block.font_size
        cols = self.column_ranges(block)
        widths = [self.span_width(a, b) for a, b in cols]
        n = block.n_cols
        first_header = self.row
        covered = set()
        for r0, c0, r1, c1 in block.header_spans:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        covered.add((r, c))
        spans = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in block.header_spans}
        head_font, head_align = self.font(size, True), self.align("center")
        for hr, texts in enumerate(block.header_rows):
            r = self.row + hr
            height = 0.0
            for c, text in enumerate(texts):
                if (hr, c) in covered:
                    continue
                r1, c1 = spans.get((hr, c), (hr, c))
                self.put(r, cols[c][0], text, head_font, head_align, border=True, last_col=cols[c1][1],
                         last_row=self.row + r1)
                if r1 == hr:
                    height = max(height, self.height_for(text, sum(widths[c:c1 + 1]), size, True))
            self.set_height(r, height)
        self.row += len(block.header_rows)
        if block is self.main and self.repeat_titles:
            self.ws.print_title_rows = f"{first_header}:{self.row - 1}"
        aligns = [self.align(c.align if c.align != "justify" else "left") for c in block.columns]
        regular, bold, italic = self.font(size), self.font(size, True), self.font(size, italic=True)
        number_cols = {i for i, c in enumerate(block.columns) if c.numeric or c.key in ("number", "local_number")}
        last = cols[-1][1]
        # Excel rows stop at 409 pt and a printed row never spans two pages: cut taller rows.
        rows = split_tall_rows(block, [w * WRAP_SAFETY for w in widths], self.fonts, PAD, ROW_LIMIT)
        for index, row in enumerate(rows):
            r = self.row
            if row.kind == GROUP:
                label = next((i for i, t in enumerate(row.cells) if t), 0)
                for c in range(label):
                    self.put(r, cols[c][0], "", bold, aligns[c], border=True, last_col=cols[c][1])
                self.put(r, cols[label][0], row.cells[label], bold, self.align("center"), border=True,
                         last_col=cols[label][1])
                if label + 1 < n:
                    title = row.cells[label + 1]
                    self.put(r, cols[label + 1][0], title, bold, self.align("left"), border=True, last_col=last)
                    self.set_height(r, self.height_for(title, sum(widths[label + 1:]), size, True))
            elif row.kind == NOTE:
                self.put(r, 1, row.cells[0], italic, self.align("left"), border=True, last_col=last)
                self.set_height(r, self.height_for(row.cells[0], sum(widths), size, italic=True))
            else:
                font = bold if row.kind == TOTAL else regular
                height = 0.0
                for c, text in enumerate(row.cells[:n]):
                    value: str | int = int(text) if c in number_cols and text.isdigit() else text
                    self.put(r, cols[c][0], value, font, aligns[c], border=True, last_col=cols[c][1])
                    if text:
                        height = max(height, self.height_for(text, widths[c], size, row.kind == TOTAL))
                self.set_height(r, height)
                follows = index + 1 < len(rows) and rows[index + 1].continued
                if row.continued or follows:  # no rule between a row and its continuation
                    open_border = OPEN_BORDERS[(row.continued, follows)]
                    for c in range(1, last + 1):
                        self.ws.cell(row=r, column=c).border = open_border  # rare: the slow path is fine
            self.row += 1
            if index % 100 == 99:
                progress(index + 1, len(rows), "Đang ghi bảng tính…")
        if not rows:
            self.put(self.row, 1, block.empty_text, italic, self.align("center"), border=True, last_col=last)
            self.row += 1
        self.row += 1

    def signature(self, block: Signature) -> None:
        self.row += 1
        left = [("Nơi nhận:", self.font(12, True, True))] if block.recipients else []
        left += [("- " + r, self.font(11)) for r in block.recipients]
        right = [(t, self.font(13, True)) for t in (block.authority, block.position) if t]
        blank_rows = 4
        start = self.row
        for i, (text, font) in enumerate(left):
            self.put(start + i, 1, text, font, self.align("left", "top"), last_col=self.split)
            self.set_height(start + i, self.height_for(text, self.span_width(1, self.split), font.sz or 11))
        for i, (text, font) in enumerate(right):
            self.put(start + i, self.split + 1, text, font, self.align("center"), last_col=self.n)
        signer_row = start + len(right) + blank_rows
        self.put(signer_row, self.split + 1, block.signer, self.font(14, True), self.align("center"), last_col=self.n)
        for r in range(start + len(right), signer_row):
            self.set_height(r, 18)
        self.row = max(start + len(left), signer_row + 1) + 1


def _sheet_title(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("-", name).strip()[:31] or "Trang"
    title, k = base, 2
    while title.lower() in used:
        suffix = f" ({k})"
        title, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(title.lower())
    return title


def _page_setup(ws: Worksheet, section: Section, fonts: FontSet) -> None:
    ws.page_setup.orientation = "landscape" if section.orientation == LANDSCAPE else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.firstPageNumber = 1  # every sheet (appendix) numbered from 1, also in a whole-workbook print
    ws.page_setup.useFirstPageNumber = True
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(
        left=_inches(MARGINS_MM["left"]), right=_inches(MARGINS_MM["right"]),
        top=_inches(MARGINS_MM["top"]), bottom=_inches(MARGINS_MM["bottom"]),
        header=_inches(MARGINS_MM["top"] / 2 - 3), footer=_inches(MARGINS_MM["bottom"] / 2),
    )
    ws.print_options.horizontalCentered = True
    # Page number centred at the top, not on the first page.
    ws.HeaderFooter.differentFirst = True
    ws.oddHeader.center.text = "&P"
    ws.oddHeader.center.size = PAGE_NUMBER_SIZE
    ws.oddHeader.center.font = f"{fonts.display_name},Regular"
    ws.evenHeader.center.text = "&P"
    ws.evenHeader.center.size = PAGE_NUMBER_SIZE
    ws.evenHeader.center.font = f"{fonts.display_name},Regular"
    ws.sheet_view.showGridLines = False
    ws.sheet_view.zoomScale = 90


def render_xlsx(doc: ReportDocument, out_path: str | Path, progress: Progress = no_progress) -> Path:
    """Write *doc* as an Excel workbook; returns the path."""
    fonts = report_fonts()
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for section in doc.sections:
        ws = wb.create_sheet(_sheet_title(section.name, used))
        sheet = _Sheet(ws, section, fonts)
        for block in section.blocks:
            if isinstance(block, DocHeader):
                sheet.header(block)
            elif isinstance(block, Para):
                sheet.para(block)
            elif isinstance(block, Spacer):
                sheet.set_height(sheet.row, block.height_mm * mm)
                sheet.row += 1
            elif isinstance(block, TableBlock):
                sheet.table(block, progress)
            elif isinstance(block, Signature):
                sheet.signature(block)
        _page_setup(ws, section, fonts)
    if not doc.sections:
        wb.create_sheet("Trang 1")
    wb.properties.title = doc.title
    wb.properties.creator = "CĐS Desktop"
    wb.properties.subject = doc.subject
    out = Path(out_path)
    wb.save(out)
    log.info("Wrote XLSX %s (%d sheets, %d table rows)", out, len(doc.sections), doc.row_count())
    return out
