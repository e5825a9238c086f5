"""PDF renderer (reportlab platypus) for :class:`~cds_desktop.reports.document.ReportDocument`.

Layout per Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, margins 20 mm top and
bottom, 30 mm left, 15 mm right; portrait and landscape page templates; page
numbers centred in the top margin from the second page of each section (the
numbering restarts for every section, i.e. every appendix); tables with the
header rows repeated on every page, every cell a wrapped paragraph.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    LayoutError,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus import Spacer as RLSpacer

from cds_desktop.reports.document import (
    GROUP,
    LANDSCAPE,
    NOTE,
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
    column_widths_pt,
    header_height,
    split_tall_rows,
)
from cds_desktop.reports.pdf_cells import TextCell, WordMeasure
from cds_desktop.reports.pdf_parts import (
    BLACK,
    PAD,
    SIGNATURE_BOX_MM,
    TALL_ROW_SHARE,
    ReportDoc,
    Rule,
    RuledTable,
    SectionStart,
    SignatureRoom,
    SignatureSpot,
    Styles,
    fits,
    frame_height,
    frame_width,
    markup,
)
from cds_desktop.reports.tree import Progress, no_progress

log = logging.getLogger(__name__)


class _Builder:
    def __init__(self, fonts: FontSet, progress: Progress, split_rows: bool = False,
                 spots: list[SignatureSpot] | None = None) -> None:
        self.spots = spots if spots is not None else []
        self.fonts = fonts
        self.styles = Styles(fonts)
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
        body_size = 13 if all(fits(t, b, 13, left_w - 2 * PAD) for t in block.body_lines) else 12
        nat_size = 13 if fits(block.national_title, b, 13, right_w - 2 * PAD) else 12
        motto_size = 14 if fits(block.motto, b, 14, right_w - 2 * PAD) else 13
        left: list[Flowable] = []
        for text, bold in zip(block.body_lines, block.body_bold, strict=False):
            left.append(Paragraph(markup(text), self.styles.get(body_size, bold, False, "center")))
        widest = max(stringWidth(t, b, body_size) for t in block.body_lines) if block.body_lines else 60
        left.append(Rule(min(widest, left_w - 2 * PAD) * 0.4))
        right: list[Flowable] = [
            Paragraph(markup(block.national_title), self.styles.get(nat_size, True, False, "center"))]
        if block.motto:
            right.append(Paragraph(markup(block.motto), self.styles.get(motto_size, True, False, "center")))
        underlined = (block.motto, motto_size) if block.motto else (block.national_title, nat_size)
        right.append(Rule(stringWidth(underlined[0], b, underlined[1])))  # a Party plan: no motto
        number = Paragraph(markup(block.number_line), self.styles.get(13, False, False, "center"))
        date = Paragraph(markup(block.date_line), self.styles.get(13, False, True, "center"))
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
            left += [Paragraph(markup("- " + r), line_style) for r in block.recipients]
        right: list[Flowable] = []
        st = self.styles.get(13, True, False, "center")
        if block.authority:
            right.append(Paragraph(markup(block.authority), st))
        if block.position:
            right.append(Paragraph(markup(block.position), st))
        right.append(SignatureRoom(right_w, SIGNATURE_BOX_MM[1] * mm, self.spots))
        right.append(Paragraph(markup(block.signer) or "&nbsp;", self.styles.get(14, True, False, "center")))
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
            # (The rule under each page's last row is drawn by RuledTable: reportlab's "splitlast"
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
        table = RuledTable(data, colWidths=widths, repeatRows=n_head, splitInRow=int(self.split_rows),
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
            story.append(SectionStart(section.name, f"s{number}"))
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
                    story.append(Paragraph(markup(block.text), self.styles.named(block.style)))
                elif isinstance(block, Spacer):
                    story.append(RLSpacer(1, block.height_mm * mm))
                elif isinstance(block, TableBlock):
                    tail: Flowable | list[Flowable] | None = None
                    if isinstance(following, Signature):
                        tail = self.signature(following, width)
                    elif (isinstance(following, Para) and index + 2 < len(blocks)
                          and isinstance(blocks[index + 2], Signature)):
                        # A closing note ("Lưu ý: …") and the signature both stay with the last row.
                        tail = [Paragraph(markup(following.text), self.styles.named(following.style)),
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
    pdf = ReportDoc(
        str(out), fonts, first, title=doc.title, author=doc.author, subject=doc.subject,
        creator="CĐS Desktop", leftMargin=MARGINS_MM["left"] * mm, rightMargin=MARGINS_MM["right"] * mm,
        topMargin=MARGINS_MM["top"] * mm, bottomMargin=MARGINS_MM["bottom"] * mm,
        # The canvas starts in the report font, so no unembedded Helvetica is referenced.
        initialFontName=fonts.regular, initialFontSize=12,
    )
    pdf.build(story, canvasmaker=partial(Canvas, lang="vi"))
