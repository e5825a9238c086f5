"""PDF renderer (reportlab platypus) for :class:`~cds_desktop.reports.document.ReportDocument`.

Layout per Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, margins 20 mm top and
bottom, 30 mm left, 15 mm right; portrait and landscape page templates; page
numbers centred in the top margin from the second page of each section (the
numbering restarts for every section, i.e. every appendix); tables with the
header rows repeated on every page, every cell a wrapped paragraph.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LayoutError,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus import Spacer as RLSpacer

from cds_desktop.reports.document import (
    GROUP,
    LANDSCAPE,
    NOTE,
    STYLES,
    TOTAL,
    DocHeader,
    Para,
    ReportDocument,
    Signature,
    Spacer,
    TableBlock,
)
from cds_desktop.reports.fonts import FontSet, report_fonts
from cds_desktop.reports.layout import (
    CELL_V_PAD,
    LEADING,
    MARGINS_MM,
    PAGE_NUMBER_SIZE,
    column_widths_pt,
    header_height,
    split_tall_rows,
)
from cds_desktop.reports.loading import Progress, no_progress
from cds_desktop.reports.pdf_cells import TextCell, WordMeasure

log = logging.getLogger(__name__)

ALIGNS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
PAD = 3.0  # cell padding, points
TALL_ROW_SHARE = 0.3  # rows taller than this share of the frame may break across pages
KEEP_WITH_NEXT = ("label", "title", "subtitle", "heading", "caption")  # never the last line of a page
SIGNATURE_BOX_MM = (80, 26)  # the room left for the signature (width at most, height)
BLACK = colors.black


def _markup(text: str) -> str:
    """Plain text as paragraph markup: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


class _Styles:
    """ParagraphStyle cache for one font set."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self._cache: dict[tuple, ParagraphStyle] = {}

    def get(self, size: float, bold: bool = False, italic: bool = False, align: str = "left",
            indent: float = 0.0, before: float = 0.0, after: float = 0.0, leading: float | None = None) -> ParagraphStyle:
        key = (size, bold, italic, align, indent, before, after, leading)
        style = self._cache.get(key)
        if style is None:
            style = ParagraphStyle(
                f"s{len(self._cache)}", fontName=self.fonts.face(bold, italic), fontSize=size,
                leading=leading or size * 1.18, alignment=ALIGNS[align], firstLineIndent=indent,
                spaceBefore=before, spaceAfter=after, textColor=BLACK, splitLongWords=1,
                bulletFontName=self.fonts.regular,
                allowWidows=0, allowOrphans=0,
            )
            self._cache[key] = style
        return style

    def named(self, name: str) -> ParagraphStyle:
        key = ("named", name)
        style = self._cache.get(key)
        if style is None:
            size, bold, italic, align, before, after = STYLES[name]
            indent = 10 * mm if name == "body" else 0.0
            base = self.get(size, bold, italic, align, indent, before, after)
            style = ParagraphStyle(f"{name}-{len(self._cache)}", parent=base,
                                   keepWithNext=1 if name in KEEP_WITH_NEXT else 0)
            self._cache[key] = style
        return style


class _Rule(Flowable):
    """A horizontal rule of a given length, centred in the space it gets."""

    def __init__(self, length: float, thickness: float = 0.6, space_before: float = 3.5) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.space_before = space_before
        self._avail = length

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._avail = avail_width
        return avail_width, self.space_before + self.thickness + 1

    def draw(self) -> None:
        x0 = max((self._avail - self.length) / 2, 0)
        self.canv.setLineWidth(self.thickness)
        self.canv.setStrokeColor(BLACK)
        self.canv.line(x0, 1, x0 + min(self.length, self._avail), 1)


class _SectionStart(Flowable):
    """Zero-size marker: the page it lands on is page 1 of a new section."""

    def __init__(self, title: str, key: str) -> None:
        super().__init__()
        self.title = title
        self.key = key

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        canv._cds_section_start = canv.getPageNumber()  # type: ignore[attr-defined]
        canv.bookmarkPage(self.key)
        canv.addOutlineEntry(self.title, self.key, level=0)


@dataclass(frozen=True)
class SignatureSpot:
    """Where a signature block leaves room for the signature: page (0-based) and box
    ``(x1, y1, x2, y2)`` in PDF points (origin bottom-left) — where a digital signature's
    visible box goes (:mod:`.pdf_sign`)."""

    page: int
    box: tuple[float, float, float, float]


class _SignatureRoom(Flowable):
    """The empty space between the signer's title and name (where one signs by hand); records
    where it was drawn into *spots*."""

    def __init__(self, width: float, height: float, spots: list[SignatureSpot]) -> None:
        super().__init__()
        self.width, self.height, self.spots = width, height, spots

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return min(self.width, avail_width), self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        wide = min(self.width, SIGNATURE_BOX_MM[0] * mm)
        left = x + (self.width - wide) / 2
        page = self.canv.getPageNumber() - 1
        self.spots.append(SignatureSpot(page, (round(left, 1), round(y + 1, 1), round(left + wide, 1),
                                               round(y + self.height - 1, 1))))


def _page_number(canv, doc) -> None:
    start = getattr(canv, "_cds_section_start", 1)
    number = canv.getPageNumber() - start + 1
    if number <= 1:
        return
    width, height = canv._pagesize
    canv.saveState()
    canv.setFont(doc.fonts.regular, PAGE_NUMBER_SIZE)
    canv.setFillColor(BLACK)
    left, right = MARGINS_MM["left"] * mm, MARGINS_MM["right"] * mm
    canv.drawCentredString(left + (width - left - right) / 2, height - MARGINS_MM["top"] * mm / 2 - 4, str(number))
    canv.restoreState()


class _Doc(BaseDocTemplate):
    def __init__(self, filename: str, fonts: FontSet, first: str, **kw) -> None:
        super().__init__(filename, pagesize=A4, **kw)
        self.fonts = fonts
        templates = []
        for orientation in (first, "portrait" if first == LANDSCAPE else LANDSCAPE):
            size = landscape(A4) if orientation == LANDSCAPE else A4
            frame = Frame(
                MARGINS_MM["left"] * mm, MARGINS_MM["bottom"] * mm,
                size[0] - (MARGINS_MM["left"] + MARGINS_MM["right"]) * mm,
                size[1] - (MARGINS_MM["top"] + MARGINS_MM["bottom"]) * mm,
                leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"f-{orientation}",
            )
            templates.append(PageTemplate(id=orientation, frames=[frame], onPageEnd=_page_number, pagesize=size))
        self.addPageTemplates(templates)


def frame_width(orientation: str) -> float:
    page_w = landscape(A4)[0] if orientation == LANDSCAPE else A4[0]
    return page_w - (MARGINS_MM["left"] + MARGINS_MM["right"]) * mm


def frame_height(orientation: str) -> float:
    page_h = landscape(A4)[1] if orientation == LANDSCAPE else A4[1]
    return page_h - (MARGINS_MM["top"] + MARGINS_MM["bottom"]) * mm


@lru_cache(maxsize=8)
def _fits(text: str, font: str, size: float, width: float) -> bool:
    return stringWidth(text, font, size) <= width


class _RuledTable(LongTable):
    """A table whose part on every page but the last is closed by a rule under its last row,
    also when the page breaks between a row and its continuation (a page never ends open)."""

    rule_pages = False  # set for tables with continuation rows (the others have every rule already)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if self.rule_pages and len(parts) > 1:
            parts[0].setStyle(TableStyle([("LINEBELOW", (0, -1), (-1, -1), 0.5, BLACK)]))
            for part in parts:
                part.rule_pages = True
        return parts


class _Builder:
    def __init__(self, fonts: FontSet, progress: Progress, split_rows: bool = False,
                 spots: list[SignatureSpot] | None = None) -> None:
        self.spots = spots if spots is not None else []
        self.fonts = fonts
        self.styles = _Styles(fonts)
        self.progress = progress
        self.split_rows = split_rows  # split a row over two pages (only for rows taller than a page)
        self._measures: dict[tuple[bool, bool, float], WordMeasure] = {}

    def measure(self, bold: bool, italic: bool, size: float) -> WordMeasure:
        key = (bold, italic, size)
        if key not in self._measures:
            self._measures[key] = WordMeasure(self.fonts.face(bold, italic), size)
        return self._measures[key]

    # -- blocks ------------------------------------------------------------
    def header(self, block: DocHeader, width: float) -> Table:
        left_w = width * (0.40 if width > 200 * mm else 0.39)
        right_w = width - left_w
        b = self.fonts.face(True)
        body_size = 13 if all(_fits(t, b, 13, left_w - 2 * PAD) for t in block.body_lines) else 12
        nat_size = 13 if _fits(block.national_title, b, 13, right_w - 2 * PAD) else 12
        motto_size = 14 if _fits(block.motto, b, 14, right_w - 2 * PAD) else 13
        left: list[Flowable] = []
        for text, bold in zip(block.body_lines, block.body_bold, strict=False):
            left.append(Paragraph(_markup(text), self.styles.get(body_size, bold, False, "center")))
        widest = max(stringWidth(t, b, body_size) for t in block.body_lines) if block.body_lines else 60
        left.append(_Rule(min(widest, left_w - 2 * PAD) * 0.4))
        right = [
            Paragraph(_markup(block.national_title), self.styles.get(nat_size, True, False, "center")),
            Paragraph(_markup(block.motto), self.styles.get(motto_size, True, False, "center")),
            _Rule(stringWidth(block.motto, b, motto_size)),
        ]
        number = Paragraph(_markup(block.number_line), self.styles.get(13, False, False, "center"))
        date = Paragraph(_markup(block.date_line), self.styles.get(13, False, True, "center"))
        table = Table([[left, right], [number, date]], colWidths=[left_w, right_w])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
            ("TOPPADDING", (0, 1), (-1, 1), 4), ("BOTTOMPADDING", (0, 1), (-1, 1), 8),
        ]))
        return table

    def signature(self, block: Signature, width: float) -> Table:
        left_w = width * 0.48
        right_w = width - left_w
        left: list[Flowable] = []
        if block.recipients:
            left.append(Paragraph("Nơi nhận:", self.styles.get(12, True, True, "left")))
            line_style = self.styles.get(11, False, False, "left", leading=13)
            left += [Paragraph(_markup("- " + r), line_style) for r in block.recipients]
        right: list[Flowable] = []
        st = self.styles.get(13, True, False, "center")
        if block.authority:
            right.append(Paragraph(_markup(block.authority), st))
        if block.position:
            right.append(Paragraph(_markup(block.position), st))
        right.append(_SignatureRoom(right_w, SIGNATURE_BOX_MM[1] * mm, self.spots))
        right.append(Paragraph(_markup(block.signer) or "&nbsp;", self.styles.get(14, True, False, "center")))
        table = Table([[left, right]], colWidths=[left_w, right_w])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 10),
        ]))
        table.keepWithNext = False
        return table

    def table(self, block: TableBlock, width: float, height: float,
              tail: Flowable | list[Flowable] | None = None) -> Table:
        """The table; *tail* (the signature block) rides in a last, borderless row kept with
        the last data row, so that a signature never stands alone on a page."""
        fonts = self.fonts
        size = block.font_size
        widths = column_widths_pt(block, width, fonts, PAD)
        n = block.n_cols
        leading = size * LEADING
        regular = self.measure(False, False, size)
        bold = self.measure(True, False, size)
        italic = self.measure(False, True, size)
        aligns = [c.align if c.align != "justify" else "left" for c in block.columns]
        # A row taller than a third of the page is cut into continuation rows (no rule between
        # them), so that the page may break inside it, as Word lets a row break across pages,
        # instead of leaving the rest of the page empty; shorter rows never break.
        fits = height - header_height(block, widths, fonts, PAD) - 2 * leading - 2 * CELL_V_PAD
        rows = split_tall_rows(block, widths, fonts, PAD, min(fits, height * TALL_ROW_SHARE))

        def cell(text: str, measure: WordMeasure, align: str) -> TextCell | str:
            return TextCell(text, measure, leading, align) if text else ""

        data: list[list] = [[cell(t, bold, "center") for t in row] for row in block.header_rows]
        n_head = len(data)
        commands: list[tuple] = [
            ("FONTNAME", (0, 0), (-1, -1), fonts.regular), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if any(r.continued for r in rows):
            # No rule between a row and its continuation; a rule under the last row of each page.
            end = n_head + len(rows) - 1
            # (The rule under each page's last row is drawn by _RuledTable: reportlab's "splitlast"
            # holds for the first page only.)
            commands += [("BOX", (0, 0), (-1, end), 0.5, BLACK), ("LINEAFTER", (0, 0), (-2, end), 0.5, BLACK),
                         ("LINEBELOW", (0, 0), (-1, n_head - 1), 0.5, BLACK)]
            for index, row in enumerate(rows):
                follows = index + 1 < len(rows) and rows[index + 1].continued
                if not follows:
                    commands.append(("LINEBELOW", (0, n_head + index), (-1, n_head + index), 0.5, BLACK))
                if row.continued or follows:
                    r = n_head + index
                    commands.append(("VALIGN", (0, r), (-1, r), "TOP"))
                    if follows:  # the lines go on at (nearly) the same spacing
                        commands.append(("BOTTOMPADDING", (0, r), (-1, r), 0))
        else:
            commands.append(("GRID", (0, 0), (-1, n_head + max(len(rows), 1) - 1), 0.5, BLACK))
        for r0, c0, r1, c1 in block.header_spans:
            commands.append(("SPAN", (c0, r0), (c1, r1)))
        total = len(rows)
        for index, row in enumerate(rows):
            r = n_head + index
            if row.kind in (GROUP, NOTE) and index + 1 < total and not self.split_rows:
                commands.append(("NOSPLIT", (0, r), (-1, r + 1)))  # a group row never ends a page
            if row.kind == GROUP:
                label_col = next((i for i, t in enumerate(row.cells) if t), 0)
                cells: list = [""] * n
                cells[label_col] = cell(row.cells[label_col], bold, "center")
                if label_col + 1 < n:
                    cells[label_col + 1] = cell(row.cells[label_col + 1], bold, "left")
                    commands.append(("SPAN", (label_col + 1, r), (n - 1, r)))
                data.append(cells)
            elif row.kind == NOTE:
                data.append([cell(row.cells[0], italic, "left")] + [""] * (n - 1))
                commands.append(("SPAN", (0, r), (n - 1, r)))
            else:
                measure = bold if row.kind == TOTAL else regular
                data.append([cell(t, measure, aligns[i]) for i, t in enumerate(row.cells)])
            if index % 100 == 99:
                self.progress(index + 1, total, "Đang dàn trang…")
        if not rows:
            data.append([cell(block.empty_text, italic, "center")] + [""] * (n - 1))
            commands.append(("SPAN", (0, n_head), (n - 1, n_head)))
        if tail is not None:
            r = len(data)
            data.append([tail] + [""] * (n - 1))
            commands += [("SPAN", (0, r), (n - 1, r)), ("NOSPLIT", (0, r - 1), (-1, r)),
                         ("LEFTPADDING", (0, r), (-1, r), 0), ("RIGHTPADDING", (0, r), (-1, r), 0),
                         ("TOPPADDING", (0, r), (-1, r), 0), ("VALIGN", (0, r), (-1, r), "TOP")]
        table = _RuledTable(data, colWidths=widths, repeatRows=n_head, splitInRow=int(self.split_rows),
                            hAlign="CENTER")
        table.setStyle(TableStyle(commands))
        table.rule_pages = any(r.continued for r in rows)
        return table

    def flowables(self, doc: ReportDocument) -> tuple[list[Flowable], str]:
        story: list[Flowable] = []
        first = doc.sections[0].orientation if doc.sections else LANDSCAPE
        for number, section in enumerate(doc.sections):
            if number:
                story += [NextPageTemplate(section.orientation), PageBreak()]
            story.append(_SectionStart(section.name, f"s{number}"))
            width = frame_width(section.orientation)
            blocks = section.blocks
            placed: set[int] = set()  # blocks already riding in the table before them
            for index, block in enumerate(blocks):
                following = blocks[index + 1] if index + 1 < len(blocks) else None
                if index in placed or (isinstance(block, Signature) and index
                                       and isinstance(blocks[index - 1], TableBlock)):
                    continue  # already placed inside the table before it
                if isinstance(block, DocHeader):
                    story.append(self.header(block, width))
                elif isinstance(block, Para):
                    story.append(Paragraph(_markup(block.text), self.styles.named(block.style)))
                elif isinstance(block, Spacer):
                    story.append(RLSpacer(1, block.height_mm * mm))
                elif isinstance(block, TableBlock):
                    tail: Flowable | list[Flowable] | None = None
                    if isinstance(following, Signature):
                        tail = self.signature(following, width)
                    elif (isinstance(following, Para) and index + 2 < len(blocks)
                          and isinstance(blocks[index + 2], Signature)):
                        # A closing note ("Lưu ý: …") and the signature both stay with the last row.
                        tail = [Paragraph(_markup(following.text), self.styles.named(following.style)),
                                self.signature(blocks[index + 2], width)]
                        placed.update((index + 1, index + 2))
                    story.append(RLSpacer(1, 2 * mm))
                    story.append(self.table(block, width, frame_height(section.orientation), tail))
                elif isinstance(block, Signature):
                    signature = self.signature(block, width)
                    if story and isinstance(story[-1], Paragraph):  # with the closing paragraph
                        story[-1] = KeepTogether([story[-1], signature])
                    else:
                        story.append(signature)
        return story, first


def render_pdf(doc: ReportDocument, out_path: str | Path, progress: Progress = no_progress,
               spots: list[SignatureSpot] | None = None) -> Path:
    """Write *doc* as a PDF file; returns the path.  *spots* (when given) receives where each
    signature block left room for the signature, in page order."""
    fonts = report_fonts()
    out = Path(out_path)
    found: list[SignatureSpot] = []
    try:
        _build(doc, out, fonts, progress, split_rows=False, spots=found)
    except LayoutError:
        # A row taller than a whole page: let rows split across pages instead.
        log.info("A table row is taller than a page; rendering %s with rows split across pages", out)
        found.clear()
        _build(doc, out, fonts, progress, split_rows=True, spots=found)
    if spots is not None:
        spots.extend(found)
    log.info("Wrote PDF %s (%d sections, %d table rows)", out, len(doc.sections), doc.row_count())
    return out


def _build(doc: ReportDocument, out: Path, fonts: FontSet, progress: Progress, split_rows: bool,
           spots: list[SignatureSpot]) -> None:
    builder = _Builder(fonts, progress, split_rows, spots)
    story, first = builder.flowables(doc)
    pdf = _Doc(
        str(out), fonts, first, title=doc.title, author=doc.author, subject=doc.subject,
        creator="CĐS Desktop", leftMargin=MARGINS_MM["left"] * mm, rightMargin=MARGINS_MM["right"] * mm,
        topMargin=MARGINS_MM["top"] * mm, bottomMargin=MARGINS_MM["bottom"] * mm,
        # The canvas starts in the report font, so no unembedded Helvetica is referenced.
        initialFontName=fonts.regular, initialFontSize=12,
    )
    pdf.build(story, canvasmaker=partial(Canvas, lang="vi"))
